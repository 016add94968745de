import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs: pretty in a terminal, one JSON object per line everywhere else.
 * Without a service name the logger is a root whose children each name theirs
 * (`logger.child({ service: 'core' })`), as when all services share one process.
 */
export const createLogger = (service?: string, level = process.env.LOG_LEVEL ?? 'info'): Logger =>
  pino({
    level,
    base: service ? { service } : {},
    ...(process.stdout.isTTY && process.env.CI !== 'true'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
