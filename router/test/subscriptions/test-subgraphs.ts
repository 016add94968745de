import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import {
  requireCaller,
  startSubgraphServer,
  type Logger,
  type RequestContext,
  type RunningService,
} from '@simple-securities/service-kit';

/**
 * Two small subgraphs for subscription tests and the benchmark: `prices` streams
 * ticks, `instruments` extends `Tick` (an entity keyed by symbol) with fields a
 * client can select in the same subscription.
 */
export const pricesTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    ping: String!
  }

  type Tick @key(fields: "symbol") {
    symbol: String!
    "Counts the ticks of this symbol on one upstream subscription, from 1."
    seq: Int!
    price: String!
    "When the tick left the subgraph, in ms since the epoch (fractional)."
    at: Float!
    "The caller the router forwarded with the subscription, if any."
    subscriber: String
    padding: String
  }

  type Subscription {
    "Public: the same for everyone."
    ticks(symbols: [String!]!, intervalMs: Int! = 100, paddingBytes: Int! = 0): Tick!
    "Private: needs a signed-in caller."
    myTicks(symbols: [String!]!, intervalMs: Int! = 100): Tick!
  }
`);

export const instrumentsTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    instrument(symbol: String!): Instrument
  }

  type Instrument {
    symbol: String!
    name: String!
    exchange: String!
  }

  type Tick @key(fields: "symbol") {
    symbol: String!
    instrument: Instrument!
    "The caller the router forwarded with the entity fetch, if any."
    viewer: String
  }
`);

export interface PricesProbe {
  /** Subscriptions the prices subgraph has started (what the router opened upstream). */
  started: number;
  active: number;
}

interface TickArgs {
  symbols: string[];
  intervalMs: number;
  paddingBytes?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits one tick every interval, cycling through the symbols. */
async function* tickStream(args: TickArgs, subscriber: string | null, probe: PricesProbe) {
  probe.started += 1;
  probe.active += 1;
  const seqs = new Map<string, number>();
  const padding = args.paddingBytes ? 'x'.repeat(args.paddingBytes) : null;
  const started = performance.now();
  try {
    for (let i = 0; ; i += 1) {
      // Due times are absolute, so a busy event loop delays ticks without lowering their rate.
      await sleep(Math.max(0, started + (i + 1) * args.intervalMs - performance.now()));
      const symbol = args.symbols[i % args.symbols.length] ?? 'NONE';
      const seq = (seqs.get(symbol) ?? 0) + 1;
      seqs.set(symbol, seq);
      const price = (100 + ((seq * 7) % 100) / 100).toFixed(2);
      yield {
        [subscriber === null ? 'ticks' : 'myTicks']: {
          symbol,
          seq,
          price,
          at: performance.timeOrigin + performance.now(),
          subscriber,
          padding,
        },
      };
    }
  } finally {
    probe.active -= 1;
  }
}

export const startPricesSubgraph = async (options: {
  port?: number;
  logger: Logger;
  internalToken: string;
  probe?: PricesProbe;
}): Promise<RunningService & { probe: PricesProbe }> => {
  const probe = options.probe ?? { started: 0, active: 0 };
  const service = await startSubgraphServer(
    {
      name: 'prices',
      typeDefs: pricesTypeDefs,
      resolvers: {
        Query: { ping: () => 'pong' },
        Subscription: {
          ticks: { subscribe: (_: unknown, args: TickArgs) => tickStream(args, null, probe) },
          myTicks: {
            subscribe: (_: unknown, args: TickArgs, context: RequestContext) =>
              tickStream(args, requireCaller(context.caller).userId, probe),
          },
        },
      },
    },
    {
      port: options.port ?? 0,
      logger: options.logger,
      internalToken: options.internalToken,
      subscriptions: true,
    },
  );
  return { ...service, probe };
};

export interface InstrumentsProbe {
  entityFetches: number;
}

export const startInstrumentsSubgraph = async (options: {
  logger: Logger;
  internalToken: string;
}): Promise<RunningService & { probe: InstrumentsProbe }> => {
  const probe: InstrumentsProbe = { entityFetches: 0 };
  const instrument = (symbol: string) => ({ symbol, name: `${symbol} Corp`, exchange: 'TEST' });
  const service = await startSubgraphServer(
    {
      name: 'instruments',
      typeDefs: instrumentsTypeDefs,
      resolvers: {
        Query: { instrument: (_: unknown, { symbol }: { symbol: string }) => instrument(symbol) },
        Tick: {
          __resolveReference: (reference: { symbol: string }) => {
            probe.entityFetches += 1;
            return reference;
          },
          instrument: ({ symbol }: { symbol: string }) => instrument(symbol),
          viewer: (_: unknown, __: unknown, context: RequestContext) =>
            context.caller?.userId ?? null,
        },
      },
    },
    { port: 0, logger: options.logger, internalToken: options.internalToken },
  );
  return { ...service, probe };
};

/** The supergraph of both subgraphs, or of `prices` alone when no `instruments` URL is given. */
export const composeSupergraph = (urls: { prices: string; instruments?: string }): string => {
  const result = composeServices([
    { name: 'prices', typeDefs: pricesTypeDefs, url: urls.prices },
    ...(urls.instruments
      ? [{ name: 'instruments', typeDefs: instrumentsTypeDefs, url: urls.instruments }]
      : []),
  ]);
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
};
