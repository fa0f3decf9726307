import { actions, button, context, header, literal, localDateTime, localDay, mention, pageButtons, pageOf, para, pastLastPage, reply, type CommandContext, type ContentType, type Reply } from '../src/core';
import { formatExpected } from './content.view';
import type { ChecklistFollowed } from '../src/domain/content/content.service';
import { formatMoney, type Money } from '../src/domain/money';
import type { TermsFollowed } from '../src/domain/payment/payment-planning';
import { paymentFor } from './payment-label';
import { NONE } from './influencer.history';

/**
 * A collaboration's history and "Saved" lines, read like its card: the card's and the form's
 * labels, values as the card prints them (money formatted, days in the workspace timezone,
 * owners as mentions). The domain records stored values; this file prints them.
 */

const LABELS: Record<string, string> = {
  title: 'Title',
  influencerId: 'Creator',
  type: 'Type',
  goal: 'Goal',
  start: 'Start',
  end: 'End',
  ownerId: 'Owner',
  expectedPerMonth: 'Content per month',
  contentCadence: 'Content due',
  fee: 'Fee',
  currency: 'Currency',
  schedule: 'Fee schedule',
  netDays: 'Payment terms',
  commissionPct: 'Commission',
  productOnly: 'Product only',
  discountCode: 'Discount code',
  trackingLink: 'Tracking link',
  reportingDay: 'Reporting day',
  status: 'Status',
  closeReason: 'Reason',
  'brief.guidelines': 'Guidelines',
  'brief.keyMessages': 'Key messages',
  'brief.callToAction': 'Call to action',
  'brief.mustMention': 'Must mention',
  'brief.mustAvoid': 'Must avoid',
};

const ACTIONS: Record<string, string> = {
  create: 'started it',
  edit: 'edited',
  brief: 'edited the brief',
  close: 'closed it',
};

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

const ordinal = (n: number): string => {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
};

export function printValue(field: string, value: unknown, timezone: string): string {
  if (field === 'end' && (value === null || value === undefined)) return 'ongoing';
  if (field === 'expectedPerMonth') return formatExpected((value ?? []) as Array<{ type: ContentType; count: number }>);
  if (field === 'productOnly') return value ? 'yes' : 'no';
  if (value === null || value === undefined || value === '') return NONE;
  switch (field) {
    case 'fee':
      return formatMoney(value as Money);
    case 'ownerId':
      return mention(String(value));
    case 'netDays':
      return `within ${String(value)} days`;
    case 'commissionPct':
      return `${String(value)}%`;
    case 'reportingDay':
      return `the ${ordinal(Number(value))} of each month`;
  }
  if (value instanceof Date) return localDay(value, timezone);
  // Titles, codes, links, brief text, reasons: typed by people, shown as typed.
  return literal(String(value).replace(/\n/g, ' / '));
}

/** `Fee: €1,500.00 → €2,000.00; End: ongoing → 2027-05-31`. */
export const describeChanges = (changes: readonly Change[], timezone: string): string =>
  changes.map((c) => `${LABELS[c.field] ?? c.field}: ${printValue(c.field, c.from, timezone)} → ${printValue(c.field, c.to, timezone)}`).join('; ');

/** A recorded change as a history line reads it. */
export interface HistoryEntry {
  at: Date;
  actorId: string;
  action: string;
  fields: readonly Change[];
}

/** How one kind of record's history is worded: its field labels, its actions, how a stored value prints. */
export interface HistoryWords<E extends HistoryEntry = HistoryEntry> {
  labels: Readonly<Record<string, string>>;
  actions: Readonly<Record<string, string>>;
  print: (field: string, value: unknown, timezone: string, entry: E, side: 'from' | 'to') => string;
  /** Fields never listed: the action already says it, or the value is internal. */
  hidden?: readonly string[];
  /** A field set from nothing reads `Label: value`, not `Label: (none) → value`. */
  newValuesAlone?: boolean;
}

const COLLABORATION_WORDS: HistoryWords = { labels: LABELS, actions: ACTIONS, print: (field, value, timezone) => printValue(field, value, timezone), hidden: ['influencerId'] };

/**
 * One history entry: `• 2026-11-23 11:00 · @maria edited · Fee: €1,500.00 → €2,000.00`. A
 * creation lists what it was created with. Collaborations' words by default; payments bring theirs.
 */
export function historyLine<E extends HistoryEntry>(entry: E, timezone: string, words: HistoryWords<E> = COLLABORATION_WORDS): string {
  const label = (field: string) => words.labels[field] ?? field;
  const value = (field: string, v: unknown, side: 'from' | 'to') => words.print(field, v, timezone, entry, side);
  const unset = (v: unknown) => v === null || v === undefined || v === '';
  const what = entry.fields
    .filter((f) => !words.hidden?.includes(f.field))
    .map((f) =>
      entry.action === 'create' || (words.newValuesAlone && unset(f.from))
        ? `${label(f.field)}: ${value(f.field, f.to, 'to')}`
        : `${label(f.field)}: ${value(f.field, f.from, 'from')} → ${value(f.field, f.to, 'to')}`,
    )
    .join('; ');
  return `• ${localDateTime(entry.at, timezone)} · ${mention(entry.actorId)} ${words.actions[entry.action] ?? entry.action}${what ? ` · ${what}` : ''}`;
}

/** Changes a history page shows (`/collab show <collab> history`, `/influencer show <who> history`, `/payment show`). */
export const HISTORY_PAGE_SIZE = 10;

/** `/collab show <collab> history [page:N]`: its changes newest first, ten a page, in the workspace's timezone. */
export function historyReply(
  collaboration: { _id: unknown; title: string },
  history: { items: readonly HistoryEntry[]; total: number },
  page: number,
  ctx: CommandContext,
): Reply {
  const tz = ctx.workspace.timezone;
  const id = String(collaboration._id);
  const { items, total } = history;
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  return reply([
    header(`${literal(collaboration.title)}: changes`),
    para(items.length ? items.map((entry) => historyLine(entry, tz)).join('\n') : total === 0 ? 'No recorded changes yet.' : pastLastPage(page, pages)),
    context(`${total} change${total === 1 ? '' : 's'} · ${total === 0 ? `page 1 of 1` : pageOf(page, pages)} · newest first · times in ${tz} · id ${id}`),
    actions(
      ...pageButtons(page, pages, (p) => `collab show ${id} history page:${p}`),
      button('Show collaboration', `collab show ${id}`),
      button('Edit', `collab edit ${id}`),
    ),
  ]);
}

const day = (at: Date | null | undefined, timezone: string) => (at ? localDay(at, timezone) : '?');

/** What following the new terms did to the open checklist, one line, or nothing when it did nothing. */
export function checklistFollowedLine(followed: ChecklistFollowed | undefined, timezone: string): string | undefined {
  if (!followed) return undefined;
  const parts = [
    ...followed.added.map((item) => `added a ${item.type} due ${day(item.dueAt, timezone)}`),
    ...followed.moved.map(({ item, from, to }) => `${item.type} due ${day(from, timezone)} → ${day(to, timezone)}`),
    ...followed.removed.map((item) => `removed the open ${item.type} due ${day(item.dueAt, timezone)}`),
  ];
  return parts.length ? `*Checklist:* ${parts.join('; ')}.` : undefined;
}

/** What following the new terms did to the unpaid planned payments, one line per payment. */
export function paymentsFollowedLines(followed: TermsFollowed | undefined, timezone: string): string[] {
  if (!followed) return [];
  const label = (p: Parameters<typeof paymentFor>[0]) => paymentFor(p) ?? 'Payment';
  return [
    ...followed.changed.map(({ before, after }) => {
      const money = before.amountMinor !== after.amountMinor || before.currency !== after.currency ? ` ${formatMoney(before)} → ${formatMoney(after)}` : ` ${formatMoney(after)}`;
      const due = before.dueAt.getTime() !== after.dueAt.getTime() ? ` · due ${day(before.dueAt, timezone)} → ${day(after.dueAt, timezone)}` : ` · due ${day(after.dueAt, timezone)}`;
      const owner = before.ownerId !== after.ownerId ? ` · owner ${mention(after.ownerId)}` : '';
      return `• ${label(after)}:${money}${due}${owner} · id ${String(after._id)}`;
    }),
    ...followed.cancelled.map((p) => `• ${label(p)}: ${formatMoney(p)} due ${day(p.dueAt, timezone)} cancelled, no longer in the terms · id ${String(p._id)}`),
    ...followed.created.map((p) => `• ${label(p)}: ${formatMoney(p)} due ${day(p.dueAt, timezone)} planned · id ${String(p._id)}`),
  ];
}
