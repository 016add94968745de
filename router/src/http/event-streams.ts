import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { SubscriptionEndpoint } from '../subscriptions/index.js';

const jsonObject = z.record(z.string(), z.unknown());

/** A GraphQL request as GraphQL over SSE sends it: the same fields as over HTTP. */
const eventStreamRequest = z.object({
  query: z.string().min(1, 'The request has no query.'),
  variables: jsonObject.nullish(),
  operationName: z.string().nullish(),
  extensions: jsonObject.nullish(),
});

const fromSearchParams = (url: string): unknown => {
  const params = new URL(url, 'http://localhost').searchParams;
  const json = (name: string) => {
    const value = params.get(name);
    if (value === null) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return {
    query: params.get('query') ?? undefined,
    variables: json('variables'),
    operationName: params.get('operationName') ?? undefined,
    extensions: json('extensions'),
  };
};

/**
 * Answers requests that ask for `text/event-stream` as GraphQL over SSE
 * (distinct connections mode: one operation per request, GET or POST); every
 * other request goes on to the GraphQL endpoint. A client's request is checked
 * here; its token, the operation and the limits are checked as for graphql-ws.
 */
export const serveEventStreams =
  (subscriptions: SubscriptionEndpoint): RequestHandler =>
  (req, res, next) => {
    const accept = req.headers.accept;
    const asksForEvents = accept !== undefined && accept.includes('text/event-stream');
    if (!asksForEvents || (req.method !== 'GET' && req.method !== 'POST')) return next();
    const parsed = eventStreamRequest.safeParse(
      req.method === 'GET' ? fromSearchParams(req.originalUrl) : req.body,
    );
    if (!parsed.success) {
      const problem = parsed.error.issues[0];
      res.status(400).json({
        errors: [
          {
            message: `Not a GraphQL request: ${problem?.path.join('.') || 'body'}: ${problem?.message ?? 'invalid'}`,
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      });
      return;
    }
    const { query, variables, operationName, extensions } = parsed.data;
    subscriptions
      .serveEventStream(
        {
          authorization: req.headers.authorization,
          payload: {
            query,
            ...(variables ? { variables } : {}),
            ...(operationName ? { operationName } : {}),
            ...(extensions ? { extensions } : {}),
          },
        },
        res,
      )
      .catch(next);
  };
