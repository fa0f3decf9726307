import { currencyFormat, minorDigits } from './currency';

/** An amount of one currency: integer minor units (cents; whole yen for JPY; fils for KWD). */
export interface Money {
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

/** 1499.99 EUR -> 149999; undefined when the amount has more decimals than the currency has. */
export function toMinor(amount: number, currency: string): number | undefined {
  const scaled = amount * 10 ** minorDigits(currency);
  const rounded = Math.round(scaled);
  return Math.abs(scaled - rounded) < 1e-6 && Number.isSafeInteger(rounded) ? rounded : undefined;
}

/** Minor units back to major units, for arithmetic that needs them (a ratio, a chart). */
export const toMajor = (money: Money): number => money.amountMinor / 10 ** minorDigits(money.currency);

/** `1500.00`, `150000`, `1.500`: the decimal a spreadsheet sums, every minor digit written. */
export const formatDecimal = (money: Money): string => toMajor(money).toFixed(minorDigits(money.currency));

/** `1500`, `1.5`: plain text a person can type back for an amount (no grouping, no symbol). */
export const formatTyped = (money: Money): string => String(toMajor(money));

/** `€1,500.00`, `¥150,000`, `KWD 1.500`. */
export const formatMoney = (money: Money): string => currencyFormat(money.currency).format(toMajor(money));

/** One total per currency, in currency order; never a sum across currencies. */
export function sumByCurrency(amounts: readonly Money[]): Money[] {
  const totals = new Map<string, number>();
  for (const { amountMinor, currency } of amounts) totals.set(currency, (totals.get(currency) ?? 0) + amountMinor);
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ amountMinor, currency }));
}

/** `€1,500.00 · $200.00`, or `-` for nothing. */
export const formatMoneyList = (amounts: readonly Money[]): string => (amounts.length ? amounts.map(formatMoney).join(' · ') : '-');

/** The single amount in `currency` among per-currency totals: null when any other currency is in them. */
export function onlyIn(amounts: readonly Money[], currency: string): number | null {
  const groups = sumByCurrency(amounts).filter((money) => money.amountMinor !== 0);
  if (groups.length === 0) return 0;
  return groups.length === 1 && groups[0]!.currency === currency ? groups[0]!.amountMinor : null;
}
