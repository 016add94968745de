import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '@simple-securities/service-kit';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let graph: TestGraph;

beforeAll(async () => {
  tracing = startTracing({
    serviceName: 'router-test',
    spanProcessor: new SimpleSpanProcessor(exporter),
  });
  graph = await startTestGraph();
});

afterAll(async () => {
  await graph.stop();
  await tracing.stop();
});

beforeEach(() => exporter.reset());

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** The spans of one trace, once the operation's span (the last to end) is exported. */
const spansOfOperation = async (name: string) => {
  while (!exporter.getFinishedSpans().some((span) => span.name === name)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const spans = exporter.getFinishedSpans();
  const operation = spans.find((span) => span.name === name);
  if (!operation) throw new Error(`no span named ${name}`);
  return {
    operation,
    spans: spans.filter((span) => span.spanContext().traceId === operation.spanContext().traceId),
  };
};

describe('OpenTelemetry traces through the router', () => {
  it('has one span per subgraph fetch under the operation span, continued by each subgraph', async () => {
    const { body } = await graph.post({
      query: 'query Hops { accountsHop { traceparent } notesHop { traceparent } }',
    });
    expect(body.errors).toBeUndefined();

    const { operation, spans } = await spansOfOperation('query Hops');
    expect(operation.kind).toBe(SpanKind.SERVER);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'Hops',
    });

    const fetches = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(fetches.map((span) => span.name).sort()).toEqual(['fetch accounts', 'fetch notes']);
    for (const fetch of fetches) {
      expect(parentOf(fetch)).toBe(operation.spanContext().spanId);
    }

    const served = spans.filter((span) => span.kind === SpanKind.SERVER && span !== operation);
    expect(served.map((span) => span.name).sort()).toEqual([
      'accounts query Hops__accounts__0',
      'notes query Hops__notes__1',
    ]);
    for (const subgraphSpan of served) {
      const subgraph = String(subgraphSpan.attributes['graphql.subgraph']);
      const fetch = fetches.find((span) => span.name === `fetch ${subgraph}`);
      expect(parentOf(subgraphSpan)).toBe(fetch?.spanContext().spanId);
    }

    // What each subgraph received is the traceparent of the router's fetch span.
    const data = body.data as Record<string, { traceparent: string }>;
    const fetchOf = (subgraph: string) =>
      fetches.find((span) => span.name === `fetch ${subgraph}`)?.spanContext();
    expect(data.accountsHop?.traceparent).toBe(
      `00-${operation.spanContext().traceId}-${fetchOf('accounts')?.spanId}-01`,
    );
    expect(data.notesHop?.traceparent).toBe(
      `00-${operation.spanContext().traceId}-${fetchOf('notes')?.spanId}-01`,
    );
  });

  it("continues the caller's trace when it sends a traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    await graph.post(
      { query: 'query Mine { accountsHop { requestId } }' },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    );
    const { operation, spans } = await spansOfOperation('query Mine');
    expect(operation.spanContext().traceId).toBe(traceId);
    expect(parentOf(operation)).toBe(callerSpanId);
    expect(spans.map((span) => span.name).sort()).toEqual([
      'accounts query Mine__accounts__0',
      'fetch accounts',
      'query Mine',
    ]);
  });

  it('marks an operation that failed, with its error code', async () => {
    await graph.post({ query: 'query Missing { missingNote }' });
    const { operation, spans } = await spansOfOperation('query Missing');
    expect(operation.attributes['graphql.error.codes']).toEqual(['NOT_FOUND']);
    expect(operation.status.code).toBe(2);
    const served = spans.find((span) => span.name.startsWith('notes query'));
    expect(served?.attributes['graphql.error.codes']).toEqual(['NOT_FOUND']);
  });
});
