import { DomainError } from '@simple-securities/shared-kernel';
import { type PositionValuation, valuePosition } from '../../domain/position.js';
import {
  plus,
  roundedTo,
  type SignedDecimal,
  signedDecimal,
  signedDecimalText,
  ZERO,
} from '../../domain/signed-decimal.js';
import type { LastPrices, MarketSideReadModel } from '../market-side-ports.js';

export interface PortfolioPosition extends PositionValuation {
  readonly symbol: string;
  readonly currency: string;
  /** The price it is valued at, and when it traded. */
  readonly lastPrice: string;
  readonly priceTime: Date;
}

/** Sums of the positions valued in one currency. */
export interface PortfolioTotal {
  readonly currency: string;
  readonly costBasis: string;
  readonly marketValue: string;
  readonly unrealisedPnl: string;
  readonly realisedPnl: string;
}

export interface Portfolio {
  readonly positions: readonly PortfolioPosition[];
  /** One per quote currency: amounts in different currencies are never added. */
  readonly totals: readonly PortfolioTotal[];
}

const TOTALLED = ['costBasis', 'marketValue', 'unrealisedPnl', 'realisedPnl'] as const;

/**
 * The caller's positions in this context, each valued at its instrument's last price.
 * A position whose instrument has no price yet is left out of the valuation (it has
 * nothing to be valued at) and listed once a price arrives.
 */
export const getPortfolio =
  ({
    readModel,
    prices,
  }: {
    readonly readModel: MarketSideReadModel;
    readonly prices: LastPrices;
  }) =>
  async (caller: { readonly userId: string }, ownerId: string): Promise<Portfolio> => {
    if (caller.userId !== ownerId)
      throw new DomainError('FORBIDDEN', 'You can only read your own portfolio.');
    const positions: PortfolioPosition[] = [];
    const totals = new Map<string, { scale: number; sums: Record<string, SignedDecimal> }>();
    for (const record of await readModel.positions(ownerId)) {
      const last = await prices.lastPrice(record.symbol);
      if (!last) continue;
      const valuation = valuePosition(record.position, last.price, record.currencyScale);
      positions.push({
        symbol: record.symbol,
        currency: record.currency,
        lastPrice: last.price,
        priceTime: last.time,
        ...valuation,
      });
      const total = totals.get(record.currency) ?? {
        scale: record.currencyScale,
        sums: Object.fromEntries(TOTALLED.map((field) => [field, ZERO])),
      };
      for (const field of TOTALLED)
        total.sums[field] = plus(total.sums[field] ?? ZERO, signedDecimal(valuation[field]));
      totals.set(record.currency, total);
    }
    return {
      positions,
      totals: [...totals].map(([currency, { scale, sums }]) => {
        const shown = (field: (typeof TOTALLED)[number]) =>
          signedDecimalText(roundedTo(sums[field] ?? ZERO, scale));
        return {
          currency,
          costBasis: shown('costBasis'),
          marketValue: shown('marketValue'),
          unrealisedPnl: shown('unrealisedPnl'),
          realisedPnl: shown('realisedPnl'),
        };
      }),
    };
  };
