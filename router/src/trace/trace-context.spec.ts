import { describe, it, expect } from '@jest/globals';
import { childSpan, formatTraceparent, requestIdFrom, traceFrom } from './trace-context.js';

const W3C = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe('trace context', () => {
  it('continues a valid incoming trace with a span of its own', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const trace = traceFrom(incoming);
    expect(trace.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trace.parentSpanId).toBe('00f067aa0ba902b7');
    expect(trace.spanId).not.toBe('00f067aa0ba902b7');
    expect(formatTraceparent(trace)).toMatch(W3C);
  });

  it('keeps the sampling decision of the caller', () => {
    const trace = traceFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    expect(trace.flags).toBe('00');
  });

  it.each([
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ])('starts a new sampled trace when the incoming traceparent is %p', (incoming) => {
    const trace = traceFrom(incoming);
    expect(trace.parentSpanId).toBeUndefined();
    expect(formatTraceparent(trace)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('gives each subgraph call its own span in the same trace', () => {
    const trace = traceFrom(undefined);
    const first = childSpan(trace);
    const second = childSpan(trace);
    expect([first.traceId, second.traceId]).toEqual([trace.traceId, trace.traceId]);
    expect(first.parentSpanId).toBe(trace.spanId);
    expect(new Set([trace.spanId, first.spanId, second.spanId]).size).toBe(3);
  });

  it('never repeats a span id, also across many requests', () => {
    const trace = traceFrom(undefined);
    const spans = Array.from({ length: 5000 }, () => childSpan(trace).spanId);
    expect(new Set(spans).size).toBe(spans.length);
    for (const span of spans) expect(span).toMatch(/^(?!0{16})[0-9a-f]{16}$/);
  });

  it('accepts a plain client request id and replaces anything else', () => {
    expect(requestIdFrom('checkout-42.a:b_c')).toBe('checkout-42.a:b_c');
    expect(requestIdFrom('has spaces\nand newlines')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('x'.repeat(129))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
