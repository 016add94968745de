import { DomainError } from '@simple-securities/shared-kernel';

/**
 * A decimal that may be negative, held exactly: `units × 10^-scale`. Profit and loss and
 * short positions go below zero, which `ExactDecimal` (sizes and prices) never does.
 */
export interface SignedDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const SIGNED_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export const ZERO: SignedDecimal = { units: 0n, scale: 0 };

/** Parses "-12.340" without going through a float. */
export const signedDecimal = (text: string): SignedDecimal => {
  const match = SIGNED_DECIMAL.exec(text);
  if (!match) throw new DomainError('BAD_USER_INPUT', `"${text}" is not a decimal number`);
  const fraction = match[3] ?? '';
  const units = BigInt(`${match[2]}${fraction}`);
  return { units: match[1] ? -units : units, scale: fraction.length };
};

/** Written out with exactly its scale's decimals: -1234n at 2 is "-12.34". */
export const signedDecimalText = ({ units, scale }: SignedDecimal): string => {
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return units < 0n ? `-${text}` : text;
};

const withScale = (value: SignedDecimal, scale: number): SignedDecimal => ({
  units: value.units * 10n ** BigInt(scale - value.scale),
  scale,
});

/** Both at the finer of their scales, so their units line up. */
const aligned = (a: SignedDecimal, b: SignedDecimal): [bigint, bigint, number] => {
  const scale = Math.max(a.scale, b.scale);
  return [withScale(a, scale).units, withScale(b, scale).units, scale];
};

export const plus = (a: SignedDecimal, b: SignedDecimal): SignedDecimal => {
  const [x, y, scale] = aligned(a, b);
  return { units: x + y, scale };
};

export const minus = (a: SignedDecimal, b: SignedDecimal): SignedDecimal => plus(a, negated(b));

export const negated = (value: SignedDecimal): SignedDecimal => ({
  units: -value.units,
  scale: value.scale,
});

export const times = (a: SignedDecimal, b: SignedDecimal): SignedDecimal => ({
  units: a.units * b.units,
  scale: a.scale + b.scale,
});

export const sign = (value: SignedDecimal): -1n | 0n | 1n =>
  value.units < 0n ? -1n : value.units > 0n ? 1n : 0n;

export const absolute = (value: SignedDecimal): SignedDecimal =>
  value.units < 0n ? negated(value) : value;

/** `numerator / denominator` rounded half to even: the rounding that favours no one on average. */
const roundedQuotient = (numerator: bigint, denominator: bigint): bigint => {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = 2n * (n % d);
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
};

/** `value × part / whole` at `value`'s scale, rounded half to even. */
export const share = (value: SignedDecimal, part: bigint, whole: bigint): SignedDecimal => ({
  units: roundedQuotient(value.units * part, whole),
  scale: value.scale,
});

/** `a / b` at `scale` decimals, rounded half to even. */
export const dividedBy = (a: SignedDecimal, b: SignedDecimal, scale: number): SignedDecimal => {
  // a/b = (a.units · 10^(scale + b.scale − a.scale)) / b.units, at `scale`.
  const shift = scale + b.scale - a.scale;
  return shift >= 0
    ? { units: roundedQuotient(a.units * 10n ** BigInt(shift), b.units), scale }
    : { units: roundedQuotient(a.units, b.units * 10n ** BigInt(-shift)), scale };
};

/** At `scale` decimals, rounded half to even. */
export const roundedTo = (value: SignedDecimal, scale: number): SignedDecimal =>
  scale >= value.scale
    ? withScale(value, scale)
    : { units: roundedQuotient(value.units, 10n ** BigInt(value.scale - scale)), scale };

/** The units of `value` at `scale`, which must be at least as fine as `value`'s. */
export const unitsAt = (value: SignedDecimal, scale: number): bigint =>
  withScale(value, scale).units;
