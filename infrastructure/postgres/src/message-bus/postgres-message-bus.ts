import { pino, type Logger } from 'pino';
import type {
  ConsumerOptions,
  GlobalPosition,
  IntegrationEvent,
  MessageBus,
  MessageHandler,
  Outbox,
  Subscription,
} from '@simple-securities/event-sourcing';
import type { SqlDatabase, SqlExecutor } from '../sql-database.js';
import { startDurableConsumer } from '../consumers/durable-consumer.js';
import { wakeReaders } from '../consumers/wake-ups.js';
import { GroupPublish } from './group-publish.js';
import { appendMessages, messageLog } from './message-log.js';

/**
 * The bus of embedded and postgres modes: a log table in the same database, tailed by
 * consumer groups with LISTEN/NOTIFY wake-ups. Handlers get the transaction that moves
 * their checkpoint (`SqlExecutor`).
 */
export class PostgresMessageBus implements MessageBus<SqlExecutor> {
  private readonly logger: Logger;
  private readonly groupPublish: GroupPublish;

  constructor(
    private readonly database: SqlDatabase,
    options: { logger?: Logger } = {},
  ) {
    this.logger = options.logger ?? pino({ name: 'message-bus' });
    this.groupPublish = new GroupPublish(database);
  }

  async publish(events: readonly IntegrationEvent[]): Promise<GlobalPosition> {
    if (events.length === 0) return 0;
    const position = await this.groupPublish.submit(events);
    wakeReaders(this.database, messageLog.table);
    return position;
  }

  consume(handler: MessageHandler<SqlExecutor>, options: ConsumerOptions): Promise<Subscription> {
    return startDurableConsumer({
      database: this.database,
      source: messageLog,
      consumer: options.consumer,
      handler,
      logger: this.logger.child({ consumer: options.consumer }),
      types: options.types,
      retry: options.retry,
      batchSize: options.batchSize,
    });
  }
}

/**
 * The transactional outbox: integration events written by the caller's transaction,
 * so they commit or roll back with its state change. Consumers see them once committed.
 * With Prisma, wrap its interactive transaction: `{ query: (sql, params) => tx.$queryRawUnsafe(sql, ...params) }`.
 */
export const postgresOutbox: Outbox<SqlExecutor> = {
  async enqueue(tx, events) {
    await appendMessages(tx, events, { notifyOnCommit: true });
  },
};
