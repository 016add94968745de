import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs: pretty in a terminal, one JSON object per line everywhere else. */
export const createLogger = (service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger =>
  pino({
    name: service,
    level,
    base: { service },
    ...(process.stdout.isTTY && process.env.CI !== 'true'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
