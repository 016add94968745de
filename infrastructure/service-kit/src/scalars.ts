import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const parseDateTime = (value: unknown): Date => {
  if (typeof value !== 'string' || !ISO_UTC.test(value) || Number.isNaN(Date.parse(value))) {
    throw badInput(
      `DateTime must be an ISO-8601 UTC string like 2026-01-31T12:00:00Z, got ${JSON.stringify(value)}.`,
    );
  }
  return new Date(value);
};

/** ISO-8601 instants in UTC, e.g. `2026-01-31T12:00:00.000Z`. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in time as an ISO-8601 string in UTC, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime()))
      throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

const DECIMAL = /^-?\d{1,30}(\.\d{1,18})?$/;

const parseDecimal = (value: unknown): string => {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw badInput(
      `Decimal must be a decimal number written as a string, like "12.50", got ${JSON.stringify(value)}.`,
    );
  }
  return value;
};

/**
 * Money, prices and quantities as exact decimal strings: JSON numbers would be
 * read as binary floats by most clients.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number serialised as a string, e.g. "1234.5678". Never a float.',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING ? ast.value : undefined),
});
