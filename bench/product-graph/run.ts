/**
 * `npm run bench:product-graph`: our own supergraph (core, crypto, stock, notification
 * in postgres mode) behind our router and behind Hive Gateway, each in its own process
 * in turn, against one stack process on a scratch database. The runner signs up
 * `--users` users and deposits for each, then loads, in a closed loop of
 * `--connections` keep-alive connections:
 *   me         `me` with wallets, notifications, crypto and stock orders, each request
 *              with one user's bearer token: what the product's screens ask
 *   public     instruments and assets of the same fetch count (4 fetches in 2 stages),
 *              with a bearer token and anonymously: the difference is what verifying
 *              the token and forwarding the caller to every subgraph cost
 * Hive Gateway can verify neither our tokens nor sign our caller assertions, so it
 * runs `public` only. Needs a Postgres server (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres).
 *
 *   npm run bench:product-graph -- --users 50 --connections 20 --seconds 10
 */
import http from 'node:http';
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '@simple-securities/postgres/scratch';
import {
  fmt,
  percentile,
  startChild,
  stopChild,
  usageOf,
  type UsageMessage,
} from '../shared/children.js';
import { post, runClosedLoop, type LoadResult } from '../shared/closed-loop.js';
import { BENCH_STACK_SECRETS } from '../shared/stack-secrets.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    connections: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    gateways: { type: 'string', default: 'ours,hive' },
  },
});

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`;
const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { replayed } }`;
/** One core fetch for `me` and its wallets, then notification, crypto and stock in parallel. */
const ME_QUERY = `query Me {
  me {
    displayName
    wallets { asset available }
    notifications(first: 10) { edges { node { title createdAt } } }
    cryptoOrders(first: 10) { edges { node { id symbol status } } }
    stockOrders(first: 10) { edges { node { id symbol status } } }
  }
}`;
/** Crypto, stock and core in parallel, then core for the pairs' assets (`@requires`). */
const PUBLIC_QUERY = `query Instruments {
  assets { code name decimals }
  cryptoPairs { symbol name base { code name } quote { code } }
  stocks { symbol name exchange }
}`;

interface Scenario {
  readonly gateway: 'ours' | 'hive';
  readonly query: 'me' | 'public';
  readonly signedIn: boolean;
  readonly measures: string;
}
const SCENARIOS: readonly Scenario[] = [
  { gateway: 'ours', query: 'me', signedIn: true, measures: "a user's own graph" },
  { gateway: 'ours', query: 'public', signedIn: true, measures: 'public data, token verified' },
  { gateway: 'ours', query: 'public', signedIn: false, measures: 'public data, anonymous' },
  { gateway: 'hive', query: 'public', signedIn: false, measures: 'public data, no auth at all' },
];
const GATEWAY_PROCESS = {
  ours: new URL('../gateway/processes/ours.ts', import.meta.url),
  hive: new URL('../gateway/processes/hive.ts', import.meta.url),
};

const graphql = async <Data>(url: string, query: string, variables: object, token?: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  if (!body.data || body.errors)
    throw new Error(`${query.slice(0, 40)}… failed: ${JSON.stringify(body.errors)}`);
  return body.data;
};

/** The supergraph with each subgraph's URL replaced by where the stack serves it. */
const withSubgraphUrls = (supergraphSdl: string, urls: Readonly<Record<string, string>>) =>
  supergraphSdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]*"\)/g, (whole, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );

interface Row extends Scenario {
  readonly load: LoadResult;
  readonly gatewayCpuMsPerRequest: number;
  readonly stackCpuMsPerRequest: number;
}

const cpuMsPerRequest = (before: UsageMessage, after: UsageMessage, completed: number) =>
  (after.cpuMicros - before.cpuMicros) / 1e3 / completed;

const main = async () => {
  const scratch = await createScratchDatabase('bench_product_graph');
  const stack = await startChild(new URL('../shared/postgres-stack.ts', import.meta.url), {
    DATABASE_URL: scratch.url,
    // Sign-up hashes a password (scrypt), which a busy machine can stretch past the router's 10 s.
    SUBGRAPH_TIMEOUT_MS: '60000',
  });
  const connections = Number(args.connections);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const rows: Row[] = [];
  try {
    const stackRouter = stack.ready.url ?? '';
    const tokens: string[] = [];
    const run = Date.now().toString(36);
    for (let n = 0; n < Number(args.users); n++) {
      const name = `bench-${n}-${run}`;
      const { signUp } = await graphql<{ signUp: { token: string } }>(stackRouter, SIGN_UP, {
        input: { email: `${name}@example.com`, password: `${name}-password`, displayName: name },
      });
      // Two wallets and two notifications each.
      for (const [asset, amount] of [
        ['USD', '1000.00'],
        ['BTC', '0.5'],
      ])
        await graphql(
          stackRouter,
          DEPOSIT,
          { input: { asset, amount, idempotencyKey: `${name}-${asset}` } },
          signUp.token,
        );
      tokens.push(signUp.token);
    }
    const supergraphSdl = withSubgraphUrls(
      await readFile(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
      stack.ready.urls ?? {},
    );

    const gateways = args.gateways.split(',');
    for (const scenario of SCENARIOS.filter((s) => gateways.includes(s.gateway))) {
      const gateway = await startChild(GATEWAY_PROCESS[scenario.gateway], {
        SUPERGRAPH_SDL: supergraphSdl,
        // Our router in front of the stack's subgraphs must sign what they verify.
        ...BENCH_STACK_SECRETS,
      });
      try {
        const url = new URL(gateway.ready.url ?? '');
        const body = JSON.stringify(
          scenario.query === 'me'
            ? { query: ME_QUERY, operationName: 'Me' }
            : { query: PUBLIC_QUERY, operationName: 'Instruments' },
        );
        let next = 0;
        const request = async () => {
          const token = tokens[next++ % tokens.length];
          const response = await post(agent, {
            url,
            body,
            headers: scenario.signedIn ? { authorization: `Bearer ${token}` } : {},
          });
          if (response.status !== 200 || response.body.includes('"errors"'))
            throw new Error(`HTTP ${response.status}: ${response.body.slice(0, 300)}`);
        };
        // A wrong answer (an error, a refused token) stops the run before it is measured.
        await request();
        const usage: [UsageMessage, UsageMessage][] = [];
        const read = async () => {
          usage.push(await Promise.all([usageOf(gateway.child), usageOf(stack.child)]));
        };
        const load = await runClosedLoop({
          connections,
          warmupMs: Number(args.warmup) * 1000,
          measureMs: Number(args.seconds) * 1000,
          request,
          onMeasureStart: read,
          onMeasureEnd: read,
        });
        const [[gatewayBefore, stackBefore], [gatewayAfter, stackAfter]] = usage as [
          [UsageMessage, UsageMessage],
          [UsageMessage, UsageMessage],
        ];
        rows.push({
          ...scenario,
          load,
          gatewayCpuMsPerRequest: cpuMsPerRequest(gatewayBefore, gatewayAfter, load.completed),
          stackCpuMsPerRequest: cpuMsPerRequest(stackBefore, stackAfter, load.completed),
        });
      } finally {
        stopChild(gateway.child);
      }
    }
  } finally {
    agent.destroy();
    stopChild(stack.child);
    // The stack closes its pool on disconnect; the scratch database goes after it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scratch.drop();
  }
  return rows;
};

const rows = await main();
const anonymous = rows.find((row) => row.gateway === 'ours' && !row.signedIn);
const ratio = (value: number, base: number | undefined) =>
  base === undefined ? '' : `${fmt(value / base, 2)}×`;
console.log(
  `# product graph benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ` +
    `Node ${process.version}; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${args.users} users, ${args.connections} connections, ` +
    `warm-up ${args.warmup} s, measured ${args.seconds} s\n`,
);
console.log(
  '| gateway | query | bearer token | measures | req/s | p50 ms | p99 ms | gateway CPU ms/req | vs ours anonymous | stack CPU ms/req | failed |',
);
console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const latencies = row.load.latencies.slice().sort();
  console.log(
    `| ${row.gateway} | ${row.query} | ${row.signedIn ? 'yes' : 'no'} | ${row.measures} | ` +
      `${fmt(row.load.completed / row.load.seconds)} | ${fmt(percentile(latencies, 0.5), 1)} | ` +
      `${fmt(percentile(latencies, 0.99), 1)} | ${fmt(row.gatewayCpuMsPerRequest, 2)} | ` +
      `${ratio(row.gatewayCpuMsPerRequest, anonymous?.gatewayCpuMsPerRequest)} | ` +
      `${fmt(row.stackCpuMsPerRequest, 2)} | ${fmt(row.load.failures)} |`,
  );
  if (row.load.firstFailure)
    console.log(`<!-- ${row.gateway} ${row.query}: ${row.load.firstFailure} -->`);
}
process.exit(0);
