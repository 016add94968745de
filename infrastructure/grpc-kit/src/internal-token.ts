import { timingSafeEqual } from 'node:crypto';

/** The metadata entry that carries the internal service token on every internal call. */
export const INTERNAL_TOKEN_METADATA = 'x-internal-token';

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
export const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};
