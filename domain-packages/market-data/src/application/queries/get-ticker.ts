import type { Instrument } from '../../domain/instrument.js';
import type { InstrumentCatalog } from '../../domain/instrument-catalog.js';
import type { Ticker } from '../../domain/ticker.js';
import type { MarketDataReadModel } from '../ports/market-data-store.js';

/** Undefined while the instrument has not traded yet. */
export const getTicker =
  (deps: { catalog: InstrumentCatalog<Instrument>; readModel: MarketDataReadModel }) =>
  (symbol: string): Promise<Ticker | undefined> =>
    deps.readModel.ticker(deps.catalog.get(symbol).symbol);
