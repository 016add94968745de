import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Instrument, type PriceTick, roundToTick } from '@simple-securities/market-data';

/**
 * Binance's public market streams, as documented at
 * https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams.
 * Only the fields we use are checked; prices and quantities arrive as strings.
 */
const decimalText = z.string().regex(/^\d+(\.\d+)?$/);

const tradeEvent = z.object({
  e: z.literal('trade'),
  E: z.number(),
  s: z.string(),
  p: decimalText,
  q: decimalText,
  T: z.number(),
});

const klineEvent = z.object({
  e: z.literal('kline'),
  E: z.number(),
  s: z.string(),
  k: z.object({
    t: z.number(),
    i: z.string(),
    c: decimalText,
    v: decimalText,
  }),
});

/** Frames of a combined stream (`/stream?streams=…`) wrap each event with its stream name. */
const combinedFrame = z.object({
  stream: z.string(),
  data: z.discriminatedUnion('e', [tradeEvent, klineEvent]),
});

export type BinanceStream = 'trade' | 'kline';

/** `BTC-USDT` → `btcusdt@trade` or `btcusdt@kline_1m`. */
export const streamName = (instrument: Instrument, stream: BinanceStream): string =>
  `${instrument.baseAsset}${instrument.quoteCurrency}`.toLowerCase() +
  (stream === 'trade' ? '@trade' : '@kline_1m');

/**
 * Turns frames into ticks. Kline updates carry the candle's running volume, so
 * the quantity of the tick is what traded since the previous update of the same
 * candle; an update without new volume is not a trade and yields nothing.
 */
export class BinanceFrameDecoder {
  private readonly byBinanceSymbol: ReadonlyMap<string, Instrument>;
  private readonly candleVolumes = new Map<string, { openTime: number; volume: Decimal }>();

  constructor(instruments: readonly Instrument[]) {
    this.byBinanceSymbol = new Map(
      instruments.map((instrument) => [
        `${instrument.baseAsset}${instrument.quoteCurrency}`,
        instrument,
      ]),
    );
  }

  /** The tick in a frame, undefined for frames that carry none; throws on a malformed frame. */
  decode(text: string): PriceTick | undefined {
    const parsed = JSON.parse(text) as unknown;
    // Replies to SUBSCRIBE requests look like {"result":null,"id":1}.
    if (typeof parsed === 'object' && parsed !== null && 'result' in parsed) return undefined;
    const { data } = combinedFrame.parse(parsed);
    const instrument = this.byBinanceSymbol.get(data.s);
    if (!instrument) return undefined;
    if (data.e === 'trade')
      return tickOf(instrument, data.p, new Decimal(data.q), new Date(data.T));

    const previous = this.candleVolumes.get(data.s);
    const volume = new Decimal(data.k.v);
    this.candleVolumes.set(data.s, { openTime: data.k.t, volume });
    const traded = previous?.openTime === data.k.t ? volume.minus(previous.volume) : volume;
    return traded.gt(0) ? tickOf(instrument, data.k.c, traded, new Date(data.E)) : undefined;
  }
}

const tickOf = (
  instrument: Instrument,
  price: string,
  quantity: Decimal,
  time: Date,
): PriceTick => ({
  symbol: instrument.symbol,
  price: roundToTick(instrument, price).toFixed(new Decimal(instrument.tickSize).decimalPlaces()),
  quantity: quantity.toFixed(),
  time,
});
