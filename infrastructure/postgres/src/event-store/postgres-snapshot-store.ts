import type { Snapshot, SnapshotStore } from '@simple-securities/event-sourcing';
import type { SqlExecutor } from '../sql-database.js';
import { toPosition } from '../consumers/positions.js';

export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly db: SqlExecutor) {}

  async load<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    const { rows } = await this.db.query<{
      version: unknown;
      schema_version: number;
      state: State;
    }>('SELECT version, schema_version, state FROM es_snapshots WHERE stream_id = $1', [streamId]);
    const row = rows[0];
    return row
      ? {
          streamId,
          version: toPosition(row.version),
          schemaVersion: row.schema_version,
          state: row.state,
        }
      : undefined;
  }

  /** A slower writer never replaces a newer snapshot. */
  async save<State>(snapshot: Snapshot<State>): Promise<void> {
    await this.db.query(
      `INSERT INTO es_snapshots (stream_id, version, schema_version, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE
         SET version = EXCLUDED.version, schema_version = EXCLUDED.schema_version,
             state = EXCLUDED.state, taken_at = now()
       WHERE es_snapshots.version <= EXCLUDED.version`,
      [snapshot.streamId, snapshot.version, snapshot.schemaVersion, JSON.stringify(snapshot.state)],
    );
  }
}
