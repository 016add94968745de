import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '@simple-securities/service-kit';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

// Traces and metrics of the whole stack as `npm start` runs it: one trace from the
// router through each subgraph it calls down to the SQL those subgraphs run.

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: TestStack;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'e2e', spanProcessor: new SimpleSpanProcessor(exporter) });
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack.close();
  await tracing.stop();
});

const MY_NOTIFICATIONS = `query MyNotifications {
  me { email notifications(first: 5) { edges { node { title } } } }
}`;

/** Every span of the trace whose root is the router's span named `name`, once it ended. */
const traceOf = async (name: string) => {
  const root = () => exporter.getFinishedSpans().find((span) => span.name === name);
  while (!root()) await new Promise((resolve) => setTimeout(resolve, 10));
  const operation = root() as ReadableSpan;
  const spans = exporter
    .getFinishedSpans()
    .filter((span) => span.spanContext().traceId === operation.spanContext().traceId);
  const childrenOf = (parent: ReadableSpan | undefined) =>
    spans.filter((span) => span.parentSpanContext?.spanId === parent?.spanContext().spanId);
  return { operation, childrenOf };
};

describe('telemetry of the running stack', () => {
  it('traces an operation from the router through each subgraph to its SQL', async () => {
    const token = (await stack.signUp('traced')).token;
    exporter.reset();
    const { body } = await stack.graphql(MY_NOTIFICATIONS, { token });
    dataOf(body);

    const { operation, childrenOf } = await traceOf('query MyNotifications');
    const fetches = childrenOf(operation);
    expect(fetches.map((span) => span.name).sort()).toEqual(['fetch core', 'fetch notification']);
    expect(fetches.every((span) => span.kind === SpanKind.CLIENT)).toBe(true);

    const notificationFetch = fetches.find((span) => span.name === 'fetch notification');
    const [served] = childrenOf(notificationFetch);
    expect(served?.name).toMatch(/^notification query MyNotifications__notification__\d+$/);
    const statements = childrenOf(served);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.attributes['db.system.name']).toBe('postgresql');
    }
  });

  it('serves Prometheus metrics on every subgraph, labelled with its name', async () => {
    const token = (await stack.signUp('measured')).token;
    const { body } = await stack.graphql(
      '{ me { unreadNotificationCount } assets { code } cryptoPairs { symbol } stocks { symbol } }',
      { token },
    );
    dataOf(body);
    for (const [name, subgraph] of Object.entries(stack.subgraphs)) {
      const text = await (await fetch(new URL('/metrics', subgraph.url))).text();
      expect(text).toMatch(
        new RegExp(`^process_cpu_user_seconds_total\\{subgraph="${name}"\\} `, 'm'),
      );
      expect(text).toMatch(
        new RegExp(
          `^subgraph_graphql_requests_total\\{.*code="none",subgraph="${name}"\\} \\d+$`,
          'm',
        ),
      );
    }
  });
});
