import { DomainError } from '@simple-securities/shared-kernel';

declare const brand: unique symbol;

/**
 * How the user is shown to others: trimmed, 1–100 characters, with no control
 * characters and no invisible formatting ones (bidi overrides, zero-width
 * spaces and joiners): those make a name render as something other than what
 * it is, the classic way to pass for someone else.
 */
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
  if (/\p{Cf}/u.test(name)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      'Leave invisible characters (direction overrides, zero-width spaces or joiners) out of your display name.',
      { field: 'displayName' },
    );
  }
  return name as DisplayName;
};
