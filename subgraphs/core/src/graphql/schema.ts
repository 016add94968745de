import { gql } from 'graphql-tag';

/** The core subgraph's SDL: identity, the assets wallets hold, wallets and their ledger. Written to schema/core.graphql by the schema tools. */
export const typeDefs = gql`
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.7"
      import: ["@key", "@external", "@requires", "@shareable"]
    )

  "An instant in time as an ISO-8601 string in UTC, e.g. 2026-01-31T12:00:00.000Z."
  scalar DateTime

  "An exact decimal number written as a string, e.g. 1234.50 in quotes. Numbers are refused: they would be read as floats."
  scalar Decimal

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
    "Every wallet the user holds money in, in catalogue order. Null unless you are this user or have admin:users:read."
    wallets: [Wallet!]
    "The wallet in one asset (empty if never used). BAD_USER_INPUT for an unknown asset; null unless you are this user or have admin:users:read."
    wallet(asset: String!): Wallet
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

  input GrantPermissionInput {
    userId: ID!
    "A permission from the catalogue, e.g. admin:ledger:read."
    permission: String!
  }

  input RevokePermissionInput {
    userId: ID!
    "Withheld even when one of the user's roles gives it."
    permission: String!
  }

  input AssignRoleInput {
    userId: ID!
    "Replaces the user's roles."
    role: Role!
  }

  "A recorded change of what a user may do. It takes effect in their tokens from their next sign-in."
  type PermissionChangePayload {
    user: User!
    "Everything the user may do now: roles, plus grants, minus revocations."
    effectivePermissions: [String!]!
    changedBy: ID!
    changedAt: DateTime!
  }

  input SignInInput {
    email: String!
    password: String!
  }

  enum AssetKind {
    FIAT
    STABLECOIN
    CRYPTO
    STOCK
  }

  """
  One user's money in one asset, exact to the asset's decimals. available can be withdrawn
  or reserved; reserved is held for open orders; total is both.
  """
  type Wallet {
    "The asset's code, e.g. USD."
    asset: String!
    available: Decimal!
    reserved: Decimal!
    total: Decimal!
    "The entries behind the balance, newest first."
    ledger(first: Int = 20, after: String): LedgerEntryConnection!
  }

  "Why money moved."
  enum LedgerReason {
    DEPOSIT
    WITHDRAWAL
    RESERVE
    RELEASE
    TRADE
    FEE
  }

  "Which part of a wallet an entry changed."
  enum WalletBucket {
    AVAILABLE
    RESERVED
  }

  """
  One side of a balanced ledger transaction, on this wallet. The other side is on another
  account (the bank for deposits, the wallet's other bucket for reservations).
  """
  type LedgerEntry {
    id: ID!
    transactionId: ID!
    reason: LedgerReason!
    "What the movement belongs to, e.g. deposit:<idempotencyKey> or reservation:<id>."
    reference: String!
    "Signed: negative when the entry took money out of the bucket."
    amount: Decimal!
    bucket: WalletBucket!
    createdAt: DateTime!
  }

  type LedgerEntryEdge {
    node: LedgerEntry!
    cursor: String!
  }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    endCursor: String
  }

  type LedgerEntryConnection {
    edges: [LedgerEntryEdge!]!
    pageInfo: PageInfo!
  }

  input DepositInput {
    "An asset code from the catalogue, e.g. USD."
    asset: String!
    "Positive, with at most the asset's decimals, as a string such as 1000.00."
    amount: Decimal!
    "Your id for this deposit (1-128 letters, digits, . _ : -). A retry with it returns the first result and moves nothing."
    idempotencyKey: String!
  }

  input WithdrawInput {
    asset: String!
    "Positive, with at most the asset's decimals; at most the available balance."
    amount: Decimal!
    "Shared with deposits: a key already used for another movement is a CONFLICT."
    idempotencyKey: String!
  }

  "A movement of money in or out of a wallet."
  type FundsMovement {
    "The ledger transaction's id."
    id: ID!
    reason: LedgerReason!
    asset: String!
    amount: Decimal!
    reference: String!
    createdAt: DateTime!
  }

  type DepositPayload {
    movement: FundsMovement!
    "The wallet right after the deposit."
    wallet: Wallet!
    "True when this answers a retry: nothing moved this time."
    replayed: Boolean!
  }

  type WithdrawPayload {
    movement: FundsMovement!
    "The wallet right after the withdrawal."
    wallet: Wallet!
    "True when this answers a retry: nothing moved this time."
    replayed: Boolean!
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
    "Pays money in over the (simulated) payment rails. BAD_USER_INPUT for an unknown asset or a bad amount, CONFLICT for a reused key with another payload. Needs wallets:deposit."
    deposit(input: DepositInput!): DepositPayload!
    "Pays money out. INSUFFICIENT_FUNDS above the available balance; otherwise as deposit. Needs wallets:withdraw."
    withdraw(input: WithdrawInput!): WithdrawPayload!
    "Grants one user a permission beyond their roles; recorded and published. Needs admin:users:manage."
    grantPermission(input: GrantPermissionInput!): PermissionChangePayload!
    "Withholds a permission from one user; recorded and published. Needs admin:users:manage."
    revokePermission(input: RevokePermissionInput!): PermissionChangePayload!
    "Replaces a user's roles with one role; recorded and published. Needs admin:users:manage."
    assignRole(input: AssignRoleInput!): PermissionChangePayload!
  }
`;
