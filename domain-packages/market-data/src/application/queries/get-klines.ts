import { DomainError } from '@simple-securities/shared-kernel';
import type { Instrument } from '../../domain/instrument.js';
import type { InstrumentCatalog } from '../../domain/instrument-catalog.js';
import {
  DEFAULT_KLINE_LIMIT,
  type Kline,
  MAX_KLINE_LIMIT,
  parseKlineInterval,
} from '../../domain/kline.js';
import type { MarketDataReadModel } from '../ports/market-data-store.js';

export interface GetKlines {
  readonly symbol: string;
  readonly interval: string;
  readonly limit?: number | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

/** Candles of one instrument, oldest first, as Binance's GetKlines returns them. */
export const getKlines =
  (deps: { catalog: InstrumentCatalog<Instrument>; readModel: MarketDataReadModel }) =>
  async (query: GetKlines): Promise<Kline[]> => {
    const { symbol } = deps.catalog.get(query.symbol);
    const interval = parseKlineInterval(query.interval);
    const limit = query.limit ?? DEFAULT_KLINE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_KLINE_LIMIT) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `"limit" must be a whole number from 1 to ${MAX_KLINE_LIMIT}, got ${limit}.`,
        { limit },
      );
    }
    if (query.from && query.to && query.from > query.to) {
      throw new DomainError('BAD_USER_INPUT', '"from" must not be later than "to".');
    }
    return deps.readModel.klines({ symbol, interval, limit, from: query.from, to: query.to });
  };
