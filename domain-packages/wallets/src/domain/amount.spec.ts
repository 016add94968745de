import { describe, expect, it } from '@jest/globals';
import { MAX_MOVEMENT_UNITS, formatUnits, parseAmount } from './amount.js';
import { getAsset } from './asset.js';

const USD = getAsset('USD');
const BTC = getAsset('BTC');

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('amounts', () => {
  it('reads a decimal string as whole units of the asset', () => {
    expect(parseAmount(USD, '1000')).toBe(100_000n);
    expect(parseAmount(USD, '12.5')).toBe(1_250n);
    expect(parseAmount(BTC, '0.00000001')).toBe(1n);
    expect(parseAmount(USD, '0.10')).toBe(10n);
  });

  it('accepts trailing zeros beyond the asset’s places, which change nothing', () => {
    expect(parseAmount(USD, '1.2300000')).toBe(123n);
  });

  it.each([
    ['zero', '0', /greater than zero/],
    ['zero with decimals', '0.00', /greater than zero/],
    ['a negative amount', '-5', /positive decimal/],
    ['a number in exponent form', '1e3', /positive decimal/],
    ['an empty string', '', /positive decimal/],
    ['more decimals than the asset has', '1.001', /at most 2 decimal places/],
    ['an absurd size', '99999999999999999999', /too large/],
  ])('refuses %s as BAD_USER_INPUT', (_case, text, message) => {
    const error = refusal(() => parseAmount(USD, text));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('accepts the largest movement and refuses one unit more', () => {
    expect(parseAmount(USD, formatUnits(USD, MAX_MOVEMENT_UNITS))).toBe(MAX_MOVEMENT_UNITS);
    expect(refusal(() => parseAmount(USD, formatUnits(USD, MAX_MOVEMENT_UNITS + 1n))).code).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('writes units with every place of the asset', () => {
    expect(formatUnits(USD, 100_000n)).toBe('1000.00');
    expect(formatUnits(USD, 5n)).toBe('0.05');
    expect(formatUnits(BTC, 150_000_000n)).toBe('1.50000000');
    expect(formatUnits(USD, -1_250n)).toBe('-12.50');
    expect(formatUnits(USD, 0n)).toBe('0.00');
  });
});
