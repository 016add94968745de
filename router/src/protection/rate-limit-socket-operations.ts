import type { OperationStarter } from '../subscriptions/index.js';
import { rateLimitedBody } from './rate-limit-requests.js';
import type { RateLimits } from './rate-limits.js';

/**
 * Counts each operation a client starts over graphql-ws (a subscription, or a
 * query sent over the socket) against its address's and user's windows, like an
 * HTTP request; one over a limit ends with RATE_LIMITED and its retry delay.
 */
export const rateLimitSocketOperations =
  (limits: RateLimits) =>
  (start: OperationStarter): OperationStarter =>
  (sink, id, payload) => {
    let stopped = false;
    let stop: (() => void) | undefined;
    void limits
      .admit({ address: sink.clientAddress, userId: sink.caller?.userId })
      .then((refusal) => {
        if (stopped) return;
        if (refusal) sink.error(id, rateLimitedBody(refusal).errors);
        else stop = start(sink, id, payload);
      });
    return () => {
      stopped = true;
      stop?.();
    };
  };
