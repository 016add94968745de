import type { GraphQLFormattedError } from 'graphql';

/**
 * How one HTTP streaming protocol writes an operation's messages. The stream
 * (http-stream.ts) decides when to write; a format only decides the bytes.
 */
export interface StreamFormat {
  readonly headers: Readonly<Record<string, string>>;
  /** Whether the response ends with its operation (one operation per request). */
  readonly oneOperation: boolean;
  /** Written first, with the headers. */
  readonly opening: string;
  /** Written every keep-alive interval so that proxies do not close an idle stream. */
  readonly keepAlive: string;
  /** Written last, when the response ends. */
  readonly end: string;
  /**
   * The writer of operation `id`'s events: called once per subscription, so
   * an event costs each client one copy of the pre-serialised result.
   */
  eventsOf(id: string): (payload: Buffer) => Buffer;
  /** A single result (of a query or mutation). */
  result(id: string, payloadJson: string): string;
  /** Operation `id` ended with these GraphQL errors (it did not validate, or its source failed). */
  errors(id: string, errors: readonly GraphQLFormattedError[]): string;
  complete(id: string): string;
  /** The router ends the whole stream for a reason of its own (e.g. the session expired). */
  ended(ids: readonly string[], errors: readonly GraphQLFormattedError[]): string;
}

const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies not to buffer the stream.
  'x-accel-buffering': 'no',
} as const;

const NEXT = Buffer.from('event: next\ndata: ');
const END_OF_EVENT = Buffer.from('\n\n');
const nextEvent = (dataJson: string) => `event: next\ndata: ${dataJson}\n\n`;

/** GraphQL over SSE, distinct connections mode: the operation's results, then `complete`. */
export const distinctEventStream: StreamFormat = {
  headers: EVENT_STREAM_HEADERS,
  oneOperation: true,
  opening: '',
  keepAlive: ':\n\n',
  end: '',
  eventsOf: () => (payload) => Buffer.concat([NEXT, payload, END_OF_EVENT]),
  result: (_id, payloadJson) => nextEvent(payloadJson),
  errors: (_id, errors) => nextEvent(JSON.stringify({ errors })),
  complete: () => 'event: complete\ndata:\n\n',
  ended: (ids, errors) =>
    ids
      .map((id) => distinctEventStream.errors(id, errors) + distinctEventStream.complete(id))
      .join(''),
};

/**
 * GraphQL over SSE, single connection mode: every operation of a reservation
 * on one stream, each message tagged with the operation id the client chose.
 */
export const singleConnectionEventStream: StreamFormat = {
  headers: EVENT_STREAM_HEADERS,
  oneOperation: false,
  opening: '',
  keepAlive: ':\n\n',
  end: '',
  eventsOf: (id) => {
    const prefix = Buffer.from(`event: next\ndata: {"id":${JSON.stringify(id)},"payload":`);
    const suffix = Buffer.from('}\n\n');
    return (payload) => Buffer.concat([prefix, payload, suffix]);
  },
  result: (id, payloadJson) => nextEvent(`{"id":${JSON.stringify(id)},"payload":${payloadJson}}`),
  errors: (id, errors) => nextEvent(JSON.stringify({ id, payload: { errors } })),
  complete: (id) => `event: complete\ndata: ${JSON.stringify({ id })}\n\n`,
  ended: (ids, errors) =>
    ids
      .map(
        (id) =>
          singleConnectionEventStream.errors(id, errors) + singleConnectionEventStream.complete(id),
      )
      .join(''),
};

/**
 * Each part is followed at once by the next delimiter, as Apollo Router
 * writes them: a client's parser treats a part as whole when it sees the
 * delimiter after it, so an event is read as soon as it arrives.
 */
const PART_HEADERS = Buffer.from('content-type: application/json; charset=utf-8\r\n\r\n');
const DELIMITER = Buffer.from('\r\n--graphql\r\n');
const part = (json: string) => `${PART_HEADERS.toString()}${json}${DELIMITER.toString()}`;
const PAYLOAD = Buffer.from('{"payload":');
const PAYLOAD_END = Buffer.from('}\r\n--graphql\r\n');

/**
 * Apollo's multipart HTTP subscriptions (`multipart/mixed`, boundary `graphql`,
 * subscriptionSpec 1.0): each result is a `{"payload": …}` part, `{}` parts
 * keep the stream alive, an error of the transport is `{"payload": null,
 * "errors": […]}`, and the closing delimiter ends it.
 */
export const multipartSubscription: StreamFormat = {
  headers: {
    'content-type': 'multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  },
  oneOperation: true,
  opening: DELIMITER.toString(),
  keepAlive: part('{}'),
  // The last part must end with the closing delimiter, so the end is one more heartbeat.
  end: `${PART_HEADERS.toString()}{}\r\n--graphql--\r\n`,
  eventsOf: () => (payload) => Buffer.concat([PART_HEADERS, PAYLOAD, payload, PAYLOAD_END]),
  result: (_id, payloadJson) => part(`{"payload":${payloadJson}}`),
  errors: (_id, errors) => part(JSON.stringify({ payload: { errors } })),
  complete: () => '',
  ended: (_ids, errors) => part(JSON.stringify({ payload: null, errors })),
};
