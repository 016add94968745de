import type { RecordedEvent, UpcasterChain } from '@simple-securities/event-sourcing';
import type { LogSource } from '../consumers/log-reader.js';
import { toPosition } from '../consumers/positions.js';

export interface EventRow {
  global_position: unknown;
  event_id: string;
  stream_id: string;
  stream_version: unknown;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

export const EVENT_COLUMNS =
  'global_position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at';

export const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  eventId: row.event_id,
  type: row.event_type,
  schemaVersion: row.schema_version,
  data: row.data,
  streamId: row.stream_id,
  streamVersion: toPosition(row.stream_version),
  globalPosition: toPosition(row.global_position),
  recordedAt: new Date(row.recorded_at),
  metadata: row.metadata,
});

/** The event store's global log, as read by subscriptions and projections. */
/** The event store's log table; projections' checkpoints are positions in it. */
export const EVENT_LOG_TABLE = 'es_events';

export const eventLog = (upcast: UpcasterChain): LogSource<RecordedEvent> => ({
  table: EVENT_LOG_TABLE,
  positionColumn: 'global_position',
  columns: EVENT_COLUMNS,
  map: (row) => upcast(toRecordedEvent(row as unknown as EventRow)),
  position: (event) => event.globalPosition,
  id: (event) => event.eventId,
  type: (event) => event.type,
  toJson: (event) => event,
  fromJson: (json) => {
    const event = json as RecordedEvent & { recordedAt: string };
    return upcast({ ...event, recordedAt: new Date(event.recordedAt) });
  },
});
