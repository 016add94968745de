import { Decimal } from 'decimal.js';
import { type Instrument, roundDownToLot, roundToTick } from './instrument.js';
import type { PriceTick } from './price-tick.js';
import { hashSeed, type Random, seededRandom } from './random.js';

const SECONDS_PER_YEAR = 365 * 24 * 60 * 60;

/** Mean size of a simulated trade, in the quote currency. */
const MEAN_TRADE_NOTIONAL = 2_500;

interface Walk {
  readonly instrument: Instrument;
  readonly random: Random;
  /** Unrounded, so prices never stick to a tick when steps are smaller than one. */
  price: number;
}

/**
 * Prices that move like real ones: geometric Brownian motion with each
 * instrument's volatility and no drift, one independent seeded stream per
 * symbol. The walk runs in floating point; every price and quantity that
 * leaves is rounded onto the instrument's tick and lot grid with decimal
 * arithmetic. The same seed and the same sequence of steps give the same ticks.
 */
export class PriceSimulator {
  private readonly walks = new Map<string, Walk>();

  constructor(instruments: readonly Instrument[], seed: number) {
    for (const instrument of instruments) {
      this.walks.set(instrument.symbol, {
        instrument,
        random: seededRandom(hashSeed(`${seed}:${instrument.symbol}`)),
        price: Number(instrument.referencePrice),
      });
    }
  }

  /** Moves `symbol` on by `elapsedSeconds` and reports the trade that happened at `time`. */
  step(symbol: string, elapsedSeconds: number, time: Date): PriceTick {
    const walk = this.walks.get(symbol);
    if (!walk) throw new Error(`The simulator does not price ${symbol}.`);
    const { instrument, random } = walk;
    const dt = elapsedSeconds / SECONDS_PER_YEAR;
    const sigma = instrument.annualVolatility;
    walk.price *= Math.exp(-0.5 * sigma * sigma * dt + sigma * Math.sqrt(dt) * random.gaussian());

    const price = Decimal.max(roundToTick(instrument, walk.price), instrument.tickSize);
    // Trade sizes are exponentially distributed around a typical notional, at least one lot.
    const notional = -MEAN_TRADE_NOTIONAL * Math.log(1 - random.next());
    const quantity = Decimal.max(
      roundDownToLot(instrument, new Decimal(notional).div(price)),
      instrument.lotSize,
    );
    const places = (size: string) => new Decimal(size).decimalPlaces();
    return {
      symbol,
      price: price.toFixed(places(instrument.tickSize)),
      quantity: quantity.toFixed(places(instrument.lotSize)),
      time,
    };
  }
}
