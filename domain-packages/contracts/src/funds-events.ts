import { z } from 'zod';

/**
 * Money moved in core. Amounts and balances are decimal strings at the asset's scale
 * ("1000.00" USD, "0.50000000" BTC), never JSON numbers. `subject` is the user id, so a
 * user's movements stay in order; `transactionId` names the balanced ledger transaction.
 */
export const FUNDS_DEPOSITED = 'core.funds.deposited.v1';
export const FUNDS_WITHDRAWN = 'core.funds.withdrawn.v1';
export const FUNDS_RESERVED = 'core.funds.reserved.v1';
export const FUNDS_RELEASED = 'core.funds.released.v1';
export const TRADE_SETTLED = 'core.trade.settled.v1';
export const PERMISSION_GRANTED = 'core.permission.granted.v1';
export const PERMISSION_REVOKED = 'core.permission.revoked.v1';
export const ROLE_ASSIGNED = 'core.role.assigned.v1';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string');

export const walletMovementV1 = z.object({
  transactionId: z.string().min(1),
  userId: z.string().min(1),
  asset: z.string().min(1),
  amount: decimal,
  /** The wallet right after the movement. */
  available: decimal,
  reserved: decimal,
  /** deposit:<key>, withdrawal:<key> or reservation:<id>. */
  reference: z.string().min(1),
  /** ISO-8601 UTC. */
  occurredAt: z.iso.datetime(),
});
export type WalletMovementV1 = z.infer<typeof walletMovementV1>;

export const fundsDepositedV1 = walletMovementV1;
export const fundsWithdrawnV1 = walletMovementV1;
export const fundsReservedV1 = walletMovementV1.extend({ reservationId: z.string().min(1) });
export const fundsReleasedV1 = fundsReservedV1;
export type FundsReservedV1 = z.infer<typeof fundsReservedV1>;

export const tradeSettledV1 = z.object({
  transactionId: z.string().min(1),
  settlementId: z.string().min(1),
  legs: z.array(
    z.object({
      userId: z.string().min(1),
      asset: z.string().min(1),
      /** Signed: negative for what left the wallet. */
      amount: decimal,
      reason: z.enum(['TRADE', 'FEE']),
    }),
  ),
  occurredAt: z.iso.datetime(),
});
export type TradeSettledV1 = z.infer<typeof tradeSettledV1>;

export const permissionChangedV1 = z.object({
  userId: z.string().min(1),
  permission: z.string().min(1),
  /** The administrator who made the change. */
  changedBy: z.string().min(1),
  changedAt: z.iso.datetime(),
});
export const permissionGrantedV1 = permissionChangedV1;
export const permissionRevokedV1 = permissionChangedV1;
export type PermissionChangedV1 = z.infer<typeof permissionChangedV1>;

/** The user's roles were replaced by this one. */
export const roleAssignedV1 = z.object({
  userId: z.string().min(1),
  role: z.string().min(1),
  changedBy: z.string().min(1),
  changedAt: z.iso.datetime(),
});
export type RoleAssignedV1 = z.infer<typeof roleAssignedV1>;
