import { DomainError } from '@simple-securities/shared-kernel';

/** A decimal held exactly: `units × 10^-scale` (0.01 is 1n at scale 2). */
export interface ExactDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses a non-negative decimal string such as "0.00001" without going through a float. */
export const exactDecimal = (text: string): ExactDecimal => {
  const match = DECIMAL.exec(text);
  if (!match) throw new DomainError('BAD_USER_INPUT', `"${text}" is not a plain decimal number`);
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
};

export interface InstrumentDefinition {
  readonly symbol: string;
  readonly baseAsset: string;
  /** Decimals of the base asset's minor unit: BTC has 8 (satoshi). */
  readonly baseScale: number;
  readonly quoteAsset: string;
  /** Decimals of the quote asset's minor unit: USDT has 6. */
  readonly quoteScale: number;
  /** One tick of price, in quote per one base: "0.01". */
  readonly tickSize: string;
  /** One lot of quantity, in base: "0.00001". */
  readonly lotSize: string;
  /** The smallest notional an order may have, in quote: "5". */
  readonly minNotional: string;
}

/**
 * What the book needs to turn ticks and lots into money. Prices in the book are whole
 * ticks and quantities whole lots; a notional is price × quantity in the quote asset's
 * minor units, which can have more decimals than the quote asset (ADR 0014).
 */
export interface Instrument {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly baseScale: number;
  readonly quoteAsset: string;
  readonly quoteScale: number;
  readonly tick: ExactDecimal;
  readonly lot: ExactDecimal;
  /** Base minor units in one lot: a lot must be a whole number of them. */
  readonly baseUnitsPerLot: bigint;
  readonly minNotional: bigint;
}

export const defineInstrument = (definition: InstrumentDefinition): Instrument => {
  const { symbol, baseScale, quoteScale } = definition;
  const tick = exactDecimal(definition.tickSize);
  const lot = exactDecimal(definition.lotSize);
  const minimum = exactDecimal(definition.minNotional);
  const fail = (why: string) => new DomainError('BAD_USER_INPUT', `${symbol}: ${why}`);
  if (tick.units <= 0n || lot.units <= 0n) throw fail('tick and lot sizes must be above zero');
  if (lot.scale > baseScale)
    throw fail(
      `a lot of ${definition.lotSize} is finer than the base asset's ${baseScale} decimals`,
    );
  if (minimum.scale > quoteScale)
    throw fail(
      `a minimum notional of ${definition.minNotional} is finer than the quote asset's ${quoteScale} decimals`,
    );
  return {
    symbol,
    baseAsset: definition.baseAsset,
    baseScale,
    quoteAsset: definition.quoteAsset,
    quoteScale,
    tick,
    lot,
    baseUnitsPerLot: lot.units * 10n ** BigInt(baseScale - lot.scale),
    minNotional: minimum.units * 10n ** BigInt(quoteScale - minimum.scale),
  };
};
