import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { type ErrorCode, isDomainError } from '@simple-securities/shared-kernel';
import { INTERNAL_TOKEN_METADATA, sameSecret } from './internal-token.js';

export interface RunningGrpcServer {
  readonly port: number;
  /** host:port, what a client dials. */
  readonly address: string;
  stop(): Promise<void>;
}

/** Domain refusals as gRPC status codes: the same refusal reads the same over GraphQL and gRPC. */
export const STATUS_OF: Readonly<Record<ErrorCode, status>> = {
  BAD_USER_INPUT: status.INVALID_ARGUMENT,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  NOT_FOUND: status.NOT_FOUND,
  CONFLICT: status.ALREADY_EXISTS,
  INSUFFICIENT_FUNDS: status.FAILED_PRECONDITION,
  MARKET_CLOSED: status.FAILED_PRECONDITION,
  TOO_MANY_ATTEMPTS: status.RESOURCE_EXHAUSTED,
};

export type UnaryHandler<Request, Response> = (
  call: ServerUnaryCall<Request, Response>,
  callback: sendUnaryData<Response>,
) => void;

/**
 * Builds the handlers of an internal service: each call must carry the internal token
 * (else UNAUTHENTICATED), a domain refusal maps to its status code, and anything else is
 * logged and answered INTERNAL, without its detail.
 */
export const internalUnaryHandlers = (options: {
  /** Names the service in logs and in the INTERNAL answer, e.g. `funds`. */
  readonly service: string;
  readonly internalToken: string;
  readonly logger: Logger;
}) => {
  const authorised = (metadata: Metadata) => {
    const [token] = metadata.get(INTERNAL_TOKEN_METADATA);
    return typeof token === 'string' && sameSecret(token, options.internalToken);
  };

  return <Request, Response>(
      method: string,
      handle: (request: Request) => Promise<Response>,
    ): UnaryHandler<Request, Response> =>
    (call, callback) => {
      if (!authorised(call.metadata)) {
        callback({
          code: status.UNAUTHENTICATED,
          details: 'A valid internal service token is required.',
        });
        return;
      }
      handle(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => {
          if (isDomainError(error)) {
            callback({ code: STATUS_OF[error.code], details: error.message });
            return;
          }
          options.logger.error(
            { err: error, method },
            `${options.service} ${method} failed unexpectedly`,
          );
          callback({
            code: status.INTERNAL,
            details: `Internal error in the ${options.service} service.`,
          });
        },
      );
    };
};

/**
 * Serves one internal service on its own port with the standard `grpc.health.v1` service
 * beside it (SERVING for '' and for `serviceName`), plaintext: internal services stay
 * inside the deployment.
 */
export const startInternalGrpcServer = async <
  Implementation extends UntypedServiceImplementation,
>(options: {
  /** The fully qualified name the health service reports, e.g. `funds.v1.FundsService`. */
  readonly serviceName: string;
  readonly definition: ServiceDefinition<Implementation>;
  readonly handlers: Implementation;
  readonly logger: Logger;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}): Promise<RunningGrpcServer> => {
  const server = new Server();
  server.addService(options.definition, options.handlers);
  new HealthImplementation({ '': 'SERVING', [options.serviceName]: 'SERVING' }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  const address = `${options.host}:${port}`;
  options.logger.info(
    { address, service: options.serviceName },
    `${options.serviceName} listening on ${address} (gRPC)`,
  );
  return {
    port,
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        // Calls in flight get a moment to finish; then the rest are cut off.
        const force = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
};
