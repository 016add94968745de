export {
  attachSubscriptions,
  defaultSubscriptionLimits,
  type SubscriptionEndpoint,
  type SubscriptionLimits,
  type SubscriptionOptions,
  type SubscriptionStats,
} from './attach-subscriptions.js';
