/**
 * The secrets of the stack `postgres-stack.ts` runs, known to the runner too: it verifies
 * a user's access token and signs the caller assertions the router would forward, to
 * call a subgraph directly. Benchmark-only values, never those of a deployment.
 */
export const BENCH_STACK_SECRETS = {
  JWT_SECRET: 'bench-jwt-secret-at-least-32-characters-long',
  INTERNAL_SERVICE_TOKEN: 'bench-internal-service-token-at-least-32-chars',
} as const;
