/** `Bearer <token>`, case-insensitive, with any whitespace around the token (RFC 6750 §2.1). */
const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization` value, or undefined when it is not a bearer credential. */
export const bearerTokenOf = (authorization: string): string | undefined =>
  BEARER.exec(authorization)?.[1];
