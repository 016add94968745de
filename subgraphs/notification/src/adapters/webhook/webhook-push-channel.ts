import { lookup as resolveName } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type {
  Notification,
  NotificationPushChannel,
  PushOutcome,
} from '@simple-securities/notification';
import { isPublicAddress } from './address-policy.js';

export interface WebhookPushChannelOptions {
  /** Connecting, sending and the answer's status line together may take this long. */
  readonly timeoutMs: number;
  /** Private, loopback and link-local addresses are allowed (local development, tests). */
  readonly allowPrivateAddresses: boolean;
  /** Every address a host name resolves to; the system resolver unless given. */
  readonly resolveHost?: (host: string) => Promise<readonly ResolvedAddress[]>;
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

const systemResolver = (host: string) => resolveName(host, { all: true, verbatim: true });

/** Of a refusing answer, this much of its body is kept to tell the owner why; the rest is never read. */
const ERROR_BODY_BYTES = 300;

/**
 * The message a webhook receives: the shape of a Discord incoming webhook (`content`
 * and one embed), which Slack-compatible and generic receivers also accept. The
 * notification's id travels in the `x-notification-id` header, for receivers to
 * drop a repeated push.
 */
export const webhookMessageOf = (notification: Notification) => ({
  content: notification.title,
  embeds: [
    {
      title: notification.title,
      ...(notification.body ? { description: notification.body } : {}),
      timestamp: notification.createdAt.toISOString(),
      footer: { text: notification.type },
    },
  ],
});

/** Answers Node's connect-time lookup with the address already checked: no second resolution. */
const pinnedTo =
  (address: string, family: number): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };

const retryableStatus = (status: number) =>
  status === 408 || status === 425 || status === 429 || status >= 500;

const outcomeOfAnswer = (status: number, excerpt: string): PushOutcome => {
  if (status >= 200 && status < 300) return { delivered: true, httpStatus: status };
  const said = excerpt.replace(/\s+/g, ' ').trim();
  return {
    delivered: false,
    retryable: retryableStatus(status),
    httpStatus: status,
    error:
      status >= 300 && status < 400
        ? `The webhook answered HTTP ${status}, a redirect; redirects are not followed.`
        : `The webhook answered HTTP ${status}${said ? `: ${said}` : '.'}`,
  };
};

/**
 * Pushes notifications to webhooks with a POST of JSON. The host's name is resolved
 * here, every address it resolves to must be public (unless allowed otherwise), and the
 * connection goes to the address that was checked, so a name that resolves elsewhere a
 * moment later (DNS rebinding) cannot redirect it. Redirects are not followed.
 */
export const webhookPushChannel = (options: WebhookPushChannelOptions): NotificationPushChannel => {
  const resolveHost = options.resolveHost ?? systemResolver;
  const send = (url: URL, pinned: ResolvedAddress, notification: Notification) =>
    new Promise<PushOutcome>((resolve) => {
      const body = Buffer.from(JSON.stringify(webhookMessageOf(notification)));
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': 'SimpleSecurities-Webhook/1.0',
            'x-notification-id': notification.id,
          },
          lookup: pinnedTo(pinned.address, pinned.family),
          // A socket per push: a pooled one could belong to an earlier resolution.
          agent: false,
          signal: AbortSignal.timeout(options.timeoutMs),
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const kept: Buffer[] = [];
          let keptBytes = 0;
          const finish = () => {
            response.destroy();
            resolve(outcomeOfAnswer(status, Buffer.concat(kept).toString('utf8')));
          };
          if (status >= 200 && status < 300) return finish();
          response.on('data', (chunk: Buffer) => {
            kept.push(chunk.subarray(0, ERROR_BODY_BYTES - keptBytes));
            keptBytes += chunk.length;
            if (keptBytes >= ERROR_BODY_BYTES) finish();
          });
          response.on('end', finish);
          response.on('error', finish);
        },
      );
      request.on('error', (error) => {
        const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
        resolve({
          delivered: false,
          retryable: true,
          error: timedOut
            ? `The webhook did not answer within ${options.timeoutMs} ms.`
            : `The webhook could not be reached: ${error.message}`,
        });
      });
      request.end(body);
    });

  return {
    async push(destination, notification) {
      const url = new URL(destination.url);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      let addresses: readonly ResolvedAddress[];
      try {
        addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveHost(host);
      } catch {
        return { delivered: false, retryable: true, error: `The name ${host} did not resolve.` };
      }
      const refused = options.allowPrivateAddresses
        ? undefined
        : addresses.find(({ address }) => !isPublicAddress(address));
      const [first] = addresses;
      if (refused || !first)
        return {
          delivered: false,
          retryable: false,
          error: refused
            ? `Refused: ${host} resolves to ${refused.address}, which is not a public address.`
            : `The name ${host} has no address.`,
        };
      return send(url, first, notification);
    },
  };
};
