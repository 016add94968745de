import { DomainError } from '@simple-securities/shared-kernel';

declare const brand: unique symbol;

/** How the user is shown to others: trimmed, 1–100 characters, no control characters. */
export type DisplayName = string & { readonly [brand]: 'DisplayName' };

export const MAX_DISPLAY_NAME_LENGTH = 100;

export const parseDisplayName = (raw: string): DisplayName => {
  const name = raw.trim().replace(/\s+/g, ' ');
  const length = [...name].length;
  if (length === 0 || length > MAX_DISPLAY_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Enter a display name of 1 to ${MAX_DISPLAY_NAME_LENGTH} characters.`,
      { field: 'displayName' },
    );
  }
  return name as DisplayName;
};
