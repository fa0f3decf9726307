import type { CollabType, ContentCadence, ContentType, Goal, PaymentSchedule } from '../../core/vocabulary';
import { localDay } from '../../core/calendar';
import { refuse, type CollaborationProblem } from '../errors';
import type { Money } from '../money';
import type { CollaborationDoc } from './collaboration.model';
import type { ExpectedContent } from '../content/checklist-rules';

/**
 * What `/collab edit` may change, and the pure diff of an edit against the stored collaboration:
 * the fields that change (as the history records them), the update to write, and the
 * collaboration as it will read afterwards (so payments can be replanned before anything is
 * written). Absent keeps a field; null clears it.
 */

export interface TermsPatch {
  /** Minor units of the currency after the edit. */
  feeMinor?: number | null;
  currency?: string;
  schedule?: PaymentSchedule | null;
  netDays?: number;
  commissionPct?: number | null;
  productOnly?: boolean;
}

export interface CollaborationPatch {
  title?: string;
  type?: CollabType;
  goal?: Goal;
  ownerId?: string;
  /** Start of the first day in the workspace timezone. */
  start?: Date;
  /** Start of the last day; null: ongoing. */
  end?: Date | null;
  expectedPerMonth?: ExpectedContent[];
  contentCadence?: ContentCadence;
  discountCode?: string | null;
  trackingLink?: string | null;
  reportingDay?: number;
  compensation?: TermsPatch;
}

/** The history's field names, in the order a change lists them (the card's order). */
export const EDIT_FIELDS = [
  'title',
  'type',
  'goal',
  'start',
  'end',
  'ownerId',
  'expectedPerMonth',
  'contentCadence',
  'fee',
  'currency',
  'schedule',
  'netDays',
  'commissionPct',
  'productOnly',
  'discountCode',
  'trackingLink',
  'reportingDay',
] as const;
export type EditField = (typeof EDIT_FIELDS)[number];

export interface EditChange {
  field: EditField;
  from: unknown;
  to: unknown;
}

/** Fields whose change moves money: only payment managers change them. */
export const MONEY_FIELDS: readonly EditField[] = ['fee', 'currency', 'schedule', 'netDays', 'commissionPct', 'productOnly'];
/** Fields the planned payments are computed from. */
export const PAYMENT_FIELDS: readonly EditField[] = ['fee', 'currency', 'schedule', 'netDays', 'commissionPct', 'productOnly', 'start', 'end', 'reportingDay', 'ownerId'];
/** Fields the checklist is planned from. */
export const CHECKLIST_FIELDS: readonly EditField[] = ['expectedPerMonth', 'contentCadence', 'start', 'end'];

export interface PlannedEdit {
  changes: EditChange[];
  $set: Record<string, unknown>;
  $unset: Record<string, 1>;
  /** The collaboration as it reads once the edit is written. */
  next: CollaborationDoc;
}

export const DEFAULT_NET_DAYS = 30;
export const DEFAULT_REPORTING_DAY = 1;

/** Where each history field is stored. `fee` is recorded as money (amount and currency), so it reads right after a currency change. */
const PATHS: Record<Exclude<EditField, 'fee'>, string> = {
  title: 'title',
  type: 'type',
  goal: 'goal',
  ownerId: 'ownerId',
  start: 'start',
  end: 'end',
  expectedPerMonth: 'expectedPerMonth',
  contentCadence: 'contentCadence',
  currency: 'compensation.currency',
  schedule: 'compensation.schedule',
  netDays: 'compensation.netDays',
  commissionPct: 'compensation.commissionPct',
  productOnly: 'compensation.productOnly',
  discountCode: 'discountCode',
  trackingLink: 'trackingLink',
  reportingDay: 'reportingDay',
};

const same = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
};

const expectedList = (value: ReadonlyArray<{ type: string; count: number }> | null | undefined): ExpectedContent[] =>
  (value ?? []).map((e) => ({ type: e.type as ContentType, count: e.count }));

/**
 * Diffs `patch` against `collaboration` and checks the collaboration it would make. Refused
 * (`collaboration.invalid`, every problem at once, each with its field): an end before the start, a currency change that would reread the fee in
 * another currency, a fee on product-only terms, a monthly or per-deliverable schedule without a
 * fee. A fee with no schedule is paid once (as on `/collab new`); clearing the fee clears the
 * schedule (no fee, nothing to plan).
 */
export function planEdit(collaboration: CollaborationDoc, patch: CollaborationPatch, timezone: string): PlannedEdit {
  const terms = collaboration.compensation ?? {};
  const before: Record<EditField, unknown> = {
    title: collaboration.title,
    type: collaboration.type,
    goal: collaboration.goal,
    ownerId: collaboration.ownerId,
    start: collaboration.start,
    end: collaboration.end ?? null,
    expectedPerMonth: expectedList(collaboration.expectedPerMonth),
    // Documents older than the term were planned monthly.
    contentCadence: collaboration.contentCadence ?? 'monthly',
    fee: terms.feeMinor ? { amountMinor: terms.feeMinor, currency: terms.currency ?? 'USD' } : null,
    currency: terms.currency ?? null,
    schedule: terms.schedule ?? null,
    netDays: terms.netDays ?? DEFAULT_NET_DAYS,
    commissionPct: terms.commissionPct ?? null,
    productOnly: terms.productOnly ?? false,
    discountCode: collaboration.discountCode ?? null,
    trackingLink: collaboration.trackingLink ?? null,
    reportingDay: collaboration.reportingDay ?? DEFAULT_REPORTING_DAY,
  };
  const t = patch.compensation ?? {};
  const currency = t.currency ?? (before.currency as string | null);
  const problems: CollaborationProblem[] = [];

  if (t.currency !== undefined && t.currency !== before.currency && t.feeMinor === undefined && before.fee !== null) {
    problems.push({ code: 'fee-for-new-currency', field: 'fee', from: (before.fee as Money).currency, to: t.currency });
  }
  const feeMinor = t.feeMinor === undefined ? (before.fee as Money | null)?.amountMinor ?? null : t.feeMinor || null;
  const productOnly = t.productOnly ?? (before.productOnly as boolean);
  let schedule = t.schedule === undefined ? (before.schedule as PaymentSchedule | null) : t.schedule;
  if (productOnly && feeMinor) problems.push({ code: 'product-only-with-fee', field: t.productOnly ? 'product-only' : 'fee' });
  if (!feeMinor) {
    if (t.schedule === 'monthly' || t.schedule === 'per-deliverable') problems.push({ code: 'fee-for-schedule', field: 'fee', schedule: t.schedule });
    schedule = null;
  } else if (!schedule) schedule = 'once';

  const after: Record<EditField, unknown> = {
    title: patch.title ?? before.title,
    type: patch.type ?? before.type,
    goal: patch.goal ?? before.goal,
    ownerId: patch.ownerId ?? before.ownerId,
    start: patch.start ?? before.start,
    end: patch.end === undefined ? before.end : patch.end,
    expectedPerMonth: patch.expectedPerMonth ?? before.expectedPerMonth,
    contentCadence: patch.contentCadence ?? before.contentCadence,
    fee: feeMinor ? { amountMinor: feeMinor, currency: currency ?? 'USD' } : null,
    currency,
    schedule,
    netDays: t.netDays ?? before.netDays,
    commissionPct: t.commissionPct === undefined ? before.commissionPct : t.commissionPct,
    productOnly,
    discountCode: patch.discountCode === undefined ? before.discountCode : patch.discountCode,
    trackingLink: patch.trackingLink === undefined ? before.trackingLink : patch.trackingLink,
    reportingDay: patch.reportingDay ?? before.reportingDay,
  };
  const start = after.start as Date;
  const end = after.end as Date | null;
  if (end && end.getTime() < start.getTime()) {
    problems.push({ code: 'end-before-start', field: patch.end ? 'end' : 'start', start: localDay(start, timezone), end: localDay(end, timezone) });
  }
  if (problems.length > 0) throw refuse('collaboration.invalid', { problems });

  const changes: EditChange[] = [];
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const field of EDIT_FIELDS) {
    if (same(before[field], after[field])) continue;
    changes.push({ field, from: before[field], to: after[field] });
    const value = field === 'fee' ? ((after.fee as Money | null)?.amountMinor ?? null) : after[field];
    const path = field === 'fee' ? 'compensation.feeMinor' : PATHS[field];
    if (value === null) $unset[path] = 1;
    else $set[path] = value;
  }
  const next = { ...collaboration, compensation: { ...(collaboration.compensation ?? {}) } } as CollaborationDoc;
  const write = (path: string, value: unknown) => {
    const [head, tail] = path.split('.') as [string, string | undefined];
    const target = next as unknown as Record<string, unknown>;
    if (!tail) target[head] = value ?? undefined;
    else target[head] = { ...((target[head] as object) ?? {}), [tail]: value ?? undefined };
  };
  for (const [path, value] of Object.entries($set)) write(path, value);
  for (const path of Object.keys($unset)) write(path, undefined);
  return { changes, $set, $unset, next };
}
