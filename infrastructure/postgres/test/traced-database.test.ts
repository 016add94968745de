import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-node';
import { traceDatabase, type SqlDatabase } from '../src/index.js';
import { describeOnEachEngine } from '../src/testing/index.js';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let tracer: Tracer;

beforeAll(() => {
  // Registers the AsyncLocalStorage context manager: statements find the operation they run for.
  provider.register();
  tracer = trace.getTracer('traced-database-test');
});

afterAll(async () => {
  await provider.shutdown();
});

afterEach(() => exporter.reset());

/** Runs `work` as a traced operation and answers its span and every span under it. */
const traced = async (work: () => Promise<unknown>) => {
  await tracer.startActiveSpan('operation', async (span) => {
    try {
      await work();
    } finally {
      span.end();
    }
  });
  const spans = exporter.getFinishedSpans();
  const operation = spans.find((span) => span.name === 'operation') as ReadableSpan;
  const childrenOf = (parent: ReadableSpan) =>
    spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
  return { operation, childrenOf };
};

await describeOnEachEngine('database spans', (engine) => {
  let raw: SqlDatabase;
  let database: SqlDatabase;

  beforeAll(async () => {
    raw = await engine.open();
    database = traceDatabase(raw, tracer);
    await raw.executeScript(
      'CREATE TABLE quotes (symbol text PRIMARY KEY, price numeric NOT NULL)',
    );
  });

  afterAll(async () => {
    await raw.close();
  });

  it('gives each statement of an operation a client span under it, with its text but not its parameters', async () => {
    const { operation, childrenOf } = await traced(async () => {
      await database.query('INSERT INTO quotes (symbol, price) VALUES ($1, $2)', ['AAA', '1.5']);
      const { rows } = await database.query('SELECT price FROM quotes WHERE symbol = $1', ['AAA']);
      expect(rows).toEqual([{ price: '1.5' }]);
    });

    const statements = childrenOf(operation);
    expect(statements.map((span) => span.name)).toEqual(['INSERT', 'SELECT']);
    expect(statements[1]?.kind).toBe(SpanKind.CLIENT);
    expect(statements[1]?.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT price FROM quotes WHERE symbol = $1',
    });
  });

  it('puts the statements of a transaction under its span', async () => {
    const { operation, childrenOf } = await traced(() =>
      database.transaction(async (tx) => {
        await tx.query('UPDATE quotes SET price = $1 WHERE symbol = $2', ['2', 'AAA']);
        await tx.query('SELECT count(*) FROM quotes');
      }),
    );
    const [transaction] = childrenOf(operation);
    expect(transaction?.name).toBe('transaction');
    expect(childrenOf(transaction as ReadableSpan).map((span) => span.name)).toEqual([
      'UPDATE',
      'SELECT',
    ]);
  });

  it('marks a statement that failed, and still fails it', async () => {
    let failure: unknown;
    const { operation, childrenOf } = await traced(() =>
      database.query('SELECT * FROM no_such_table').catch((error: unknown) => {
        failure = error;
      }),
    );
    expect(failure).toBeInstanceOf(Error);
    const [statement] = childrenOf(operation);
    expect(statement?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: expect.stringContaining('no_such_table'),
    });
  });

  it('leaves statements outside any traced operation (consumers, jobs) untraced', async () => {
    await database.query('SELECT 1');
    await database.transaction((tx) => tx.query('SELECT 2'));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('keeps the engine and its handle, for the drivers that share it', () => {
    expect(database.engine).toBe(raw.engine);
    expect(database.engine === 'pglite' ? database.pglite : database.pool).toBe(
      raw.engine === 'pglite' ? raw.pglite : raw.pool,
    );
  });
});
