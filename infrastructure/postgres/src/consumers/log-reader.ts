import type { SqlExecutor } from '../sql-database.js';
import { toPosition } from './positions.js';

/** A table read as an append-only log: rows numbered by an identity column. */
export interface LogSource<Item> {
  /** Also the LISTEN channel its insert trigger notifies. */
  readonly table: string;
  readonly positionColumn: string;
  readonly columns: string;
  map(row: Record<string, unknown>): Item;
  position(item: Item): number;
  id(item: Item): string;
  type(item: Item): string;
  /** How a parked item is stored in `dead_letters.message`, and read back for a replay. */
  toJson(item: Item): unknown;
  fromJson(json: unknown): Item;
}

export interface LogBatch<Item> {
  items: Item[];
  /** Everything up to here was delivered or can be skipped for good. */
  checkpoint: number;
  /** Stopped at a position that an open transaction may still commit. */
  blocked: boolean;
}

/**
 * Reads a log in position order without ever skipping a row that commits late.
 *
 * Positions come from a sequence at insert time, so transactions can commit out of
 * order: position 7 may be visible while 6 is still in flight (or was rolled back).
 * A reader may pass such a hole only once no transaction that could fill it is open.
 *
 * A writer locks the log table (ROW EXCLUSIVE) before it draws a position and keeps
 * that lock until it ends. So when one statement sees highest position V and then
 * lists the transactions holding that lock (W), every position ≤ V belongs to a
 * transaction that had committed or rolled back by then, or is in W. Once none of W
 * holds the lock any more, the holes up to V are final; with W empty they are final
 * at once. Only this table's own writers count, so a transaction left open elsewhere
 * on the server (any database shares one xmin horizon) no longer holds readers back
 * (ADR 0020; ADR 0003 waited for the cluster-wide xmin).
 */
export class GapSafeLogReader<Item> {
  /** Positions ≤ this are final: committed, or never will be. */
  private final = 0;
  /** Holes up to `upTo` become final once none of `writers` is open any more. */
  private pending: { upTo: number; writers: readonly string[] } | undefined;

  constructor(private readonly source: LogSource<Item>) {}

  async read(
    db: SqlExecutor,
    after: number,
    maxCount: number,
    types?: readonly string[],
  ): Promise<LogBatch<Item>> {
    const { table, positionColumn, columns } = this.source;
    const items: Item[] = [];
    let checkpoint = after;
    let scanned = 0;
    for (;;) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT ${columns} FROM ${table} WHERE ${positionColumn} > $1 ORDER BY ${positionColumn} LIMIT $2`,
        [checkpoint, maxCount - scanned],
      );
      let hole: 'open' | 'final' | undefined;
      for (const row of rows) {
        const item = this.source.map(row);
        const position = this.source.position(item);
        if (position !== checkpoint + 1 && position - 1 > this.final) {
          await this.refresh(db);
          // Even a hole that just became final is read again: its row may have
          // committed after this query's snapshot was taken.
          hole = position - 1 > this.final ? 'open' : 'final';
          break;
        }
        checkpoint = position;
        scanned++;
        if (!types || types.includes(this.source.type(item))) items.push(item);
      }
      if (hole !== 'final' || scanned >= maxCount)
        return { items, checkpoint, blocked: hole === 'open' };
    }
  }

  private async refresh(db: SqlExecutor): Promise<void> {
    const { table, positionColumn } = this.source;
    // The snapshot is taken before pg_locks is read: a writer of a position ≤ visible
    // that is still open when the locks are listed is among them. This session's own
    // transaction sees its own rows, so it is no hole's writer.
    const { rows } = await db.query<{ visible: unknown; writers: string[] | null }>(
      `SELECT (SELECT coalesce(max(${positionColumn}), 0) FROM ${table}) AS visible,
              ARRAY(SELECT virtualtransaction FROM pg_locks
                     WHERE locktype = 'relation' AND mode = 'RowExclusiveLock'
                       AND relation = $1::regclass AND pid IS DISTINCT FROM pg_backend_pid()
                       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   ) AS writers`,
      [table],
    );
    const check = rows[0];
    if (!check) return;
    const openWriters = new Set(check.writers ?? []);
    if (this.pending && !this.pending.writers.some((writer) => openWriters.has(writer))) {
      this.final = Math.max(this.final, this.pending.upTo);
      this.pending = undefined;
    }
    const visible = toPosition(check.visible);
    if (this.pending || visible <= this.final) return;
    if (openWriters.size === 0) this.final = visible;
    else this.pending = { upTo: visible, writers: [...openWriters] };
  }
}
