/** A settlement or give-back in core: idempotent by its id, so it can be made again. */
export interface MoneyMovement {
  /** The settlement or release id core knows it by. */
  readonly id: string;
  /**
   * The first stream version of the command that recorded it; recovery runs the stream's
   * movements again from there. Undefined for a give-back of a command the stream never
   * took, which only this process knows of.
   */
  readonly since?: number | undefined;
  readonly move: () => Promise<void>;
}

/** How long to wait before each attempt again: doubling from `firstDelayMs` up to `maxDelayMs`. */
export interface RetryBackoff {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { firstDelayMs: 200, maxDelayMs: 30_000 };

export interface PendingMoneyMovementsDependencies {
  readonly backoff: RetryBackoff;
  /** A number in [0, 1): the jitter that keeps books from retrying in step. */
  readonly random: () => number;
  readonly logger: { error(details: object, message: string): void };
  /**
   * Keeps durably the first stream version whose movements are not all made (undefined:
   * none), so that a restart runs them again from there.
   */
  readonly recordBacklog: (unsettledFrom: number | undefined) => Promise<void>;
}

interface Pending {
  readonly movement: MoneyMovement;
  failures: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The money movements of one book that core has not confirmed yet (ADR 0030). Each is
 * tried at once; one that fails is kept and tried again after an exponential backoff with
 * jitter, on its own timer, so neither the book's next commands nor other books wait for
 * it. The first version still owed is recorded, so a crash loses none.
 */
export class PendingMoneyMovements {
  private readonly pending = new Map<string, Pending>();
  private recorded: number | undefined;
  private recording: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly dependencies: PendingMoneyMovementsDependencies) {}

  /**
   * Makes the movement once; when that fails it stays owed and is retried later. Resolves
   * after the first attempt, true when it succeeded.
   */
  async make(movement: MoneyMovement): Promise<boolean> {
    const known = this.pending.get(movement.id);
    const pending = known ?? { movement, failures: 0 };
    this.pending.set(movement.id, pending);
    return this.attempt(pending, !known);
  }

  /** The first stream version with a movement still owed. */
  get unsettledFrom(): number | undefined {
    let first: number | undefined;
    for (const { movement } of this.pending.values())
      if (movement.since !== undefined && (first === undefined || movement.since < first))
        first = movement.since;
    return first;
  }

  /** How many movements are still owed. */
  get size(): number {
    return this.pending.size;
  }

  /** What the journal holds as the backlog, read at a (re)start. */
  recordedAs(unsettledFrom: number | undefined): void {
    this.recorded = unsettledFrom;
  }

  /**
   * Records the backlog when it changed since the last record; writes run one at a time,
   * each with the backlog as it is then. A write that fails is logged and made again at
   * the next change of the backlog; a stale record only makes recovery repeat movements.
   */
  recordBacklog(): Promise<void> {
    this.recording = this.recording.then(async () => {
      const unsettledFrom = this.unsettledFrom;
      if (unsettledFrom === this.recorded) return;
      try {
        await this.dependencies.recordBacklog(unsettledFrom);
        this.recorded = unsettledFrom;
      } catch (error) {
        this.dependencies.logger.error(
          { err: error, unsettledFrom },
          'Recording which trades still await settlement failed; a restart would settle more of them again, which is safe',
        );
      }
    });
    return this.recording;
  }

  /** Stops retrying; what is owed stays recorded for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    await this.recording;
  }

  private async attempt(pending: Pending, scheduleOnFailure: boolean): Promise<boolean> {
    const { movement } = pending;
    try {
      await movement.move();
    } catch (error) {
      pending.failures += 1;
      this.dependencies.logger.error(
        { err: error, movementId: movement.id, failures: pending.failures },
        `Moving the money of ${movement.id} in core failed; it will be tried again (its id makes that safe)`,
      );
      if (scheduleOnFailure) this.retryLater(pending);
      return false;
    }
    clearTimeout(pending.timer);
    this.pending.delete(movement.id);
    return true;
  }

  private retryLater(pending: Pending): void {
    if (this.closed) return;
    const { backoff, random } = this.dependencies;
    const ceiling = Math.min(
      backoff.maxDelayMs,
      backoff.firstDelayMs * 2 ** Math.min(pending.failures - 1, 30),
    );
    // Half the ceiling, plus up to as much again at random.
    const delay = ceiling / 2 + random() * (ceiling / 2);
    pending.timer = setTimeout(() => {
      void this.attempt(pending, true).then(async (made) => {
        if (made && !this.closed) await this.recordBacklog();
      });
    }, delay);
    pending.timer.unref();
  }
}
