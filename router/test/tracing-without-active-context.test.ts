import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '@simple-securities/service-kit';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

// The router run alone traces without a context manager (ADR 0015, 0023): it must
// hand its spans on explicitly, never through the active context.

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let graph: TestGraph;

beforeAll(async () => {
  tracing = startTracing({
    serviceName: 'router-alone',
    spanProcessor: new SimpleSpanProcessor(exporter),
    activeContext: false,
  });
  graph = await startTestGraph();
});

afterAll(async () => {
  await graph.stop();
  await tracing.stop();
});

it('parents each subgraph fetch to the operation span with no context manager registered', async () => {
  // Without a context manager, nothing run inside a span can see it.
  trace.getTracer('probe').startActiveSpan('probe', (probe) => {
    expect(trace.getSpan(context.active())).toBeUndefined();
    probe.end();
  });

  await graph.post({ query: 'query Both { accountsHop { requestId } notesHop { requestId } }' });
  while (!exporter.getFinishedSpans().some((span) => span.name === 'query Both')) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const spans = exporter.getFinishedSpans();
  const operation = spans.find((span) => span.name === 'query Both');
  const fetches = spans.filter((span) => span.name.startsWith('fetch '));
  expect(fetches.map((span) => span.name).sort()).toEqual(['fetch accounts', 'fetch notes']);
  for (const fetch of fetches) {
    expect(fetch.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
    expect(fetch.spanContext().traceId).toBe(operation?.spanContext().traceId);
  }
});
