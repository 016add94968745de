import { describe, expect, it } from '@jest/globals';
import { ASSETS, findAsset, getAsset } from './asset.js';

describe('the asset catalogue', () => {
  it('finds an asset by its code, whatever its case', () => {
    expect(findAsset(' btc ')).toMatchObject({ code: 'BTC', kind: 'CRYPTO', decimals: 8 });
    expect(getAsset('USD')).toMatchObject({ kind: 'FIAT', decimals: 2 });
  });

  it('lists each code once', () => {
    expect(new Set(ASSETS.map((asset) => asset.code)).size).toBe(ASSETS.length);
  });

  it('refuses an unknown code with the list of known ones', () => {
    expect(findAsset('XYZ')).toBeUndefined();
    expect(() => getAsset('XYZ')).toThrow(/Unknown asset "XYZ". Known assets: USD, USDT, BTC/);
  });
});
