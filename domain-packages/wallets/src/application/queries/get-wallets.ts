import { getAsset } from '../../domain/asset.js';
import { EMPTY_WALLET } from '../../domain/wallet.js';
import type { Wallet, WalletReadModel } from '../ports.js';

/** Every wallet the user has money in, in catalogue order. */
export const createGetWallets =
  (deps: { wallets: WalletReadModel }) =>
  (userId: string): Promise<Wallet[]> =>
    deps.wallets.walletsOf(userId);

/** One wallet; an asset the user never held reads as an empty wallet, an unknown asset is BAD_USER_INPUT. */
export const createGetWallet =
  (deps: { wallets: WalletReadModel }) =>
  async (userId: string, assetCode: string): Promise<Wallet> => {
    const asset = getAsset(assetCode).code;
    return (await deps.wallets.walletOf({ userId, asset })) ?? { userId, asset, ...EMPTY_WALLET };
  };
