import { Decimal } from 'decimal.js';
import { DomainError } from '@simple-securities/shared-kernel';
import type { TradingCalendar } from './trading-calendar.js';

export type AssetClass = 'CRYPTO' | 'STOCK';

/** HALTED instruments are listed but neither priced nor traded. */
export type InstrumentStatus = 'TRADING' | 'HALTED';

/**
 * Something that can be priced and traded. Sizes are decimal strings so that no
 * binary float ever rounds a price or a quantity.
 */
export interface Instrument {
  /** `BTC-USDT` for a crypto pair, `AAPL` for a stock. */
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly name: string;
  /** What is bought or sold: `BTC`, `AAPL`. */
  readonly baseAsset: string;
  /** What prices are quoted in: `USDT`, `USD`. */
  readonly quoteCurrency: string;
  /** Prices are whole multiples of it. */
  readonly tickSize: string;
  /** Quantities are whole multiples of it. */
  readonly lotSize: string;
  /** Smallest price × quantity an order may have, in the quote currency. */
  readonly minNotional: string;
  readonly status: InstrumentStatus;
  /** Where the simulator starts and how wild it walks (annualised volatility, e.g. 0.6 = 60 %). */
  readonly referencePrice: string;
  readonly annualVolatility: number;
}

export interface CryptoPair extends Instrument {
  readonly assetClass: 'CRYPTO';
}

export interface Stock extends Instrument {
  readonly assetClass: 'STOCK';
  /** Listing venue, e.g. `NASDAQ`. */
  readonly exchange: string;
  readonly calendar: TradingCalendar;
}

/** Nearest tick, halves away from zero: what a venue shows for a computed price. */
export const roundToTick = (instrument: Instrument, price: Decimal.Value): Decimal =>
  new Decimal(price)
    .toNearest(instrument.tickSize, Decimal.ROUND_HALF_UP)
    .toDecimalPlaces(decimalPlacesOf(instrument.tickSize));

/** Whole lots only, rounded down so a computed quantity never exceeds what was affordable. */
export const roundDownToLot = (instrument: Instrument, quantity: Decimal.Value): Decimal =>
  new Decimal(quantity)
    .toNearest(instrument.lotSize, Decimal.ROUND_DOWN)
    .toDecimalPlaces(decimalPlacesOf(instrument.lotSize));

export const isOnTick = (instrument: Instrument, price: Decimal.Value): boolean =>
  new Decimal(price).mod(instrument.tickSize).isZero();

export const isWholeLots = (instrument: Instrument, quantity: Decimal.Value): boolean =>
  new Decimal(quantity).mod(instrument.lotSize).isZero();

export const meetsMinNotional = (
  instrument: Instrument,
  price: Decimal.Value,
  quantity: Decimal.Value,
): boolean => new Decimal(price).times(quantity).gte(instrument.minNotional);

const decimalPlacesOf = (size: string): number => new Decimal(size).decimalPlaces();

/** Symbols are matched case-insensitively and stored upper case: `btc-usdt` means `BTC-USDT`. */
export const normaliseSymbol = (symbol: string): string => symbol.trim().toUpperCase();

export const unknownSymbol = (symbol: string): DomainError =>
  new DomainError('BAD_USER_INPUT', `Unknown symbol "${symbol}".`, { symbol });
