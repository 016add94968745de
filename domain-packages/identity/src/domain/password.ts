import { DomainError } from '@simple-securities/shared-kernel';

declare const brand: unique symbol;

/** A password that meets the rules below; only ever held in memory until it is hashed. */
export type Password = string & { readonly [brand]: 'Password' };

export const MIN_PASSWORD_LENGTH = 10;
/** Hashing cost grows with length; the cap keeps one request from tying up the hasher. */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Length does most of the work (NIST SP 800-63B); on top of that we ask for a mix of
 * letters and non-letters and refuse passwords made of one repeated character, which
 * rules out the most common guesses without composition rules people work around.
 */
const weakness = (raw: string, email: string | undefined): string | undefined => {
  const length = [...raw].length;
  if (length < MIN_PASSWORD_LENGTH)
    return `Use at least ${MIN_PASSWORD_LENGTH} characters for your password.`;
  if (length > MAX_PASSWORD_LENGTH)
    return `Use at most ${MAX_PASSWORD_LENGTH} characters for your password.`;
  if (!/\p{L}/u.test(raw) || !/[^\p{L}]/u.test(raw))
    return 'Mix letters with digits, spaces or symbols in your password.';
  if (new Set(raw.toLowerCase()).size < 4) return 'Use more different characters in your password.';
  // NUL and other control characters cannot be typed, and some hashers stop reading at NUL.
  if (/\p{Cc}/u.test(raw)) return 'Leave control characters (such as NUL) out of your password.';
  if (email !== undefined && raw.trim().toLowerCase() === email.trim().toLowerCase())
    return 'Choose a password other than your email address.';
  return undefined;
};

/** `email`, when given, is the account's: a password equal to it is the first one guessed. */
export const parsePassword = (raw: string, email?: string): Password => {
  const problem = weakness(raw, email);
  if (problem) throw new DomainError('BAD_USER_INPUT', problem, { field: 'password' });
  return raw as Password;
};
