import { describe, expect, it } from 'vitest';
import {
  daysUntilBirthday,
  describeDaysAgo,
  describeDaysAway,
  formatBirthday,
  formatFollowers,
  handleKey,
  normalizeHandle,
} from '../../../src/domain/influencer/influencer-rules';
import { fold } from '../../../src/domain/fold';

describe('influencer rules', () => {
  it('GIVEN names with accents and case THEN fold makes one search key', () => {
    expect(fold('  Zoë   TRAN ')).toBe('zoe tran');
    expect(fold('Ålesund Öberg')).toBe('alesund oberg');
    expect(fold('ｆｕｌｌ width')).toBe('full width');
  });

  it('GIVEN handles typed any way THEN they are stored without @ and lower-case', () => {
    expect(normalizeHandle('@@Zoe.Creates ')).toBe('zoe.creates');
    expect(handleKey({ network: 'instagram', handle: '@Zoe' })).toBe('instagram:zoe');
  });

  it('GIVEN a birthday THEN days until the next one count in the workspace timezone', () => {
    const now = new Date('2026-07-13T23:30:00Z');
    expect(daysUntilBirthday({ month: 7, day: 14 }, now, 'UTC')).toBe(1);
    // Already July 14 in Paris.
    expect(daysUntilBirthday({ month: 7, day: 14 }, now, 'Europe/Paris')).toBe(0);
    // Passed this year: next year.
    expect(daysUntilBirthday({ month: 1, day: 1 }, new Date('2026-01-02T12:00:00Z'), 'UTC')).toBe(364);
  });

  it('GIVEN Feb 29 THEN it falls on Feb 28 in common years and Feb 29 in leap years', () => {
    expect(daysUntilBirthday({ month: 2, day: 29 }, new Date('2026-02-27T12:00:00Z'), 'UTC')).toBe(1);
    expect(daysUntilBirthday({ month: 2, day: 29 }, new Date('2028-02-27T12:00:00Z'), 'UTC')).toBe(2);
  });

  it('GIVEN a DST change between today and the birthday THEN the count is still whole days', () => {
    expect(daysUntilBirthday({ month: 3, day: 10 }, new Date('2027-03-01T15:00:00Z'), 'America/New_York')).toBe(9);
  });

  it('GIVEN dates THEN they read naturally', () => {
    expect(describeDaysAway(0)).toBe('today');
    expect(describeDaysAway(1)).toBe('tomorrow');
    expect(describeDaysAway(3)).toBe('in 3 days');
    const now = new Date('2026-11-23T10:00:00Z');
    expect(describeDaysAgo(new Date('2026-11-23T01:00:00Z'), now, 'UTC')).toBe('today');
    expect(describeDaysAgo(new Date('2026-11-22T23:00:00Z'), now, 'UTC')).toBe('yesterday');
    expect(describeDaysAgo(new Date('2026-11-11T10:00:00Z'), now, 'UTC')).toBe('12 days ago');
    expect(formatBirthday({ month: 7, day: 14, year: 1998 }, false)).toBe('Jul 14');
    expect(formatBirthday({ month: 7, day: 14, year: 1998 }, true)).toBe('1998-07-14');
    expect(formatFollowers(950)).toBe('950');
    expect(formatFollowers(9500)).toBe('9,500');
    expect(formatFollowers(12500)).toBe('12.5k');
    expect(formatFollowers(2_340_000)).toBe('2.3M');
  });
});
