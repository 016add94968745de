import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { NO_WINDOW, type WindowCount, type WindowCounters } from './window-counters.js';

/**
 * One round trip, atomic: the first hit opens the window (its expiry), later
 * hits only count. Returns the count and the window's remaining milliseconds.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

const PEEK = `
local count = redis.call('GET', KEYS[1])
if not count then return { 0, 0 } end
return { tonumber(count), math.max(redis.call('PTTL', KEYS[1]), 0) }
`;

export interface RedisConnectOptions {
  /** Put before every key, so that several users of one Redis never share a key by chance. */
  readonly prefix?: string;
  readonly logger: Logger;
  readonly commandTimeoutMs?: number;
}

/** The URL without its password, for logs. */
const redactedUrl = (url: string) => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparseable URL';
  }
};

type HitCommand = (key: string, windowMs: number) => Promise<[number, number]>;
type PeekCommand = (key: string) => Promise<[number, number]>;

/**
 * Counters in Redis, shared by every process that uses the same server and
 * prefix. Each key is a plain integer with an expiry, so Redis forgets ended
 * windows by itself.
 */
export class RedisWindowCounters implements WindowCounters {
  private readonly hitScript: HitCommand;
  private readonly peekScript: PeekCommand;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'window:',
  ) {
    redis.defineCommand('windowHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('windowPeek', { numberOfKeys: 1, lua: PEEK });
    const commands = redis as unknown as { windowHit: HitCommand; windowPeek: PeekCommand };
    this.hitScript = commands.windowHit.bind(redis);
    this.peekScript = commands.windowPeek.bind(redis);
  }

  /**
   * Connects to `url` (e.g. `redis://127.0.0.1:6379`) and keeps reconnecting when
   * the connection drops. A command fails after `commandTimeoutMs` rather than
   * waiting for Redis to come back: callers fail open, and a request must not hang
   * on its rate limit. Connection errors are logged, at most once per outage.
   */
  static connect(
    url: string,
    { prefix, logger, commandTimeoutMs = 1000 }: RedisConnectOptions,
  ): RedisWindowCounters {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs });
    let down = false;
    redis.on('error', (error: Error) => {
      if (down) return;
      down = true;
      logger.error({ err: error, redis: redactedUrl(url) }, 'cannot reach Redis; retrying');
    });
    redis.on('ready', () => {
      if (down) logger.info({ redis: redactedUrl(url) }, 'reconnected to Redis');
      down = false;
    });
    return new RedisWindowCounters(redis, prefix);
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, resetInMs] = await this.hitScript(this.prefix + key, Math.ceil(windowMs));
    return { count, resetInMs };
  }

  async peek(key: string): Promise<WindowCount> {
    const [count, resetInMs] = await this.peekScript(this.prefix + key);
    return count === 0 ? NO_WINDOW : { count, resetInMs };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  /**
   * Ends the connection. While Redis is unreachable a QUIT would wait in the offline
   * queue for a reconnect that never comes, keeping the process alive: drop it instead.
   */
  async close(): Promise<void> {
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
