import { describe, expect, it } from 'vitest';
import { literal } from '../../src/core';
import { describeDaysAgo, describeDaysAway, formatBirthday, handleLine } from '../../commands/influencer.view';

describe('influencer view: the words for a creator\'s facts', () => {
  it('GIVEN days away THEN they read naturally', () => {
    expect([0, 1, 3].map(describeDaysAway)).toEqual(['today', 'tomorrow', 'in 3 days']);
  });

  it('GIVEN a last contact THEN it reads in calendar days of the workspace timezone', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(describeDaysAgo(new Date('2026-11-23T01:00:00Z'), now, 'UTC')).toBe('today');
    expect(describeDaysAgo(new Date('2026-11-22T23:00:00Z'), now, 'UTC')).toBe('yesterday');
    // Already the 23rd in Paris.
    expect(describeDaysAgo(new Date('2026-11-22T23:30:00Z'), now, 'Europe/Paris')).toBe('today');
    expect(describeDaysAgo(new Date('2026-11-11T10:00:00Z'), now, 'UTC')).toBe('12 days ago');
  });

  it('GIVEN a birthday THEN the year shows only when asked for', () => {
    expect(formatBirthday({ month: 7, day: 14, year: 1998 }, false)).toBe('Jul 14');
    expect(formatBirthday({ month: 7, day: 14, year: 1998 }, true)).toBe('1998-07-14');
    expect(formatBirthday({ month: 7, day: 14 }, true)).toBe('Jul 14');
  });

  it('GIVEN handles THEN followers print as cards print counts', () => {
    expect(
      [950, 9500, 12500, 2_340_000, undefined].map((followers) => handleLine({ network: 'instagram', handle: 'zoe', ...(followers === undefined ? {} : { followers }) })),
    ).toEqual(['950', '9,500', '12.5k', '2.3M'].map((count) => `instagram @${literal('zoe')} · ${count}`).concat(`instagram @${literal('zoe')}`));
  });
});
