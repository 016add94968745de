import { pino, type Logger } from 'pino';
import {
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type Upcaster,
  type UpcasterChain,
  ConcurrencyError,
  matchesExpectedVersion,
  upcasterChain,
} from '@simple-securities/event-sourcing';
import type { SqlDatabase, SqlExecutor } from '../sql-database.js';
import { followLoop } from '../consumers/follow-loop.js';
import { GapSafeLogReader } from '../consumers/log-reader.js';
import { toPosition } from '../consumers/positions.js';
import { wakeReaders } from '../consumers/wake-ups.js';
import { EVENT_COLUMNS, type EventRow, eventLog, toRecordedEvent } from './event-log.js';
import { GroupCommit, type SingleAppend } from './group-commit.js';

export interface PostgresEventStoreOptions {
  upcasters?: readonly Upcaster[];
  logger?: Logger;
}

/**
 * Moves the stream row to its new version and only then inserts the events, in one
 * statement: the row lock makes concurrent appends with the same expected version
 * serialise (exactly one matches), and the transaction id is taken before any
 * position is drawn, which the gap-safe reader relies on: `tx` is joined in the
 * insert's FROM only for that, since the identity default is evaluated above the join.
 */
const appendSql = (expected: ExpectedVersion) => {
  const moveStream =
    expected === 'any'
      ? `INSERT INTO es_streams AS s (stream_id, version) VALUES ($1, $2)
           ON CONFLICT (stream_id) DO UPDATE SET version = s.version + $2, updated_at = now()
           RETURNING version`
      : expected === 'no_stream' || expected === 0
        ? `INSERT INTO es_streams (stream_id, version) VALUES ($1, $2)
             ON CONFLICT (stream_id) DO NOTHING RETURNING version`
        : `UPDATE es_streams SET version = version + $2, updated_at = now()
            WHERE stream_id = $1 ${expected === 'stream_exists' ? '' : 'AND version = $4'}
            RETURNING version`;
  return `WITH tx AS MATERIALIZED (SELECT pg_current_xact_id() AS id),
          stream AS (${moveStream})
     INSERT INTO es_events
       (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
     SELECT e.event_id, $1, stream.version - $2 + e.n, e.event_type, e.schema_version, e.data, e.metadata
       FROM tx, stream,
            jsonb_to_recordset($3::jsonb)
              AS e(n int, event_id text, event_type text, schema_version int, data jsonb, metadata jsonb)
      ORDER BY e.n
     RETURNING global_position, stream_version`;
};

/** The event store on Postgres tables; one implementation for PGlite and a Postgres server. */
export class PostgresEventStore implements EventStore {
  private readonly upcast: UpcasterChain;
  private readonly logger: Logger;
  private readonly groupCommit: GroupCommit | undefined;

  constructor(
    private readonly database: SqlDatabase,
    private readonly options: PostgresEventStoreOptions = {},
    private readonly executor: SqlExecutor = database,
  ) {
    this.upcast = upcasterChain(options.upcasters ?? []);
    this.logger = options.logger ?? pino({ name: 'event-store' });
    // Only on a server: PGlite has one connection (and no pool to wait on in parallel).
    if (database.engine === 'postgres' && executor === database)
      this.groupCommit = new GroupCommit(database, {
        alone: (db, { streamId, expectedVersion, event }) =>
          this.appendWith(db, streamId, [event], expectedVersion),
        conflict: (db, { streamId, expectedVersion }) =>
          this.conflict(db, streamId, expectedVersion),
      });
  }

  /** The same store, appending inside the caller's open transaction. */
  in(tx: SqlExecutor): PostgresEventStore {
    return new PostgresEventStore(this.database, this.options, tx);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion }: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    if (events.length === 0) {
      const version = await this.streamVersion(this.executor, streamId);
      if (!matchesExpectedVersion(expectedVersion, version))
        throw new ConcurrencyError(streamId, expectedVersion, version);
      return { nextExpectedVersion: version, lastPosition: 0 };
    }
    const rows = events.map((event) => ({
      event_id: event.eventId ?? crypto.randomUUID(),
      event_type: event.type,
      schema_version: event.schemaVersion ?? 1,
      data: event.data,
      metadata: event.metadata ?? {},
    }));
    // A batch already shares one commit among its events; single events share one by group.
    const [single] = rows;
    const result =
      this.groupCommit && single && rows.length === 1
        ? await this.groupCommit.submit({ streamId, expectedVersion, event: single })
        : await this.appendWith(this.executor, streamId, rows, expectedVersion);
    // Inside a caller's transaction the events are not visible yet; readers find them by polling.
    if (this.executor === this.database) wakeReaders(this.database, 'es_events');
    return result;
  }

  private async appendWith(
    executor: SqlExecutor,
    streamId: string,
    rows: readonly SingleAppend['event'][],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const numbered = JSON.stringify(rows.map((row, index) => ({ n: index + 1, ...row })));
    const params: unknown[] = [streamId, rows.length, numbered];
    if (typeof expectedVersion === 'number' && expectedVersion > 0) params.push(expectedVersion);
    const { rows: appended } = await executor.query<{
      global_position: unknown;
      stream_version: unknown;
    }>(appendSql(expectedVersion), params);
    const last = appended.at(-1);
    if (!last) throw await this.conflict(executor, streamId, expectedVersion);
    return {
      nextExpectedVersion: toPosition(last.stream_version),
      lastPosition: toPosition(last.global_position),
    };
  }

  private async conflict(
    executor: SqlExecutor,
    streamId: string,
    expectedVersion: ExpectedVersion,
  ): Promise<ConcurrencyError> {
    return new ConcurrencyError(
      streamId,
      expectedVersion,
      await this.streamVersion(executor, streamId),
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.executor.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events
        WHERE stream_id = $1 AND stream_version >= $2
        ORDER BY stream_version LIMIT $3`,
      [streamId, options.fromVersion ?? 1, options.maxCount ?? null],
    );
    return rows.map((row) => this.upcast(toRecordedEvent(row)));
  }

  private readonly reader = new GapSafeLogReader(eventLog((event) => event));

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const batch = await this.reader.read(
      this.executor,
      options.after ?? 0,
      options.maxCount ?? 1000,
      options.types,
    );
    return { events: batch.items.map(this.upcast), checkpoint: batch.checkpoint };
  }

  async subscribe(handler: EventHandler, options: SubscribeOptions): Promise<Subscription> {
    const reader = new GapSafeLogReader(eventLog(this.upcast));
    return followLoop({
      database: this.database,
      channels: ['es_events'],
      logger: this.logger,
      name: 'event store subscription',
      start: options.after,
      step: async (after) => {
        const batch = await reader.read(
          this.database,
          after,
          options.batchSize ?? 500,
          options.types,
        );
        let checkpoint = after;
        for (const event of batch.items) {
          await handler(event);
          checkpoint = event.globalPosition;
        }
        checkpoint = Math.max(checkpoint, batch.checkpoint);
        return { checkpoint, more: checkpoint > after && !batch.blocked, blocked: batch.blocked };
      },
    });
  }

  private async streamVersion(executor: SqlExecutor, streamId: string): Promise<number> {
    const { rows } = await executor.query<{ version: unknown }>(
      'SELECT version FROM es_streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0] ? toPosition(rows[0].version) : 0;
  }
}
