import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  fmt,
  percentile,
  startChild,
  stopChild,
  usageOf,
  type UsageMessage,
} from '../shared/children.js';
import { issueAccessToken } from '../../infrastructure/service-kit/src/access-token.js';
import { startLoad, type Subscription } from './load.js';

/**
 * Live subscriptions through a gateway: 10 symbols at 10 ticks/s each from a test
 * subgraph; our whole router (`startRouter`, signed-in sockets) and Hive Gateway
 * in the same run. Workloads:
 *   all     every subscriber on all 10 symbols (100 events/s each)
 *   spread  each subscriber on one of the 10 symbols (10 events/s each), so
 *           10,000 subscribers want 100k events/s, the target shape of ADR 0004
 *   varied  spread, with the subscribers in groups that each write the
 *           subscription differently (field subsets, aliases, variables)
 *
 *   npm run bench:subscriptions -- --subscribers 10,100,1000,10000 --workload spread
 *
 * Options are described in bench/README.md.
 */
const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10,100,1000' },
    gateways: { type: 'string', default: 'ours,hive' },
    shapes: { type: 'string', default: 'owner,cross' },
    warmup: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '5' },
    workload: { type: 'string', default: 'all' },
    /**
     * Spread workload: start the symbols' streams a tenth of a tick apart, as
     * independent instruments tick; without it every symbol ticks in the same
     * millisecond and each tick is one burst to every subscriber (the worst case).
     */
    'in-phase': { type: 'boolean', default: false },
    /** Ticks per second per symbol: the issue's shape is 10; fewer show latency below saturation. */
    ticks: { type: 'string', default: '10' },
    /** Writes a V8 CPU profile of each gateway's measured window into this folder (for Chrome DevTools). */
    'cpu-prof-dir': { type: 'string' },
  },
});
const SYMBOLS = Array.from({ length: 10 }, (_, i) => `SYM${i}`);
const TICKS_PER_SECOND_PER_SYMBOL = Number(args.ticks);
const spread = args.workload === 'spread' || args.workload === 'varied';
if (!spread && args.workload !== 'all')
  throw new Error('--workload is "all", "spread" or "varied"');
const symbolsPerSubscriber = spread ? 1 : SYMBOLS.length;
if (!Number.isInteger(1000 / (TICKS_PER_SECOND_PER_SYMBOL * symbolsPerSubscriber)))
  throw new Error(
    `--ticks ${args.ticks}: the test subgraph takes a whole number of milliseconds between ticks; try 10, 8, 5 or 4`,
  );
/** What each shape selects besides the tick's own fields: `cross` needs an entity fetch per event. */
const SHAPE_SELECTIONS: Record<string, string> = {
  owner: '',
  cross: 'instrument { name exchange }',
};
for (const shape of args.shapes.split(','))
  if (SHAPE_SELECTIONS[shape] === undefined)
    throw new Error(`--shapes: "${shape}" is not owner or cross`);
/** The subgraph emits one tick every `intervalMs`, round-robin over the subscription's symbols. */
const intervalMsOf = (symbols: readonly string[]) =>
  1000 / (TICKS_PER_SECOND_PER_SYMBOL * symbols.length);
/**
 * Ways of writing one subscription: the first is the one every subscriber sends
 * in the `all` and `spread` workloads; `varied` puts each group of subscribers on
 * another one, as different screens of a client would write it (other field
 * subsets and orders, aliases, arguments in variables). Each keeps `at` under its
 * own name, which the load generator times.
 */
const VARIANTS: readonly ((symbols: readonly string[], selection: string) => Subscription)[] = [
  (symbols, selection) => ({
    query: `subscription Ticks { ticks(symbols: ${JSON.stringify(symbols)}, intervalMs: ${intervalMsOf(symbols)}) { symbol seq price at ${selection} } }`,
  }),
  (symbols, selection) => ({
    query: `subscription Ticks($symbols: [String!]!, $intervalMs: Int!) { ticks(symbols: $symbols, intervalMs: $intervalMs) { symbol price at ${selection} } }`,
    variables: { symbols, intervalMs: intervalMsOf(symbols) },
  }),
  (symbols, selection) => ({
    query: `subscription Quote { quote: ticks(symbols: ${JSON.stringify(symbols)}, intervalMs: ${intervalMsOf(symbols)}) { at last: price ${selection} } }`,
  }),
  (symbols, selection) => ({
    query: `subscription { ticks(symbols: ${JSON.stringify(symbols)}, intervalMs: ${intervalMsOf(symbols)}) { sequence: seq at instrumentSymbol: symbol ${selection} } }`,
  }),
  (symbols, selection) => ({
    query: `subscription Price($symbols: [String!]!) { ticks(symbols: $symbols, intervalMs: ${intervalMsOf(symbols)}) { price seq at ${selection} } }`,
    variables: { symbols },
  }),
];
const subscriptionOf =
  (shape: string) =>
  (subscriber: number): Subscription => {
    const symbols = spread ? [SYMBOLS[subscriber % SYMBOLS.length] as string] : SYMBOLS;
    // Neighbours take different symbols, so each variant's group spans every symbol.
    const variant =
      args.workload === 'varied'
        ? VARIANTS[Math.floor(subscriber / SYMBOLS.length) % VARIANTS.length]
        : VARIANTS[0];
    return (variant as (typeof VARIANTS)[number])(symbols, SHAPE_SELECTIONS[shape] ?? '');
  };
const subscribeDelayMs = (subscriber: number) =>
  spread && !args['in-phase']
    ? ((subscriber % SYMBOLS.length) * 1000) / TICKS_PER_SECOND_PER_SYMBOL / SYMBOLS.length
    : 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Row {
  shape: string;
  gateway: string;
  subscribers: number;
  offered: number;
  delivered: number;
  /** `next` frames per second that carried errors. */
  failed: number;
  p50: number;
  p99: number;
  cpu: number;
  subgraphsCpu: number;
  rssStart: number;
  rssEnd: number;
  errors: string[];
}

const JWT_SECRET = 'bench-jwt-secret-at-least-32-characters';
const INTERNAL_SERVICE_TOKEN = 'bench-internal-token-at-least-32-characters';
/** Each process holds a socket per subscriber, besides its own files and upstream sockets. */
const FILE_DESCRIPTORS_BESIDES_SUBSCRIBERS = 1024;

const mostSubscribers = Math.max(...args.subscribers.split(',').map(Number));
const fileDescriptorLimit = Number(
  execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim(),
);
if (fileDescriptorLimit < mostSubscribers + FILE_DESCRIPTORS_BESIDES_SUBSCRIBERS) {
  console.error(
    `${fmt(mostSubscribers)} subscribers need ${fmt(mostSubscribers + FILE_DESCRIPTORS_BESIDES_SUBSCRIBERS)} open files ` +
      `in the load generator and in the gateway, but this shell allows ${fmt(fileDescriptorLimit)}: ` +
      `raise it first (\`ulimit -n ${mostSubscribers + FILE_DESCRIPTORS_BESIDES_SUBSCRIBERS}\`, up to \`ulimit -Hn\`).`,
  );
  process.exit(1);
}

const { token } = await issueAccessToken(
  { userId: 'bench-subscriber', roles: ['trader'], permissions: [] },
  { secret: JWT_SECRET, ttlSeconds: 3600 },
);

const measure = async (gateway: string, shape: string, subscribers: number): Promise<Row> => {
  const subgraphs = await startChild(new URL('./processes/subgraphs.ts', import.meta.url), {
    INTERNAL_SERVICE_TOKEN,
  });
  const router = await startChild(
    new URL(gateway === 'ours' ? './processes/ours.ts' : './processes/hive.ts', import.meta.url),
    {
      SUPERGRAPH_SDL: subgraphs.ready.supergraphSdl ?? '',
      JWT_SECRET,
      INTERNAL_SERVICE_TOKEN,
      ...(args['cpu-prof-dir'] && {
        BENCH_CPU_PROFILE: path.resolve(
          args['cpu-prof-dir'],
          `${gateway}-${shape}-${args.workload}-${subscribers}.cpuprofile`,
        ),
      }),
    },
  );
  const load = await startLoad({
    url: router.ready.url ?? '',
    subscriptionOf: subscriptionOf(shape),
    subscribers,
    // Hive Gateway ignores it; our router refuses a socket without it.
    token,
    subscribeDelayMs,
  });
  const usage = () => Promise.all([usageOf(router.child), usageOf(subgraphs.child)]);
  const cpuShare = (before: UsageMessage, after: UsageMessage) =>
    (after.cpuMicros - before.cpuMicros) / 1e3 / (after.atMs - before.atMs);
  try {
    await sleep(Number(args.warmup) * 1000);
    load.reset();
    const [before, subgraphsBefore] = await usage();
    const started = performance.now();
    await sleep(Number(args.seconds) * 1000);
    const received = load.received();
    const failed = load.errorEvents();
    const elapsed = (performance.now() - started) / 1000;
    const [after, subgraphsAfter] = await usage();
    const latencies = load.latencies().sort();
    return {
      shape,
      gateway,
      subscribers,
      offered: subscribers * symbolsPerSubscriber * TICKS_PER_SECOND_PER_SYMBOL,
      delivered: received / elapsed,
      failed: failed / elapsed,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      // Both readings come from the gateway process, so a saturated gateway replying late does not skew this.
      cpu: cpuShare(before, after),
      subgraphsCpu: cpuShare(subgraphsBefore, subgraphsAfter),
      rssStart: before.rssBytes / 2 ** 20,
      rssEnd: after.rssBytes / 2 ** 20,
      errors: load.errors(),
    };
  } finally {
    load.close();
    stopChild(router.child);
    stopChild(subgraphs.child);
  }
};

console.log(
  `# subscriptions benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}; workload ${args.workload}${spread ? (args['in-phase'] ? ' (symbols in phase)' : ' (symbols out of phase)') : ''}, ${TICKS_PER_SECOND_PER_SYMBOL} ticks/s per symbol; warm-up ${args.warmup} s, measured ${args.seconds} s\n`,
);
console.log(
  '| shape | gateway | subscribers | offered ev/s | delivered ev/s | vs Hive | events with errors /s | p50 ms | p99 ms | gateway CPU | subgraphs CPU | gateway RSS start → end MiB |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const shape of args.shapes.split(',')) {
  for (const subscribers of args.subscribers.split(',').map(Number)) {
    const rows: Row[] = [];
    for (const gateway of args.gateways.split(',')) {
      let row: Row;
      try {
        row = await measure(gateway, shape, subscribers);
      } catch (error) {
        console.log(
          `| ${shape} | ${gateway} | ${subscribers} | failed: ${(error as Error).message} |`,
        );
        continue;
      }
      rows.push(row);
    }
    const hive = rows.find((r) => r.gateway === 'hive');
    for (const row of rows) {
      const ratio =
        row.gateway !== 'hive' && hive && hive.delivered > 0
          ? `${fmt(row.delivered / hive.delivered, 1)}×`
          : '';
      console.log(
        `| ${shape} | ${row.gateway} | ${fmt(subscribers)} | ${fmt(row.offered)} | ${fmt(row.delivered)} | ${ratio} | ` +
          `${fmt(row.failed)} | ${fmt(row.p50, 1)} | ${fmt(row.p99, 1)} | ${fmt(row.cpu * 100)}% | ${fmt(row.subgraphsCpu * 100)}% | ${fmt(row.rssStart)} → ${fmt(row.rssEnd)} |`,
      );
      if (row.errors.length > 0)
        console.log(`<!-- ${row.gateway} errors: ${row.errors.slice(0, 3).join(' / ')} -->`);
    }
  }
}
process.exit(0);
