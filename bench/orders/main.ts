/**
 * `npm run bench:orders`: BTC-USDT limit orders placed through the router in postgres
 * mode (mutation → durable event → reply). The stack runs in a child process on a
 * scratch database; this process signs up `--users` users, funds each with USDT and BTC,
 * then runs a closed loop of `--connections` keep-alive clients, each placing GTC limit
 * orders for random users at prices spread around a mid (most rest, some cross and
 * trade) and cancelling a share of the resting ones to keep the book bounded.
 * A second row sends the same load to the crypto subgraph directly, with the caller
 * assertion the router would forward, so the difference is the router's part.
 * Needs a Postgres server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '@simple-securities/postgres/scratch';
import { verifyAccessToken } from '../../infrastructure/service-kit/src/access-token.js';
import { callerHeaders, type Caller } from '../../infrastructure/service-kit/src/caller.js';
import { post, runClosedLoop } from '../shared/closed-loop.js';
import { fmt, percentile, startChild, stopChild, usageOf } from '../shared/children.js';
import { BENCH_STACK_SECRETS } from '../shared/stack-secrets.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '20' },
    'warmup-seconds': { type: 'string', default: '5' },
    'cancel-share': { type: 'string', default: '0.1' },
    'sign-up-concurrency': { type: 'string', default: '4' },
  },
});
const users = Number(args.users);
/** Each count is a pair of rows (router, subgraph directly). */
const connectionCounts = args.connections.split(',').map(Number);
const measureMs = Number(args.seconds) * 1000;
const warmupMs = Number(args['warmup-seconds']) * 1000;
const cancelShare = Number(args['cancel-share']);
const signUpConcurrency = Number(args['sign-up-concurrency']);

/** docs/targets.md: order placement through the router, postgres mode, 2 cores. */
const TARGET_ORDERS_PER_SECOND = 1_500;
const TARGET_P99_MS = 50;

const SYMBOL = 'BTC-USDT';
/** BTC-USDT's reference price in ticks of 0.01 USDT. */
const MID_TICKS = 9_100_000;
/** A buy is priced `offset` below the mid, a sell above: the few negative offsets cross. */
const OFFSET_TICKS = { lowest: -2_000, highest: 48_000 };
/** In lots of 0.00001 BTC: 0.0001 to 0.005 BTC, above the 5 USDT minimum notional. */
const LOTS = { lowest: 10, highest: 500 };
/** Each user's funding: far more than the orders resting for them in a run can hold. */
const FUNDING = { USDT: '1000000.000000', BTC: '100.00000000' };

/** How long the stack's CPU is read with no load, before the rows. */
const IDLE_WINDOW_MS = 5_000;

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`;
const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { replayed } }`;
const PLACE_ORDER = `mutation ($input: PlaceCryptoOrderInput!) { placeOrder(input: $input) { order { id status } } }`;
const CANCEL_ORDER = `mutation ($id: ID!) { cancelOrder(id: $id) { order { status } } }`;

interface GraphQLAnswer<Data> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface PlaceOrderData {
  placeOrder: { order: { id: string; status: string } };
}

interface User {
  readonly token: string;
  readonly caller: Caller;
}

/** Where a row sends its mutations and how it says who the caller is. */
interface Target {
  readonly url: URL;
  headersOf(user: User): Promise<Record<string, string>>;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** POSTs one operation; throws only when the answer is not GraphQL (the loop counts it). */
const send = async <Data>(
  target: Target,
  user: User | undefined,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLAnswer<Data>> => {
  const { status, body } = await post(agent, {
    url: target.url,
    body: JSON.stringify({ query, variables }),
    headers: {
      accept: 'application/graphql-response+json',
      ...(user ? await target.headersOf(user) : {}),
    },
  });
  try {
    return JSON.parse(body) as GraphQLAnswer<Data>;
  } catch {
    throw new Error(`HTTP ${status}: ${body.slice(0, 80)}`);
  }
};

const codeOf = (answer: GraphQLAnswer<unknown>) =>
  answer.errors?.[0]?.extensions?.code ?? 'NO_CODE';

/** Runs `work` on each item, at most `concurrency` at a time, reporting progress on stderr. */
const forEachBounded = async <Item>(
  label: string,
  items: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<void>,
) => {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++] as Item);
      done += 1;
      if (done % 10 === 0 || done === items.length)
        process.stderr.write(`\r${label}: ${done} / ${items.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  process.stderr.write('\n');
};

const randomInt = (lowest: number, highest: number) =>
  lowest + Math.floor(Math.random() * (highest - lowest + 1));

const decimal = (units: number, scale: number) => {
  const digits = units.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

/** What one row measured, within its measured window only. */
interface Tally {
  measuring: boolean;
  readonly placeLatencies: number[];
  accepted: number;
  traded: number;
  cancelled: number;
  readonly errors: Map<string, number>;
}

const newTally = (): Tally => ({
  measuring: false,
  placeLatencies: [],
  accepted: 0,
  traded: 0,
  cancelled: 0,
  errors: new Map(),
});

const countError = (tally: Tally, code: string) => {
  if (tally.measuring) tally.errors.set(code, (tally.errors.get(code) ?? 0) + 1);
};

/** Orders resting on the book, by owner, that the cancel share picks from. */
const resting: { user: User; orderId: string }[] = [];
let clientOrders = 0;
const runId = Date.now().toString(36);

const placeRandomOrder = async (target: Target, population: readonly User[], tally: Tally) => {
  const user = population[randomInt(0, population.length - 1)] as User;
  const side = Math.random() < 0.5 ? 'BUY' : 'SELL';
  const offset = randomInt(OFFSET_TICKS.lowest, OFFSET_TICKS.highest);
  const ticks = side === 'BUY' ? MID_TICKS - offset : MID_TICKS + offset;
  const startedAt = performance.now();
  const answer = await send<PlaceOrderData>(target, user, PLACE_ORDER, {
    input: {
      symbol: SYMBOL,
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: decimal(randomInt(LOTS.lowest, LOTS.highest), 5),
      price: decimal(ticks, 2),
      clientOrderId: `bench-${runId}-${(clientOrders += 1)}`,
    },
  });
  const elapsed = performance.now() - startedAt;
  const order = answer.data?.placeOrder.order;
  if (!order) return countError(tally, codeOf(answer));
  if (order.status === 'NEW' || order.status === 'PARTIALLY_FILLED')
    resting.push({ user, orderId: order.id });
  if (!tally.measuring) return;
  tally.accepted += 1;
  tally.placeLatencies.push(elapsed);
  if (order.status === 'FILLED' || order.status === 'PARTIALLY_FILLED') tally.traded += 1;
};

const cancelRandomOrder = async (target: Target, tally: Tally) => {
  const index = randomInt(0, resting.length - 1);
  const { user, orderId } = resting[index] as (typeof resting)[number];
  // Swap-remove: the pool is unordered, and it must stay cheap at tens of thousands.
  resting[index] = resting.at(-1) as (typeof resting)[number];
  resting.pop();
  const answer = await send(target, user, CANCEL_ORDER, { id: orderId });
  // An order filled since it was placed cannot be cancelled: CONFLICT, expected here.
  if (answer.data) {
    if (tally.measuring) tally.cancelled += 1;
  } else if (codeOf(answer) !== 'CONFLICT') countError(tally, `cancelOrder ${codeOf(answer)}`);
};

interface Row {
  readonly label: string;
  readonly connections: number;
  readonly tally: Tally;
  readonly seconds: number;
  readonly transportFailures: number;
  readonly firstTransportFailure: string | undefined;
  readonly stackCpuMs: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
}

const measureRow = async (
  label: string,
  connections: number,
  target: Target,
  population: readonly User[],
  stack: Parameters<typeof usageOf>[0],
): Promise<Row> => {
  const tally = newTally();
  const loadBefore = os.loadavg()[0] ?? NaN;
  let cpuAtStart = 0;
  let cpuAtEnd = 0;
  process.stderr.write(
    `${label}, ${connections} connections: ${warmupMs / 1000} s warm-up, ${measureMs / 1000} s measured\n`,
  );
  const result = await runClosedLoop({
    connections,
    warmupMs,
    measureMs,
    request: () =>
      resting.length > 0 && Math.random() < cancelShare
        ? cancelRandomOrder(target, tally)
        : placeRandomOrder(target, population, tally),
    onMeasureStart: async () => {
      cpuAtStart = (await usageOf(stack)).cpuMicros;
      tally.measuring = true;
    },
    onMeasureEnd: async () => {
      tally.measuring = false;
      cpuAtEnd = (await usageOf(stack)).cpuMicros;
    },
  });
  return {
    label,
    connections,
    tally,
    seconds: result.seconds,
    transportFailures: result.failures,
    firstTransportFailure: result.firstFailure,
    stackCpuMs: (cpuAtEnd - cpuAtStart) / 1000,
    loadBefore,
    loadAfter: os.loadavg()[0] ?? NaN,
  };
};

const printRows = (rows: readonly Row[]) => {
  console.log(
    '\n| row | users | connections | orders/s | p50 (ms) | p99 (ms) | traded at once | cancels/s | errors | stack CPU per answered request (ms) | load avg (1 min) start → end | target: ≥ 1,500 orders/s, p99 ≤ 50 ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---|');
  for (const row of rows) {
    const { tally } = row;
    const sorted = Float64Array.from(tally.placeLatencies).sort();
    const ordersPerSecond = tally.accepted / row.seconds;
    const p99 = percentile(sorted, 0.99);
    const errors = [...tally.errors].map(([code, count]) => `${code} × ${count}`);
    if (row.transportFailures > 0)
      errors.push(`not GraphQL × ${row.transportFailures} (${row.firstTransportFailure})`);
    const met = ordersPerSecond >= TARGET_ORDERS_PER_SECOND && p99 <= TARGET_P99_MS;
    console.log(
      `| ${row.label} | ${fmt(users)} | ${row.connections} | ${fmt(ordersPerSecond)} | ${fmt(percentile(sorted, 0.5), 1)} | ${fmt(p99, 1)} | ${fmt((100 * tally.traded) / Math.max(1, tally.accepted), 1)} % | ${fmt(tally.cancelled / row.seconds)} | ${errors.join(', ') || 'none'} | ${fmt(row.stackCpuMs / Math.max(1, tally.accepted + tally.cancelled), 2)} | ${fmt(row.loadBefore, 2)} → ${fmt(row.loadAfter, 2)} | ${met ? 'met' : 'not met'} |`,
    );
  }
};

const main = async () => {
  const loadAtStart = os.loadavg();
  const scratch = await createScratchDatabase('bench_orders');
  const started = await startChild(new URL('../shared/postgres-stack.ts', import.meta.url), {
    DATABASE_URL: scratch.url,
  }).catch(async (error: unknown) => {
    await scratch.drop();
    throw error;
  });
  const { child, ready } = started;
  try {
    const router: Target = {
      url: new URL(ready.url ?? ''),
      headersOf: async ({ token }) => ({ authorization: `Bearer ${token}` }),
    };
    const cryptoSubgraph: Target = {
      url: new URL(ready.urls?.crypto ?? ''),
      // What the router forwards: an assertion signed with the internal token, cached as it caches it.
      headersOf: ({ caller }) =>
        callerHeaders(caller, BENCH_STACK_SECRETS.INTERNAL_SERVICE_TOKEN, 'crypto'),
    };

    const population: User[] = [];
    const names = Array.from({ length: users }, (_, n) => `bench-${runId}-${n}`);
    // Straight to core: on a loaded machine a sign-up's scrypt hash can outlast the
    // router's upstream timeout, and sign-up is setup here, not what is measured.
    const core: Target = { url: new URL(ready.urls?.core ?? ''), headersOf: async () => ({}) };
    await forEachBounded('signing up', names, signUpConcurrency, async (name) => {
      const answer = await send<{ signUp: { token: string } }>(core, undefined, SIGN_UP, {
        input: { email: `${name}@example.com`, password: `${name}-password`, displayName: name },
      });
      const token = answer.data?.signUp.token;
      if (!token) throw new Error(`signUp failed: ${JSON.stringify(answer.errors)}`);
      population.push({
        token,
        caller: await verifyAccessToken(token, BENCH_STACK_SECRETS.JWT_SECRET),
      });
    });
    const deposits = population.flatMap((user, n) =>
      Object.entries(FUNDING).map(([asset, amount]) => ({ user, asset, amount, n })),
    );
    await forEachBounded('funding', deposits, 16, async ({ user, asset, amount, n }) => {
      const idempotencyKey = `funding-${runId}-${n}-${asset}`;
      const answer = await send(router, user, DEPOSIT, {
        input: { asset, amount, idempotencyKey },
      });
      if (!answer.data) throw new Error(`deposit failed: ${JSON.stringify(answer.errors)}`);
    });

    // What the stack burns with no request in flight (market data, bus polling): part of each row's CPU.
    const idleFrom = await usageOf(child);
    await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS));
    const idleTo = await usageOf(child);
    const idleCpuShare =
      (idleTo.cpuMicros - idleFrom.cpuMicros) / 1000 / (idleTo.atMs - idleFrom.atMs);

    const rows: Row[] = [];
    for (const connections of connectionCounts) {
      rows.push(
        await measureRow('placeOrder through the router', connections, router, population, child),
      );
      rows.push(
        await measureRow(
          'placeOrder to the crypto subgraph directly',
          connections,
          cryptoSubgraph,
          population,
          child,
        ),
      );
    }

    console.log(
      `\nBTC-USDT limit orders, postgres mode, ${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}`,
    );
    console.log(
      `${fmt(users)} users, ${connectionCounts.join(' then ')} keep-alive connections in a closed loop, ${args['warmup-seconds']} s warm-up then ${args.seconds} s measured per row; ` +
        `${fmt(cancelShare * 100)} % of requests cancel a random resting order; ${fmt(resting.length)} orders rest at the end; ` +
        `load average (1/5/15 min) at start ${loadAtStart.map((load) => fmt(load, 2)).join(' / ')}, at end ${os
          .loadavg()
          .map((load) => fmt(load, 2))
          .join(' / ')}`,
    );
    console.log(
      `the stack process uses ${fmt(idleCpuShare * 100)} % of a core with no request in flight (over ${IDLE_WINDOW_MS / 1000} s before the rows)`,
    );
    printRows(rows);
    console.log(
      '\norders/s: placeOrder answers with an order in the measured window, per second; p50/p99: their round trips. ' +
        'Through the router: the client → router → crypto subgraph → reserve in core (gRPC) → match → append to the event store → reply. ' +
        'Directly: the same mutation to the crypto subgraph with the caller assertion the router would forward. ' +
        'Stack CPU per answered request: CPU time of the stack process (router and all subgraphs) over the window, divided by the placements and cancels answered without an error.',
    );
  } finally {
    stopChild(child);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scratch.drop();
    agent.destroy();
  }
};

await main();
