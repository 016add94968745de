/** Postgres `bigint` arrives as a string (node-postgres) or a number (PGlite); ours are safe integers. */
export const toPosition = (value: unknown): number => {
  const position = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
  if (typeof position !== 'number' || !Number.isSafeInteger(position))
    throw new Error(`Log position ${String(value)} is not a safe integer`);
  return position;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
