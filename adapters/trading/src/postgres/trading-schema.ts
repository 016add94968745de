/** The Postgres schema of a trading context's read models: its own, as each context's tables are. */
export type TradingSchema = 'crypto' | 'stock';
