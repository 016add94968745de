export * from './domain/notification.js';
export * from './application/ports/notification-repository.js';
export * from './application/policies/welcome-new-user.js';
export * from './application/commands/notify-user.js';
export * from './application/commands/mark-notification.js';
export * from './application/queries/get-notification.js';
export * from './application/queries/list-notifications.js';
