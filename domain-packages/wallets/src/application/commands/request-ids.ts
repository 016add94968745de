import { DomainError } from '@simple-securities/shared-kernel';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Ids that make a request idempotent come from clients: short, printable and without
 * separators we could confuse. Refused otherwise, naming the field.
 */
export const parseRequestId = (field: string, value: string): string => {
  if (!ID.test(value)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.`,
      { field },
    );
  }
  return value;
};
