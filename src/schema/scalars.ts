/** Scalars of the API: DateTime (ISO 8601, UTC), Date (calendar date), Decimal (money and quantities: a string, never a float), JSONObject. */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTime, GraphQLJSONObject, GraphQLLocalDate } from 'graphql-scalars';
import Decimal from 'decimal.js';

const DECIMAL_PATTERN = /^-?\d{1,28}(\.\d{1,12})?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'bigint' ? value.toString() : undefined;
  if (text === undefined || !DECIMAL_PATTERN.test(text)) {
    throw new GraphQLError('Decimal must be a string such as "1234.56" (no floats, no exponent)', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Decimal(text).toFixed();
}

// numeric columns arrive as plain text ("1007.00"): their canonical form (Decimal's toFixed:
// no trailing fraction zeros, no "-0") without building a Decimal, a measurable cost on long lists.
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d{0,27})(?:\.\d{0,12})?$/;

function canonicalDecimal(text: string): string | null {
  if (!PLAIN_DECIMAL.test(text)) return null;
  // Trailing fraction zeros (and a bare point) go; a negative zero is zero.
  let end = text.length;
  const point = text.indexOf('.');
  if (point >= 0) {
    while (end > point + 1 && text.charCodeAt(end - 1) === 48) end--;
    if (end === point + 1) end = point;
  }
  const canonical = end === text.length ? text : text.slice(0, end);
  return canonical === '-0' ? '0' : canonical;
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number serialised as a string, e.g. "1234.56". Used for money with a currency code beside it.',
  serialize: (value) => (value instanceof Decimal ? value.toFixed() : ((typeof value === 'string' && canonicalDecimal(value)) || parseDecimal(String(value)))),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseDecimal(ast.value);
    throw new GraphQLError('Decimal must be a string such as "1234.56"', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

export const DateTimeScalar = GraphQLDateTime;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const localDate = GraphQLLocalDate.toConfig();
export const DateScalar = new GraphQLScalarType({
  ...localDate,
  name: 'Date',
  // `date` columns arrive as YYYY-MM-DD text, valid by construction: skip the full calendar check
  // (a measurable cost on long lists); inputs and any other value still get it.
  serialize: (value) => (typeof value === 'string' && CALENDAR_DATE.test(value) ? value : localDate.serialize(value)),
});
export const JSONObjectScalar = GraphQLJSONObject;

export const scalarsMap = [{ type: Date, scalar: DateTimeScalar }];
