import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { addDays, atLocalTime, isPostingTime, localDay, periodFor } from '../../src/core';

dayjs.extend(utc);
dayjs.extend(timezonePlugin);

const iso = (d: Date) => d.toISOString();

describe('periodFor', () => {
  it('GIVEN a daily job in Europe/Paris THEN the key, bounds and run time are local', () => {
    const period = periodFor({ kind: 'daily', at: 'posting-time' }, new Date('2026-11-23T23:30:00Z'), 'Europe/Paris', '09:00');
    expect({ ...period, startsAt: iso(period.startsAt), endsAt: iso(period.endsAt), runAt: iso(period.runAt) }).toEqual({
      kind: 'daily',
      key: '2026-11-24', // already the 24th in Paris
      startsAt: '2026-11-23T23:00:00.000Z',
      endsAt: '2026-11-24T23:00:00.000Z',
      runAt: '2026-11-24T08:00:00.000Z',
    });
  });

  it.each([
    ['2027-03-13T12:00:00Z', '2027-03-13', '2027-03-13T14:00:00.000Z', 24],
    ['2027-03-14T12:00:00Z', '2027-03-14', '2027-03-14T13:00:00.000Z', 23],
    ['2027-11-07T12:00:00Z', '2027-11-07', '2027-11-07T14:00:00.000Z', 25],
  ])('GIVEN America/New_York at %s THEN the day %s runs at %s and lasts %i hours', (now, key, runAt, hours) => {
    const period = periodFor({ kind: 'daily' }, new Date(now), 'America/New_York', '09:00');
    expect([period.key, iso(period.runAt), (period.endsAt.getTime() - period.startsAt.getTime()) / 3_600_000]).toEqual([key, runAt, hours]);
  });

  it('GIVEN a monthly job THEN it keys the local month and runs on the 1st at the posting time', () => {
    const period = periodFor({ kind: 'monthly' }, new Date('2027-02-28T16:00:00Z'), 'Asia/Tokyo', '08:30');
    expect([period.key, iso(period.startsAt), iso(period.endsAt), iso(period.runAt)]).toEqual([
      '2027-03', // Mar 1, 01:00 in Tokyo
      '2027-02-28T15:00:00.000Z',
      '2027-03-31T15:00:00.000Z',
      '2027-02-28T23:30:00.000Z',
    ]);
  });

  it('GIVEN a fixed time THEN it wins over the posting time; a malformed posting time falls back to 09:00', () => {
    expect(iso(periodFor({ kind: 'daily', at: '07:15' }, new Date('2026-11-23T12:00:00Z'), 'UTC', '09:00').runAt)).toBe('2026-11-23T07:15:00.000Z');
    expect(iso(periodFor({ kind: 'daily' }, new Date('2026-11-23T12:00:00Z'), 'UTC', '9am').runAt)).toBe('2026-11-23T09:00:00.000Z');
  });

  it('GIVEN a posting time skipped by DST THEN it runs at the first instant after the gap', () => {
    expect(iso(atLocalTime('2027-03-14', '02:30', 'America/New_York'))).toBe('2027-03-14T07:30:00.000Z');
  });

  it('GIVEN calendar dates THEN days add across month and year ends and leap days', () => {
    expect([addDays('2027-01-31', 30), addDays('2028-01-31', 30), addDays('2026-12-31', 1), addDays('2028-02-28', 1)]).toEqual([
      '2027-03-02',
      '2028-03-01',
      '2027-01-01',
      '2028-02-29',
    ]);
  });

  it.each([
    ['09:00', true],
    ['23:59', true],
    ['24:00', false],
    ['9:00', false],
    ['09:60', false],
  ])('GIVEN posting time %s THEN valid is %s', (value, valid) => {
    expect(isPostingTime(value)).toBe(valid);
  });
});

describe('localDay', () => {
  it.each([
    ['2026-11-23T22:59:59.999Z', 'Europe/Paris', '2026-11-23'],
    ['2026-11-23T23:00:00.000Z', 'Europe/Paris', '2026-11-24'],
    ['2027-01-01T04:59:59Z', 'America/New_York', '2026-12-31'],
    ['2027-03-14T06:30:00Z', 'America/New_York', '2027-03-14'], // the DST change day
    ['2026-11-23T10:00:00Z', 'Pacific/Kiritimati', '2026-11-24'], // UTC+14
    ['2026-11-23T10:00:00Z', 'Pacific/Pago_Pago', '2026-11-22'], // UTC-11
    ['2026-11-23T18:29:59Z', 'Asia/Kolkata', '2026-11-23'],
    ['2026-11-23T18:30:00Z', 'Asia/Kolkata', '2026-11-24'],
    ['2026-11-23T12:00:00Z', 'UTC', '2026-11-23'],
  ])('GIVEN %s in %s THEN the local day is %s', (at, zone, day) => {
    expect(localDay(new Date(at), zone)).toBe(day);
  });

  it('GIVEN 2,000 instants over ten years in six zones THEN the same days as dayjs-timezone', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const zones = ['Europe/Paris', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'];
    const start = Date.parse('2020-01-01T00:00:00Z');
    for (let i = 0; i < 2_000; i += 1) {
      const at = new Date(start + Math.floor(next() * 10 * 365 * 86_400_000));
      const zone = zones[i % zones.length]!;
      expect(localDay(at, zone), `${at.toISOString()} ${zone}`).toBe(dayjs(at).tz(zone).format('YYYY-MM-DD'));
    }
  });

  it('GIVEN an unknown timezone THEN it throws, as dayjs did', () => {
    expect(() => localDay(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
