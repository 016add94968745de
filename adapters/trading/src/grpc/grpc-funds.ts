import { status } from '@grpc/grpc-js';
import type { FundsClient } from '@simple-securities/funds-client';
import { DomainError } from '@simple-securities/shared-kernel';
import type { FundsPort } from '@simple-securities/trading';

/** grpc-js errors carry the status code; the client's words are in `details`. */
const domainErrorOf = (error: unknown): unknown => {
  const { code, details } = error as { code?: number; details?: string };
  if (code === status.FAILED_PRECONDITION)
    return new DomainError('INSUFFICIENT_FUNDS', details ?? 'Not enough funds for this order.');
  if (code === status.INVALID_ARGUMENT)
    return new DomainError('BAD_USER_INPUT', details ?? 'The funds service refused the amount.');
  return error;
};

const translated = async (call: Promise<unknown>): Promise<void> => {
  try {
    await call;
  } catch (error) {
    throw domainErrorOf(error);
  }
};

/** Core's funds over gRPC, with its refusals in the domain's words. */
export const grpcFunds = (client: FundsClient): FundsPort => ({
  reserve: (request) => translated(client.reserve(request)),
  release: (request) => translated(client.release(request)),
  settle: (request) => translated(client.settle(request)),
});
