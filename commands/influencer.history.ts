import { formatYearlyDate, literal, localDateTime, localDay, mention } from '../src/core';
import type { Birthday, Handle } from '../src/domain/influencer/influencer-rules';
import { handleLine } from './influencer.view';
import type { FieldChange } from '../src/domain/influencer/influencer.service';
import type { Cadence } from '../src/domain/nurture/nurture-rules';
import { formatCadence } from './nurture.view';

/**
 * The history and "Saved" lines read like the card: its labels, values as they were typed or as
 * the card prints them, times in the workspace's timezone. Words at the edge: the domain records
 * stored values, this file prints them.
 */

const LABELS: Record<string, string> = {
  name: 'Name',
  handles: 'Handles',
  email: 'Email',
  phone: 'Phone',
  address: 'Shipping address',
  birthday: 'Birthday',
  timezone: 'Timezone',
  tags: 'Tags',
  preferences: 'Preferences',
  ownerId: 'Owner',
  stage: 'Stage',
  source: 'Source',
  notes: 'Notes',
  cadence: 'Cadence',
  archivedAt: 'Archived',
  // A content piece's fields (`/content edit`, `/content remove`).
  type: 'Type',
  url: 'Link',
  network: 'Network',
  publishedAt: 'Published',
  reason: 'Reason',
};

const ACTIONS: Record<string, string> = {
  create: 'added',
  edit: 'edited',
  stage: 'changed the stage',
  archive: 'archived',
  restore: 'restored',
  forget: 'erased the personal data',
  'content-edit': 'edited content',
  'content-remove': 'removed content',
};

export const NONE = '(none)';

export const fieldLabel = (field: string): string => LABELS[field] ?? field;

/** A stored value as the card (or the person typing it) writes it; typed text marked {@link literal}. */
export function printValue(field: string, value: unknown, timezone: string): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return NONE;
  // `(erased)` after `forget`, or any value kept as text, prints as it is.
  if (typeof value === 'string' && field !== 'ownerId' && field !== 'archivedAt') return literal(value.replace(/\n/g, ' / '));
  switch (field) {
    case 'handles':
      return (value as Handle[]).map(handleLine).join(', ');
    case 'birthday': {
      const b = value as Birthday;
      return formatYearlyDate(b.month, b.day, b.year);
    }
    case 'ownerId':
      return mention(String(value));
    case 'cadence':
      return formatCadence(value as Cadence);
    case 'archivedAt':
      return value instanceof Date || typeof value === 'string' ? localDateTime(new Date(value), timezone) : String(value);
  }
  if (Array.isArray(value)) return value.map((v) => literal(String(v))).join(', ');
  if (value instanceof Date) return localDay(value, timezone);
  return literal(String(value).replace(/\n/g, ' / '));
}

/** `Email: (none) → zoe@example.com`. Multi-line text is shown on one line. */
export const describeChange = (change: FieldChange, timezone: string): string =>
  `${fieldLabel(change.field)}: ${printValue(change.field, change.from, timezone)} → ${printValue(change.field, change.to, timezone)}`;

export const describeChanges = (changes: readonly FieldChange[], timezone: string): string =>
  changes.map((change) => describeChange(change, timezone)).join('; ');

/** One history entry: `• 2026-11-23 11:00 · @maria edited · Email: (none) → zoe@example.com`. */
export function historyLine(
  entry: { at: Date; actorId: string; action: string; fields: readonly FieldChange[] },
  timezone: string,
): string {
  const what =
    entry.action === 'content-edit' || entry.action === 'content-remove'
      ? contentChange(entry.fields, timezone)
      : entry.action === 'create'
      ? entry.fields.filter((f) => printValue(f.field, f.to, timezone) !== NONE).map((f) => `${fieldLabel(f.field)}: ${printValue(f.field, f.to, timezone)}`).join('; ')
      : entry.action === 'archive' || entry.action === 'restore'
        ? ''
        : describeChanges(entry.fields, timezone);
  return `• ${localDateTime(entry.at, timezone)} · ${mention(entry.actorId)} ${ACTIONS[entry.action] ?? entry.action}${what ? ` · ${what}` : ''}`;
}

/** `reel https://... · Type: post → reel` (edit) or `reel https://..., published 2026-11-20 · Reason: a duplicate` (remove). */
function contentChange(fields: readonly FieldChange[], timezone: string): string {
  const piece = fields.find((f) => f.field === 'piece');
  const reason = fields.find((f) => f.field === 'reason');
  const rest = fields.filter((f) => f.field !== 'piece' && f.field !== 'reason');
  if (reason) {
    const published = rest.find((f) => f.field === 'publishedAt');
    return `${String(piece?.from ?? '')}${published?.from ? `, published ${printValue('publishedAt', published.from, timezone)}` : ''} · Reason: ${printValue('reason', reason.to, timezone)}`;
  }
  return [String(piece?.from ?? ''), describeChanges(rest, timezone)].filter(Boolean).join(' · ');
}
