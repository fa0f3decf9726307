import { describe, expect, it } from 'vitest';
import { STAGES } from '../../../src/core/vocabulary';
import {
  reminderInterval,
  DEFAULT_CADENCES,
  FOREVER,
  birthDaysWithin,
  birthdayWithin,
  cadenceFor,
  cadenceStatus,
  engagementOf,
  healthScore,
  isFollowUpDue,
  isHidden,
  isWin,
  itemKey,
  lastDayBefore,
  median,
  nextBirthday,
  parseCadence,
  parseItemKey,
  parseStageCadence,
  snoozeUntil,
  type HealthInput,
} from '../../../src/domain/nurture/nurture-rules';

const ID = '65f0c0ffee0000000000aaaa';

describe('cadences', () => {
  it('GIVEN the defaults THEN ambassador 14/30, active 21/45, negotiating 5/10, contacted 10/21, prospect, paused and ended none', () => {
    expect(DEFAULT_CADENCES).toEqual({
      prospect: null,
      contacted: { ideal: 10, max: 21 },
      negotiating: { ideal: 5, max: 10 },
      active: { ideal: 21, max: 45 },
      ambassador: { ideal: 14, max: 30 },
      paused: null,
      ended: null,
    });
  });

  it.each(STAGES)('GIVEN no settings WHEN the stage is %s THEN the default applies', (stage) => {
    expect(cadenceFor(stage)).toEqual(DEFAULT_CADENCES[stage]);
  });

  it('GIVEN a workspace cadence for active and none for ambassador THEN they win over the defaults; other stages keep theirs', () => {
    const ws = { active: { ideal: 30, max: 60 }, ambassador: null };
    expect(cadenceFor('active', ws)).toEqual({ ideal: 30, max: 60 });
    expect(cadenceFor('ambassador', ws)).toBeNull();
    expect(cadenceFor('contacted', ws)).toEqual({ ideal: 10, max: 21 });
  });

  it("GIVEN a creator's own cadence THEN it wins over the workspace's and the default, also for a prospect, but not in paused or ended", () => {
    const ws = { active: { ideal: 30, max: 60 } };
    const own = { ideal: 7, max: 9 };
    expect(cadenceFor('active', ws, own)).toEqual(own);
    expect(cadenceFor('prospect', ws, own)).toEqual(own);
    expect(cadenceFor('paused', ws, own)).toBeNull();
    expect(cadenceFor('ended', { ended: { ideal: 90, max: 180 } }, own)).toEqual({ ideal: 90, max: 180 });
  });

  it.each([
    ['21/45', { ok: true, cadence: { ideal: 21, max: 45 } }],
    [' 5 / 10 ', { ok: true, cadence: { ideal: 5, max: 10 } }],
    ['7/7', { ok: true, cadence: { ideal: 7, max: 7 } }],
    ['none', { ok: true, cadence: null }],
    ['OFF', { ok: true, cadence: null }],
    ['0/10', { ok: false, error: 'zero' }],
    ['30/20', { ok: false, error: 'order' }],
    ['30/400', { ok: false, error: 'too-long' }],
    ['21', { ok: false, error: 'format' }],
    ['', { ok: false, error: 'format' }],
    ['-1/5', { ok: false, error: 'format' }],
    ['1.5/3', { ok: false, error: 'format' }],
    ['２１/４５', { ok: false, error: 'format' }],
    ['{"$gt":""}', { ok: false, error: 'format' }],
  ])('GIVEN "%s" THEN %j', (typed, expected) => {
    expect(parseCadence(typed)).toEqual(expected);
  });

  it.each([
    ['active=21/45', { ok: true, stage: 'active', cadence: { ideal: 21, max: 45 } }],
    ['Prospect=30/60', { ok: true, stage: 'prospect', cadence: { ideal: 30, max: 60 } }],
    ['ambassador=none', { ok: true, stage: 'ambassador', cadence: null }],
    ['friends=21/45', { ok: false, error: 'stage' }],
    ['active', { ok: false, error: 'stage' }],
    ['active=1=2', { ok: false, error: 'stage' }],
    ['active=50/45', { ok: false, error: 'order' }],
  ])('GIVEN "%s" THEN %j', (typed, expected) => {
    expect(parseStageCadence(typed)).toEqual(expected);
  });

  it('GIVEN 21/45 THEN ok through day 21, past the ideal from day 22, past the maximum from day 46', () => {
    const cadence = { ideal: 21, max: 45 };
    expect(cadenceStatus(cadence, '2026-11-01', '2026-11-01')).toEqual({ state: 'ok', daysSince: 0, daysPastIdeal: 0, daysPastMax: 0 });
    expect(cadenceStatus(cadence, '2026-11-01', '2026-11-22')).toEqual({ state: 'ok', daysSince: 21, daysPastIdeal: 0, daysPastMax: 0 });
    expect(cadenceStatus(cadence, '2026-11-01', '2026-11-23')).toEqual({ state: 'past-ideal', daysSince: 22, daysPastIdeal: 1, daysPastMax: 0 });
    expect(cadenceStatus(cadence, '2026-11-01', '2026-12-17')).toEqual({ state: 'past-max', daysSince: 46, daysPastIdeal: 25, daysPastMax: 1 });
  });

  it('GIVEN a touchpoint today after a long silence THEN the clock is reset', () => {
    expect(cadenceStatus({ ideal: 5, max: 10 }, '2026-11-23', '2026-11-23').state).toBe('ok');
  });

  it('GIVEN a cadence across the year end THEN calendar days are counted', () => {
    expect(cadenceStatus({ ideal: 5, max: 10 }, '2026-12-28', '2027-01-03')).toEqual({ state: 'past-ideal', daysSince: 6, daysPastIdeal: 1, daysPastMax: 0 });
  });

  it('GIVEN today and 21 days THEN the last day a touchpoint may fall on to be past them is 22 days back', () => {
    expect(lastDayBefore('2026-11-23', 21)).toBe('2026-11-01');
    expect(cadenceStatus({ ideal: 21, max: 45 }, lastDayBefore('2026-11-23', 21), '2026-11-23').state).toBe('past-ideal');
  });
});

describe('birthdays', () => {
  it.each([
    ['today', { month: 11, day: 23 }, '2026-11-23', { on: '2026-11-23', inDays: 0 }],
    ['tomorrow', { month: 11, day: 24 }, '2026-11-23', { on: '2026-11-24', inDays: 1 }],
    ['yesterday: next year', { month: 11, day: 22 }, '2026-11-23', { on: '2027-11-22', inDays: 364 }],
    ['across the year end', { month: 1, day: 2 }, '2026-12-28', { on: '2027-01-02', inDays: 5 }],
    ['29 Feb in a common year', { month: 2, day: 29 }, '2027-02-25', { on: '2027-02-28', inDays: 3 }],
    ['29 Feb in a leap year', { month: 2, day: 29 }, '2028-02-25', { on: '2028-02-29', inDays: 4 }],
    ['29 Feb on 1 March of a common year: next is the leap year', { month: 2, day: 29 }, '2027-03-01', { on: '2028-02-29', inDays: 365 }],
  ])('GIVEN a birthday %s THEN the next celebration', (_label, birthday, today, expected) => {
    expect(nextBirthday(birthday, today)).toEqual(expected);
  });

  it('GIVEN a 7-day window THEN today and the 7 next days, not the 8th', () => {
    expect(birthdayWithin({ month: 11, day: 30 }, '2026-11-23', 7)).toEqual({ on: '2026-11-30', inDays: 7 });
    expect(birthdayWithin({ month: 12, day: 1 }, '2026-11-23', 7)).toBeUndefined();
  });

  it('GIVEN windows THEN the birthdays a query matches: each day, across the year end, 29 February with the 28th in a common year only', () => {
    const days = (today: string, n: number) => birthDaysWithin(today, n).map((d) => `${d.month}-${d.day}`);
    expect(days('2026-11-10', 2)).toEqual(['11-10', '11-11', '11-12']);
    expect(days('2026-12-30', 3)).toEqual(['12-30', '12-31', '1-1', '1-2']);
    expect(days('2027-02-27', 2)).toEqual(['2-27', '2-28', '2-29', '3-1']);
    expect(days('2028-02-27', 2)).toEqual(['2-27', '2-28', '2-29']);
  });
});

describe('follow-ups and snoozes', () => {
  it('GIVEN a follow-up THEN due on its day and after, until done; a snooze hides it until its day', () => {
    const followUp = { dueDay: '2026-11-25' };
    expect(isFollowUpDue(followUp, '2026-11-24')).toBe(false);
    expect(isFollowUpDue(followUp, '2026-11-25')).toBe(true);
    expect(isFollowUpDue(followUp, '2026-12-25')).toBe(true);
    expect(isFollowUpDue({ ...followUp, doneAt: new Date('2026-11-25T10:00:00Z') }, '2026-11-26')).toBe(false);
    const until = snoozeUntil('2026-11-25');
    expect(until).toBe('2026-12-02');
    expect(isFollowUpDue(followUp, '2026-12-01', until)).toBe(false);
    expect(isFollowUpDue(followUp, '2026-12-02', until)).toBe(true);
  });

  it('GIVEN done THEN hidden for ever', () => {
    expect(isHidden(FOREVER, '2999-01-01')).toBe(true);
    expect(isHidden(undefined, '2026-11-25')).toBe(false);
  });

  it('GIVEN each kind of item THEN its key reads back; anything else is refused', () => {
    const refs = [
      { kind: 'birthday', influencerId: ID, on: '2026-11-30' },
      { kind: 'cadence', influencerId: ID, since: '2026-10-01' },
      { kind: 'follow-up', id: ID },
      { kind: 'deliverable', id: ID },
      { kind: 'win', id: ID },
    ] as const;
    for (const ref of refs) expect(parseItemKey(itemKey(ref))).toEqual(ref);
    expect(itemKey(refs[0])).toBe(`birthday:${ID}:2026-11-30`);
    for (const bad of ['', 'birthday:zzz:2026-11-30', `payment:${ID}`, `win:${ID}x`, '{"$gt":""}', `win:${ID}\nwin:${ID}`]) {
      expect(parseItemKey(bad)).toBeUndefined();
    }
  });
});

describe('wins', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day, 12));
  const item = (id: string, day: number, engagement: number) => ({ id, publishedAt: at(day), engagement });

  it('GIVEN medians of odd and even counts THEN the middle value or the mean of the two middle ones', () => {
    expect(median([])).toBeUndefined();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });

  it('GIVEN engagement THEN likes + comments + saves + shares, from a Map or an object', () => {
    expect(engagementOf({ likes: 100, comments: 10, saves: 5, shares: 2, reach: 9999 })).toBe(117);
    expect(engagementOf(new Map([['likes', 3], ['views', 100]]))).toBe(3);
    expect(engagementOf(undefined)).toBe(0);
  });

  it('GIVEN the median of previous items is 100 THEN 150 is a win and 149 is not', () => {
    const previous = [item('a', 1, 50), item('b', 2, 100), item('c', 3, 200)];
    expect(isWin(item('d', 10, 150), previous)).toEqual({ median: 100, factor: 1.5 });
    expect(isWin(item('d', 10, 149), previous)).toBeUndefined();
  });

  it('GIVEN later items THEN only earlier ones count toward the median; a first item is never a win', () => {
    const items = [item('a', 1, 10), item('b', 5, 100), item('c', 20, 1000)];
    expect(isWin(items[1]!, items)).toEqual({ median: 10, factor: 10 });
    expect(isWin(items[0]!, items)).toBeUndefined();
    expect(isWin(item('x', 3, 500), [item('z', 2, 0)])).toBeUndefined();
  });
});

describe('relationship health', () => {
  const none = { onTime: 0, late: 0, overdue: 0 };
  const base: HealthInput = { deliverables: none, payments: none };
  const cadence = (daysSince: number, ideal = 21, max = 45) => ({ ideal, max, ...cadenceStatus({ ideal, max }, '2026-01-01', addDays('2026-01-01', daysSince)) });

  it('GIVEN nothing known THEN 100 with no history', () => {
    expect(healthScore(base)).toEqual({ score: 100, reasons: [{ code: 'no-history' }] });
  });

  it('GIVEN in touch and everything on time THEN 100, in touch', () => {
    expect(healthScore({ ...base, cadence: cadence(5), deliverables: { onTime: 3, late: 0, overdue: 0 }, payments: { onTime: 2, late: 0, overdue: 0 } })).toEqual({
      score: 100,
      reasons: [{ code: 'in-touch', daysLeft: 16 }],
    });
  });

  it('GIVEN recency only THEN 100 at the ideal, 75 half way to the maximum, 50 at the maximum, 0 at twice the maximum', () => {
    expect(healthScore({ ...base, cadence: cadence(21) }).score).toBe(100);
    expect(healthScore({ ...base, cadence: cadence(33) }).score).toBe(75);
    expect(healthScore({ ...base, cadence: cadence(45) }).score).toBe(50);
    expect(healthScore({ ...base, cadence: cadence(90) }).score).toBe(0);
    expect(healthScore({ ...base, cadence: cadence(200) }).score).toBe(0);
  });

  it('GIVEN 9 days past the ideal and 1 deliverable late of 4 THEN the weighted score and both reasons, the bigger loss first', () => {
    // recency: 1 - 0.5*9/24 = 0.8125 (x40); deliverables 3/4 (x25): (32.5 + 18.75) / 65 = 78.8
    expect(healthScore({ ...base, cadence: cadence(30), deliverables: { onTime: 3, late: 1, overdue: 0 } })).toEqual({
      score: 79,
      reasons: [
        { code: 'past-ideal', days: 9 },
        { code: 'deliverables-late', count: 1 },
      ],
    });
  });

  it('GIVEN an overdue payment and an overdue deliverable THEN they are named as overdue', () => {
    const health = healthScore({ ...base, deliverables: { onTime: 1, late: 0, overdue: 1 }, payments: { onTime: 0, late: 0, overdue: 1 } });
    expect(health).toEqual({ score: 28, reasons: [{ code: 'payments-overdue', count: 1 }, { code: 'deliverables-overdue', count: 1 }] });
  });

  it('GIVEN engagement at 60% of the usual THEN it loses most of its part and says down 40%', () => {
    expect(healthScore({ ...base, engagementTrend: 0.6 })).toEqual({ score: 20, reasons: [{ code: 'engagement-down', percent: 40 }] });
    expect(healthScore({ ...base, engagementTrend: 2 })).toEqual({ score: 100, reasons: [{ code: 'engagement-up', percent: 100 }] });
  });

  it('GIVEN payments and deliverables all on time, no cadence THEN 100, on time', () => {
    expect(healthScore({ ...base, payments: { onTime: 2, late: 0, overdue: 0 } })).toEqual({ score: 100, reasons: [{ code: 'on-time' }] });
  });
});

describe('reminderInterval: which interval a reminder key from a posted message names', () => {
  // 20:00 UTC on 20 September: the 20th in UTC and New York, the 21st in Kiritimati (UTC+14).
  const lastAt = new Date('2026-09-20T20:00:00Z');
  it('GIVEN the key day of the last touchpoint in the current zone THEN the current interval, that day', () => {
    expect(reminderInterval('2026-09-21', lastAt, 'Pacific/Kiritimati')).toEqual({ interval: 'current', since: '2026-09-21' });
  });
  it('GIVEN the key day of the same touchpoint in the zone before a change THEN still the current interval, under the day of the current zone', () => {
    expect(reminderInterval('2026-09-20', lastAt, 'Pacific/Kiritimati')).toEqual({ interval: 'current', since: '2026-09-21' });
    expect(reminderInterval('2026-09-21', lastAt, 'America/New_York')).toEqual({ interval: 'current', since: '2026-09-20' });
  });
  it('GIVEN a key day no zone gives that touchpoint THEN an earlier interval (a newer touchpoint since) or a later one (its touchpoint removed)', () => {
    expect(reminderInterval('2026-09-19', lastAt, 'UTC')).toEqual({ interval: 'earlier', since: '2026-09-20' });
    expect(reminderInterval('2026-09-22', lastAt, 'UTC')).toEqual({ interval: 'later', since: '2026-09-20' });
  });
});

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
