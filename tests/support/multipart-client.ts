/** What Apollo Client sends for a subscription over HTTP. */
export const MULTIPART_SUBSCRIPTION_ACCEPT =
  'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

export interface MultipartResult<Data> {
  data?: Data | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** The router refused the request (a status other than 200, or not a multipart answer). */
export class MultipartRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body}`);
  }
}

/** The router ended the stream with a transport error (`{"payload": null, "errors": […]}`). */
export class MultipartTransportError extends Error {
  constructor(
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(errors.map((error) => error.message).join('; '));
  }
}

const BOUNDARY = '\r\n--graphql';

/**
 * The JSON of each part of a `multipart/mixed; boundary="graphql"` body, as
 * Apollo Client reads it: a part is whole once the delimiter after it arrives.
 */
async function* partsOf(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let at = buffer.indexOf(BOUNDARY); at !== -1; at = buffer.indexOf(BOUNDARY)) {
      const part = buffer.slice(0, at);
      buffer = buffer.slice(at + BOUNDARY.length);
      const bodyStart = part.indexOf('\r\n\r\n');
      if (bodyStart === -1) continue;
      const headers = part.slice(0, bodyStart).toLowerCase();
      if (!headers.includes('content-type: application/json')) {
        throw new Error(`a part that is not JSON: ${headers}`);
      }
      yield JSON.parse(part.slice(bodyStart + 4)) as unknown;
    }
  }
}

/**
 * A client of Apollo's multipart HTTP subscriptions over `fetch`, with the
 * `subscribe(request, sink)` shape of graphql-ws and graphql-sse clients:
 * heartbeats (`{}`) are skipped, `{"payload": …}` parts are results, and a
 * transport error fails the subscription.
 */
export const multipartClient = (url: string, headers: Readonly<Record<string, string>> = {}) => ({
  subscribe<Data>(
    request: { query: string; variables?: Record<string, unknown> },
    sink: {
      next(result: MultipartResult<Data>): void;
      error(error: unknown): void;
      complete(): void;
    },
  ): () => void {
    const controller = new AbortController();
    const run = async () => {
      const response = await fetch(url, {
        method: 'POST',
        signal: controller.signal,
        headers: {
          'content-type': 'application/json',
          accept: MULTIPART_SUBSCRIPTION_ACCEPT,
          ...headers,
        },
        body: JSON.stringify(request),
      });
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !type.startsWith('multipart/mixed') || !response.body) {
        throw new MultipartRefused(response.status, await response.text());
      }
      for await (const message of partsOf(response.body)) {
        const { payload, errors } = message as {
          payload?: MultipartResult<Data> | null;
          errors?: MultipartTransportError['errors'];
        };
        if (payload === null) throw new MultipartTransportError(errors ?? []);
        if (payload !== undefined) sink.next(payload);
      }
    };
    run().then(
      () => sink.complete(),
      (error: unknown) => {
        if (!controller.signal.aborted) sink.error(error);
      },
    );
    return () => controller.abort();
  },
});
