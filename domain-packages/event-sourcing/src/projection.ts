import type { EventHandler, RecordedEvent } from './event-store.js';

/**
 * A read model fed from the event store. `apply` writes through `tx`, which commits
 * together with the projection's checkpoint; `reset` empties the read model so the
 * projection can be rebuilt by replaying the log from position 0.
 */
export interface Projection<Tx = unknown> {
  name: string;
  /** Only these event types reach `apply`. */
  types?: readonly string[];
  apply(event: RecordedEvent, tx: Tx): Promise<void>;
  reset(tx: Tx): Promise<void>;
}

export type { EventHandler };
