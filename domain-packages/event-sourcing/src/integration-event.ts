import type { GlobalPosition } from './event-store.js';

/**
 * An event published to other bounded contexts, in the CloudEvents 1.0 structured
 * shape (attribute names as the spec spells them). `subject` is the partition key:
 * the id of the aggregate the event is about, so its events stay in order.
 */
export interface IntegrationEvent<Type extends string = string, Data = unknown> {
  specversion: '1.0';
  /** Unique per event; consumers de-duplicate on it. */
  id: string;
  /** Reverse-DNS style, with a version suffix, e.g. `core.user.registered.v1`. */
  type: Type;
  /** The producing context, e.g. `/core`. */
  source: string;
  /** The ordering key: the aggregate id (user id, symbol, order id). */
  subject: string;
  /** ISO-8601 UTC. */
  time: string;
  datacontenttype: 'application/json';
  data: Data;
  /** W3C trace context extension. */
  traceparent?: string;
  tracestate?: string;
  /** Id of the message that caused this one. */
  causationid?: string;
  correlationid?: string;
}

/** An integration event as a consumer receives it: placed in the bus's log. */
export interface DeliveredEvent<
  Type extends string = string,
  Data = unknown,
> extends IntegrationEvent<Type, Data> {
  /** Position in the log it was read from; checkpoints are positions. */
  position: GlobalPosition;
}

export interface NewIntegrationEvent<Type extends string = string, Data = unknown> {
  type: Type;
  source: string;
  subject: string;
  data: Data;
  id?: string;
  time?: Date;
  traceparent?: string;
  tracestate?: string;
  causationid?: string;
  correlationid?: string;
}

/** Fills in the envelope: id, time, spec version and content type. */
export const integrationEvent = <Type extends string, Data>(
  event: NewIntegrationEvent<Type, Data>,
): IntegrationEvent<Type, Data> => {
  const { id, time, ...rest } = event;
  return {
    specversion: '1.0',
    id: id ?? crypto.randomUUID(),
    time: (time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    ...rest,
  };
};
