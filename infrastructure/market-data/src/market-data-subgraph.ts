import type { MessageBus } from '@simple-securities/event-sourcing';
import type { Instrument, InstrumentCatalog, PriceFeed } from '@simple-securities/market-data';
import {
  PostgresMessageBus,
  type SqlDatabase,
  type SqlExecutor,
  startMessageRetention,
} from '@simple-securities/postgres';
import {
  type GraphQLResolverMap,
  type Logger,
  type RunningService,
  startSubgraphServer,
} from '@simple-securities/service-kit';
import type { Clock } from '@simple-securities/shared-kernel';
import type { DocumentNode } from 'graphql';
import type { MarketDataContext } from './graphql/market-data-resolvers.js';
import { startMarketDataService } from './market-data-service.js';
import {
  DEFAULT_KLINE_1S_RETENTION_MINUTES,
  DEFAULT_PRICE_TICK_RETENTION_MINUTES,
  startKlineRetention,
} from './postgres/kline-retention.js';
import { postgresMarketDataReadModel } from './postgres/postgres-market-data.js';

export interface MarketDataSubgraphOptions<Extra extends object> {
  /** The trading context: names the subgraph, its Postgres schema and its consumer. */
  readonly context: 'crypto' | 'stock';
  readonly catalog: InstrumentCatalog<Instrument>;
  readonly feed: PriceFeed;
  /** The integration event type this context's prices travel as. */
  readonly eventType: string;
  readonly database: SqlDatabase;
  /** Defaults to the Postgres bus on `database`. */
  readonly bus?: MessageBus<SqlExecutor> | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly typeDefs: DocumentNode;
  readonly resolvers: GraphQLResolverMap<MarketDataContext & Extra>;
  /** What this subgraph's resolvers need in the request context beyond the market data (`{}` for none). */
  readonly extraContext: Extra;
  readonly port: number;
  readonly host: string;
  readonly internalToken: string;
  /** Minutes 1s candles are kept (`KLINE_1S_RETENTION_MINUTES`); 60 when unset. */
  readonly kline1sRetentionMinutes?: number;
  /** Minutes this context's price ticks stay in the bus log (`BUS_PRICE_TICK_RETENTION_MINUTES`); 60 when unset. */
  readonly priceTickRetentionMinutes?: number;
}

/**
 * Runs a trading context's market data end to end: its price feed and the
 * consumer that projects the ticks (see `startMarketDataService`), served as a
 * subgraph with queries and subscriptions. Its bulk is pruned after its retention
 * period: 1s candles, and its price ticks in the bus log (each context prunes its
 * own, so this holds whether the services run together or alone, and every other
 * integration event stays for consumers added later). Stopping it stops the server first,
 * so no request reads a projection that is shutting down.
 */
export const startMarketDataSubgraph = async <Extra extends object>(
  options: MarketDataSubgraphOptions<Extra>,
): Promise<RunningService> => {
  const { context, catalog, database, clock, logger } = options;
  const marketData = await startMarketDataService({
    context,
    catalog,
    feed: options.feed,
    bus: options.bus ?? new PostgresMessageBus(database, { logger }),
    eventType: options.eventType,
    logger,
  });
  const readModel = postgresMarketDataReadModel(database, context);
  const retention = startKlineRetention({
    database,
    context,
    symbols: catalog.instruments.map((instrument) => instrument.symbol),
    clock,
    retentionMinutes: options.kline1sRetentionMinutes ?? DEFAULT_KLINE_1S_RETENTION_MINUTES,
    logger,
  });
  const tickRetention = startMessageRetention({
    database,
    logger,
    policy: {
      types: [options.eventType],
      retentionMs:
        (options.priceTickRetentionMinutes ?? DEFAULT_PRICE_TICK_RETENTION_MINUTES) * 60_000,
    },
  });
  const stopMarketData = async () => {
    await Promise.all([retention.stop(), tickRetention.stop()]);
    await marketData.stop();
  };
  try {
    const server = await startSubgraphServer<MarketDataContext & Extra>(
      {
        name: context,
        typeDefs: options.typeDefs,
        resolvers: options.resolvers,
        extendContext: (base) => ({
          ...base,
          ...options.extraContext,
          marketData: { catalog, readModel, live: marketData.live, clock, database, context },
        }),
      },
      {
        port: options.port,
        host: options.host,
        logger,
        internalToken: options.internalToken,
        subscriptions: true,
      },
    );
    return {
      url: server.url,
      port: server.port,
      async stop() {
        await server.stop();
        await stopMarketData();
      },
    };
  } catch (error) {
    await stopMarketData();
    throw error;
  }
};
