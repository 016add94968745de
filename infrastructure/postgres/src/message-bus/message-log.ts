import type { DeliveredEvent, IntegrationEvent } from '@simple-securities/event-sourcing';
import type { SqlExecutor } from '../sql-database.js';
import type { LogSource } from '../consumers/log-reader.js';
import { toPosition } from '../consumers/positions.js';

/** The bus's log: integration events in the order their transactions committed them. */
export const messageLog: LogSource<DeliveredEvent> = {
  table: 'bus_messages',
  positionColumn: 'position',
  columns: 'position, envelope',
  map: (row) => ({ ...(row.envelope as IntegrationEvent), position: toPosition(row.position) }),
  position: (event) => event.position,
  id: (event) => event.id,
  type: (event) => event.type,
  toJson: (event) => event,
  fromJson: (json) => json as DeliveredEvent,
};

const REQUIRED = ['id', 'type', 'source', 'subject', 'time'] as const;

/** Fails on an envelope a consumer could not rely on. */
export const checkEnvelope = (event: IntegrationEvent) => {
  for (const field of REQUIRED) {
    if (typeof event[field] !== 'string' || event[field] === '')
      throw new Error(`Integration event is missing "${field}": ${JSON.stringify(event)}`);
  }
  if (event.specversion !== '1.0') throw new Error(`Unsupported specversion ${event.specversion}`);
};

/**
 * Appends integration events through `db`: the pool for a plain publish, the caller's
 * transaction for the outbox. `notifyOnCommit` queues a NOTIFY that Postgres delivers
 * when the caller's transaction commits (the outbox); a plain publish wakes readers
 * after. An id already in the log is skipped, so a retried publish delivers once.
 * Resolves to the position of each event written, by id (an event skipped is not in it).
 */
export const appendMessages = async (
  db: SqlExecutor,
  events: readonly IntegrationEvent[],
  options: { notifyOnCommit: boolean },
): Promise<Map<string, number>> => {
  if (events.length === 0) return new Map();
  events.forEach(checkEnvelope);
  const wake = options.notifyOnCommit
    ? `WITH wake AS MATERIALIZED (SELECT pg_notify('${messageLog.table}', ''))`
    : '';
  const { rows } = await db.query<{ message_id: string; position: unknown }>(
    `${wake}
     INSERT INTO bus_messages (message_id, type, subject, envelope)
     SELECT e.value->>'id', e.value->>'type', e.value->>'subject', e.value
       FROM ${options.notifyOnCommit ? 'wake, ' : ''}jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, n)
      ORDER BY e.n
     ON CONFLICT (message_id) DO NOTHING
     RETURNING message_id, position`,
    [JSON.stringify(events)],
  );
  return new Map(rows.map((row) => [row.message_id, toPosition(row.position)]));
};

/** The last position among `events` in `written` (0 when none of them was new). */
export const lastPositionOf = (
  events: readonly IntegrationEvent[],
  written: ReadonlyMap<string, number>,
): number => events.reduce((last, event) => Math.max(last, written.get(event.id) ?? 0), 0);
