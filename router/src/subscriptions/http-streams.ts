import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { SubscribePayload } from 'graphql-ws';
import type { Logger } from '@simple-securities/service-kit';
import type { ConnectionAuthenticator, ConnectionIdentity } from './authenticate-connection.js';
import { HttpStream, type HttpStreamHost, type StartOutcome } from './http-stream.js';
import {
  distinctEventStream,
  multipartSubscription,
  singleConnectionEventStream,
  type StreamFormat,
} from './stream-formats.js';

export interface ReservationLimits {
  /** A reservation whose event stream has not been opened by then is dropped. */
  readonly reservationTimeoutMs: number;
  /** Reservations waiting for their stream, all callers together; more are refused until some are used or expire. */
  readonly maxPendingReservations: number;
}

/** The one-operation protocols: the response carries one operation, start to end. */
export type OneOperationProtocol = 'event-stream' | 'multipart';

const FORMAT_OF = { 'event-stream': distinctEventStream, multipart: multipartSubscription };

interface Reservation {
  readonly identity: ConnectionIdentity;
  readonly expiry: ReturnType<typeof setTimeout>;
  stream?: HttpStream;
}

/** Why a request about a reservation cannot be served. */
export type ReservationProblem = 'unknown-token' | 'already-open' | 'other-caller' | 'not-open';

/**
 * Every operation a client streams over plain HTTP: one-operation responses
 * (GraphQL over SSE's distinct connections mode, Apollo's multipart
 * subscriptions) and the reservations of GraphQL over SSE's single connection
 * mode, whose token stands for the caller who reserved it.
 */
export class HttpStreams {
  private readonly streams = new Set<HttpStream>();
  private readonly reservations = new Map<string, Reservation>();
  /** Reservations whose stream has not been opened yet. */
  private pending = 0;
  private readonly host: HttpStreamHost;

  constructor(
    host: Omit<HttpStreamHost, 'forget'>,
    private readonly limits: ReservationLimits,
    /** Who a request's `Authorization` header speaks for; throws UNAUTHENTICATED. */
    private readonly authenticate: ConnectionAuthenticator,
    private readonly logger: Logger,
  ) {
    this.host = { ...host, forget: (stream) => this.streams.delete(stream) };
  }

  get count(): number {
    return this.streams.size;
  }

  get subscriptionCount(): number {
    let count = 0;
    for (const stream of this.streams) count += stream.subscriptionCount;
    return count;
  }

  identify(authorization: string | undefined): Promise<ConnectionIdentity> {
    return this.authenticate({ authorization });
  }

  /** Streams one operation on `response`, which ends with it. */
  serveOne(
    protocol: OneOperationProtocol,
    identity: ConnectionIdentity,
    payload: SubscribePayload,
    response: http.ServerResponse,
  ): void {
    const stream = this.open(response, identity, FORMAT_OF[protocol]);
    stream.start(protocol, payload);
  }

  /** A one-time token for an event stream of `identity`'s, or undefined when too many wait. */
  reserve(identity: ConnectionIdentity): string | undefined {
    if (this.pending >= this.limits.maxPendingReservations) return undefined;
    const token = randomBytes(24).toString('base64url');
    const expiry = setTimeout(() => {
      const reservation = this.reservations.get(token);
      if (reservation && !reservation.stream) {
        this.reservations.delete(token);
        this.pending -= 1;
      }
    }, this.limits.reservationTimeoutMs);
    expiry.unref();
    this.reservations.set(token, { identity, expiry });
    this.pending += 1;
    return token;
  }

  /** Opens the event stream of reservation `token` on `response`. */
  connect(
    token: string,
    identity: ConnectionIdentity,
    response: http.ServerResponse,
  ): 'connected' | ReservationProblem {
    const reservation = this.reservations.get(token);
    if (!reservation) return 'unknown-token';
    if (reservation.stream) return 'already-open';
    if (!sameCaller(reservation.identity, identity)) return 'other-caller';
    clearTimeout(reservation.expiry);
    this.pending -= 1;
    const stream = this.open(response, reservation.identity, singleConnectionEventStream);
    reservation.stream = stream;
    response.once('close', () => this.reservations.delete(token));
    return 'connected';
  }

  /** Starts an operation on the open stream of reservation `token`. */
  startOn(
    token: string,
    identity: ConnectionIdentity,
    operationId: string,
    payload: SubscribePayload,
  ): ReservationProblem | StartOutcome {
    const found = this.openStreamOf(token, identity);
    return typeof found === 'string' ? found : found.start(operationId, payload);
  }

  /** Stops operation `operationId` on the stream of reservation `token`. */
  stopOn(
    token: string,
    identity: ConnectionIdentity,
    operationId: string,
  ): ReservationProblem | 'stopped' | 'not-running' {
    const found = this.openStreamOf(token, identity);
    if (typeof found === 'string') return found;
    return found.stop(operationId) ? 'stopped' : 'not-running';
  }

  /** Ends every stream without a result, e.g. when the router shuts down. */
  close(): void {
    for (const stream of [...this.streams]) stream.close();
    for (const { expiry } of this.reservations.values()) clearTimeout(expiry);
    this.reservations.clear();
    this.pending = 0;
  }

  private open(
    response: http.ServerResponse,
    identity: ConnectionIdentity,
    format: StreamFormat,
  ): HttpStream {
    const stream = new HttpStream(response, identity.caller, identity.expiresAt, format, this.host);
    this.streams.add(stream);
    return stream;
  }

  private openStreamOf(
    token: string,
    identity: ConnectionIdentity,
  ): HttpStream | Exclude<ReservationProblem, 'already-open'> {
    const reservation = this.reservations.get(token);
    if (!reservation) return 'unknown-token';
    if (!sameCaller(reservation.identity, identity)) {
      this.logger.info(
        { reservedFor: reservation.identity.caller?.userId ?? 'anonymous' },
        'refused an operation on an event stream reserved for another caller',
      );
      return 'other-caller';
    }
    return reservation.stream ?? 'not-open';
  }
}

/** A request with no token is its reservation's caller (the token is the ticket); one with a token must be the same user. */
const sameCaller = (reserved: ConnectionIdentity, presented: ConnectionIdentity) =>
  presented.caller === undefined || presented.caller.userId === reserved.caller?.userId;
