export {
  attachSubscriptions,
  defaultSubscriptionLimits,
  type SubscriptionEndpoint,
  type SubscriptionLimits,
  type SubscriptionOptions,
  type SubscriptionStats,
} from './attach-subscriptions.js';
export type {
  HttpStreams,
  OneOperationProtocol,
  ReservationLimits,
  ReservationProblem,
} from './http-streams.js';
export type { StartOutcome } from './http-stream.js';
export type { OperationSink, OperationStarter } from './client-connection.js';
