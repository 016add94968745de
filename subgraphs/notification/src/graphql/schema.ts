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
    ): NotificationConnection!
    unreadNotificationCount: Int!
  }

  type Query {
    "One of the caller's notifications."
    notification(id: ID!): Notification
  }

  input MarkNotificationInput {
    id: ID!
  }

  type MarkNotificationPayload {
    notification: Notification!
  }

  type Mutation {
    markNotificationRead(input: MarkNotificationInput!): MarkNotificationPayload!
    markNotificationViewed(input: MarkNotificationInput!): MarkNotificationPayload!
  }
`;
