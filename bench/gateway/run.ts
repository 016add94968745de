import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode, type SubscriptionNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { issueAccessToken } from '../../infrastructure/service-kit/src/access-token.js';
import {
  fmt,
  percentile,
  startChild,
  stopChild,
  usageOf,
  type UsageMessage,
} from '../shared/children.js';
import { post, runClosedLoop, type LoadResult } from '../shared/closed-loop.js';
import { TEST_QUERY, type RecordedCall } from './subgraphs.js';

/**
 * Queries through a federation gateway, in the public gateways-benchmark shape:
 * four subgraphs (accounts, inventory, products, reviews) and its nested
 * `TestQuery`, at 50 connections. Stock @apollo/gateway, Hive Gateway and our
 * router each run alone in their own process, in turn, against the same
 * subgraph process; `direct` replays the subgraph calls a gateway makes for one
 * query, stage by stage as its query plan orders them, with no gateway.
 *
 *   npm run bench:gateway -- --seconds 10 --connections 50 --gateways stock,hive,ours,direct
 */
const { values: args } = parseArgs({
  options: {
    gateways: { type: 'string', default: 'stock,hive,ours,direct' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    /** Writes a V8 CPU profile of each gateway's measured window into this folder. */
    'cpu-prof-dir': { type: 'string' },
  },
});
const JWT_SECRET = 'bench-jwt-secret-at-least-32-characters';
const GATEWAYS: Record<string, URL> = {
  stock: new URL('./processes/stock.ts', import.meta.url),
  hive: new URL('./processes/hive.ts', import.meta.url),
  ours: new URL('./processes/ours.ts', import.meta.url),
};

interface Row {
  readonly name: string;
  readonly load: LoadResult;
  /** Gateway CPU ms per completed request; undefined for the direct replay. */
  readonly cpuMsPerRequest: number | undefined;
  readonly subgraphCpuMsPerRequest: number;
  readonly sameAnswer: boolean | undefined;
}

const cpuMsBetween = (before: UsageMessage, after: UsageMessage) =>
  (after.cpuMicros - before.cpuMicros) / 1e3;

/** The stage of every fetch in a query plan: fetches in one stage can go in parallel. */
const fetchStages = (root: PlanNode | SubscriptionNode | undefined) => {
  const stageOf = new Map<string, number>();
  const visit = (node: PlanNode | SubscriptionNode | undefined, start: number): number => {
    if (!node) return start;
    switch (node.kind) {
      case 'Fetch':
        stageOf.set(node.operation, start);
        return start + 1;
      case 'Flatten':
        return visit(node.node, start);
      case 'Sequence':
        return node.nodes.reduce((stage, child) => visit(child, stage), start);
      case 'Parallel':
        return Math.max(start, ...node.nodes.map((child) => visit(child, start)));
      default:
        throw new Error(`the benchmark query has no ${node.kind} node`);
    }
  };
  visit(root, 0);
  return stageOf;
};

const main = async () => {
  const subgraphs = await startChild(new URL('./processes/subgraphs.ts', import.meta.url));
  const supergraphSdl = subgraphs.ready.supergraphSdl ?? '';
  const { token } = await issueAccessToken(
    { userId: 'bench-user', roles: ['trader'], permissions: [] },
    { secret: JWT_SECRET, ttlSeconds: 3600 },
  );
  const body = JSON.stringify({ query: TEST_QUERY, operationName: 'TestQuery' });
  const headers = { authorization: `Bearer ${token}` };
  const connections = Number(args.connections);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const rows: Row[] = [];
  let stockAnswer: string | undefined;
  let recorded: RecordedCall[] = [];

  const measureLoad = async (
    name: string,
    request: () => Promise<void>,
    gatewayChild?: Parameters<typeof usageOf>[0],
  ) => {
    const usage: { gateway?: UsageMessage; subgraphs?: UsageMessage }[] = [];
    const read = async () => {
      const [gateway, subgraphUsage] = await Promise.all([
        gatewayChild ? usageOf(gatewayChild) : undefined,
        usageOf(subgraphs.child),
      ]);
      usage.push({ gateway, subgraphs: subgraphUsage });
    };
    const load = await runClosedLoop({
      connections,
      warmupMs: Number(args.warmup) * 1000,
      measureMs: Number(args.seconds) * 1000,
      request,
      onMeasureStart: read,
      onMeasureEnd: read,
    });
    const [before, after] = usage;
    const perRequest = (a?: UsageMessage, b?: UsageMessage) =>
      a && b ? cpuMsBetween(a, b) / load.completed : undefined;
    return {
      name,
      load,
      cpuMsPerRequest: perRequest(before?.gateway, after?.gateway),
      subgraphCpuMsPerRequest: perRequest(before?.subgraphs, after?.subgraphs) ?? NaN,
    };
  };

  for (const name of args.gateways.split(',').filter((gateway) => gateway !== 'direct')) {
    const file = GATEWAYS[name];
    if (!file) throw new Error(`unknown gateway "${name}": stock, hive, ours or direct`);
    const gateway = await startChild(file, {
      SUPERGRAPH_SDL: supergraphSdl,
      JWT_SECRET,
      ...(args['cpu-prof-dir'] && {
        BENCH_CPU_PROFILE: path.resolve(args['cpu-prof-dir'], `${name}.cpuprofile`),
      }),
    });
    try {
      const target = { url: new URL(gateway.ready.url ?? ''), body, headers };
      subgraphs.child.send({ type: 'record' });
      const first = await post(agent, target);
      const calls = new Promise<RecordedCall[]>((resolve) =>
        subgraphs.child.once('message', (message: { calls: RecordedCall[] }) =>
          resolve(message.calls),
        ),
      );
      subgraphs.child.send({ type: 'recorded' });
      if (recorded.length === 0) recorded = await calls;
      else await calls;
      const answer = JSON.stringify(JSON.parse(first.body));
      stockAnswer ??= name === 'stock' ? answer : undefined;
      const row = await measureLoad(
        name,
        async () => {
          const response = await post(agent, target);
          if (response.status !== 200 || response.body.includes('"errors"'))
            throw new Error(`HTTP ${response.status}: ${response.body.slice(0, 200)}`);
        },
        gateway.child,
      );
      rows.push({ ...row, sameAnswer: stockAnswer ? answer === stockAnswer : undefined });
    } finally {
      stopChild(gateway.child);
    }
  }

  if (args.gateways.split(',').includes('direct')) {
    if (recorded.length === 0) throw new Error('direct replays a gateway: name one before it');
    const supergraph = Supergraph.build(supergraphSdl);
    const plan = new QueryPlanner(supergraph).buildQueryPlan(
      operationFromDocument(supergraph.schema, parse(TEST_QUERY), { operationName: 'TestQuery' }),
    );
    const stageOf = fetchStages(plan.node);
    const urls = subgraphs.ready.urls ?? {};
    const stages: { url: URL; body: string }[][] = [];
    for (const call of recorded) {
      const stage = stageOf.get((JSON.parse(call.body) as { query: string }).query);
      if (stage === undefined) throw new Error(`a recorded call is not in the plan: ${call.body}`);
      (stages[stage] ??= []).push({ url: new URL(urls[call.subgraph] ?? ''), body: call.body });
    }
    const row = await measureLoad('direct', async () => {
      for (const stage of stages) {
        await Promise.all(
          (stage ?? []).map(async (call) => {
            const response = await post(agent, call);
            if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
          }),
        );
      }
    });
    rows.push({ ...row, sameAnswer: undefined });
  }
  stopChild(subgraphs.child);
  agent.destroy();
  return { rows, calls: recorded.length };
};

const { rows, calls } = await main();
const stock = rows.find((row) => row.name === 'stock');
const direct = rows.find((row) => row.name === 'direct');
const rps = (row: Row) => row.load.completed / row.load.seconds;
const p = (row: Row, q: number) => percentile(row.load.latencies.slice().sort(), q);
const ratio = (value: number, base: number | undefined) =>
  base === undefined || !Number.isFinite(value) ? '' : `${fmt(value / base, 2)}×`;

console.log(
  `# gateway benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, ` +
    `Node ${process.version}; ${args.connections} connections, warm-up ${args.warmup} s, measured ${args.seconds} s; ` +
    `${calls} subgraph calls per query\n`,
);
console.log(
  '| gateway | req/s | vs stock | p50 ms | vs stock | p99 ms | vs stock | gateway CPU ms/req | vs stock | subgraphs CPU ms/req | failed | same answer as stock |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const row of rows) {
  const cpu = row.cpuMsPerRequest ?? NaN;
  console.log(
    `| ${row.name} | ${fmt(rps(row))} | ${ratio(rps(row), stock && rps(stock))} | ` +
      `${fmt(p(row, 0.5), 1)} | ${ratio(p(row, 0.5), stock && p(stock, 0.5))} | ` +
      `${fmt(p(row, 0.99), 1)} | ${ratio(p(row, 0.99), stock && p(stock, 0.99))} | ` +
      `${fmt(cpu, 2)} | ${ratio(cpu, stock?.cpuMsPerRequest)} | ${fmt(row.subgraphCpuMsPerRequest, 2)} | ` +
      `${fmt(row.load.failures)} | ${row.sameAnswer === undefined ? '' : row.sameAnswer ? 'yes' : 'NO'} |`,
  );
  if (row.load.firstFailure) console.log(`<!-- ${row.name}: ${row.load.firstFailure} -->`);
}
const ours = rows.find((row) => row.name === 'ours');
if (ours && direct) {
  console.log(
    `\nours against calling the subgraphs directly: p50 ${ratio(p(ours, 0.5), p(direct, 0.5))}, ` +
      `req/s ${ratio(rps(ours), rps(direct))}`,
  );
}
process.exit(0);
