import type { Caller, Logger } from '@simple-securities/service-kit';
import { formatTraceparent, type TraceContext } from '../trace/trace-context.js';

/** One router request: who is calling, how to trace it, and its tagged logger. */
export interface RouterContext {
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly caller: Caller | undefined;
  /** The peer address of the client's connection; forwarded, signed, to subgraphs. */
  readonly clientAddress?: string | undefined;
  readonly logger: Logger;
}

/**
 * A request's context whose tagged logger is made the first time something
 * logs: most requests log nothing, and a pino child per request showed in the
 * router's CPU profile. The logger is kept in a plain field so that a copy of
 * the context (Apollo copies it for `executeOperation`) keeps working.
 */
class LazyLoggerContext implements RouterContext {
  private taggedLogger: Logger | undefined = undefined;

  constructor(
    private readonly baseLogger: Logger,
    readonly requestId: string,
    readonly trace: TraceContext,
    readonly caller: Caller | undefined,
    readonly clientAddress: string | undefined,
  ) {}

  get logger(): Logger {
    this.taggedLogger ??= this.baseLogger.child({
      requestId: this.requestId,
      traceparent: formatTraceparent(this.trace),
      ...(this.caller && { userId: this.caller.userId }),
    });
    return this.taggedLogger;
  }
}

/** The context of one request; its log lines carry the request id, trace and caller. */
export const routerContext = (
  logger: Logger,
  { requestId, trace, caller, clientAddress }: Omit<RouterContext, 'logger'>,
): RouterContext => new LazyLoggerContext(logger, requestId, trace, caller, clientAddress);
