/**
 * ISO 4217 currencies as Intl knows them: which codes exist, how many decimals each minor unit
 * has (EUR 2, JPY 0, KWD 3) and which symbols stand for it (`€`, `$`, `CA$`).
 */

const SUPPORTED: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string): boolean => /^[A-Za-z]{3}$/.test(code) && SUPPORTED.has(code.toUpperCase());

/** One formatter per currency, kept (a cache of immutable values): building one costs more than formatting. */
export function currencyFormat(currency: string): Intl.NumberFormat {
  let format = FORMATS.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    FORMATS.set(currency, format);
  }
  return format;
}
const FORMATS = new Map<string, Intl.NumberFormat>();

/** Decimal places of a currency's minor unit: EUR 2, JPY 0, KWD 3. */
export function minorDigits(currency: string): number {
  return currencyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

const symbolOf = (currency: string, display: 'symbol' | 'narrowSymbol'): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: display }).formatToParts(1).find((p) => p.type === 'currency')!.value;

/** `$` for USD, `CA$` and `$` for CAD, `€` for EUR, the code itself for every currency. Upper-cased. */
export function symbolsOf(currency: string): string[] {
  const code = currency.toUpperCase();
  return [...new Set([code, symbolOf(code, 'symbol'), symbolOf(code, 'narrowSymbol')].map((s) => s.toUpperCase()))];
}

/** Symbols that name exactly one currency on their own (`€` EUR, `$` USD, `CA$` CAD, `£` GBP, `¥` JPY). */
const BY_SYMBOL: ReadonlyMap<string, string> = (() => {
  const owners = new Map<string, string[]>();
  for (const code of SUPPORTED) {
    const symbol = symbolOf(code, 'symbol').toUpperCase();
    if (symbol !== code) owners.set(symbol, [...(owners.get(symbol) ?? []), code]);
  }
  return new Map([...owners].filter(([, codes]) => codes.length === 1).map(([symbol, codes]) => [symbol, codes[0]!]));
})();

/** The currency a symbol or code names on its own, or undefined (`kr` could be several). */
export function currencyOfSymbol(symbol: string): string | undefined {
  const wanted = symbol.toUpperCase();
  return isCurrency(wanted) ? wanted : BY_SYMBOL.get(wanted);
}
