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

const checkEnvelope = (event: IntegrationEvent) => {
  for (const field of REQUIRED) {
    if (typeof event[field] !== 'string' || event[field] === '')
      throw new Error(`Integration event is missing "${field}": ${JSON.stringify(event)}`);
  }
  if (event.specversion !== '1.0') throw new Error(`Unsupported specversion ${event.specversion}`);
};

/**
 * Appends integration events through `db`: the pool for a plain publish, the caller's
 * transaction for the outbox. The transaction id is taken before positions are drawn
 * (see GapSafeLogReader). `notifyOnCommit` queues a NOTIFY that Postgres delivers when
 * the caller's transaction commits (the outbox); a plain publish wakes readers after. An id already in the log is skipped, so a retried publish
 * delivers once. Returns the last position written (0 when nothing was new).
 */
export const appendMessages = async (
  db: SqlExecutor,
  events: readonly IntegrationEvent[],
  options: { notifyOnCommit: boolean },
): Promise<number> => {
  if (events.length === 0) return 0;
  events.forEach(checkEnvelope);
  const { rows } = await db.query<{ position: unknown }>(
    `WITH tx AS MATERIALIZED (SELECT pg_current_xact_id() AS id${options.notifyOnCommit ? `, pg_notify('${messageLog.table}', '')` : ''})
     INSERT INTO bus_messages (message_id, type, subject, envelope)
     SELECT e.value->>'id', e.value->>'type', e.value->>'subject', e.value
       FROM tx, jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, n)
      ORDER BY e.n
     ON CONFLICT (message_id) DO NOTHING
     RETURNING position`,
    [JSON.stringify(events)],
  );
  return rows.reduce((last, row) => Math.max(last, toPosition(row.position)), 0);
};
