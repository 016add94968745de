import type { CryptoPair, Instrument, Stock } from './instrument.js';
import { normaliseSymbol, unknownSymbol } from './instrument.js';
import { NEW_YORK_STOCK_SESSIONS } from './trading-calendar.js';

const pair = (
  base: string,
  tickSize: string,
  lotSize: string,
  referencePrice: string,
  annualVolatility: number,
  name: string,
): CryptoPair => ({
  symbol: `${base}-USDT`,
  assetClass: 'CRYPTO',
  name,
  baseAsset: base,
  quoteCurrency: 'USDT',
  tickSize,
  lotSize,
  minNotional: '5',
  status: 'TRADING',
  referencePrice,
  annualVolatility,
});

const stock = (
  symbol: string,
  exchange: string,
  referencePrice: string,
  annualVolatility: number,
  name: string,
): Stock => ({
  symbol,
  assetClass: 'STOCK',
  name,
  baseAsset: symbol,
  quoteCurrency: 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minNotional: '1',
  status: 'TRADING',
  referencePrice,
  annualVolatility,
  exchange,
  calendar: NEW_YORK_STOCK_SESSIONS,
});

/** Sizes follow the big spot venues' filters for these pairs. */
export const CRYPTO_PAIRS: readonly CryptoPair[] = [
  pair('BTC', '0.01', '0.00001', '91000.00', 0.55, 'Bitcoin / Tether'),
  pair('ETH', '0.01', '0.0001', '3100.00', 0.7, 'Ether / Tether'),
  pair('SOL', '0.01', '0.001', '140.00', 0.9, 'Solana / Tether'),
  pair('BNB', '0.01', '0.001', '880.00', 0.5, 'BNB / Tether'),
  pair('XRP', '0.0001', '0.1', '2.1500', 0.8, 'XRP / Tether'),
  pair('ADA', '0.0001', '0.1', '0.4500', 0.85, 'Cardano / Tether'),
  pair('DOGE', '0.00001', '1', '0.15500', 1.0, 'Dogecoin / Tether'),
  pair('LTC', '0.01', '0.001', '85.00', 0.75, 'Litecoin / Tether'),
  pair('DOT', '0.001', '0.01', '2.800', 0.9, 'Polkadot / Tether'),
  pair('AVAX', '0.01', '0.01', '14.50', 0.95, 'Avalanche / Tether'),
  pair('LINK', '0.01', '0.01', '13.50', 0.85, 'Chainlink / Tether'),
  pair('TRX', '0.0001', '0.1', '0.2800', 0.6, 'TRON / Tether'),
];

export const STOCKS: readonly Stock[] = [
  stock('AAPL', 'NASDAQ', '275.00', 0.28, 'Apple Inc.'),
  stock('MSFT', 'NASDAQ', '480.00', 0.25, 'Microsoft Corporation'),
  stock('NVDA', 'NASDAQ', '180.00', 0.5, 'NVIDIA Corporation'),
  stock('AMZN', 'NASDAQ', '225.00', 0.32, 'Amazon.com, Inc.'),
  stock('GOOGL', 'NASDAQ', '300.00', 0.3, 'Alphabet Inc. Class A'),
  stock('TSLA', 'NASDAQ', '410.00', 0.6, 'Tesla, Inc.'),
  stock('JPM', 'NYSE', '305.00', 0.22, 'JPMorgan Chase & Co.'),
];

/** A fixed set of instruments looked up by symbol. */
export class InstrumentCatalog<I extends Instrument> {
  private readonly bySymbol: ReadonlyMap<string, I>;

  constructor(readonly instruments: readonly I[]) {
    this.bySymbol = new Map(instruments.map((instrument) => [instrument.symbol, instrument]));
  }

  find(symbol: string): I | undefined {
    return this.bySymbol.get(normaliseSymbol(symbol));
  }

  /** The instrument, or BAD_USER_INPUT naming the symbol nobody lists. */
  get(symbol: string): I {
    const instrument = this.find(symbol);
    if (!instrument) throw unknownSymbol(symbol);
    return instrument;
  }
}
