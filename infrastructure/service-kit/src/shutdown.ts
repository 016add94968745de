import { ConfigurationError } from './config.js';
import type { Logger } from 'pino';

/** How long stopping may take after a fatal error before the process exits anyway. */
const FATAL_STOP_TIMEOUT_MS = 10_000;

/**
 * Stops everything cleanly on Ctrl-C / SIGTERM: `stop` lets in-flight work
 * finish and closes connections. A second signal exits at once.
 *
 * An error nothing caught (an exception, or a rejected promise nobody awaited)
 * leaves the process in a state no one reasoned about, so it is logged at fatal
 * with its cause, the services stop as they would on a signal, and the process
 * exits with 1: never silently, and never half running.
 */
export const stopOnSignals = (logger: Logger, stop: () => Promise<void>): void => {
  let stopping = false;
  let exitCode = 0;
  const stopAndExit = () => {
    stopping = true;
    stop().then(
      () => {
        logger.info('shut down cleanly');
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal received, exiting without waiting');
      process.exit(130);
    }
    logger.info({ signal }, 'shutting down: finishing in-flight requests and closing connections');
    stopAndExit();
  };
  const onFatalError = (error: unknown, origin: string) => {
    logger.fatal(
      { err: error, origin },
      'stopping every service: an error was not handled by the code that raised it',
    );
    exitCode = 1;
    if (stopping) return;
    setTimeout(() => {
      logger.fatal(`services did not stop within ${FATAL_STOP_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, FATAL_STOP_TIMEOUT_MS).unref();
    stopAndExit();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('uncaughtException', onFatalError);
  process.on('unhandledRejection', (reason) => onFatalError(reason, 'unhandledRejection'));
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
