import type { z } from 'zod';
import { DomainError } from '@simple-securities/shared-kernel';

/**
 * Validates a GraphQL argument at the edge. A failure is a BAD_USER_INPUT error
 * naming each offending field, so the client can fix the request.
 */
export const parseInput = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new DomainError('BAD_USER_INPUT', problems.join('; '), {
    fields: result.error.issues.map((issue) => issue.path.join('.')),
  });
};
