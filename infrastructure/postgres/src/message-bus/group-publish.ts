import type { IntegrationEvent } from '@simple-securities/event-sourcing';
import type { SqlExecutor } from '../sql-database.js';
import { appendMessages, checkEnvelope, lastPositionOf } from './message-log.js';

interface Waiting {
  events: readonly IntegrationEvent[];
  resolve(position: number): void;
  reject(error: unknown): void;
}

/** A group stops growing here, so one statement's parameter stays a few megabytes at most. */
const MAX_GROUP_EVENTS = 2_000;

/**
 * Group commit for plain publishes. Alone, each publish is one transaction on its own
 * pooled connection, and concurrent ones commit in any order: every position a later
 * transaction commits first is a hole that the gap-safe reader may not pass until it
 * has proved that no open transaction can fill it, which stalls every consumer group
 * behind it (ADR 0016). Here publishes that arrive while a group is being written wait,
 * then go together as one statement — one transaction, one round trip, one WAL flush —
 * and one group at a time, so the bus's own positions commit in order and leave no
 * holes. An error reported by the server rolls the group back; each publish of it then
 * runs again alone, so only the faulty one fails.
 */
export class GroupPublish {
  private waiting: Waiting[] = [];
  private writing = false;
  private scheduled = false;

  constructor(private readonly db: SqlExecutor) {}

  /**
   * Resolves to the last position written for `events`: 0 when all of them were in the
   * log before, and the same position for two calls of one group with the same event.
   */
  submit(events: readonly IntegrationEvent[]): Promise<number> {
    // A malformed envelope fails its own call, before it can fail a group.
    events.forEach(checkEnvelope);
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      this.schedule();
    });
  }

  /** Publishes made in the same turn of the event loop join the same group. */
  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) await this.write(this.takeGroup());
    } finally {
      this.writing = false;
    }
  }

  private takeGroup(): Waiting[] {
    let events = 0;
    let count = 0;
    while (count < this.waiting.length) {
      events += this.waiting[count]?.events.length ?? 0;
      count++;
      if (events >= MAX_GROUP_EVENTS) break;
    }
    return this.waiting.splice(0, count);
  }

  private async write(group: readonly Waiting[]): Promise<void> {
    try {
      const written = await appendMessages(
        this.db,
        group.flatMap((call) => call.events),
        { notifyOnCommit: false },
      );
      for (const call of group) call.resolve(lastPositionOf(call.events, written));
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
      for (const call of group) await this.write([call]);
    }
  }
}
