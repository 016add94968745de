import type { RequestHandler } from 'express';
import type { Caller } from '@simple-securities/service-kit';
import type { RateLimitRefusal, RateLimits } from './rate-limits.js';

export const RATE_LIMITED = 'RATE_LIMITED';

/** The body of a refused request: a GraphQL response with only errors. */
export const rateLimitedBody = (refusal: RateLimitRefusal) => ({
  errors: [
    {
      message: refusal.message,
      extensions: { code: RATE_LIMITED, retryAfterSeconds: refusal.retryAfterSeconds },
    },
  ],
});

/**
 * Counts every GraphQL request (queries, mutations, subscriptions over server-sent
 * events) before its body is read, and answers one over a limit with HTTP 429,
 * `Retry-After` and RATE_LIMITED. `callerOf` reads the bearer token; a token that
 * is not valid counts for its address only (the request is refused with 401 later).
 */
export const rateLimitRequests =
  (
    limits: RateLimits,
    callerOf: (authorization: string | undefined) => Promise<Caller | undefined>,
    onRefused: (code: string) => void,
  ): RequestHandler =>
  (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    callerOf(req.headers.authorization)
      .catch(() => undefined)
      .then((caller) => limits.admit({ address: req.socket.remoteAddress, userId: caller?.userId }))
      .then((refusal) => {
        if (!refusal) return next();
        onRefused(RATE_LIMITED);
        res
          .status(429)
          .setHeader('retry-after', String(refusal.retryAfterSeconds))
          .json(rateLimitedBody(refusal));
      })
      .catch(next);
  };
