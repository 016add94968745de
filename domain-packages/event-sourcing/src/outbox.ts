import type { IntegrationEvent } from './integration-event.js';

/**
 * Integration events recorded in the same transaction as the state change that
 * causes them: both commit or neither does. `Tx` is the caller's open transaction
 * (for Postgres, a SqlExecutor — including one wrapping Prisma's `$transaction`).
 * Delivery to consumers happens after commit (log tailing, or CDC in distributed mode).
 */
export interface Outbox<Tx> {
  enqueue(tx: Tx, events: readonly IntegrationEvent[]): Promise<void>;
}
