import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { Logger } from '@simple-securities/service-kit';
import type { PlannedSubscription } from './plan-subscription.js';
import type { SubgraphCallContext } from '../graphql/subgraph-data-source.js';
import { clientVisibleErrors, type EventResolver } from './resolve-event.js';
import type { UpstreamPool } from './upstream.js';

/** One client subscription, as the hub sees it. */
export interface Subscriber {
  /** `payload` is the UTF-8 `ExecutionResult`, serialised and encoded once for every subscriber of the stream. */
  next(payload: Buffer, conflationKey: string | undefined): void;
  error(errors: readonly GraphQLFormattedError[]): void;
  complete(): void;
}

export interface SharedStreamRequest {
  readonly key: string;
  readonly plan: PlannedSubscription;
  readonly variables: Record<string, unknown>;
  /** Who the stream is for (nobody for public streams), and the request that started it. */
  readonly identity: SubgraphCallContext;
}

export interface FanOutCounters {
  upstreamEvents: number;
  /** Events dropped because completing earlier ones (entity fetches) fell too far behind. */
  upstreamEventsShed: number;
}

/** Events of one stream being completed at once; more are shed rather than queued without bound. */
const MAX_EVENTS_IN_FLIGHT = 256;

const pick = (variables: Record<string, unknown>, names: readonly string[] | undefined) =>
  Object.fromEntries(
    (names ?? []).filter((name) => name in variables).map((name) => [name, variables[name]]),
  );

/**
 * One upstream subscription shared by every identical client subscription: each
 * event is completed (entity fetches) and serialised once, then handed to all.
 */
class SharedStream {
  readonly subscribers = new Set<Subscriber>();
  private tail: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private stopUpstream: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly request: SharedStreamRequest,
    private readonly hub: FanOutHub,
  ) {}

  start(): void {
    const { plan, variables, identity } = this.request;
    this.stopUpstream = this.hub.deps.upstream.subscribe(
      plan.owner,
      this.hub.deps.subgraphUrl(plan.owner),
      identity.caller,
      {
        query: plan.primary.operation,
        variables: pick(variables, plan.primary.variableUsages),
        ...(plan.primary.operationName ? { operationName: plan.primary.operationName } : {}),
      },
      {
        next: (event) => this.onEvent(event),
        error: (errors) => this.endAfterPending(() => this.fail(errors)),
        complete: () => this.endAfterPending(() => this.finish()),
      },
    );
  }

  stop(): void {
    this.ended = true;
    this.stopUpstream?.();
  }

  private onEvent(event: FormattedExecutionResult): void {
    const counters = this.hub.counters;
    counters.upstreamEvents += 1;
    if (this.inFlight >= MAX_EVENTS_IN_FLIGHT) {
      counters.upstreamEventsShed += 1;
      return;
    }
    this.inFlight += 1;
    const { plan, variables, identity } = this.request;
    const completed = this.hub.deps.resolver.resolve(plan, event, variables, identity);
    // Completion runs concurrently; delivery keeps the upstream order.
    this.tail = this.tail
      .then(() => completed)
      .then((result) => {
        if (this.ended) return;
        const payload = Buffer.from(JSON.stringify(result));
        const key = plan.conflationKey(result.data);
        for (const subscriber of this.subscribers) subscriber.next(payload, key);
      })
      .catch((error: unknown) => {
        this.hub.deps.logger.error({ err: error }, 'could not complete a subscription event');
      })
      .finally(() => {
        this.inFlight -= 1;
      });
  }

  private endAfterPending(end: () => void): void {
    this.tail = this.tail.then(() => {
      if (this.ended) return;
      this.ended = true;
      this.hub.forget(this.request.key, this);
      end();
    });
  }

  private fail(errors: readonly GraphQLFormattedError[]): void {
    const visible = clientVisibleErrors(errors, this.hub.deps.logger);
    for (const subscriber of this.subscribers) subscriber.error(visible);
    this.subscribers.clear();
  }

  private finish(): void {
    for (const subscriber of this.subscribers) subscriber.complete();
    this.subscribers.clear();
  }
}

export interface FanOutDependencies {
  readonly upstream: UpstreamPool;
  readonly resolver: EventResolver;
  readonly subgraphUrl: (name: string) => string;
  readonly logger: Logger;
}

/** Keeps one shared stream per distinct (operation, variables, forwarded identity). */
export class FanOutHub {
  readonly counters: FanOutCounters = { upstreamEvents: 0, upstreamEventsShed: 0 };
  private readonly streams = new Map<string, SharedStream>();

  constructor(readonly deps: FanOutDependencies) {}

  get upstreamSubscriptions(): number {
    return this.streams.size;
  }

  /** Joins (or opens) the stream for `request`; the returned function leaves it. */
  subscribe(request: SharedStreamRequest, subscriber: Subscriber): () => void {
    let stream = this.streams.get(request.key);
    if (!stream) {
      stream = new SharedStream(request, this);
      this.streams.set(request.key, stream);
      stream.start();
    }
    stream.subscribers.add(subscriber);
    const joined = stream;
    return () => {
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size === 0 && this.streams.get(request.key) === joined) {
        this.streams.delete(request.key);
        joined.stop();
      }
    };
  }

  forget(key: string, stream: SharedStream): void {
    if (this.streams.get(key) === stream) this.streams.delete(key);
  }

  close(): void {
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
  }
}
