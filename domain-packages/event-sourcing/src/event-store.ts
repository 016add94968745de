import { DomainError } from '@simple-securities/shared-kernel';

/**
 * Numbering, the same in every adapter:
 * - a stream's first event has version 1; a stream without events is at version 0;
 * - the global log's first event has position 1; checkpoint 0 means "from the start";
 * - both are JavaScript safe integers (2^53 − 1 events is beyond any store we will run),
 *   so they serialise to JSON unchanged. Adapters reading a bigint column check the range.
 */
export type StreamVersion = number;
export type GlobalPosition = number;

/** W3C trace context and the causal chain, carried by every stored event. */
export interface EventMetadata {
  /** The message (command or event) that caused this event. */
  causationId?: string;
  /** Shared by everything that stems from one original request. */
  correlationId?: string;
  /** W3C `traceparent`, so a trace continues through the log. */
  traceparent?: string;
  tracestate?: string;
}

/** An event as the application hands it to the store. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  /** Version of `data`'s shape for this type; 1 unless the type has evolved. */
  schemaVersion?: number;
  /** Supplied to make an append retry-safe; generated otherwise. */
  eventId?: string;
  metadata?: EventMetadata;
}

/** An event as the store returns it: placed in its stream and in the global log. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  streamId: string;
  streamVersion: StreamVersion;
  globalPosition: GlobalPosition;
  recordedAt: Date;
  metadata: EventMetadata;
}

/**
 * What the caller believes about the stream before appending:
 * a version number (0 = the stream must not exist yet), or one of the named checks.
 */
export type ExpectedVersion = StreamVersion | 'any' | 'no_stream' | 'stream_exists';

export interface AppendResult {
  /** The stream's version after the append; pass it as the next expected version. */
  nextExpectedVersion: StreamVersion;
  /** Global position of the last appended event. */
  lastPosition: GlobalPosition;
}

export interface ReadStreamOptions {
  /** First version to return (inclusive); default 1. */
  fromVersion?: StreamVersion;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events after this position (exclusive); default 0, the start of the log. */
  after?: GlobalPosition;
  maxCount?: number;
  /** Only these event types (the position still advances past the others). */
  types?: readonly string[];
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /**
   * Where the next read continues. It can be past the last returned event (filtered
   * types, rolled-back positions) and never passes an event that may still commit.
   */
  checkpoint: GlobalPosition;
}

export type EventHandler = (event: RecordedEvent) => Promise<void>;

export interface SubscribeOptions {
  /** Deliver events after this position; the subscriber persists it if it must resume. */
  after: GlobalPosition;
  types?: readonly string[];
  batchSize?: number;
}

/** A running subscription or consumer. `stop` waits for the event in flight to finish. */
export interface Subscription {
  stop(): Promise<void>;
  /** Resolves when the subscription has delivered everything up to `position`. */
  waitFor(position: GlobalPosition, timeoutMs?: number): Promise<void>;
  readonly checkpoint: GlobalPosition;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. Throws ConcurrencyError when the stream is
   * not at `expectedVersion`; the caller reloads, decides again and retries.
   */
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;
  /** The stream's events in version order, upcast to their current schema. Empty if none. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log in position order; never skips an event committed later at a lower position. */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /** Catches up from `after`, then follows the log live. */
  subscribe(handler: EventHandler, options: SubscribeOptions): Promise<Subscription>;
}

/** The stream was not at the expected version: someone else appended first. */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    readonly actualVersion: StreamVersion,
  ) {
    super(
      'CONFLICT',
      `Stream ${streamId} changed concurrently (expected version ${String(expectedVersion)}, found ${actualVersion}); retry the operation.`,
      { streamId, expectedVersion, actualVersion },
    );
    this.name = 'ConcurrencyError';
  }
}

export const isConcurrencyError = (error: unknown): error is ConcurrencyError =>
  error instanceof ConcurrencyError;

/** Whether a stream currently at `actual` satisfies `expected`; shared by every adapter. */
export const matchesExpectedVersion = (
  expected: ExpectedVersion,
  actual: StreamVersion,
): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      return actual === expected;
  }
};
