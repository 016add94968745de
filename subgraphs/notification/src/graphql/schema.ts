import { gql } from 'graphql-tag';

export const typeDefs = gql`
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

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
  }

  type Query {
    "One of the caller's notifications."
    notification(id: ID!): Notification
    """
    The caller's own notifications that match \`query\` (words, "a phrase", -word, or),
    best match first.
    """
    searchNotifications(query: String!, first: Int = 20, after: String): NotificationConnection!
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

  type Mutation {
    markNotificationRead(input: MarkNotificationInput!): MarkNotificationPayload!
    markNotificationViewed(input: MarkNotificationInput!): MarkNotificationPayload!
    "Marks all the caller's unread notifications read (or those of one type)."
    markAllNotificationsRead(input: MarkAllNotificationsReadInput): MarkAllNotificationsReadPayload!
    "Writes to a user directly. Needs the admin:notifications:send permission."
    sendNotification(input: SendNotificationInput!): SendNotificationPayload!
  }

  type Subscription {
    "The caller's new notifications as they arrive. Needs a signed-in connection."
    notificationAdded: Notification!
  }
`;
