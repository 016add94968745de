/** A graphql-ws, graphql-sse or multipart client: anything that subscribes with a sink. */
export interface SubscribingClient {
  subscribe<T>(
    request: { query: string },
    sink: {
      next(result: { data?: T | null; errors?: readonly unknown[] }): void;
      error(error: unknown): void;
      complete(): void;
    },
  ): () => void;
}

/** One subscription whose events are kept as they arrive, to be awaited one by one. */
export interface LiveSubscription<T> {
  readonly events: T[];
  /** Resolves once `count` events have arrived; rejects on an error or after `timeoutMs`. */
  received(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves with the first error the server sent (or the close that refused the socket). */
  readonly failure: Promise<unknown>;
  stop(): void;
}

/** Fewer events than asked for arrived in time. */
export class NotYetReceived extends Error {}

export const subscribeLive = <T>(client: SubscribingClient, query: string): LiveSubscription<T> => {
  const events: T[] = [];
  const waiters = new Set<() => void>();
  let failed: unknown;
  let fail: (error: unknown) => void = () => undefined;
  const failure = new Promise<unknown>((resolve) => {
    fail = (error) => {
      failed = error;
      resolve(error);
      waiters.forEach((wake) => wake());
    };
  });
  const stop = client.subscribe<T>(
    { query },
    {
      next: (result) => {
        if (result.errors) return fail(result.errors);
        if (result.data) events.push(result.data);
        waiters.forEach((wake) => wake());
      },
      error: fail,
      complete: () => undefined,
    },
  );
  return {
    events,
    failure,
    stop,
    received: (count, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (failed !== undefined) finish(() => reject(failed));
          else if (events.length >= count) finish(() => resolve(events.slice(0, count)));
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new NotYetReceived(
                  `received ${events.length} of ${count} events in ${timeoutMs} ms`,
                ),
              ),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
  };
};

/**
 * graphql-ws does not acknowledge a subscribe, so a test cannot know when the server
 * is listening. This repeats `cause` (each call must cause one new event) until
 * `subscription` has received one, and returns how many times it had to.
 */
export const causeUntilReceived = async <T>(
  subscription: LiveSubscription<T>,
  cause: (attempt: number) => Promise<unknown>,
  { intervalMs = 300, attempts = 50 } = {},
): Promise<number> => {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await cause(attempt);
    try {
      await subscription.received(1, intervalMs);
      return attempt;
    } catch (error) {
      if (!(error instanceof NotYetReceived)) throw error;
    }
  }
  throw new Error(`no event arrived after ${attempts} attempts`);
};
