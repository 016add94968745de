import { DomainError } from '@simple-securities/shared-kernel';

declare const brand: unique symbol;

/**
 * An email address in canonical form: trimmed and lower-cased, so `Alice@Example.com`
 * and `alice@example.com` are one account (the users table's unique index relies on it).
 */
export type Email = string & { readonly [brand]: 'Email' };

// local@domain.tld: no spaces, one @, a dot-separated domain whose last label has ≥ 2 letters.
const SHAPE =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

/** RFC 5321 limits: 64 characters before the @, 254 in all. */
const MAX_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;

export const isEmail = (raw: string): boolean => {
  const candidate = raw.trim().toLowerCase();
  const local = candidate.split('@')[0] ?? '';
  return (
    candidate.length <= MAX_LENGTH &&
    local.length <= MAX_LOCAL_LENGTH &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..') &&
    SHAPE.test(candidate)
  );
};

export const parseEmail = (raw: string): Email => {
  if (!isEmail(raw)) {
    throw new DomainError('BAD_USER_INPUT', 'Enter a valid email address, like name@example.com.', {
      field: 'email',
    });
  }
  return raw.trim().toLowerCase() as Email;
};
