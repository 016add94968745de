import type { AssetClass } from './instrument.js';

/** One trade print: the price an instrument last traded at, and how much changed hands. */
export interface PriceTick {
  readonly symbol: string;
  /** Decimal strings on the instrument's tick and lot grid. */
  readonly price: string;
  readonly quantity: string;
  readonly time: Date;
}

/**
 * The integration events price feeds publish, one type per trading context so
 * each context's consumers read only their own instruments' prices. Keyed by
 * symbol, so one symbol's ticks stay in order.
 */
export const PRICE_TICKED_EVENT_TYPES: Readonly<Record<AssetClass, string>> = {
  CRYPTO: 'crypto.price.ticked.v1',
  STOCK: 'stock.price.ticked.v1',
};

export interface PriceTickedData {
  readonly symbol: string;
  readonly price: string;
  readonly quantity: string;
  /** ISO-8601 UTC. */
  readonly time: string;
}

export const priceTickedData = (tick: PriceTick): PriceTickedData => ({
  symbol: tick.symbol,
  price: tick.price,
  quantity: tick.quantity,
  time: tick.time.toISOString(),
});

export const priceTickFrom = (data: PriceTickedData): PriceTick => ({
  symbol: data.symbol,
  price: data.price,
  quantity: data.quantity,
  time: new Date(data.time),
});
