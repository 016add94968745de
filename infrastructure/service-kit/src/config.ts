import { z } from 'zod';

/**
 * Reads typed configuration from the environment. Every service declares its
 * variables as a zod object; a wrong value stops the service at start with a
 * message that names the variable and what was expected.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Secrets with public defaults, so that `npm start` works on a fresh clone. They
 * are refused wherever the stack is not a local demo (see `allowsDevelopmentSecrets`).
 */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-in-production',
  INTERNAL_SERVICE_TOKEN: 'dev-only-internal-service-token',
} as const;

const isProduction = (env: Readonly<Record<string, string | undefined>>) =>
  env.NODE_ENV === 'production';

/**
 * Whether the documented demo users are created: `SEED_DEMO_DATA` when set,
 * otherwise on everywhere but under `NODE_ENV=production`.
 */
export const seedsDemoData = (env: Readonly<Record<string, string | undefined>>): boolean => {
  const setting = env.SEED_DEMO_DATA?.trim().toLowerCase();
  if (setting === undefined || setting === '') return !isProduction(env);
  return ['true', '1', 'yes', 'on', 'y', 'enabled'].includes(setting);
};

/** Development secrets are accepted only by a local demo: not in production, and only while demo data is seeded. */
export const allowsDevelopmentSecrets = (env: Readonly<Record<string, string | undefined>>) =>
  !isProduction(env) && seedsDemoData(env);

const developmentSecretProblems = (
  config: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): string[] => {
  if (allowsDevelopmentSecrets(env)) return [];
  const why = isProduction(env) ? 'NODE_ENV=production' : 'SEED_DEMO_DATA is off';
  return Object.entries(DEVELOPMENT_SECRETS)
    .filter(([name, value]) => config[name] === value)
    .map(
      ([name]) =>
        `  ${name}: is the public development default, refused because ${why}; set your own secret (e.g. \`openssl rand -base64 48\`).`,
    );
};

export const loadConfig = <Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> => {
  const parsed = z.object(shape).safeParse(env);
  const problems = parsed.success
    ? developmentSecretProblems(parsed.data, env)
    : parsed.error.issues.map(
        (issue) =>
          `  ${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])] ?? null)}: ${issue.message}`,
      );
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new ConfigurationError(`Invalid configuration:\n${problems.join('\n')}`);
};

/** Variables shared by every service. */
export const commonConfig = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Shared with the router: the key of the caller assertions it signs for the subgraphs. */
  INTERNAL_SERVICE_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(DEVELOPMENT_SECRETS.INTERNAL_SERVICE_TOKEN),
};

/**
 * Where counters shared by several processes live (the router's rate limits,
 * core's sign-in throttling); each process counts on its own when it is unset.
 */
export const redisConfig = {
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
};

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);
