import { z } from 'zod';

/**
 * Reads typed configuration from the environment. Every service declares its
 * variables as a zod object; a wrong value stops the service at start with a
 * message that names the variable and what was expected.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export const loadConfig = <Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> => {
  const parsed = z.object(shape).safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) =>
      `  ${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])] ?? null)}: ${issue.message}`,
  );
  throw new ConfigurationError(`Invalid configuration:\n${problems.join('\n')}`);
};

/** Variables shared by every service. */
export const commonConfig = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Shared with the router: proves that forwarded caller identity headers came from it. */
  INTERNAL_SERVICE_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('dev-only-internal-service-token'),
};

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);
