import { defineInstrument, type Instrument } from '@simple-securities/trading';

/** A listed instrument as the market-data catalogue describes it. */
export interface Listing {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteCurrency: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minNotional: string;
}

/**
 * A listing as the matching engine and settlement see it. `scaleOf` gives the decimals
 * of an asset's minor unit as core's wallets hold it; the listing's sizes must fit them
 * (a lot a whole number of base units).
 */
export const tradingInstrumentOf = (
  listing: Listing,
  scaleOf: (asset: string) => number,
): Instrument =>
  defineInstrument({
    symbol: listing.symbol,
    baseAsset: listing.baseAsset,
    baseScale: scaleOf(listing.baseAsset),
    quoteAsset: listing.quoteCurrency,
    quoteScale: scaleOf(listing.quoteCurrency),
    tickSize: listing.tickSize,
    lotSize: listing.lotSize,
    minNotional: listing.minNotional,
  });
