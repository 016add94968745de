import type { MessageBus } from '@simple-securities/event-sourcing';
import type { Instrument, InstrumentCatalog, PriceFeed } from '@simple-securities/market-data';
import {
  type SqlDatabase,
  type SqlExecutor,
  startMessageRetention,
} from '@simple-securities/postgres';
import type { Logger } from '@simple-securities/service-kit';
import type { Clock } from '@simple-securities/shared-kernel';
import type { MarketDataContext } from './graphql/market-data-resolvers.js';
import { startMarketDataService } from './market-data-service.js';
import { startKlineRetention } from './postgres/kline-retention.js';
import { postgresMarketDataReadModel } from './postgres/postgres-market-data.js';

export interface MarketDataOptions {
  /** The Postgres schema of the serving context's tables (`crypto`, `stock`); also names its consumer. */
  readonly schema: string;
  readonly catalog: InstrumentCatalog<Instrument>;
  readonly feed: PriceFeed;
  /** The integration event type this context's prices travel as. */
  readonly eventType: string;
  readonly database: SqlDatabase;
  readonly bus: MessageBus<SqlExecutor>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retention: {
    /** Minutes 1s candles are kept (`KLINE_1S_RETENTION_MINUTES`). */
    readonly KLINE_1S_RETENTION_MINUTES: number;
    /** Minutes this context's price ticks stay in the bus log (`BUS_PRICE_TICK_RETENTION_MINUTES`). */
    readonly BUS_PRICE_TICK_RETENTION_MINUTES: number;
  };
}

export interface RunningMarketData {
  /** What the market-data resolvers read; goes into each request's context. */
  readonly marketData: MarketDataContext['marketData'];
  stop(): Promise<void>;
}

/**
 * Runs a context's market data end to end: its price feed and the consumer that
 * projects the ticks (see `startMarketDataService`), and the read model the
 * resolvers query. Its bulk is pruned after its retention period: 1s candles,
 * and its price ticks in the bus log (each context prunes its own, so this holds
 * whether the services run together or alone, and every other integration event
 * stays for consumers added later).
 */
export const startMarketData = async (options: MarketDataOptions): Promise<RunningMarketData> => {
  const { schema, catalog, database, clock, logger, retention } = options;
  const service = await startMarketDataService({
    context: schema,
    catalog,
    feed: options.feed,
    bus: options.bus,
    database,
    eventType: options.eventType,
    logger,
  });
  const klineRetention = startKlineRetention({
    database,
    context: schema,
    symbols: catalog.instruments.map((instrument) => instrument.symbol),
    clock,
    retentionMinutes: retention.KLINE_1S_RETENTION_MINUTES,
    logger,
  });
  const tickRetention = startMessageRetention({
    database,
    logger,
    policy: {
      types: [options.eventType],
      retentionMs: retention.BUS_PRICE_TICK_RETENTION_MINUTES * 60_000,
    },
  });
  return {
    marketData: {
      catalog,
      readModel: postgresMarketDataReadModel(database, schema),
      live: service.live,
      feed: options.feed,
      clock,
    },
    async stop() {
      await Promise.all([klineRetention.stop(), tickRetention.stop()]);
      await service.stop();
    },
  };
};
