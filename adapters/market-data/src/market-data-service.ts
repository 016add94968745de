import type { MessageBus, Subscription } from '@simple-securities/event-sourcing';
import {
  type Instrument,
  type InstrumentCatalog,
  type PriceFeed,
  type PriceTickedData,
  priceTickFrom,
  publishPriceTicks,
  recordPriceTick,
} from '@simple-securities/market-data';
import { postgresBroadcast, type SqlDatabase, type SqlExecutor } from '@simple-securities/postgres';
import type { Logger } from 'pino';
import { z } from 'zod';
import { PriceTickRelay } from './feeds/price-tick-relay.js';
import { MarketDataHub } from './live/market-data-hub.js';
import {
  decodeRecordedTick,
  encodeRecordedTick,
  recordedTicksChannel,
} from './live/recorded-tick-broadcast.js';
import { postgresPriceTickStore } from './postgres/postgres-market-data.js';

const priceTicked = z.object({
  symbol: z.string(),
  price: z.string().regex(/^\d+(\.\d+)?$/),
  quantity: z.string().regex(/^\d+(\.\d+)?$/),
  time: z.iso.datetime(),
}) satisfies z.ZodType<PriceTickedData>;

export interface MarketDataServiceOptions {
  /** The trading context: names the Postgres schema, the event source and the consumer. */
  readonly context: string;
  readonly catalog: InstrumentCatalog<Instrument>;
  readonly feed: PriceFeed;
  readonly bus: MessageBus<SqlExecutor>;
  /** Where the bus lives; recorded ticks reach every replica's subscribers through it. */
  readonly database: SqlDatabase;
  /** The integration event type this context's prices travel as. */
  readonly eventType: string;
  readonly logger: Logger;
}

export interface MarketDataService {
  readonly live: MarketDataHub;
  stop(): Promise<void>;
}

/**
 * Prices flow one way: feed → `PriceTicked` on the bus → a checkpointed consumer
 * (one per context, whichever replica its group hands the tick to) that folds each tick
 * into candles and the ticker in the same transaction as its checkpoint → once that
 * commits, a Postgres broadcast → every replica's hub, this one's included, so each
 * subscriber sees each recorded tick once, whichever process's feed produced it and
 * whichever consumed it. One replica's consumer commits ticks in order and the broadcast
 * keeps that order, so each symbol's ticks arrive in order everywhere.
 */
export const startMarketDataService = async (
  options: MarketDataServiceOptions,
): Promise<MarketDataService> => {
  const { context, catalog, feed, bus, database, eventType, logger } = options;
  const live = new MarketDataHub();
  const recordedTicks = postgresBroadcast(database, recordedTicksChannel(context), logger);
  const stopHearing = await recordedTicks.subscribe((payload) => {
    try {
      live.publish(decodeRecordedTick(payload));
    } catch (error) {
      logger.warn(
        { err: error, context },
        'ignored a recorded price tick from another replica that this one cannot read',
      );
    }
  });
  const projection: Subscription = await bus.consume(
    async (event, { tx, afterCommit }) => {
      const tick = priceTickFrom(priceTicked.parse(event.data));
      if (!catalog.find(tick.symbol)) {
        logger.warn(
          { symbol: tick.symbol, eventId: event.id },
          'ignoring a price tick for an instrument this service does not list',
        );
        return;
      }
      const recorded = await recordPriceTick(postgresPriceTickStore(tx, context))(tick);
      // Subscribers see a candle only once it is stored: a rolled-back batch is redelivered.
      afterCommit(() => recordedTicks.publish([encodeRecordedTick(recorded)]));
    },
    { consumer: `${context}.market-data`, types: [eventType] },
  );

  const relay = new PriceTickRelay(
    publishPriceTicks({ publisher: bus, source: `/${context}`, eventType }),
    logger,
  );
  await feed.start(relay.accept);
  logger.info({ instruments: catalog.instruments.length }, `${context} price feed started`);

  return {
    live,
    async stop() {
      await feed.stop();
      await relay.flush();
      await projection.stop();
      await stopHearing();
      live.close();
      logger.info(`${context} price feed and market-data consumer stopped`);
    },
  };
};
