import type { GlobalPosition, Subscription } from './event-store.js';
import type { DeliveredEvent, IntegrationEvent } from './integration-event.js';
import type { RetryPolicy } from './consumer.js';

/**
 * What a handler gets with each event. `tx` is the adapter's unit of work: with the
 * Postgres bus it is the transaction that also moves the consumer's checkpoint, so
 * writes made through it commit exactly once with the checkpoint.
 */
export interface HandlerContext<Tx> {
  tx: Tx;
  /** 1 on first delivery; higher on retries and redeliveries. */
  attempt: number;
  consumer: string;
  /**
   * Runs `effect` once the handling of this event has committed, and never if
   * it rolls back: for what the database cannot take back, such as pushing
   * to live subscribers.
   */
  afterCommit(effect: () => void): void;
}

export type MessageHandler<Tx = unknown> = (
  event: DeliveredEvent,
  context: HandlerContext<Tx>,
) => Promise<void>;

export interface ConsumerOptions {
  /** The consumer group: instances with the same name share one checkpoint. */
  consumer: string;
  /** Only these types are handled; others advance the checkpoint untouched. */
  types?: readonly string[];
  retry?: Partial<RetryPolicy>;
  batchSize?: number;
}

/** Publishing outside any transaction (prices, notifications). Ordered per `subject`. */
export interface MessagePublisher {
  publish(events: readonly IntegrationEvent[]): Promise<GlobalPosition>;
}

export interface MessageSubscriber<Tx = unknown> {
  /**
   * Starts a consumer: it resumes after its durable checkpoint, delivers at least
   * once in log order (so in order per subject), retries failures with backoff and
   * parks what still fails as a dead letter, then moves on.
   */
  consume(handler: MessageHandler<Tx>, options: ConsumerOptions): Promise<Subscription>;
}

export interface MessageBus<Tx = unknown> extends MessagePublisher, MessageSubscriber<Tx> {}

export type DeadLetterStatus = 'parked' | 'replay_requested' | 'resolved';

export interface DeadLetter {
  id: number;
  consumer: string;
  event: DeliveredEvent;
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  parkedAt: Date;
  resolvedAt?: Date;
}

/**
 * Poison events that exhausted their retries. A replay asks the running consumer of
 * that group to deliver the event again (the bug being fixed in the meantime).
 */
export interface DeadLetterQueue {
  list(filter?: { consumer?: string; status?: DeadLetterStatus }): Promise<DeadLetter[]>;
  get(id: number): Promise<DeadLetter | undefined>;
  requestReplay(id: number): Promise<void>;
}
