import { gql } from 'graphql-tag';

export const typeDefs = gql`
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.9"
      import: ["@key", "@shareable", "@cost", "@listSize"]
    )

  scalar DateTime

  enum NotificationType {
    WELCOME
    ACCOUNT
    WALLET
    ORDER
    PRICE_ALERT
    SYSTEM
  }

  "A message for one user."
  type Notification @key(fields: "id") {
    id: ID!
    type: NotificationType!
    title: String!
    body: String!
    "The user opened it."
    read: Boolean!
    readAt: DateTime
    "It was shown to the user."
    viewed: Boolean!
    viewedAt: DateTime
    createdAt: DateTime!
  }

  type NotificationEdge {
    node: Notification!
    cursor: String!
  }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    endCursor: String
  }

  type NotificationConnection {
    edges: [NotificationEdge!]!
    pageInfo: PageInfo!
  }

  type User @key(fields: "id") {
    id: ID!
    "Newest first. Only the user themself can read them."
    notifications(
      first: Int = 20
      after: String
      unreadOnly: Boolean = false
      "Only notifications of this type."
      type: NotificationType
    ): NotificationConnection!
    unreadNotificationCount: Int!
    "Where the user's new notifications are pushed; null until they set one. Only the user themself can read it."
    notificationWebhook: NotificationWebhook
  }

  "A URL each new notification of its owner is POSTed to (Discord-style JSON: content and one embed)."
  type NotificationWebhook {
    url: String!
    enabled: Boolean!
    updatedAt: DateTime!
    "Attempts to push notifications to it, newest first."
    deliveries(first: Int = 20, after: String): WebhookDeliveryConnection!
  }

  enum WebhookDeliveryStatus {
    "The webhook answered 2xx."
    DELIVERED
    "This attempt failed; another one follows, after a pause that grows each time."
    RETRYING
    "This attempt failed and was the last: attempts used up, or a refusal no retry would change."
    FAILED
  }

  "One attempt to push one notification."
  type WebhookDelivery {
    notificationId: ID!
    "1 for the first attempt."
    attempt: Int!
    status: WebhookDeliveryStatus!
    "The webhook's answer, when it answered."
    httpStatus: Int
    "Why it failed, when it did."
    error: String
    at: DateTime!
  }

  type WebhookDeliveryEdge {
    node: WebhookDelivery!
    cursor: String!
  }

  type WebhookDeliveryConnection {
    edges: [WebhookDeliveryEdge!]!
    pageInfo: PageInfo!
  }

  type Query {
    "One of the caller's notifications."
    notification(id: ID!): Notification
    """
    The caller's own notifications that match \`query\` (words, "a phrase", -word, or),
    best match first. A full-text search: the router counts it as 20 fields.
    """
    searchNotifications(query: String!, first: Int = 20, after: String): NotificationConnection!
      @cost(weight: 20)
      @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
  }

  input MarkNotificationInput {
    id: ID!
  }

  type MarkNotificationPayload {
    notification: Notification!
  }

  input MarkAllNotificationsReadInput {
    "Only notifications of this type; all of them when left out."
    type: NotificationType
  }

  type MarkAllNotificationsReadPayload {
    "How many were unread and are read now."
    markedCount: Int!
    unreadNotificationCount: Int!
  }

  input SendNotificationInput {
    "The recipient."
    userId: ID!
    type: NotificationType!
    "1 to 200 characters."
    title: String!
    "At most 4,000 characters."
    body: String!
  }

  type SendNotificationPayload {
    notification: Notification!
  }

  input SetNotificationWebhookInput {
    "https:// (http:// only where the server allows it), at most 2,048 characters, a public host."
    url: String!
    enabled: Boolean!
  }

  type SetNotificationWebhookPayload {
    notificationWebhook: NotificationWebhook!
  }

  type Mutation {
    markNotificationRead(input: MarkNotificationInput!): MarkNotificationPayload!
    markNotificationViewed(input: MarkNotificationInput!): MarkNotificationPayload!
    "Marks all the caller's unread notifications read (or those of one type)."
    markAllNotificationsRead(input: MarkAllNotificationsReadInput): MarkAllNotificationsReadPayload!
    "Writes to a user directly. Needs the admin:notifications:send permission."
    sendNotification(input: SendNotificationInput!): SendNotificationPayload!
    "Sets the caller's webhook (replacing the one before) and turns it on or off."
    setNotificationWebhook(input: SetNotificationWebhookInput!): SetNotificationWebhookPayload!
  }

  type Subscription {
    "The caller's new notifications as they arrive. Needs a signed-in connection."
    notificationAdded: Notification!
  }
`;
