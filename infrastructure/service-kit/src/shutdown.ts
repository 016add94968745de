import { ConfigurationError } from './config.js';
import type { Logger } from 'pino';

/**
 * Stops everything cleanly on Ctrl-C / SIGTERM: `stop` lets in-flight work
 * finish and closes connections. A second signal exits at once.
 */
export const stopOnSignals = (logger: Logger, stop: () => Promise<void>): void => {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal received, exiting without waiting');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and closing connections');
    stop().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
};

/**
 * Runs a service's start-up and reports a failure in plain words: a bad
 * configuration names the variable, anything else is logged with its cause.
 */
export const runMain = (service: string, main: () => Promise<void>): void => {
  main().catch((error: unknown) => {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${service} cannot start. ${error.message}\n`);
    } else {
      process.stderr.write(
        `${service} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  });
};
