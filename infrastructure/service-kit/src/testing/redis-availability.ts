import { Redis } from 'ioredis';

/** The Redis tests use: REDIS_URL, else the usual local server. */
export const testRedisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Undefined when the test Redis answers PING, otherwise why not (for `describeIfAvailable`). */
export const redisUnavailableReason = async (
  url: string = testRedisUrl(),
): Promise<string | undefined> => {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  redis.on('error', () => {
    // The failed connect below says why; nothing else listens.
  });
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `no Redis server at ${url} (${(error as Error).message}); start one or set REDIS_URL`;
  } finally {
    redis.disconnect();
  }
};
