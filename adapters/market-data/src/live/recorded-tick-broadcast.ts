import {
  KLINE_INTERVALS,
  type Kline,
  type RecordedPriceTick,
  type Ticker,
} from '@simple-securities/market-data';
import { z } from 'zod';

/** The Postgres channel on which a context's recorded ticks reach every replica's subscribers. */
export const recordedTicksChannel = (context: string): string => `${context}_price_ticks_recorded`;

const kline = z.object({
  symbol: z.string(),
  interval: z.enum(KLINE_INTERVALS),
  openTime: z.coerce.date(),
  closeTime: z.coerce.date(),
  open: z.string(),
  high: z.string(),
  low: z.string(),
  close: z.string(),
  volume: z.string(),
  quoteVolume: z.string(),
  trades: z.number().int(),
}) satisfies z.ZodType<Kline, unknown>;

const ticker = z.object({
  symbol: z.string(),
  lastPrice: z.string(),
  lastQuantity: z.string(),
  time: z.coerce.date(),
  openPrice: z.string(),
  highPrice: z.string(),
  lowPrice: z.string(),
  volume: z.string(),
  quoteVolume: z.string(),
  priceChange: z.string(),
  priceChangePercent: z.string(),
  trades: z.number().int(),
}) satisfies z.ZodType<Ticker, unknown>;

const recordedTick = z.object({ klines: z.array(kline), ticker });

export const encodeRecordedTick = (recorded: RecordedPriceTick): string => JSON.stringify(recorded);

/** Throws when the payload is not a recorded tick (another version of the service, or noise). */
export const decodeRecordedTick = (payload: string): RecordedPriceTick =>
  recordedTick.parse(JSON.parse(payload));
