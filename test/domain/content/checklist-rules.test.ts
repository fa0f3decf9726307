import { describe, expect, it } from 'vitest';
import { deliveredVsExpected, planMonthItems, slotDueAt } from '../../../src/domain/content/checklist-rules';
import { formatExpected, formatProgress } from '../../../commands/content.view';
import { endOfLocalDay, localMonth, monthBounds, monthsFrom, nextMonth } from '../../../src/core';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('months and the checklist', () => {
  it('GIVEN an instant near midnight THEN its month is the one in the workspace timezone', () => {
    expect(localMonth(new Date('2026-11-30T15:30:00Z'), 'Asia/Tokyo')).toBe('2026-12');
    expect(localMonth(new Date('2026-12-01T05:00:00Z'), 'America/Los_Angeles')).toBe('2026-11');
    expect(monthBounds('2026-12', 'Asia/Tokyo')).toEqual({ start: new Date('2026-11-30T15:00:00Z'), end: new Date('2026-12-31T15:00:00Z') });
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(monthsFrom('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsFrom('2026-11', '2026-10')).toEqual([]);
  });

  it('GIVEN 2 posts and 4 stories in a 30-day month THEN they are spread over it, due at the end of their day', () => {
    const items = planMonthItems(
      '2026-11',
      [{ type: 'post', count: 2 }, { type: 'story', count: 4 }],
      { start: new Date('2026-10-01T00:00:00Z') },
      'UTC',
    );
    expect(items.map((i) => [i.slot, i.dueAt.toISOString()])).toEqual([
      ['2026-11:story:1', '2026-11-08T23:59:59.999Z'],
      ['2026-11:post:1', '2026-11-15T23:59:59.999Z'],
      ['2026-11:story:2', '2026-11-15T23:59:59.999Z'],
      ['2026-11:story:3', '2026-11-23T23:59:59.999Z'],
      ['2026-11:post:2', '2026-11-30T23:59:59.999Z'],
      ['2026-11:story:4', '2026-11-30T23:59:59.999Z'],
    ]);
  });

  it('GIVEN a start in the middle of the month THEN the whole count is spread over the days left', () => {
    const items = planMonthItems('2026-11', [{ type: 'post', count: 2 }], { start: new Date('2026-11-22T15:00:00Z') }, 'Asia/Tokyo');
    // Nov 23 to Nov 30 in Tokyo: 8 days -> the 26th and the 30th, at the end of the Tokyo day.
    expect(iso(items.map((i) => i.dueAt))).toEqual(['2026-11-26T14:59:59.999Z', '2026-11-30T14:59:59.999Z']);
  });

  it('GIVEN an end in the middle of the month THEN nothing falls after it; outside the window nothing is planned', () => {
    const window = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-10T00:00:00Z') };
    expect(iso(planMonthItems('2026-02', [{ type: 'video', count: 1 }], window, 'UTC').map((i) => i.dueAt))).toEqual(['2026-02-10T23:59:59.999Z']);
    expect(planMonthItems('2026-03', [{ type: 'video', count: 1 }], window, 'UTC')).toEqual([]);
    expect(planMonthItems('2025-12', [{ type: 'video', count: 1 }], window, 'UTC')).toEqual([]);
    expect(planMonthItems('2026-02', [], window, 'UTC')).toEqual([]);
  });

  it('GIVEN the month DST starts THEN due days stay on their calendar day', () => {
    // Los Angeles moves to PDT on 2026-03-08: Mar 16 and Mar 31 end at 07:00 UTC the next day, not 08:00.
    const items = planMonthItems('2026-03', [{ type: 'reel', count: 2 }], { start: new Date('2026-01-01T08:00:00Z') }, 'America/Los_Angeles');
    expect(iso(items.map((i) => i.dueAt))).toEqual(['2026-03-17T06:59:59.999Z', '2026-04-01T06:59:59.999Z']);
    expect(endOfLocalDay('2026-03-07', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T07:59:59.999Z');
  });

  it('GIVEN a leap February and more items than days THEN every item still gets a day in the month', () => {
    const items = planMonthItems('2028-02', [{ type: 'story', count: 40 }], { start: new Date('2028-01-01T00:00:00Z') }, 'UTC');
    expect(items).toHaveLength(40);
    expect(items.every((i) => i.dueAt >= new Date('2028-02-01T00:00:00Z') && i.dueAt < new Date('2028-03-01T00:00:00Z'))).toBe(true);
    expect(items.at(-1)!.dueAt.toISOString()).toBe('2028-02-29T23:59:59.999Z');
  });
});

describe('delivered versus expected', () => {
  const expected = [{ type: 'post' as const, count: 2 }, { type: 'story' as const, count: 4 }];

  it('GIVEN a month with its checklist THEN expected is the checklist not cancelled, delivered what was published', () => {
    const items = [
      { type: 'post', status: 'published', planned: true },
      { type: 'post', status: 'planned', planned: true },
      ...Array.from({ length: 4 }, () => ({ type: 'story', status: 'published', planned: true })),
    ];
    const rows = deliveredVsExpected(expected, items);
    expect(rows).toEqual([
      { type: 'post', delivered: 1, expected: 2 },
      { type: 'story', delivered: 4, expected: 4 },
    ]);
    expect(formatProgress(rows)).toBe('posts 1/2 · stories 4/4');
  });

  it('GIVEN cancelled items and pieces beyond plan THEN cancelled are not expected and extra ones are delivered', () => {
    const items = [
      { type: 'post', status: 'cancelled', planned: true },
      { type: 'post', status: 'published', planned: true },
      { type: 'reel', status: 'published', planned: false },
    ];
    expect(formatProgress(deliveredVsExpected(expected, items))).toBe('posts 1/1 · reels 1/0');
  });

  it('GIVEN a month not planned yet THEN the terms say what is expected', () => {
    expect(formatProgress(deliveredVsExpected(expected, []))).toBe('posts 0/2 · stories 0/4');
    expect(formatProgress(deliveredVsExpected([], []))).toBe('nothing expected');
  });

  it('GIVEN expected content THEN it reads as a sentence', () => {
    expect(formatExpected([{ type: 'post', count: 1 }, { type: 'story', count: 4 }])).toBe('1 post, 4 stories');
    expect(formatExpected([])).toBe('none agreed');
  });
});

describe('the day the terms give one slot', () => {
  const terms = { expectedPerMonth: [{ type: 'post', count: 2 }], start: new Date('2026-11-23T10:00:00Z') };

  it('GIVEN monthly and once content THEN each slot is due where planning the month puts it; a slot the terms do not plan has no day', () => {
    const day = (slot: string, contentCadence: string) => slotDueAt({ ...terms, contentCadence }, slot, 'UTC')?.toISOString().slice(0, 10);
    expect([day('2026-11:post:1', 'monthly'), day('2026-11:post:2', 'monthly'), day('2026-12:post:1', 'monthly')]).toEqual(['2026-11-26', '2026-11-30', '2026-12-16']);
    expect([day('2026-11:post:1', 'once'), day('2026-11:post:2', 'once'), day('2026-12:post:1', 'once'), day('2026-11:post:3', 'once')]).toEqual(['2026-12-07', '2026-12-22', undefined, undefined]);
    expect(day('2026-10:post:1', 'monthly')).toBeUndefined();
  });
});
