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
 * Every writer takes its transaction id before drawing a position. So when a check
 * sees highest position V and then draws its own transaction id R, every position
 * ≤ V belongs to a transaction whose id is < R. Once a later snapshot's xmin (oldest
 * open transaction) is > R, all of those have ended and the holes up to V are final.
 * (A snapshot's xmax is no such bound: it is the last *completed* id + 1, and open
 * transactions above it are not listed in the snapshot.)
 */
export class GapSafeLogReader<Item> {
  /** Positions ≤ this are final: committed, or never will be. */
  private final = 0;
  private pending: { upTo: number; bound: bigint } | undefined;

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
    const { rows } = await db.query<{ xmin: string; bound: string; visible: unknown }>(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
              (SELECT coalesce(max(${positionColumn}), 0) FROM ${table}) AS visible,
              pg_current_xact_id()::text AS bound`,
    );
    const check = rows[0];
    if (!check) return;
    if (this.pending && BigInt(check.xmin) > this.pending.bound) {
      this.final = Math.max(this.final, this.pending.upTo);
      this.pending = undefined;
    }
    const visible = toPosition(check.visible);
    if (!this.pending && visible > this.final)
      this.pending = { upTo: visible, bound: BigInt(check.bound) };
  }
}
