import { DomainError } from '@simple-securities/shared-kernel';

export type AssetKind = 'FIAT' | 'STABLECOIN' | 'CRYPTO' | 'STOCK';

/**
 * Something a wallet can hold. `decimals` is the smallest unit a balance can
 * carry (USD in cents, BTC in satoshis), so amounts are whole numbers of it.
 */
export interface Asset {
  readonly code: string;
  readonly name: string;
  readonly kind: AssetKind;
  readonly decimals: number;
}

const crypto = (code: string, name: string): Asset => ({ code, name, kind: 'CRYPTO', decimals: 8 });
// Stocks trade in whole shares (lot size 1), so a share is the smallest unit.
const stock = (code: string, name: string): Asset => ({ code, name, kind: 'STOCK', decimals: 0 });

/** The assets core keeps wallets in: the quote currencies, every listed crypto base and every listed stock. */
export const ASSETS: readonly Asset[] = [
  { code: 'USD', name: 'US Dollar', kind: 'FIAT', decimals: 2 },
  { code: 'USDT', name: 'Tether USD', kind: 'STABLECOIN', decimals: 6 },
  crypto('BTC', 'Bitcoin'),
  crypto('ETH', 'Ether'),
  crypto('SOL', 'Solana'),
  crypto('BNB', 'BNB'),
  crypto('XRP', 'XRP'),
  crypto('ADA', 'Cardano'),
  crypto('DOGE', 'Dogecoin'),
  crypto('LTC', 'Litecoin'),
  crypto('DOT', 'Polkadot'),
  crypto('AVAX', 'Avalanche'),
  crypto('LINK', 'Chainlink'),
  crypto('TRX', 'TRON'),
  stock('AAPL', 'Apple Inc.'),
  stock('MSFT', 'Microsoft Corporation'),
  stock('NVDA', 'NVIDIA Corporation'),
  stock('AMZN', 'Amazon.com, Inc.'),
  stock('GOOGL', 'Alphabet Inc. Class A'),
  stock('TSLA', 'Tesla, Inc.'),
  stock('JPM', 'JPMorgan Chase & Co.'),
];

const byCode = new Map(ASSETS.map((asset) => [asset.code, asset]));

export const findAsset = (code: string): Asset | undefined => byCode.get(code.trim().toUpperCase());

export const getAsset = (code: string): Asset => {
  const asset = findAsset(code);
  if (!asset) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Unknown asset "${code}". Known assets: ${[...byCode.keys()].join(', ')}.`,
    );
  }
  return asset;
};
