import type { Caller, Logger } from '@simple-securities/service-kit';
import type { TraceContext } from '../trace/trace-context.js';

/** One router request: who is calling, how to trace it, and its tagged logger. */
export interface RouterContext {
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly caller: Caller | undefined;
  readonly logger: Logger;
}
