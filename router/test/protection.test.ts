import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { describeIfAvailable } from '@simple-securities/postgres/testing';
import { redisUnavailableReason, testRedisUrl } from '@simple-securities/service-kit/testing';
import { startRouterProcess, type RouterProcess } from './support/router-process.js';
import {
  INTERNAL_TOKEN,
  JWT_SECRET,
  startTestGraph,
  type GraphQLBody,
  type TestGraph,
} from './support/test-graph.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const ADA = '{ user(id: "u1") { name } }';
const GRACE = '{ user(id: "u2") { name } }';

const getWithPreflight = async (url: string, params: Record<string, string>) => {
  const response = await fetch(`${url}?${new URLSearchParams(params).toString()}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
};

describe('automatic persisted queries', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph();
  });
  afterAll(async () => {
    await graph.stop();
  });

  it('asks for the text of an unknown hash, then runs it by hash alone (POST and GET)', async () => {
    const persistedQuery = { version: 1, sha256Hash: sha256(ADA) };

    const unknown = await graph.post({ extensions: { persistedQuery } });
    expect([unknown.status, unknown.body]).toEqual([
      200,
      {
        errors: [
          { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
        ],
      },
    ]);

    const registered = await graph.post({ query: ADA, extensions: { persistedQuery } });
    expect(registered.body).toEqual({ data: { user: { name: 'Ada' } } });

    const byHash = await graph.post({ extensions: { persistedQuery } });
    expect(byHash.body).toEqual({ data: { user: { name: 'Ada' } } });

    const overGet = await getWithPreflight(graph.router.url, {
      extensions: JSON.stringify({ persistedQuery }),
    });
    expect([overGet.status, overGet.body]).toEqual([200, { data: { user: { name: 'Ada' } } }]);
  });

  it('refuses to register a text under a hash that is not its own', async () => {
    const { status, body } = await graph.post({
      query: GRACE,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ADA) } },
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});

describe('trusted documents', () => {
  let folder: string;
  let manifest: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'trusted-documents-'));
    manifest = join(folder, 'manifest.json');
    await writeFile(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(ADA), name: 'Ada', type: 'query', body: ADA }],
      }),
    );
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('enforced', () => {
    let graph: TestGraph;
    beforeAll(async () => {
      graph = await startTestGraph({
        persistedDocuments: { manifestPath: manifest, enforce: true },
      });
    });
    afterAll(async () => {
      await graph.stop();
    });

    it('runs a document of the manifest sent by documentId, by persisted query hash, or as its text', async () => {
      for (const request of [
        { documentId: `sha256:${sha256(ADA)}` },
        { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ADA) } } },
        { query: ADA },
      ]) {
        expect((await graph.post(request)).body).toEqual({ data: { user: { name: 'Ada' } } });
      }
      const overGet = await getWithPreflight(graph.router.url, { documentId: sha256(ADA) });
      expect(overGet.body).toEqual({ data: { user: { name: 'Ada' } } });
    });

    it('refuses any other document with PERSISTED_QUERY_NOT_ALLOWED, and registers nothing', async () => {
      for (const request of [
        { query: GRACE },
        { documentId: `sha256:${sha256(GRACE)}` },
        { query: GRACE, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(GRACE) } } },
      ]) {
        const { status, body } = await graph.post(request);
        expect(status).toBe(400);
        expect(body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_ALLOWED' });
      }
    });
  });

  it('does not start when enforced without a manifest, or with one whose ids lie', async () => {
    await expect(startTestGraph({ persistedDocuments: { enforce: true } })).rejects.toThrow(
      /no manifest/,
    );
    const lying = join(folder, 'lying.json');
    await writeFile(
      lying,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: sha256(ADA), body: GRACE }],
      }),
    );
    await expect(startTestGraph({ persistedDocuments: { manifestPath: lying } })).rejects.toThrow(
      /not the SHA-256 of its body/,
    );
  });
});

describe('rate limits in memory', () => {
  let graph: TestGraph;
  beforeAll(async () => {
    graph = await startTestGraph({ rateLimits: { perAddress: 4, perUser: 2, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await graph.stop();
  });

  it('refuses a signed-in user past their limit with 429, Retry-After and RATE_LIMITED', async () => {
    const authorization = `Bearer ${await graph.tokenFor('u1')}`;
    const answers = [];
    for (let request = 0; request < 3; request += 1) {
      answers.push(await graph.post({ query: '{ whoAmI }' }, { authorization }));
    }

    expect(answers.map(({ status }) => status)).toEqual([200, 200, 429]);
    const refused = answers[2]!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.errors?.[0]?.extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: Number(refused.headers.get('retry-after')),
    });
    expect(refused.body.errors?.[0]?.message).toMatch(/more than 2 requests/);
  });

  it('counts every request from an address, signed in or not', async () => {
    // The three requests above came from this address too.
    const anonymous = await graph.post({ query: '{ whoAmI }' });
    const over = await graph.post({ query: '{ whoAmI }' });

    expect([anonymous.status, over.status]).toEqual([200, 429]);
    expect(over.body.errors?.[0]?.message).toMatch(/Your address sent more than 4 requests/);
  });
});

describeIfAvailable(await redisUnavailableReason(), 'rate limits on Redis', () => {
  it('are shared by two routers: what one counted, the other refuses', async () => {
    const rateLimits = {
      perAddress: 3,
      perUser: 100,
      windowMs: 60_000,
      redisUrl: testRedisUrl(),
      redisKeyPrefix: `test:${randomUUID()}:`,
    };
    const first = await startTestGraph({ rateLimits });
    const second = await startTestGraph({ rateLimits });
    try {
      const statuses = [
        (await first.post({ query: '{ whoAmI }' })).status,
        (await second.post({ query: '{ whoAmI }' })).status,
        (await first.post({ query: '{ whoAmI }' })).status,
        (await second.post({ query: '{ whoAmI }' })).status,
        (await first.post({ query: '{ whoAmI }' })).status,
      ];
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('are shared by two router processes started as `npm run start -w router` starts one', async () => {
    const graph = await startTestGraph();
    const folder = await mkdtemp(join(tmpdir(), 'router-processes-'));
    // A Redis database of its own, emptied first: these routers use the default key prefix.
    const redisUrl = `${testRedisUrl().replace(/\/\d*$/, '')}/15`;
    const redis = new Redis(redisUrl);
    const routers: RouterProcess[] = [];
    try {
      await redis.flushdb();
      const supergraphPath = join(folder, 'supergraph.graphql');
      await writeFile(supergraphPath, graph.supergraphSdl);
      const env = {
        SUPERGRAPH_PATH: supergraphPath,
        JWT_SECRET,
        INTERNAL_SERVICE_TOKEN: INTERNAL_TOKEN,
        REDIS_URL: redisUrl,
        RATE_LIMIT_PER_ADDRESS: '3',
      };
      routers.push(...(await Promise.all([startRouterProcess(env), startRouterProcess(env)])));
      const [first, second] = routers as [RouterProcess, RouterProcess];
      const post = async (router: RouterProcess) =>
        (
          await fetch(router.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ whoAmI }' }),
          })
        ).status;

      const statuses = [];
      for (const router of [first, second, first, second]) statuses.push(await post(router));

      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await Promise.all(routers.map((router) => router.stop()));
      await redis.flushdb().catch(() => undefined);
      redis.disconnect();
      await graph.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('let requests through when Redis cannot be reached, and say so in the log', async () => {
    const graph = await startTestGraph({
      rateLimits: { perAddress: 1, perUser: 1, windowMs: 60_000, redisUrl: 'redis://127.0.0.1:1' },
    });
    try {
      const statuses = [
        (await graph.post({ query: '{ whoAmI }' })).status,
        (await graph.post({ query: '{ whoAmI }' })).status,
      ];
      expect(statuses).toEqual([200, 200]);
      expect(graph.routerLogs.map(({ msg }) => msg)).toContain(
        'rate limits cannot be counted, so requests are let through until the counters work again',
      );
    } finally {
      await graph.stop();
    }
  });
});
