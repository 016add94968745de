import { randomUUID } from 'node:crypto';
import { describe } from '@jest/globals';
import { pino } from 'pino';
import { describeIfAvailable } from '@simple-securities/postgres/testing';
import { InMemoryWindowCounters, RedisWindowCounters } from '../src/index.js';
import {
  redisUnavailableReason,
  testRedisUrl,
  windowCountersContract,
} from '../src/testing/index.js';

describe('window counters in memory', () => {
  windowCountersContract(async () => new InMemoryWindowCounters());
});

describeIfAvailable(await redisUnavailableReason(), 'window counters on Redis', () => {
  windowCountersContract(async () =>
    RedisWindowCounters.connect(testRedisUrl(), {
      prefix: `test:${randomUUID()}:`,
      logger: pino({ level: 'silent' }),
    }),
  );
});
