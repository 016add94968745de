import type { RecordedEvent } from './event-store.js';

/**
 * Turns one stored schema version of an event type into the next. Old events stay
 * as they were written; readers see them in the current shape. Chains run in order:
 * v1 → v2 → v3.
 */
export interface Upcaster {
  type: string;
  fromSchemaVersion: number;
  upcast(data: unknown): unknown;
}

export type UpcasterChain = (event: RecordedEvent) => RecordedEvent;

/** Builds the function every adapter applies to each event it reads. */
export const upcasterChain = (upcasters: readonly Upcaster[]): UpcasterChain => {
  const byStep = new Map<string, Upcaster>();
  for (const upcaster of upcasters) {
    const key = `${upcaster.type}@${upcaster.fromSchemaVersion}`;
    if (byStep.has(key)) throw new Error(`Two upcasters for ${key}`);
    byStep.set(key, upcaster);
  }
  if (byStep.size === 0) return (event) => event;
  return (event) => {
    let current = event;
    for (;;) {
      const step = byStep.get(`${current.type}@${current.schemaVersion}`);
      if (!step) return current;
      current = {
        ...current,
        data: step.upcast(current.data),
        schemaVersion: current.schemaVersion + 1,
      };
    }
  };
};
