import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { traceDatabase, type SqlDatabase } from '@simple-securities/postgres';
import type { Logger } from 'pino';
import { z } from 'zod';
import { loadConfig } from '../config.js';

/** The OpenTelemetry variables we read: tracing is on exactly when the endpoint is set. */
export const tracingConfig = {
  /** An OTLP/HTTP collector (e.g. `http://localhost:4318`); spans go to its `/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The `service.name` of this process's spans; the process's own name when unset. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

export interface Tracing {
  /** Sends the spans still buffered, then turns tracing off for the process. */
  stop(): Promise<void>;
}

let provider: NodeTracerProvider | undefined;

export interface TracingOptions {
  readonly serviceName: string;
  readonly spanProcessor: SpanProcessor;
  /**
   * Whether code can find the span it runs under without being handed it (an
   * AsyncLocalStorage context manager): subgraphs need it, so a database call
   * finds its operation; the router alone does not, it passes its spans
   * explicitly. True unless set.
   */
  readonly activeContext?: boolean;
}

/**
 * Turns tracing on for this process: a tracer provider exporting through
 * `spanProcessor`, W3C trace-context propagation and, unless `activeContext`
 * is false, an AsyncLocalStorage context manager. That context manager turns on
 * promise hooks for every `await` in the process (ADR 0015), which is why none
 * of this happens unless tracing is asked for.
 */
export const startTracing = (options: TracingOptions): Tracing => {
  if (provider) throw new Error('tracing is already on in this process');
  const started = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [options.spanProcessor],
  });
  started.register(options.activeContext === false ? { contextManager: null } : {});
  provider = started;
  return {
    async stop() {
      if (provider !== started) return;
      provider = undefined;
      await started.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
};

/**
 * Starts tracing when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, exporting over OTLP/HTTP
 * in batches; answers undefined (and changes nothing) when it is not.
 */
export const startTracingFromEnvironment = (
  processName: string,
  logger: Logger,
  {
    activeContext = true,
    env = process.env,
  }: {
    readonly activeContext?: boolean;
    readonly env?: Record<string, string | undefined>;
  } = {},
): Tracing | undefined => {
  const settings = loadConfig(tracingConfig, env);
  if (!settings.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const url = `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  const serviceName = settings.OTEL_SERVICE_NAME ?? processName;
  const tracing = startTracing({
    serviceName,
    spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter({ url })),
    activeContext,
  });
  logger.info({ url, serviceName }, `sending traces over OTLP to ${url} as ${serviceName}`);
  return tracing;
};

/**
 * The same database with a span for each statement run for a traced operation,
 * while tracing is on; the database itself, untouched, when it is off.
 */
export const withDatabaseSpans = <Database extends SqlDatabase>(database: Database): Database => {
  const tracer = tracerWhenTracing('@simple-securities/postgres');
  return tracer ? traceDatabase(database, tracer) : database;
};

/**
 * The tracer named `instrumentationName` while tracing is on, else undefined:
 * servers ask once when they start, and with tracing off they add nothing to
 * a request, not even a no-op span.
 */
export const tracerWhenTracing = (instrumentationName: string): Tracer | undefined =>
  provider ? trace.getTracer(instrumentationName) : undefined;
