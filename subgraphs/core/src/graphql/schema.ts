import { gql } from 'graphql-tag';

/** The core subgraph's SDL: identity and the assets wallets hold. Written to schema/core.graphql by the schema tools. */
export const typeDefs = gql`
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.7"
      import: ["@key", "@external", "@requires"]
    )

  "An instant in time as an ISO-8601 string in UTC, e.g. 2026-01-31T12:00:00.000Z."
  scalar DateTime

  "What a user may do is given by their roles; subgraphs check the permissions they grant."
  enum Role {
    USER
    ADMIN
  }

  """
  A person with an account. Everyone may see the id, display name and join date; email,
  roles and permissions are shown only to the user themself and to callers with the
  admin:users:read permission, and are null for everyone else.
  """
  type User @key(fields: "id") {
    id: ID!
    displayName: String!
    "The sign-in email, lower-cased. Null unless you are this user or may administer users."
    email: String
    "Null unless you are this user or may administer users."
    roles: [Role!]
    "Everything the roles allow, e.g. orders:place. Null unless you are this user or may administer users."
    permissions: [String!]
    createdAt: DateTime!
  }

  "A signed-in session: send the token as 'Authorization: Bearer <token>' until it expires."
  type AuthPayload {
    token: String!
    expiresAt: DateTime!
    user: User!
  }

  input SignUpInput {
    "Any valid address; it is lower-cased, so each address has one account."
    email: String!
    "At least 10 characters, mixing letters with digits, spaces or symbols."
    password: String!
    "How others see you: 1 to 100 characters."
    displayName: String!
  }

  input SignInInput {
    email: String!
    password: String!
  }

  enum AssetKind {
    FIAT
    STABLECOIN
    CRYPTO
  }

  "Something a wallet can hold, such as USD, USDT or BTC."
  type Asset @key(fields: "code") {
    code: ID!
    name: String!
    kind: AssetKind!
    "Balances are whole numbers of 10^-decimals of the asset (USD in cents, BTC in satoshis)."
    decimals: Int!
  }

  "A crypto pair (owned by the crypto subgraph), with its two assets as core knows them."
  type CryptoPair @key(fields: "symbol") {
    symbol: String!
    baseAsset: String! @external
    quoteCurrency: String! @external
    "The asset bought and sold."
    base: Asset! @requires(fields: "baseAsset")
    "The asset prices are quoted in."
    quote: Asset! @requires(fields: "quoteCurrency")
  }

  type Query {
    "Every asset wallets can hold."
    assets: [Asset!]!
    "BAD_USER_INPUT for an unknown code."
    asset(code: ID!): Asset!
    "The signed-in user; UNAUTHENTICATED without a bearer token, null if the account is gone."
    me: User
  }

  type Mutation {
    "Opens an account (role USER) and signs in. CONFLICT when the email is taken, BAD_USER_INPUT for an invalid email, weak password or empty name."
    signUp(input: SignUpInput!): AuthPayload!
    "Signs in. A wrong password and an unknown email both give UNAUTHENTICATED 'Wrong email or password.'"
    signIn(input: SignInInput!): AuthPayload!
  }
`;
