import type { PriceFeed, PriceTick, TickListener } from '@simple-securities/market-data';
import { callerHeaders } from '@simple-securities/service-kit';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A price feed driven by the test: `emit` hands ticks to the service as a real feed would. */
export class ManualPriceFeed implements PriceFeed {
  private listener: TickListener | undefined;

  async start(onTick: TickListener): Promise<void> {
    this.listener = onTick;
  }

  async stop(): Promise<void> {
    this.listener = undefined;
  }

  isLive(): boolean {
    return this.listener !== undefined;
  }

  emit(...ticks: PriceTick[]): void {
    if (!this.listener) throw new Error('the feed has not been started');
    for (const tick of ticks) this.listener(tick);
  }
}

export interface GraphQLResponse<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Posts an operation to a subgraph over HTTP, as the router would (caller headers optional). */
export const postGraphQL = async <Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  /** `service` is the subgraph's name: the audience of the caller assertion. */
  caller?: { userId: string; internalToken: string; service: string },
): Promise<GraphQLResponse<Data>> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(caller
        ? await callerHeaders(
            { userId: caller.userId, roles: ['USER'], permissions: [] },
            caller.internalToken,
            caller.service,
          )
        : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
};

/** A graphql-ws client for a subgraph's `/graphql` endpoint. */
export const graphqlWsClient = (httpUrl: string): Client =>
  createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });

/** Polls until `check` returns something other than undefined. */
export const eventually = async <T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
