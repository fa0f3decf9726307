import { z } from 'zod';
import { UserFacingError } from '../src/core';
import { formatMoney, formatTyped, isCurrency, parseMoney, type Money, type MoneyParseError } from '../src/domain/money';

/**
 * The words for money arguments: one currency schema, one amount schema, one set of messages, all
 * over the one parser in src/domain/money. The rule they state is the parser's: see `MONEY_RULE`.
 */

export const MONEY_FORMS = '1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR';

/** For help: how an amount with a single `.` or `,` is read. */
export const MONEY_RULE =
  'Amounts: 1500, 1,500, 1 500, 1500.50, 1,500.50, 1.500,50, €1,500, $1,500.00, 1500 EUR. A single . or , before exactly three digits groups thousands (1.500 EUR is 1,500 euros), except in currencies with three decimals (KWD), where it is refused as ambiguous.';

export const currencyCode = z
  .string({ error: 'currency must be an ISO code like EUR, USD or GBP' })
  .trim()
  .toUpperCase()
  .refine(isCurrency, 'currency must be an ISO code like EUR, USD or GBP');

/**
 * An amount as typed (or a Discord number), checked for its shape here; it is read in its currency
 * with `readMoney` (or `refineMoney` on the whole input) once the currency is known.
 */
export const moneyText = (label: string) =>
  z
    .union([z.number(), z.string().max(40, `${label} is at most 40 characters`)], { error: `${label} must be an amount like ${MONEY_FORMS}` })
    .transform((value, ctx) => {
      const parsed = parseMoney(value);
      if (!parsed.ok && ['empty', 'unreadable', 'negative', 'unknown-currency', 'too-large'].includes(parsed.error.code)) {
        ctx.addIssue({ code: 'custom', message: moneyMessage(label, parsed.error, value) });
        return z.NEVER;
      }
      return typeof value === 'number' ? value : value.trim();
    });

export function moneyMessage(label: string, error: MoneyParseError, value: unknown): string {
  const shown = String(value).trim();
  switch (error.code) {
    case 'ambiguous': {
      const [a, b] = error.readings;
      return `${label}: "${shown}" could be ${formatMoney(a)} or ${formatMoney(b)} - type ${formatTyped(a)} or ${formatTyped(b)}`;
    }
    case 'too-many-decimals':
      return error.digits === 0
        ? `${label}: ${error.currency} has no decimals, like ${shown.replace(/[.,]\d*$/, '')}`
        : `${label}: ${error.currency} has ${error.digits} decimals at most, like ${(1500).toFixed(error.digits)}`;
    case 'currency-conflict':
      return `${label}: "${error.written}" is not ${error.currency}. Give the amount in ${error.currency}, or change the currency`;
    case 'unknown-currency':
      return `${label}: ${error.written} is not an ISO currency code like EUR, USD or GBP`;
    case 'negative':
      return `${label} cannot be negative`;
    case 'too-large':
      return `${label} is too large`;
    case 'no-currency':
      return `${label} needs a currency, like ${shown} EUR`;
    default:
      return `${label} must be an amount like ${MONEY_FORMS}`;
  }
}

/** Reads an amount in `currency`, or throws the field's message. `positive` refuses zero. */
export function readMoney(label: string, value: string | number, currency: string, options: { positive?: boolean } = {}): Money {
  const parsed = parseMoney(value, currency);
  if (!parsed.ok) {
    const message = moneyMessage(label, parsed.error, value);
    throw new UserFacingError(message, { [label]: message.replace(new RegExp(`^${label}:? `), '') });
  }
  if (options.positive && parsed.value.amountMinor <= 0) throw new UserFacingError(`${label} must be more than zero`, { [label]: 'must be more than zero' });
  return parsed.value;
}

/** On an input with both fields: the amount read in the typed currency, so a modal shows the message inline. */
export const refineMoney =
  (amountField: string, currencyField: string, options: { positive?: boolean } = {}) =>
  (value: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const amount = value[amountField];
    const currency = value[currencyField];
    if ((typeof amount !== 'string' && typeof amount !== 'number') || typeof currency !== 'string' || !isCurrency(currency)) return;
    const parsed = parseMoney(amount, currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [amountField], message: moneyMessage(amountField, parsed.error, amount) });
    else if (options.positive && parsed.value.amountMinor <= 0) ctx.addIssue({ code: 'custom', path: [amountField], message: `${amountField} must be more than zero` });
  };
