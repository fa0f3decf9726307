import { describe, expect, it } from 'vitest';
import {
  contentTypeOf,
  costFromTerms,
  deliveredVsExpected,
  efficiency,
  engagements,
  formatExpected,
  formatMetrics,
  formatProgress,
  guessFromUrl,
  isHttpUrl,
  metricsForGoal,
  metricsInGoalOrder,
  planMonthItems,
  totalMetrics,
  urlKey,
} from '../../../src/domain/collaboration/collaboration-rules';
import { endOfLocalDay, localMonth, monthBounds, monthsFrom, nextMonth } from '../../../src/core';
import { METRICS } from '../../../src/core';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('metrics by goal', () => {
  it('GIVEN each goal THEN it is judged by its own metrics', () => {
    expect(metricsForGoal('awareness')).toEqual(['reach', 'impressions', 'views']);
    expect(metricsForGoal('image')).toEqual(['likes', 'comments', 'saves', 'shares', 'new_followers']);
    expect(metricsForGoal('sales')).toEqual(['clicks', 'redemptions', 'purchases', 'revenue']);
  });

  it('GIVEN a goal THEN forms ask its metrics first and every other metric after, once', () => {
    for (const goal of ['awareness', 'image', 'sales'] as const) {
      const order = metricsInGoalOrder(goal);
      expect(order.slice(0, metricsForGoal(goal).length)).toEqual(metricsForGoal(goal));
      expect([...order].sort()).toEqual([...METRICS].sort());
    }
  });

  it('GIVEN pieces with metrics as maps or objects THEN totals add the latest values and ignore unknown keys', () => {
    const totals = totalMetrics([
      { metrics: { reach: 100, likes: 5 } },
      { metrics: new Map([['reach', 50], ['bogus', 9]]) },
      { metrics: null },
      {},
    ]);
    expect(totals).toEqual({ reach: 150, likes: 5 });
  });

  it('GIVEN likes, comments, saves, shares and new followers THEN engagements are the first four', () => {
    expect(engagements({ likes: 700, comments: 200, saves: 60, shares: 40, new_followers: 999 })).toBe(1000);
    expect(engagements({})).toBe(0);
  });

  it('GIVEN metrics to show THEN counts are grouped by thousands and revenue is money', () => {
    expect(formatMetrics(['reach', 'new_followers', 'revenue'], { reach: 12000, revenue: 145050 }, 'EUR')).toBe(
      'reach 12,000 · new followers 0 · revenue €1,450.50',
    );
  });
});

describe('efficiency by goal', () => {
  it('GIVEN awareness THEN it is the cost per thousand impressions', () => {
    expect(efficiency('awareness', [EUR(150000)], { impressions: 120000 }, 'EUR')).toEqual({
      goal: 'awareness',
      label: 'cost per thousand impressions',
      value: 1250,
      currency: 'EUR',
      display: '€12.50',
    });
  });

  it('GIVEN image THEN it is the cost per engagement (likes + comments + saves + shares)', () => {
    const figure = efficiency('image', [USD(80000)], { likes: 700, comments: 200, saves: 60, shares: 40, new_followers: 50 }, 'USD');
    expect(figure).toMatchObject({ label: 'cost per engagement', value: 80, display: '$0.80' });
  });

  it('GIVEN sales THEN it is the return: revenue / cost', () => {
    expect(efficiency('sales', [EUR(124000)], { revenue: 240000 }, 'EUR')).toMatchObject({
      label: 'return (revenue / cost)',
      value: 240000 / 124000,
      display: '1.94×',
    });
    expect(efficiency('sales', [EUR(100000)], {}, 'EUR').display).toBe('0.00×');
  });

  it.each([
    ['awareness', { impressions: 0 }],
    ['awareness', {}],
    ['image', { likes: 0, comments: 0, new_followers: 40 }],
    ['image', {}],
  ] as const)('GIVEN %s with a zero denominator %j THEN the figure is "-", never Infinity or NaN', (goal, totals) => {
    const figure = efficiency(goal, [EUR(150000)], totals, 'EUR');
    expect(figure.value).toBeNull();
    expect(figure.display).toBe('-');
  });

  it('GIVEN sales with no cost (product only, no commission) THEN the return is "-"', () => {
    expect(efficiency('sales', [], { revenue: 500000 }, 'EUR')).toMatchObject({ value: null, display: '-' });
    expect(efficiency('sales', [EUR(0)], { revenue: 500000 }, 'EUR')).toMatchObject({ value: null, display: '-' });
  });

  it('GIVEN no cost at all for awareness or image THEN the figure is zero, not "-"', () => {
    expect(efficiency('awareness', [], { impressions: 1000 }, 'EUR')).toMatchObject({ value: 0, display: '€0.00' });
    expect(efficiency('image', [EUR(0)], { likes: 10 }, 'EUR')).toMatchObject({ value: 0, display: '€0.00' });
  });

  it('GIVEN costs in another currency than the revenue, or in several THEN nothing is divided across currencies', () => {
    expect(efficiency('sales', [USD(100000)], { revenue: 300000 }, 'EUR').display).toBe('-');
    expect(efficiency('awareness', [EUR(100000), USD(100000)], { impressions: 1000 }, 'EUR').display).toBe('-');
    expect(efficiency('image', [USD(100000)], { likes: 10 }, 'EUR').display).toBe('-');
  });

  it('GIVEN several amounts in the same currency, and a zero in another THEN they are one cost', () => {
    expect(efficiency('awareness', [EUR(100000), EUR(50000), USD(0)], { impressions: 30000 }, 'EUR')).toMatchObject({ value: 5000, display: '€50.00' });
  });

  it('GIVEN a currency without minor units THEN figures are rounded to whole units', () => {
    expect(efficiency('awareness', [{ amountMinor: 150000, currency: 'JPY' }], { impressions: 120000 }, 'JPY').display).toBe('¥1,250');
    expect(efficiency('image', [{ amountMinor: 1000, currency: 'JPY' }], { likes: 3 }, 'JPY').display).toBe('¥333');
  });
});

describe('cost from the fee terms', () => {
  const start = new Date('2026-11-22T15:00:00Z'); // Nov 23, 00:00 in Tokyo
  const base = { start, timezone: 'Asia/Tokyo', delivered: 0, revenueMinor: 0 };

  it('GIVEN a one-off fee THEN it counts once the collaboration has started', () => {
    const terms = { feeMinor: 150000, currency: 'EUR', schedule: 'once' as const };
    expect(costFromTerms(terms, { ...base, now: new Date('2026-11-22T14:59:59Z') })).toEqual(EUR(0));
    expect(costFromTerms(terms, { ...base, now: new Date('2027-05-01T00:00:00Z') })).toEqual(EUR(150000));
    expect(costFromTerms({ feeMinor: 150000, currency: 'EUR' }, { ...base, now: new Date('2027-05-01T00:00:00Z') })).toEqual(EUR(150000));
  });

  it('GIVEN a monthly fee THEN every month begun in the workspace timezone counts, up to the end', () => {
    const terms = { feeMinor: 150000, currency: 'EUR', schedule: 'monthly' as const };
    // Nov 30, 23:30 UTC is already Dec 1 in Tokyo: two months begun.
    expect(costFromTerms(terms, { ...base, now: new Date('2026-11-30T14:30:00Z') })).toEqual(EUR(150000));
    expect(costFromTerms(terms, { ...base, now: new Date('2026-11-30T15:30:00Z') })).toEqual(EUR(300000));
    expect(costFromTerms(terms, { ...base, now: new Date('2027-01-05T00:00:00Z') })).toEqual(EUR(450000));
    expect(costFromTerms(terms, { ...base, end: new Date('2026-12-30T15:00:00Z'), now: new Date('2027-06-01T00:00:00Z') })).toEqual(EUR(300000));
  });

  it('GIVEN a fee per deliverable THEN it is the fee times the published pieces', () => {
    const terms = { feeMinor: 50000, currency: 'EUR', schedule: 'per-deliverable' as const };
    expect(costFromTerms(terms, { ...base, delivered: 3, now: new Date('2026-12-01T00:00:00Z') })).toEqual(EUR(150000));
    expect(costFromTerms(terms, { ...base, delivered: 0, now: new Date('2026-12-01T00:00:00Z') })).toEqual(EUR(0));
  });

  it('GIVEN a commission THEN it is added on recorded revenue, rounded to the minor unit', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(costFromTerms({ feeMinor: 50000, currency: 'EUR', schedule: 'per-deliverable', commissionPct: 10 }, { ...base, delivered: 2, revenueMinor: 240000, now })).toEqual(
      EUR(124000),
    );
    expect(costFromTerms({ currency: 'EUR', commissionPct: 7.5, productOnly: true }, { ...base, revenueMinor: 1001, now })).toEqual(EUR(75));
  });

  it('GIVEN product only THEN no fee counts, even if one was stored', () => {
    expect(costFromTerms({ feeMinor: 9999, currency: 'USD', productOnly: true }, { ...base, now: new Date('2027-01-01T00:00:00Z') })).toEqual(USD(0));
  });
});

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

describe('content types and links', () => {
  it.each([
    ['post', 'post'],
    ['Posts', 'post'],
    ['stories', 'story'],
    ['blog post', 'blog'],
    ['Blog-Posts', 'blog'],
    ['livestream', 'stream'],
    ['shorts', 'short'],
    ['tweet', undefined],
  ])('GIVEN "%s" THEN the content type is %s', (word, type) => {
    expect(contentTypeOf(word)).toBe(type);
  });

  it('GIVEN links THEN only http and https are accepted', () => {
    expect(isHttpUrl('https://www.instagram.com/p/abc/')).toBe(true);
    expect(isHttpUrl('http://blog.example.com/review')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'ftp://example.com/a', 'www.example.com/a', 'instagram.com/p/abc', 'https://', 'mailto:a@b.c', '']) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });

  it('GIVEN two spellings of the same link THEN they compare equal; different pieces do not', () => {
    expect(urlKey('https://www.Instagram.com/p/ABC/#comments')).toBe(urlKey('http://instagram.com/p/ABC'));
    expect(urlKey('https://youtube.com/watch?v=1')).not.toBe(urlKey('https://youtube.com/watch?v=2'));
    expect(urlKey('https://instagram.com/p/ABC')).not.toBe(urlKey('https://instagram.com/p/abc'));
  });

  it('GIVEN links from the networks THEN the network and type are read from them', () => {
    expect(guessFromUrl('https://www.instagram.com/reel/xyz/')).toEqual({ network: 'instagram', type: 'reel' });
    expect(guessFromUrl('https://instagram.com/p/xyz')).toEqual({ network: 'instagram', type: 'post' });
    expect(guessFromUrl('https://www.instagram.com/stories/zoe/1')).toEqual({ network: 'instagram', type: 'story' });
    expect(guessFromUrl('https://www.youtube.com/shorts/abc')).toEqual({ network: 'youtube', type: 'short' });
    expect(guessFromUrl('https://youtu.be/abc')).toEqual({ network: 'youtube', type: 'video' });
    expect(guessFromUrl('https://vm.tiktok.com/ZM123')).toEqual({ network: 'tiktok', type: 'video' });
    expect(guessFromUrl('https://twitch.tv/zoe')).toEqual({ network: 'twitch', type: 'stream' });
    expect(guessFromUrl('https://blog.example.com/review')).toEqual({});
    expect(guessFromUrl('not a url')).toEqual({});
  });
});
