import { ASSETS, findAsset, getAsset } from '@simple-securities/wallets';

/** Assets are reference data: the same for every caller. */
export const assetResolvers = {
  Asset: {
    __resolveReference: (reference: { code: string }) => findAsset(reference.code) ?? null,
  },
  CryptoPair: {
    base: (pair: { baseAsset: string }) => getAsset(pair.baseAsset),
    quote: (pair: { quoteCurrency: string }) => getAsset(pair.quoteCurrency),
  },
  Query: {
    assets: () => ASSETS,
    asset: (_root: unknown, args: { code: string }) => getAsset(args.code),
  },
};
