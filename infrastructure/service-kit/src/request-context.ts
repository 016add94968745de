import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { type Caller, callerFromHeaders } from './caller.js';
import { clientAddressFromHeaders } from './client-address.js';

/** What every resolver gets: who is calling, and a logger that tags each line with the request. */
export interface RequestContext {
  readonly requestId: string;
  readonly traceparent: string | undefined;
  readonly caller: Caller | undefined;
  /** The client's address, when the router forwarded it (see `clientAddressHeaders`). */
  readonly clientAddress?: string | undefined;
  readonly logger: Logger;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The context of one request to the subgraph `service`. A caller assertion that
 * does not verify leaves the request anonymous, and says so in the log: it comes
 * from a client that reached the subgraph directly, or from a router with another
 * internal token.
 */
export const requestContextFrom = async (
  headers: IncomingHttpHeaders,
  logger: Logger,
  internalToken: string,
  service: string,
): Promise<RequestContext> => {
  const requestId = single(headers[REQUEST_ID_HEADER]) ?? randomUUID();
  const traceparent = single(headers[TRACEPARENT_HEADER]);
  const tagged = logger.child({ requestId, ...(traceparent ? { traceparent } : {}) });
  let caller: Caller | undefined;
  try {
    caller = await callerFromHeaders(headers, internalToken, service);
  } catch (error) {
    tagged.warn(
      { reason: (error as Error).message },
      'ignored a forwarded caller identity: the request is served as anonymous',
    );
  }
  return {
    requestId,
    traceparent,
    caller,
    clientAddress: clientAddressFromHeaders(headers, internalToken, service),
    logger: caller ? tagged.child({ userId: caller.userId }) : tagged,
  };
};
