import type { SubgraphEndpoint } from '../graphql/supergraph.js';

export type SubgraphStatus = { status: 'up' } | { status: 'down'; reason: string };

export interface Readiness {
  readonly ready: boolean;
  readonly subgraphs: Record<string, SubgraphStatus>;
}

/**
 * Asks each subgraph for `{ __typename }` at the URL the gateway itself uses,
 * so "ready" means every subgraph answers GraphQL there, not just that a
 * process is listening.
 */
const probe = async (url: string, timeoutMs: number): Promise<SubgraphStatus> => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { status: 'down', reason: `answered HTTP ${response.status}` };
    const body = (await response.json()) as { data?: { __typename?: unknown } };
    return body.data?.__typename === 'Query'
      ? { status: 'up' }
      : { status: 'down', reason: 'answered without data for { __typename }' };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    return { status: 'down', reason: cause?.message ?? (error as Error).message };
  }
};

export const checkSubgraphs = async (
  endpoints: readonly SubgraphEndpoint[],
  timeoutMs: number,
): Promise<Readiness> => {
  const statuses = await Promise.all(
    endpoints.map(async ({ name, url }) => [name, await probe(url, timeoutMs)] as const),
  );
  return {
    ready: statuses.every(([, status]) => status.status === 'up'),
    subgraphs: Object.fromEntries(statuses),
  };
};
