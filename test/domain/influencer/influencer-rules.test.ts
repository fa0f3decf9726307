import { describe, expect, it } from 'vitest';
import {
  daysUntilBirthday,
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
});
