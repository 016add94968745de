import type { Request, RequestHandler } from 'express';
import type { Logger } from '@simple-securities/service-kit';
import type { HttpStreams } from '../subscriptions/index.js';
import { readGraphQLRequest, sendGraphQLError, sendUnauthenticated } from './graphql-request.js';

/**
 * Whether the `Accept` header asks for Apollo's multipart subscriptions:
 * `multipart/mixed` with `subscriptionSpec=1.0` (quoted or not), as Apollo
 * Client and Apollo Router send it.
 */
export const asksForMultipartSubscription = (req: Request): boolean =>
  (req.headers.accept ?? '')
    .split(',')
    .some(
      (type) =>
        /^\s*multipart\/mixed\s*(;|$)/i.test(type) &&
        /;\s*subscriptionSpec\s*=\s*"?1\.0"?/i.test(type),
    );

/**
 * Apollo's multipart HTTP subscriptions: a POST to `/graphql` whose `Accept`
 * asks for `multipart/mixed;subscriptionSpec="1.0"` gets its operation's
 * results as `{"payload": …}` parts of one response, `{}` heartbeats while
 * nothing happens, and the closing boundary at the end. Auth, limits, shared
 * streams and privacy are those of graphql-ws; a request that is not GraphQL
 * is 400 `BAD_REQUEST`, a bad token 401 `UNAUTHENTICATED`, before anything
 * streams. Every other request goes on to the GraphQL endpoint.
 */
export const serveMultipartSubscriptions =
  (streams: HttpStreams, logger: Logger): RequestHandler =>
  (req, res, next) => {
    if (req.method !== 'POST' || !asksForMultipartSubscription(req)) return next();
    void (async () => {
      let identity;
      try {
        identity = await streams.identify(req.headers.authorization);
      } catch (error) {
        logger.info(
          { reason: (error as Error).message },
          'refused a multipart subscription: bad token',
        );
        return sendUnauthenticated(res, error);
      }
      const read = readGraphQLRequest(req);
      if ('problem' in read) return sendGraphQLError(res, 400, read.problem, 'BAD_REQUEST');
      streams.serveOne('multipart', identity, read.request, res);
    })().catch(next);
  };
