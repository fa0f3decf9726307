import { describe, expect, it } from 'vitest';
import { currencyOfSymbol, formatMoney, formatMoneyList, isCurrency, minorDigits, parseMoney, sumByCurrency, toMinor, type MoneyParse } from '../../../src/domain/money';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const ok = (amountMinor: number, currency: string): MoneyParse => ({ ok: true, value: { amountMinor, currency } });

describe('money: formatting and minor units', () => {
  it('GIVEN currencies THEN amounts format with their own minor units (EUR 2, JPY 0, KWD 3)', () => {
    expect(formatMoney(EUR(150000))).toBe('€1,500.00');
    expect(formatMoney(USD(99))).toBe('$0.99');
    expect(formatMoney({ amountMinor: 1500, currency: 'JPY' })).toBe('¥1,500');
    expect(formatMoney({ amountMinor: 1500, currency: 'KWD' })).toBe('KWD\u00a01.500');
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('GIVEN a number in major units THEN it becomes integer minor units, or undefined when too precise', () => {
    expect([toMinor(1499.99, 'EUR'), toMinor(0.29, 'EUR'), toMinor(1500, 'JPY'), toMinor(1500.5, 'JPY'), toMinor(10.001, 'EUR'), toMinor(1.234, 'KWD')]).toEqual([
      149999, 29, 1500, undefined, undefined, 1234,
    ]);
  });

  it('GIVEN amounts in several currencies THEN each currency has its own total and none is mixed', () => {
    expect(sumByCurrency([USD(100), EUR(250), USD(50), { amountMinor: 7, currency: 'JPY' }, EUR(-50)])).toEqual([EUR(200), { amountMinor: 7, currency: 'JPY' }, USD(150)]);
    expect(sumByCurrency([])).toEqual([]);
    expect(formatMoneyList([EUR(200), USD(150)])).toBe('€2.00 · $1.50');
    expect(formatMoneyList([])).toBe('-');
  });

  it('GIVEN currency codes and symbols THEN only ISO codes are currencies and a symbol names one only when it is unique', () => {
    expect([isCurrency('EUR'), isCurrency('jpy'), isCurrency('EURO'), isCurrency('XXQ')]).toEqual([true, true, false, false]);
    expect([currencyOfSymbol('€'), currencyOfSymbol('$'), currencyOfSymbol('CA$'), currencyOfSymbol('£'), currencyOfSymbol('¥'), currencyOfSymbol('kwd')]).toEqual([
      'EUR', 'USD', 'CAD', 'GBP', 'JPY', 'KWD',
    ]);
  });
});

describe('money: the one parser', () => {
  it.each([
    ['1500', 'EUR', 150000],
    ['1,500', 'EUR', 150000],
    ['1 500', 'EUR', 150000],
    ['1\u00a0500', 'EUR', 150000],
    ['1500.50', 'EUR', 150050],
    ['1,500.50', 'EUR', 150050],
    ['1.500,50', 'EUR', 150050],
    ['1 500,50', 'EUR', 150050],
    ['1500,5', 'EUR', 150050],
    ['€1,500', 'EUR', 150000],
    ['€ 1,500', 'EUR', 150000],
    ['$1,500.00', 'USD', 150000],
    ['1500 EUR', 'EUR', 150000],
    ['EUR 1500', 'EUR', 150000],
    ['1500 eur', 'EUR', 150000],
    ['1.000.000', 'EUR', 100000000],
    ['1,000,000.25', 'USD', 100000025],
    ["1'500.50", 'CHF', 150050],
    ['0.5', 'EUR', 50],
    ['1500.00', 'JPY', 1500],
    ['¥150,000', 'JPY', 150000],
    ['1.500', 'JPY', 1500],
    ['1,500.250', 'KWD', 1500250],
    ['KWD 12.5', 'KWD', 12500],
    ['$1500', 'CAD', 150000],
  ])('GIVEN %s in %s THEN it reads %d minor units', (typed, currency, minor) => {
    expect(parseMoney(typed, currency)).toEqual(ok(minor, currency));
  });

  it('GIVEN 1.500 or 1,500 THEN it is thousands where the currency cannot hold three decimals, and refused naming both readings where it can', () => {
    expect(parseMoney('1.500', 'EUR')).toEqual(ok(150000, 'EUR'));
    expect(parseMoney('1,500', 'USD')).toEqual(ok(150000, 'USD'));
    expect(parseMoney('1.500', 'KWD')).toEqual({ ok: false, error: { code: 'ambiguous', readings: [{ amountMinor: 1500000, currency: 'KWD' }, { amountMinor: 1500, currency: 'KWD' }] } });
    expect(parseMoney('1,500', 'KWD')).toEqual({ ok: false, error: { code: 'ambiguous', readings: [{ amountMinor: 1500000, currency: 'KWD' }, { amountMinor: 1500, currency: 'KWD' }] } });
  });

  it('GIVEN no currency THEN a code or a unique symbol decides it, and a bare number needs one', () => {
    expect(parseMoney('€1,500')).toEqual(ok(150000, 'EUR'));
    expect(parseMoney('1500 JPY')).toEqual(ok(1500, 'JPY'));
    expect(parseMoney('1500')).toEqual({ ok: false, error: { code: 'no-currency' } });
  });

  it.each([
    ['$1500', 'EUR', { code: 'currency-conflict', written: '$', currency: 'EUR' }],
    ['1500 USD', 'EUR', { code: 'currency-conflict', written: 'USD', currency: 'EUR' }],
    ['€1500 USD', undefined, { code: 'currency-conflict', written: '€', currency: 'USD' }],
    ['1500 XYZ', 'EUR', { code: 'unknown-currency', written: 'XYZ' }],
    ['1.5', 'JPY', { code: 'too-many-decimals', currency: 'JPY', digits: 0 }],
    ['10.0015', 'EUR', { code: 'too-many-decimals', currency: 'EUR', digits: 2 }],
    ['1,500.505', 'EUR', { code: 'too-many-decimals', currency: 'EUR', digits: 2 }],
    ['-5', 'EUR', { code: 'negative' }],
    ['€-5', 'EUR', { code: 'negative' }],
    ['', 'EUR', { code: 'empty' }],
    ['1e3', 'EUR', { code: 'unreadable' }],
    ['0x10', 'EUR', { code: 'unreadable' }],
    ['1,50,000', 'EUR', { code: 'unreadable' }],
    ['1.500.50', 'EUR', { code: 'unreadable' }],
    ['5.', 'EUR', { code: 'unreadable' }],
    ['Infinity', 'EUR', { code: 'unreadable' }],
    ['{"$gt": ""}', 'EUR', { code: 'unreadable' }],
    ['9'.repeat(20), 'EUR', { code: 'too-large' }],
  ])('GIVEN "%s" in %s THEN it is refused with %j', (typed, currency, error) => {
    const parsed = parseMoney(typed, currency);
    expect(parsed.ok ? parsed : parsed.error).toEqual(error);
  });

  it('GIVEN a typed number (Discord) THEN it is read the same way', () => {
    expect(parseMoney(1500.5, 'EUR')).toEqual(ok(150050, 'EUR'));
    expect(parseMoney(1500.555, 'EUR')).toEqual({ ok: false, error: { code: 'too-many-decimals', currency: 'EUR', digits: 2 } });
    expect(parseMoney(-1, 'EUR')).toEqual({ ok: false, error: { code: 'negative' } });
  });
});
