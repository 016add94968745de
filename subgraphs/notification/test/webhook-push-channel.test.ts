import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createNotification } from '@simple-securities/notification';
import { webhookPushChannel } from '../src/adapters/webhook/webhook-push-channel.js';

const notification = createNotification({
  id: 'n-webhook-1',
  userId: 'alice',
  type: 'WALLET',
  title: 'Deposit received',
  body: '250.00 USD is in your wallet.',
  createdAt: new Date('2026-12-02T10:00:00Z'),
});

interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

describe('the webhook push channel', () => {
  let server: http.Server;
  let port: number;
  let received: Received[];
  /** How the local webhook answers the next request. */
  let answer: (response: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        });
        answer(response);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    received = [];
    answer = (response) => response.writeHead(204).end();
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  const local = (timeoutMs = 10_000) =>
    webhookPushChannel({ timeoutMs, allowPrivateAddresses: true });

  it('POSTs a Discord-style message, with the notification id in a header', async () => {
    const outcome = await local().push({ url: `http://127.0.0.1:${port}/hook` }, notification);
    expect(outcome).toEqual({ delivered: true, httpStatus: 204 });
    expect(received).toHaveLength(1);
    expect(received[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-notification-id': 'n-webhook-1',
    });
    expect(received[0]?.body).toEqual({
      content: 'Deposit received',
      embeds: [
        {
          title: 'Deposit received',
          description: '250.00 USD is in your wallet.',
          timestamp: '2026-12-02T10:00:00.000Z',
          footer: { text: 'WALLET' },
        },
      ],
    });
  });

  it.each([
    ['the loopback address', () => `http://127.0.0.1:${port}/hook`],
    ['a name that resolves to loopback', () => `http://localhost:${port}/hook`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port}/hook`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
  ])(
    'refuses %s without NOTIFICATION_WEBHOOK_ALLOW_PRIVATE, sending nothing',
    async (_what, url) => {
      const channel = webhookPushChannel({ timeoutMs: 10_000, allowPrivateAddresses: false });
      const outcome = await channel.push({ url: url() }, notification);
      expect(outcome).toMatchObject({ delivered: false, retryable: false });
      expect(outcome.delivered || outcome.error).toMatch(/^Refused: .* is not a public address\.$/);
      expect(received).toEqual([]);
    },
  );

  it('connects to the address it checked, not to a second resolution of the name', async () => {
    // A name only this resolver knows: were it resolved again when connecting, the push
    // would fail. One answer per lookup, as a rebinding server would give.
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.0.0.1', family: 4 }]];
    let lookups = 0;
    const channel = webhookPushChannel({
      timeoutMs: 10_000,
      allowPrivateAddresses: true,
      resolveHost: async () => answers[lookups++] ?? [],
    });
    const outcome = await channel.push({ url: `http://rebinding.test:${port}/hook` }, notification);
    expect(outcome).toEqual({ delivered: true, httpStatus: 204 });
    expect(lookups).toBe(1);
    expect(received[0]?.headers.host).toBe(`rebinding.test:${port}`);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const channel = webhookPushChannel({
      timeoutMs: 10_000,
      allowPrivateAddresses: false,
      resolveHost: async () => [
        { address: '93.184.215.14', family: 4 },
        { address: 'fd00::1', family: 6 },
      ],
    });
    const outcome = await channel.push({ url: 'https://mixed.test/hook' }, notification);
    expect(outcome).toEqual({
      delivered: false,
      retryable: false,
      error: 'Refused: mixed.test resolves to fd00::1, which is not a public address.',
    });
  });

  it('reports a server error as worth another attempt, with the start of its answer', async () => {
    answer = (response) => response.writeHead(503).end('Service Unavailable: try later');
    const outcome = await local().push({ url: `http://127.0.0.1:${port}/hook` }, notification);
    expect(outcome).toEqual({
      delivered: false,
      retryable: true,
      httpStatus: 503,
      error: 'The webhook answered HTTP 503: Service Unavailable: try later',
    });
  });

  it('reports a refusal (4xx) and a redirect as final', async () => {
    answer = (response) => response.writeHead(404).end('Unknown Webhook');
    expect(
      await local().push({ url: `http://127.0.0.1:${port}/hook` }, notification),
    ).toMatchObject({ delivered: false, retryable: false, httpStatus: 404 });
    answer = (response) => response.writeHead(302, { location: 'http://10.0.0.1/' }).end();
    expect(
      await local().push({ url: `http://127.0.0.1:${port}/hook` }, notification),
    ).toMatchObject({ delivered: false, retryable: false, httpStatus: 302 });
  });

  it('reads no more than the start of a huge answer', async () => {
    answer = (response) => {
      response.writeHead(500);
      const megabyte = Buffer.alloc(1 << 20, 'x');
      // 64 MiB if the channel read it all; it stops after a few hundred bytes.
      const write = (left: number) => {
        if (left === 0 || response.destroyed) return response.end();
        if (response.write(megabyte)) write(left - 1);
        else response.once('drain', () => write(left - 1));
      };
      response.on('error', () => undefined);
      write(64);
    };
    const outcome = await local().push({ url: `http://127.0.0.1:${port}/hook` }, notification);
    expect(outcome).toMatchObject({ delivered: false, retryable: true, httpStatus: 500 });
    expect(outcome.delivered || outcome.error.length).toBeLessThan(400);
  });

  it('gives up on a webhook that does not answer in time, as worth another attempt', async () => {
    answer = () => undefined; // never answers
    const outcome = await local(300).push({ url: `http://127.0.0.1:${port}/hook` }, notification);
    expect(outcome).toEqual({
      delivered: false,
      retryable: true,
      error: 'The webhook did not answer within 300 ms.',
    });
  });
});
