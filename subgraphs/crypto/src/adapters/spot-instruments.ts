import type { CryptoPair } from '@simple-securities/market-data';
import { defineInstrument, type Instrument } from '@simple-securities/trading';

/**
 * Decimals of each asset's minor unit, as core's wallets hold them: every crypto asset
 * has 8, USDT 6. A pair's sizes must fit these (a lot a whole number of base units).
 */
const scaleOf = (asset: string): number => (asset === 'USDT' ? 6 : 8);

/** A listed pair as the matching engine and settlement see it. */
export const spotInstrumentOf = (pair: CryptoPair): Instrument =>
  defineInstrument({
    symbol: pair.symbol,
    baseAsset: pair.baseAsset,
    baseScale: scaleOf(pair.baseAsset),
    quoteAsset: pair.quoteCurrency,
    quoteScale: scaleOf(pair.quoteCurrency),
    tickSize: pair.tickSize,
    lotSize: pair.lotSize,
    minNotional: pair.minNotional,
  });
