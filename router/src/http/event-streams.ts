import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '@simple-securities/service-kit';
import type { HttpStreams, ReservationProblem, StartOutcome } from '../subscriptions/index.js';
import { readGraphQLRequest, sendGraphQLError, sendUnauthenticated } from './graphql-request.js';

/** Where graphql-sse's client sends its reservation token (or `?token=` for an EventSource). */
export const EVENT_STREAM_TOKEN_HEADER = 'x-graphql-event-stream-token';

const tokenOf = (req: Request): string | undefined => {
  const header = req.headers[EVENT_STREAM_TOKEN_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const query = new URL(req.originalUrl, 'http://localhost').searchParams.get('token');
  return query || undefined;
};

const asksForEvents = (req: Request) => req.headers.accept?.includes('text/event-stream') === true;

/** What a client of a reservation is told when its request cannot be served. */
const REFUSALS: Record<
  ReservationProblem | Exclude<StartOutcome, 'started'>,
  readonly [status: number, message: string, code: string]
> = {
  'unknown-token': [
    404,
    'No event stream is reserved under this token (it expired or its stream ended); reserve another with PUT.',
    'NOT_FOUND',
  ],
  'already-open': [409, 'The event stream of this reservation is already open.', 'CONFLICT'],
  'other-caller': [403, 'This event stream was reserved by another user.', 'FORBIDDEN'],
  'not-open': [
    409,
    'Open the event stream of this reservation (GET with Accept: text/event-stream) before sending operations.',
    'CONFLICT',
  ],
  duplicate: [409, 'An operation with this operationId is already running.', 'CONFLICT'],
  full: [
    400,
    'This event stream already runs as many operations as it may; stop some or reserve another stream.',
    'BAD_REQUEST',
  ],
  ended: [404, 'The event stream of this reservation has ended.', 'NOT_FOUND'],
};

const refuse = (res: Response, outcome: keyof typeof REFUSALS) => {
  const [status, message, code] = REFUSALS[outcome];
  sendGraphQLError(res, status, message, code);
};

/**
 * GraphQL over server-sent events, as graphql-sse speaks it, in both modes:
 *
 * - distinct connections: a GET or POST asking for `text/event-stream` without
 *   a token is one operation, streamed on its own response;
 * - single connection: `PUT` reserves a stream and answers its token; a GET
 *   (or POST) asking for `text/event-stream` with the token opens it; a POST
 *   with the token and `extensions.operationId` starts an operation on it
 *   (202); `DELETE ?operationId=` with the token stops one.
 *
 * Every other request goes on to the GraphQL endpoint. The token, the
 * operation and the limits are checked as for graphql-ws; whatever a client
 * sends wrong is answered on its own request and ends nothing else.
 */
export const serveEventStreams =
  (streams: HttpStreams, logger: Logger): RequestHandler =>
  (req, res, next) => {
    const token = tokenOf(req);
    const opensAStream = asksForEvents(req) && (req.method === 'GET' || req.method === 'POST');
    const isReservation = req.method === 'PUT';
    const isReservedOperation = token !== undefined && req.method === 'POST' && !opensAStream;
    const stopsAnOperation = req.method === 'DELETE';
    if (!opensAStream && !isReservation && !isReservedOperation && !stopsAnOperation) return next();

    void (async () => {
      let identity;
      try {
        identity = await streams.identify(req.headers.authorization);
      } catch (error) {
        logger.info({ reason: (error as Error).message }, 'refused an event stream: bad token');
        return sendUnauthenticated(res, error);
      }

      if (isReservation) {
        const reserved = streams.reserve(identity);
        if (reserved === undefined) {
          logger.warn('refused an event stream reservation: too many are waiting for their stream');
          return sendGraphQLError(
            res,
            503,
            'The router holds too many unused event stream reservations; try again shortly.',
            'SERVICE_UNAVAILABLE',
            { 'retry-after': '5' },
          );
        }
        return void res.status(201).type('text/plain').send(reserved);
      }

      if (stopsAnOperation) {
        const operationId = new URL(req.originalUrl, 'http://localhost').searchParams.get(
          'operationId',
        );
        if (token === undefined || !operationId) {
          return sendGraphQLError(
            res,
            400,
            `Stopping an operation needs the ${EVENT_STREAM_TOKEN_HEADER} header and ?operationId=.`,
            'BAD_REQUEST',
          );
        }
        const outcome = streams.stopOn(token, identity, operationId);
        if (outcome === 'stopped' || outcome === 'not-running') return void res.status(200).end();
        return refuse(res, outcome);
      }

      if (opensAStream && token !== undefined) {
        const outcome = streams.connect(token, identity, res);
        return outcome === 'connected' ? undefined : refuse(res, outcome);
      }

      const read = readGraphQLRequest(req);
      if ('problem' in read) return sendGraphQLError(res, 400, read.problem, 'BAD_REQUEST');
      if (opensAStream) return streams.serveOne('event-stream', identity, read.request, res);

      const operationId = read.request.extensions?.operationId;
      if (typeof operationId !== 'string' || operationId === '' || operationId.length > 128) {
        return sendGraphQLError(
          res,
          400,
          'An operation for a reserved event stream needs extensions.operationId: a string of 1 to 128 characters.',
          'BAD_REQUEST',
        );
      }
      const outcome = streams.startOn(token ?? '', identity, operationId, read.request);
      if (outcome === 'started') return void res.status(202).end();
      return refuse(res, outcome);
    })().catch(next);
  };
