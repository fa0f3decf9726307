import { daysBetween, localDay, nextYearly } from '../../core/calendar';
import type { Network } from '../../core/vocabulary';

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

/** Days from today (in `timezone`) to the next birthday; 29 February falls on 28 February in other years. */
export function daysUntilBirthday(birthday: Birthday, now: Date, timezone: string): number {
  const today = localDay(now, timezone);
  return daysBetween(today, nextYearly(birthday.month, birthday.day, today));
}

/** The next birthday from today (in `timezone`): its day, how far, and whether a 29 February birthday moved to the 28th this year. */
export function nextBirthday(birthday: Pick<Birthday, 'month' | 'day'>, now: Date, timezone: string): { date: string; days: number; leapDayMoved: boolean } {
  const today = localDay(now, timezone);
  const date = nextYearly(birthday.month, birthday.day, today);
  return { date, days: daysBetween(today, date), leapDayMoved: isLeapDayBirthday(birthday) && date.endsWith('-02-28') };
}

/** True for a 29 February birthday: celebrated on 28 February in years without one (the card says so). */
export const isLeapDayBirthday = (birthday: Pick<Birthday, 'month' | 'day'>): boolean => birthday.month === 2 && birthday.day === 29;
