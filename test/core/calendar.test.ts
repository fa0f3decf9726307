import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addMonthsToMonth,
  daysBetween,
  endOfLocalDay,
  formatLongDate,
  formatMonth,
  formatShortDate,
  isCalendarDate,
  localDay,
  monthsBegun,
  monthsFrom,
  nextYearly,
  parseDate,
  resolveDate,
  splitLeadingDate,
  startOfLocalDay,
  type DateParse,
} from '../../src/core';

const date = (d: string): DateParse => ({ ok: true, value: { kind: 'date', date: d } });

describe('calendar dates', () => {
  it('GIVEN month ends and leap years THEN days and months add on the calendar, clamped to the month end', () => {
    expect([addDays('2026-11-28', 3), addDays('2028-02-28', 1), addDays('2027-03-01', -1)]).toEqual(['2026-12-01', '2028-02-29', '2027-02-28']);
    expect([addMonths('2027-01-31', 1), addMonths('2028-01-31', 1), addMonths('2026-11-15', 14), addMonths('2027-03-31', -1)]).toEqual([
      '2027-02-28', '2028-02-29', '2028-01-15', '2027-02-28',
    ]);
    expect([addMonthsToMonth('2026-11', 2), addMonthsToMonth('2026-01', -1)]).toEqual(['2027-01', '2025-12']);
    expect(monthsFrom('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect([monthsBegun('2026-11-30', '2026-12-01'), monthsBegun('2026-11-01', '2026-11-30'), monthsBegun('2026-12-31', '2026-11-30')]).toEqual([2, 1, 0]);
    expect(daysBetween('2027-02-27', '2027-03-01')).toBe(2);
    expect([isCalendarDate('2026-02-30'), isCalendarDate('2028-02-29'), isCalendarDate('2026-13-01'), isCalendarDate('2026-1-1')]).toEqual([false, true, false, false]);
  });

  it('GIVEN an instant THEN its local day depends on the timezone, and a day has a first and last instant there', () => {
    const at = new Date('2026-11-30T23:30:00Z');
    expect([localDay(at, 'UTC'), localDay(at, 'Asia/Tokyo'), localDay(at, 'America/Los_Angeles')]).toEqual(['2026-11-30', '2026-12-01', '2026-11-30']);
    expect(startOfLocalDay('2026-11-15', 'Europe/Paris').toISOString()).toBe('2026-11-14T23:00:00.000Z');
    expect(endOfLocalDay('2026-11-15', 'Europe/Paris').toISOString()).toBe('2026-11-15T22:59:59.999Z');
    // DST: 2027-03-14 has 23 hours in New York.
    expect(endOfLocalDay('2027-03-14', 'America/New_York').getTime() - startOfLocalDay('2027-03-14', 'America/New_York').getTime()).toBe(23 * 3_600_000 - 1);
  });

  it('GIVEN calendar dates THEN each prints one way', () => {
    expect([formatShortDate('2026-11-05'), formatShortDate('2026-11-05', { year: true }), formatLongDate('2026-11-05'), formatMonth('2026-11')]).toEqual([
      'Nov 5', 'Nov 5, 2026', 'November 5, 2026', 'November 2026',
    ]);
  });

  it('GIVEN a 29 February yearly date THEN it falls on 28 February in years without one', () => {
    expect([nextYearly(2, 29, '2026-11-30'), nextYearly(2, 29, '2027-03-01'), nextYearly(11, 30, '2026-11-30'), nextYearly(11, 29, '2026-11-30')]).toEqual([
      '2027-02-28', '2028-02-29', '2026-11-30', '2027-11-29',
    ]);
  });
});

describe('the one date parser', () => {
  it.each([
    ['2026-11-28', date('2026-11-28')],
    ['2026-1-5', date('2026-01-05')],
    ['28 November 2026', date('2026-11-28')],
    ['November 28, 2026', date('2026-11-28')],
    ['28 Nov 2026', date('2026-11-28')],
    ['30/11/2026', date('2026-11-30')],
    ['11/30/2026', date('2026-11-30')],
    ['30.11.2026', date('2026-11-30')],
    ['10/10/2026', date('2026-10-10')],
    ['today', { ok: true, value: { kind: 'offset', days: 0 } }],
    ['Yesterday', { ok: true, value: { kind: 'offset', days: -1 } }],
    ['tomorrow', { ok: true, value: { kind: 'offset', days: 1 } }],
    ['in 3 days', { ok: true, value: { kind: 'offset', days: 3 } }],
    ['in 2 weeks', { ok: true, value: { kind: 'offset', days: 14 } }],
    ['3 days ago', { ok: true, value: { kind: 'offset', days: -3 } }],
    ['Nov 28', { ok: true, value: { kind: 'month-day', month: 11, day: 28 } }],
    ['28 Nov', { ok: true, value: { kind: 'month-day', month: 11, day: 28 } }],
    ['28th November', { ok: true, value: { kind: 'month-day', month: 11, day: 28 } }],
  ])('GIVEN "%s" THEN %j', (typed, expected) => {
    expect(parseDate(typed)).toEqual(expected);
  });

  it.each([
    ['10/11/2026', { code: 'ambiguous', readings: ['2026-11-10', '2026-10-11'] }],
    ['2026-02-30', { code: 'impossible', text: '2026-02-30' }],
    ['31/04/2026', { code: 'impossible', text: '31/04/2026' }],
    ['Feb 30', { code: 'impossible', text: 'Feb 30' }],
    ['Feb 29', { code: 'impossible', text: 'Feb 29' }],
    ['29 February 2027', { code: 'impossible', text: '29 February 2027' }],
    ['2026-13-01', { code: 'impossible', text: '2026-13-01' }],
    ['20266-01-01', { code: 'unreadable' }],
    ['0001-01-01', { code: 'out-of-range' }],
    ['next friday', { code: 'unreadable' }],
    ['', { code: 'empty' }],
    ['{"$gt": ""}', { code: 'unreadable' }],
  ])('GIVEN "%s" THEN it is refused with %j', (typed, error) => {
    expect(parseDate(typed)).toEqual({ ok: false, error });
  });

  it('GIVEN a month and day without a year THEN it is the nearest such day to today', () => {
    const resolve = (text: string, today: string) => {
      const parsed = parseDate(text);
      return parsed.ok ? resolveDate(parsed.value, today) : parsed.error;
    };
    expect([resolve('Nov 28', '2026-11-30'), resolve('Feb 28', '2026-11-30'), resolve('Jan 2', '2026-12-30'), resolve('Dec 30', '2027-01-02'), resolve('in 3 days', '2026-11-30')]).toEqual([
      '2026-11-28', '2027-02-28', '2027-01-02', '2026-12-30', '2026-12-03',
    ]);
  });

  it('GIVEN text that may start with a date THEN the date and the rest are split, and a date-shaped word is never left in the text', () => {
    const parsed = (text: string) => splitLeadingDate(text);
    expect(parsed('30/11/2026 INV-881')).toEqual({ ok: true, date: { kind: 'date', date: '2026-11-30' }, rest: 'INV-881' });
    expect(parsed('Nov 28 wire 4411')).toEqual({ ok: true, date: { kind: 'month-day', month: 11, day: 28 }, rest: 'wire 4411' });
    expect(parsed('INV-2026-118')).toEqual({ ok: true, rest: 'INV-2026-118' });
    expect(parsed('March invoice')).toEqual({ ok: true, rest: 'March invoice' });
    expect(parsed('10/11/2026 INV-1')).toEqual({ ok: false, error: { code: 'ambiguous', readings: ['2026-11-10', '2026-10-11'] }, text: '10/11/2026' });
    expect(parsed('2026-02-30')).toEqual({ ok: false, error: { code: 'impossible', text: '2026-02-30' }, text: '2026-02-30' });
    expect(parsed('INV-881 30/11/2026')).toEqual({ ok: false, error: { code: 'date-in-text' }, text: '30/11/2026' });
    expect(parsed('wire Nov 28')).toEqual({ ok: false, error: { code: 'date-in-text' }, text: 'Nov' });
  });
});
