import { DomainError, MAX_PAGE_SIZE } from '@simple-securities/shared-kernel';

export const checkPageSize = (first: number): void => {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new DomainError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
};
