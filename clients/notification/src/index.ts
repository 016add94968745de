export * from './notification-client.js';
export * from './generated/notification/v1/notification.js';
