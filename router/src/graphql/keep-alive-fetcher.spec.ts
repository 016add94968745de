import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { keepAliveFetcher } from './keep-alive-fetcher.js';

describe('keep-alive fetcher', () => {
  let server: http.Server;
  let url: string;
  const connections: unknown[] = [];
  const connectionsFetcher = keepAliveFetcher();
  const { fetcher } = connectionsFetcher;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        // The race a subgraph's idle timeout makes: a pooled connection closes as a request arrives on it.
        if (req.url === '/reset-reused' && (req.socket as { served?: boolean }).served) {
          req.socket.resetAndDestroy();
          return;
        }
        Object.assign(req.socket, { served: true });
        const status = req.url === '/refuse' ? 400 : 200;
        res
          .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'max-age=5' })
          .end(JSON.stringify({ echoed: body, method: req.method, who: req.headers['x-who'] }));
      });
    });
    server.on('connection', (socket) => connections.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    connectionsFetcher.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the body and headers and reads the answer as JSON or text, more than once', async () => {
    const response = await fetcher(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-who': 'router' },
      body: '{"query":"{ a }"}',
    });
    expect(response.ok).toBe(true);
    expect(response.headers.get('Cache-Control')).toBe('max-age=5');
    const expected = { echoed: '{"query":"{ a }"}', method: 'POST', who: 'router' };
    await expect(response.clone().json()).resolves.toEqual(expected);
    await expect(response.json()).resolves.toEqual(expected);
  });

  it('gives a refusal its status, so the gateway reports it as the subgraph’s error', async () => {
    const response = await fetcher(`${url}/refuse`, { method: 'POST', body: '{}' });
    expect([response.ok, response.status]).toEqual([false, 400]);
    expect(response.url).toBe(`${url}/refuse`);
  });

  it('reuses one connection for calls made one after another', async () => {
    const before = connections.length;
    for (let i = 0; i < 5; i += 1) {
      const response = await fetcher(`${url}/graphql`, { method: 'POST', body: '{}' });
      await response.text();
    }
    expect(connections.length - before).toBeLessThanOrEqual(1);
  });

  it('sends again a request whose pooled connection the subgraph had closed', async () => {
    await (await fetcher(`${url}/graphql`, { method: 'POST', body: '{}' })).text();
    const before = connections.length;
    const response = await fetcher(`${url}/reset-reused`, { method: 'POST', body: '{"n":1}' });
    await expect(response.json()).resolves.toMatchObject({ echoed: '{"n":1}' });
    expect(connections.length - before).toBe(1);
  });

  it('never sends a mutation twice: its connection may have been reset after the subgraph ran it', async () => {
    await (await fetcher(`${url}/graphql`, { method: 'POST', body: '{}' })).text();
    const mutation = JSON.stringify({ query: 'mutation Pay { pay(input: {}) { id } }' });
    await expect(
      fetcher(`${url}/reset-reused`, { method: 'POST', body: mutation }),
    ).rejects.toThrow(/ECONNRESET|socket hang up/);
  });

  it('rejects when the subgraph cannot be reached', async () => {
    await expect(fetcher('http://127.0.0.1:1/graphql', { method: 'POST' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
