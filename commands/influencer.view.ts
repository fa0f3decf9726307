import { dateOf, daysBetween, formatCompactCount, formatMonthDay, literal, localDay } from '../src/core';
import type { Birthday, Handle } from '../src/domain/influencer/influencer-rules';

/** Words for a creator's facts, shared by the card and the history: handles, birthdays, how long ago. */

/** `instagram @zoe.creates · 12.5k`: followers as cards print them. */
export const handleLine = (h: Handle): string => `${h.network} @${literal(h.handle)}${h.followers != null ? ` · ${formatCompactCount(h.followers)}` : ''}`;

/** `today`, `tomorrow`, `in 3 days`. */
export function describeDaysAway(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

/** `today`, `yesterday`, `12 days ago`: calendar days in the workspace timezone. */
export function describeDaysAgo(then: Date, now: Date, timezone: string): string {
  const days = daysBetween(localDay(then, timezone), localDay(now, timezone));
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

/** `Jul 14`, or `1998-07-14` with the year (private to the person asking). */
export const formatBirthday = (b: Birthday, withYear: boolean): string =>
  withYear && b.year ? dateOf(b.year, b.month, b.day) : formatMonthDay(b.month, b.day);
