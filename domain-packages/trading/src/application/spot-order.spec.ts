import { describe, expect, it } from '@jest/globals';
import { exactDecimal } from '../domain/instrument.js';
import { formatUnits, priceText, quantityText, wholeSteps } from './spot-order.js';
import { sampleBtcUsdt } from '../domain/sample-instruments.js';

const btc = sampleBtcUsdt;

describe('spot order sizes', () => {
  it('turns decimals into whole ticks and lots without a float', () => {
    expect(wholeSteps('91234.56', btc.tick, 'price')).toBe(9_123_456);
    expect(wholeSteps('0.0100', btc.lot, 'quantity')).toBe(1000);
    expect(wholeSteps('2', exactDecimal('0.5'), 'quantity')).toBe(4);
  });

  it.each([
    ['0.000015', /not a whole multiple of 0.00001/],
    ['0', /above zero/],
    ['1e3', /not a plain decimal/],
    ['-1', /not a plain decimal/],
    ['99999999999999999999', /too large/],
  ])('refuses the quantity %s as BAD_USER_INPUT', (text, words) => {
    expect(() => wholeSteps(text, btc.lot, 'quantity')).toThrow(words);
    expect(() => wholeSteps(text, btc.lot, 'quantity')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });

  it('writes ticks, lots and minor units back at their scale', () => {
    expect(priceText(btc, 9_000_000)).toBe('90000.00');
    expect(quantityText(btc, 1)).toBe('0.00001');
    expect(quantityText(btc, 0)).toBe('0.00000');
    expect(formatUnits(899_550_000n, 6)).toBe('899.550000');
    expect(formatUnits(7n, 0)).toBe('7');
  });
});
