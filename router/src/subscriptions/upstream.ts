import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { callerHeaders, callerKey, type Caller, type Logger } from '@simple-securities/service-kit';

export interface UpstreamOptions {
  readonly internalToken: string;
  readonly logger: Logger;
  /** Reconnection attempts to a subgraph before its subscriptions end with an error. */
  readonly retryAttempts: number;
  /** First reconnection delay; it doubles with each attempt, up to 10 s, with jitter. */
  readonly retryBaseDelayMs: number;
}

export interface UpstreamSink {
  next(result: FormattedExecutionResult): void;
  /** The subgraph refused the subscription, or stayed unreachable through every retry. */
  error(errors: readonly GraphQLFormattedError[]): void;
  complete(): void;
}

interface PooledClient {
  readonly client: Client;
  users: number;
}

const webSocketUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/**
 * One graphql-ws connection per subgraph and forwarded identity; subscriptions
 * multiplex over it. A dropped connection is re-established with exponential
 * backoff and every subscription on it is re-sent, so a subgraph restart is a
 * gap in the stream rather than a silent end.
 */
export class UpstreamPool {
  private readonly clients = new Map<string, PooledClient>();

  constructor(private readonly options: UpstreamOptions) {}

  subscribe(
    subgraph: string,
    httpUrl: string,
    caller: Caller | undefined,
    request: { query: string; variables: Record<string, unknown>; operationName?: string },
    sink: UpstreamSink,
  ): () => void {
    const key = `${subgraph}\u0000${callerKey(caller)}`;
    const pooled = this.clients.get(key) ?? this.connect(key, subgraph, httpUrl, caller);
    pooled.users += 1;
    let released = false;
    const unsubscribe = pooled.client.subscribe<Record<string, unknown>>(request, {
      next: (result) => sink.next(result as FormattedExecutionResult),
      error: (error) => {
        this.options.logger.warn(
          { subgraph, reason: describe(error) },
          'a subgraph subscription ended with an error',
        );
        sink.error(
          Array.isArray(error)
            ? (error as GraphQLFormattedError[])
            : [
                {
                  message: `The ${subgraph} service that streams this subscription is unavailable; subscribe again later.`,
                  extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
                },
              ],
        );
      },
      complete: () => sink.complete(),
    });
    return () => {
      if (released) return;
      released = true;
      unsubscribe();
      pooled.users -= 1;
      if (pooled.users === 0) {
        this.clients.delete(key);
        void pooled.client.dispose();
      }
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map(({ client }) => client.dispose()));
    this.clients.clear();
  }

  private connect(
    key: string,
    subgraph: string,
    httpUrl: string,
    caller: Caller | undefined,
  ): PooledClient {
    const { logger, retryAttempts, retryBaseDelayMs, internalToken } = this.options;
    const client = createClient({
      url: webSocketUrl(httpUrl),
      webSocketImpl: WebSocket,
      // Asked on every (re)connection, so a reconnect presents a fresh assertion.
      connectionParams: async () => (caller ? callerHeaders(caller, internalToken, subgraph) : {}),
      lazy: true,
      lazyCloseTimeout: 0,
      keepAlive: 10_000,
      retryAttempts,
      shouldRetry: () => true,
      retryWait: async (retries) => {
        const delay =
          Math.min(retryBaseDelayMs * 2 ** retries, 10_000) * (0.75 + Math.random() / 2);
        logger.warn(
          { subgraph, attempt: retries + 1, delayMs: Math.round(delay) },
          'reconnecting to a subgraph',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      },
      on: {
        connected: () =>
          logger.debug({ subgraph }, 'subscription connection to a subgraph is open'),
      },
    });
    const pooled = { client, users: 0 };
    this.clients.set(key, pooled);
    return pooled;
  }
}

const describe = (error: unknown): string => {
  if (Array.isArray(error)) return error.map((e: { message?: string }) => e.message).join('; ');
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    return `connection closed (${String(error.code)}${error.reason ? `: ${String(error.reason)}` : ''})`;
  }
  return error instanceof Error ? error.message : String(error);
};
