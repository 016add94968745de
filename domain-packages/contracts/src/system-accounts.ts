/**
 * The liquidity provider's account (ADR 0027): core's demo seed deposits its inventory
 * like any other money, and the trading contexts quote their books from it. It is no
 * one's login; only the provider places orders for it.
 */
export const LIQUIDITY_PROVIDER_USER_ID = '11900000-0000-4000-8000-000000000004';
