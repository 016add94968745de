import { randomFillSync, randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/). The router is one hop
 * of a trace: it keeps the caller's trace id (or starts a trace), takes a span id
 * of its own, and gives every subgraph call a fresh child span id so each hop can
 * be told apart in the logs.
 */
export interface TraceContext {
  readonly traceId: string;
  /** The router's own span for this request. */
  readonly spanId: string;
  /** The span that called the router, when the caller sent a traceparent. */
  readonly parentSpanId: string | undefined;
  readonly flags: string;
  /** The router's OpenTelemetry span for this request, while tracing is on; its ids are the ones above. */
  readonly span?: Span;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;
const SAMPLED = '01';

// Ids are cut from a pool of random bytes refilled when spent: one call into the
// CSPRNG per 512 ids instead of one per id, which showed in the router's CPU profile.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

const hex = (bytes: number): string => {
  // An all-zero id is invalid by the spec; the chance is negligible, but the loop makes it impossible.
  for (;;) {
    if (poolOffset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const id = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (!ALL_ZERO.test(id)) return id;
  }
};

/** Continues the caller's trace when its traceparent is valid; otherwise starts a new one. */
export const traceFrom = (incoming: string | undefined): TraceContext => {
  const match = incoming ? TRACEPARENT.exec(incoming.trim().toLowerCase()) : null;
  if (match) {
    const [, traceId = '', parentSpanId = '', flags = ''] = match;
    if (!ALL_ZERO.test(traceId) && !ALL_ZERO.test(parentSpanId)) {
      return { traceId, spanId: hex(8), parentSpanId, flags };
    }
  }
  return { traceId: hex(16), spanId: hex(8), parentSpanId: undefined, flags: SAMPLED };
};

export const formatTraceparent = (trace: Pick<TraceContext, 'traceId' | 'spanId' | 'flags'>) =>
  `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;

/** The trace context of an OpenTelemetry span: the ids the logs and `traceparent` carry. */
export const traceOfSpan = (span: Span, parentSpanId: string | undefined): TraceContext => {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { traceId, spanId, parentSpanId, flags: traceFlags.toString(16).padStart(2, '0'), span };
};

/** A new span under the router's span, for one call to a subgraph. */
export const childSpan = (trace: TraceContext): TraceContext => ({
  traceId: trace.traceId,
  spanId: hex(8),
  parentSpanId: trace.spanId,
  flags: trace.flags,
});

// Request ids end up in logs and response headers: accept only short, plain tokens from clients.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's x-request-id when it is a plain token, otherwise a new UUID. */
export const requestIdFrom = (incoming: string | undefined): string =>
  incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
