import pg from 'pg';
import type { AppendResult, ExpectedVersion } from '@simple-securities/event-sourcing';
import type { PostgresServerDatabase, SqlExecutor } from '../sql-database.js';
import { toPosition } from '../consumers/positions.js';

/** One call's single-event append, its event already in `es_events` column form. */
export interface SingleAppend {
  streamId: string;
  expectedVersion: ExpectedVersion;
  event: {
    event_id: string;
    event_type: string;
    schema_version: number;
    data: unknown;
    metadata: unknown;
  };
}

export interface GroupCommitSteps {
  /** The append on its own, exactly as without group commit. */
  alone(db: SqlExecutor, append: SingleAppend): Promise<AppendResult>;
  /** The error for an append whose expected version did not match. */
  conflict(db: SqlExecutor, append: SingleAppend): Promise<Error>;
}

interface Waiting {
  append: SingleAppend;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * One statement appends one event to each of several streams, each checked against its
 * own expected version; a stream whose check fails moves no row and gets no event (no
 * SQL error, so the others still commit). Like the single append, it takes the
 * transaction id before any position is drawn.
 */
const roundSql = `WITH tx AS MATERIALIZED (SELECT pg_current_xact_id() AS id),
  calls AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS c(
      i int, stream_id text, expected text, version bigint,
      event_id text, event_type text, schema_version int, data jsonb, metadata jsonb)),
  upserted AS (
    INSERT INTO es_streams AS s (stream_id, version)
    SELECT stream_id, 1 FROM calls WHERE expected = 'any' ORDER BY stream_id
    ON CONFLICT (stream_id) DO UPDATE SET version = s.version + 1, updated_at = now()
    RETURNING stream_id, version),
  created AS (
    INSERT INTO es_streams (stream_id, version)
    SELECT stream_id, 1 FROM calls WHERE expected = 'no_stream' ORDER BY stream_id
    ON CONFLICT (stream_id) DO NOTHING
    RETURNING stream_id, version),
  updated AS (
    UPDATE es_streams s SET version = s.version + 1, updated_at = now()
      FROM calls c
     WHERE c.stream_id = s.stream_id
       AND (c.expected = 'stream_exists' OR (c.expected = 'version' AND s.version = c.version))
    RETURNING s.stream_id, s.version),
  moved AS (SELECT * FROM upserted UNION ALL SELECT * FROM created UNION ALL SELECT * FROM updated)
INSERT INTO es_events
  (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
SELECT c.event_id, c.stream_id, moved.version, c.event_type, c.schema_version, c.data, c.metadata
  FROM tx, calls c JOIN moved ON moved.stream_id = c.stream_id
 ORDER BY c.i
RETURNING stream_id, global_position, stream_version`;

const expectation = ({ expectedVersion }: SingleAppend) =>
  expectedVersion === 0 || expectedVersion === 'no_stream'
    ? { expected: 'no_stream', version: null }
    : typeof expectedVersion === 'number'
      ? { expected: 'version', version: expectedVersion }
      : { expected: expectedVersion, version: null };

/**
 * Group commit of single-event appends on a Postgres server. Alone, each such append
 * pays a statement, a round trip and a commit (WAL flush); 8 writers on 8 connections
 * mostly wait on those. Here appends that arrive while a group is in flight wait, then
 * go together as one query: one set-based statement per "round" (at most one append
 * per stream each), sent as one multi-statement query that Postgres runs as ONE
 * implicit transaction — one round trip, one flush, one transaction id for the
 * gap-safe reader.
 *
 * Per-call semantics stay those of running the calls one after another:
 * - each append checks its own stream's expected version; a mismatch fails that call
 *   alone with its own `ConcurrencyError`, and the rest of the group commits;
 * - the n-th append to a stream in a group goes in round n, after rounds 1..n-1 in the
 *   same transaction, so it sees the earlier appends' versions (arrival order);
 * - an error reported by the server (say a duplicate event id) rolls the whole group
 *   back; each call then runs again alone, so only the faulty one fails (its lost
 *   positions are holes the gap-safe reader passes like any rolled-back write);
 * - a lost connection is ambiguous (the group may have committed): every call gets it.
 * A group of one runs the ordinary append. At most two groups are in flight (one
 * collects while the other commits), each holding a pooled connection only for its one
 * query, so a call run alone never waits on a connection its own group holds.
 */
export class GroupCommit {
  private static readonly maxInFlight = 2;
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly database: PostgresServerDatabase,
    private readonly steps: GroupCommitSteps,
  ) {}

  submit(append: SingleAppend): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ append, resolve, reject });
      this.schedule();
    });
  }

  /** Calls made in the same turn of the event loop join the same group. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= GroupCommit.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const group = this.waiting.splice(0);
    if (group.length === 0) return;
    this.inFlight++;
    try {
      if (group.length === 1) await this.runAlone(group);
      else await this.commit(group);
    } finally {
      this.inFlight--;
    }
    // Callers just answered usually append again at once: they join the next group.
    if (this.waiting.length > 0) this.schedule();
  }

  private async commit(group: Waiting[]): Promise<void> {
    const rounds: Waiting[][] = [];
    const seen = new Map<string, number>();
    for (const call of group) {
      const round = seen.get(call.append.streamId) ?? 0;
      seen.set(call.append.streamId, round + 1);
      (rounds[round] ??= []).push(call);
    }
    const script = rounds
      .map((round) => {
        const calls = round.map(({ append }, i) => ({
          i,
          stream_id: append.streamId,
          ...expectation(append),
          ...append.event,
        }));
        // A multi-statement query takes no parameters: the calls go in as a literal.
        const literal = pg.escapeLiteral(JSON.stringify(calls));
        return roundSql.replace('$1', () => literal);
      })
      .join(';\n');
    let results: pg.QueryResult[];
    try {
      const answer = (await this.database.pool.query(script)) as unknown;
      results = Array.isArray(answer) ? answer : [answer as pg.QueryResult];
    } catch (error) {
      if (error instanceof pg.DatabaseError) await this.runAlone(group);
      else for (const call of group) call.reject(error);
      return;
    }
    await Promise.all(
      rounds.map(async (round, index) => {
        const rows = new Map(
          (results[index]?.rows ?? []).map((row: Record<string, unknown>) => [
            row.stream_id as string,
            row,
          ]),
        );
        for (const call of round) {
          const row = rows.get(call.append.streamId);
          if (row)
            call.resolve({
              nextExpectedVersion: toPosition(row.stream_version),
              lastPosition: toPosition(row.global_position),
            });
          else await this.steps.conflict(this.database, call.append).then(call.reject, call.reject);
        }
      }),
    );
  }

  private async runAlone(calls: Waiting[]): Promise<void> {
    for (const call of calls) {
      await this.steps.alone(this.database, call.append).then(call.resolve, call.reject);
    }
  }
}
