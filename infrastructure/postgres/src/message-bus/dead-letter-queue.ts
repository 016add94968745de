import type {
  DeadLetter,
  DeadLetterQueue,
  DeadLetterStatus,
  DeliveredEvent,
} from '@simple-securities/event-sourcing';
import type { SqlExecutor } from '../sql-database.js';
import { DEAD_LETTER_CHANNEL } from '../consumers/durable-consumer.js';
import { toPosition } from '../consumers/positions.js';

interface DeadLetterRow {
  id: unknown;
  consumer: string;
  message: DeliveredEvent;
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  parked_at: Date;
  resolved_at: Date | null;
}

const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  id: toPosition(row.id),
  consumer: row.consumer,
  event: row.message,
  error: row.error,
  attempts: row.attempts,
  status: row.status,
  parkedAt: new Date(row.parked_at),
  ...(row.resolved_at ? { resolvedAt: new Date(row.resolved_at) } : {}),
});

/** Dead letters of every consumer group in this database (bus consumers and projections). */
export class PostgresDeadLetterQueue implements DeadLetterQueue {
  constructor(private readonly db: SqlExecutor) {}

  async list(filter: { consumer?: string; status?: DeadLetterStatus } = {}): Promise<DeadLetter[]> {
    const { rows } = await this.db.query<DeadLetterRow>(
      `SELECT * FROM dead_letters
        WHERE ($1::text IS NULL OR consumer = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY id`,
      [filter.consumer ?? null, filter.status ?? null],
    );
    return rows.map(toDeadLetter);
  }

  async get(id: number): Promise<DeadLetter | undefined> {
    const { rows } = await this.db.query<DeadLetterRow>(
      'SELECT * FROM dead_letters WHERE id = $1',
      [id],
    );
    return rows[0] ? toDeadLetter(rows[0]) : undefined;
  }

  /** The running consumer of the dead letter's group picks it up on its next wake-up. */
  async requestReplay(id: number): Promise<void> {
    const { rows } = await this.db.query<{ consumer: string }>(
      `UPDATE dead_letters SET status = 'replay_requested'
        WHERE id = $1 AND status = 'parked' RETURNING consumer`,
      [id],
    );
    const row = rows[0];
    if (!row) {
      const existing = await this.get(id);
      throw new Error(
        existing
          ? `Dead letter ${id} is ${existing.status}, not parked; nothing to replay`
          : `No dead letter with id ${id}`,
      );
    }
    await this.db.query('SELECT pg_notify($1, $2)', [DEAD_LETTER_CHANNEL, row.consumer]);
  }
}
