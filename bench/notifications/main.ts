/**
 * `npm run bench:notifications`: deposit → `notificationAdded` through the router, in
 * postgres mode. The stack runs in a child process on a scratch database; this process
 * signs up `--users` users, subscribes each to `notificationAdded` over graphql-ws, then
 * deposits at `--rate` deposits/s (spread over the users, one outstanding per user) for
 * `--seconds`, and times each deposit's notification as it arrives on its user's socket.
 * A consumer group of its own on the stack's bus (same log, same reader as the
 * notification context's) times each deposit's event at a bus handler, which splits the
 * path into the bus's share and the rest (notification's handler, its live feed, the router).
 * Needs a Postgres server (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { FUNDS_DEPOSITED } from '@simple-securities/contracts';
import { PostgresMessageBus, openPostgresServerDatabase } from '@simple-securities/postgres';
import { createScratchDatabase } from '@simple-securities/postgres/scratch';
import { fmt, startChild, stopChild } from '../shared/children.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '100' },
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '10' },
  },
});
const users = Number(args.users);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
/** docs/targets.md: deposit → notificationAdded through the router, p99 ≤ 150 ms. */
const TARGET_P99_MS = 150;
/** A notification later than this counts as lost. */
const ARRIVAL_TIMEOUT_MS = 30_000;

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`;
const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { replayed } }`;
const NOTIFICATION_ADDED = 'subscription { notificationAdded { id type title } }';

interface NotificationAdded {
  notificationAdded: { id: string; type: string; title: string };
}

const graphql = async <Data>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<Data> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  if (!body.data) throw new Error(`${query.slice(0, 40)}… failed: ${JSON.stringify(body.errors)}`);
  return body.data;
};

/** Each deposit's amount is unique to its user, so its notification's title names it. */
const titleOf = (amount: string) => `Deposit of ${amount} USD completed`;

interface Timing {
  sentAt: number;
  repliedAt: number;
  /** The deposit's reference in its event, by which `onBus` knows it. */
  reference: string;
  arrivedAt: number;
}

/** When each deposit's event reached a bus handler, by the deposit's reference. */
const onBus = new Map<string, number>();

/** One user: a token, a live `notificationAdded` stream, and the deposits awaiting theirs. */
class Subscriber {
  private readonly awaiting = new Map<string, (arrivedAt: number) => void>();
  private deposits = 0;
  private readonly client: Client;

  constructor(
    private readonly routerUrl: string,
    private readonly token: string,
    private readonly name: string,
  ) {
    this.client = createClient({
      url: routerUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    this.client.subscribe<NotificationAdded>(
      { query: NOTIFICATION_ADDED },
      {
        next: ({ data }) => {
          const arrivedAt = performance.now();
          const title = data?.notificationAdded.title;
          if (title) this.awaiting.get(title)?.(arrivedAt);
        },
        error: (error) => console.error(`${name}: subscription failed`, error),
        complete: () => undefined,
      },
    );
  }

  /** Deposits; resolves with when it was sent, answered, seen on the bus, and notified. */
  async deposit(): Promise<Timing> {
    this.deposits += 1;
    const amount = `${this.deposits}.00`;
    const idempotencyKey = `${this.name}-${this.deposits}`;
    const arrived = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.awaiting.delete(titleOf(amount));
        reject(new Error(`${this.name}: no notification for ${amount} USD`));
      }, ARRIVAL_TIMEOUT_MS);
      this.awaiting.set(titleOf(amount), (arrivedAt) => {
        clearTimeout(timer);
        this.awaiting.delete(titleOf(amount));
        resolve(arrivedAt);
      });
    });
    const sentAt = performance.now();
    await graphql(
      this.routerUrl,
      DEPOSIT,
      { input: { asset: 'USD', amount, idempotencyKey } },
      this.token,
    );
    const repliedAt = performance.now();
    const arrivedAt = await arrived;
    return { sentAt, repliedAt, reference: `deposit:${idempotencyKey}`, arrivedAt };
  }

  /**
   * graphql-ws does not acknowledge a subscribe: deposit until one notification arrives,
   * so the stream is known to be live before anything is timed.
   */
  async untilLive(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deposit();
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  stop = () => this.client.dispose();
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) : NaN;

const main = async () => {
  const scratch = await createScratchDatabase('bench_notifications');
  const { child, ready } = await startChild(new URL('../shared/stack.ts', import.meta.url), {
    DATABASE_URL: scratch.url,
  });
  const subscribers: Subscriber[] = [];
  const database = openPostgresServerDatabase(scratch.url, { maxConnections: 3 });
  const quiet = pino({ level: 'silent' });
  try {
    const busWatch = await new PostgresMessageBus(database, { logger: quiet }).consume(
      async (event) => {
        const { reference } = event.data as { reference: string };
        onBus.set(reference, performance.now());
      },
      { consumer: 'bench.deposits-on-the-bus', types: [FUNDS_DEPOSITED] },
    );
    const routerUrl = ready.url ?? '';
    for (let n = 0; n < users; n++) {
      const name = `bench-${n}-${Date.now().toString(36)}`;
      const { signUp } = await graphql<{ signUp: { token: string } }>(routerUrl, SIGN_UP, {
        input: { email: `${name}@example.com`, password: `${name}-password`, displayName: name },
      });
      subscribers.push(new Subscriber(routerUrl, signUp.token, name));
    }
    await Promise.all(subscribers.map((subscriber) => subscriber.untilLive()));

    const total = Math.round(rate * seconds);
    const timings: Promise<Timing>[] = [];
    const busy = new Set<Subscriber>();
    const started = performance.now();
    let skipped = 0;
    for (let n = 0; n < total; n++) {
      const wait = started + (n * 1000) / rate - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const subscriber = subscribers[n % users] as Subscriber;
      // One outstanding deposit per user, so a user's notifications arrive in order.
      if (busy.has(subscriber)) {
        skipped += 1;
        continue;
      }
      busy.add(subscriber);
      timings.push(subscriber.deposit().finally(() => busy.delete(subscriber)));
    }
    const settled = await Promise.allSettled(timings);
    const arrived = settled.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const replyToArrival = arrived.map((t) => t.arrivedAt - t.repliedAt).sort((a, b) => a - b);
    const sentToArrival = arrived.map((t) => t.arrivedAt - t.sentAt).sort((a, b) => a - b);
    const sentToReply = arrived.map((t) => t.repliedAt - t.sentAt).sort((a, b) => a - b);
    const replyToBus = arrived
      .flatMap((t) => {
        const onBusAt = onBus.get(t.reference);
        return onBusAt === undefined ? [] : [onBusAt - t.repliedAt];
      })
      .sort((a, b) => a - b);
    await busWatch.stop();
    const p99 = percentile(replyToArrival, 0.99);

    console.log(
      `deposit → notificationAdded through the router, postgres mode, ${new Date().toISOString()}`,
    );
    console.log(
      `${users} users subscribed over graphql-ws, ${fmt(rate)} deposits/s offered for ${seconds} s` +
        (skipped ? ` (${skipped} not sent: that user's previous deposit was still waiting)` : ''),
    );
    console.log(
      '\n| users | deposits/s | notified / deposited | deposit reply → event p50 (ms) | p99 (ms) | max (ms) | of which reply → bus handler p50 / p99 (ms) | deposit sent → event p50 / p99 (ms) | deposit round trip p50 / p99 (ms) | target: reply → event p99 ≤ 150 ms |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    console.log(
      `| ${fmt(users)} | ${fmt(rate)} | ${arrived.length} / ${timings.length} | ${fmt(percentile(replyToArrival, 0.5), 1)} | ${fmt(p99, 1)} | ${fmt(replyToArrival.at(-1) ?? NaN, 1)} | ${fmt(percentile(replyToBus, 0.5), 1)} / ${fmt(percentile(replyToBus, 0.99), 1)} | ${fmt(percentile(sentToArrival, 0.5), 1)} / ${fmt(percentile(sentToArrival, 0.99), 1)} | ${fmt(percentile(sentToReply, 0.5), 1)} / ${fmt(percentile(sentToReply, 0.99), 1)} | ${p99 <= TARGET_P99_MS && arrived.length === timings.length ? 'met' : 'not met'} |`,
    );
  } finally {
    await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
    await database.close();
    stopChild(child);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scratch.drop();
  }
};

await main();
