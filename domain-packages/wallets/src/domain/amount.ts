import { DomainError } from '@simple-securities/shared-kernel';
import type { Asset } from './asset.js';

/**
 * An amount of one asset as a whole number of its smallest unit (cents, satoshis), so
 * arithmetic is exact. Decimal strings exist only at the edges.
 */
export type Units = bigint;

/**
 * The largest single movement: 10^15 smallest units (10 trillion USD, 10 million BTC).
 * Anything bigger is a typo or an attack, and keeps every balance far inside a
 * Postgres bigint.
 */
export const MAX_MOVEMENT_UNITS: Units = 10n ** 15n;

const DECIMAL = /^(\d{1,20})(?:\.(\d{1,30}))?$/;

const badAmount = (asset: Asset, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { field: 'amount', asset: asset.code });

/**
 * Reads a positive decimal string ("12.5") as units of the asset. Zero, negatives, more
 * decimals than the asset has and absurd sizes are refused, never rounded.
 */
export const parseAmount = (asset: Asset, text: string): Units => {
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    throw badAmount(asset, `Amount must be a positive decimal number like "12.50", got "${text}".`);
  }
  const [, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > asset.decimals) {
    throw badAmount(
      asset,
      `${asset.code} allows at most ${asset.decimals} decimal places, got "${text}".`,
    );
  }
  const units = BigInt(whole + significant.padEnd(asset.decimals, '0'));
  if (units === 0n) throw badAmount(asset, 'Amount must be greater than zero.');
  if (units > MAX_MOVEMENT_UNITS) {
    throw badAmount(
      asset,
      `Amount is too large: one movement moves at most ${formatUnits(asset, MAX_MOVEMENT_UNITS)} ${asset.code}.`,
    );
  }
  return units;
};

/** Units as a decimal string with all of the asset's places: 100000n USD → "1000.00". */
export const formatUnits = (asset: Asset, units: Units): string => {
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(asset.decimals + 1, '0');
  if (asset.decimals === 0) return sign + digits;
  const cut = digits.length - asset.decimals;
  return `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
};
