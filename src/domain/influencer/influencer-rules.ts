import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import type { Network } from '../../core/vocabulary';
import { fold } from '../fold';

dayjs.extend(utc);
dayjs.extend(timezonePlugin);

export interface Handle {
  network: Network;
  handle: string;
  followers?: number | null;
}

export interface Birthday {
  month: number;
  day: number;
  year?: number | null;
}

/** `@Zoe.Creates` -> `zoe.creates`. */
export const normalizeHandle = (handle: string): string => handle.trim().replace(/^@+/, '').toLowerCase();

export const handleKey = (h: Pick<Handle, 'network' | 'handle'>): string => `${h.network}:${normalizeHandle(h.handle)}`;

/** Days from today (in `timezone`) to the next birthday; Feb 29 falls on Feb 28 in common years. */
export function daysUntilBirthday(birthday: Birthday, now: Date, timezone: string): number {
  const today = dayjs(now).tz(timezone).startOf('day');
  const on = (year: number) => {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const day = birthday.month === 2 && birthday.day === 29 && !leap ? 28 : birthday.day;
    return dayjs.tz(`${year}-${pad(birthday.month)}-${pad(day)}`, timezone).startOf('day');
  };
  let next = on(today.year());
  if (next.isBefore(today)) next = on(today.year() + 1);
  return Math.round(next.diff(today, 'hour') / 24);
}

export function describeDaysAway(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

export function describeDaysAgo(then: Date, now: Date, timezone: string): string {
  const days = dayjs(now).tz(timezone).startOf('day').diff(dayjs(then).tz(timezone).startOf('day'), 'day');
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

export const formatBirthday = (b: Birthday, withYear: boolean): string =>
  withYear && b.year ? `${b.year}-${pad(b.month)}-${pad(b.day)}` : `${MONTHS[b.month - 1]} ${b.day}`;

export const formatFollowers = (n: number): string =>
  n >= 1_000_000 ? `${trim1(n / 1_000_000)}M` : n >= 10_000 ? `${trim1(n / 1000)}k` : n.toLocaleString('en-US');

const trim1 = (n: number) => (Math.round(n * 10) / 10).toString();
const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
