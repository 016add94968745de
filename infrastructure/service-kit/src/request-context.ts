import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { type Caller, callerFromHeaders } from './caller.js';

/** What every resolver gets: who is calling, and a logger that tags each line with the request. */
export interface RequestContext {
  readonly requestId: string;
  readonly traceparent: string | undefined;
  readonly caller: Caller | undefined;
  readonly logger: Logger;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const requestContextFrom = (
  headers: IncomingHttpHeaders,
  logger: Logger,
  internalToken: string,
): RequestContext => {
  const requestId = single(headers[REQUEST_ID_HEADER]) ?? randomUUID();
  const traceparent = single(headers[TRACEPARENT_HEADER]);
  const caller = callerFromHeaders(headers, internalToken);
  return {
    requestId,
    traceparent,
    caller,
    logger: logger.child({
      requestId,
      ...(traceparent ? { traceparent } : {}),
      ...(caller ? { userId: caller.userId } : {}),
    }),
  };
};
