import { addDays, addMonths, addMonthsToMonth, dayInMonth, daysBetween, localDay, monthOf, monthsFrom } from '../../core/calendar';
import type { PaymentSchedule, PaymentStatus } from '../../core/vocabulary';

/**
 * Pure payment rules. A due date is a calendar day in the workspace timezone; a payment is late
 * from the day after it (paid on the due day is on time). Nothing here reads a clock or a database.
 */

export interface PaymentState {
  status: PaymentStatus;
  dueAt: Date;
  paidAt?: Date | null;
}


/** Negative once the due day has passed. */
export const daysUntilDue = (payment: Pick<PaymentState, 'dueAt'>, now: Date, timezone: string): number =>
  daysBetween(localDay(now, timezone), localDay(payment.dueAt, timezone));

export const isLate = (payment: PaymentState, now: Date, timezone: string): boolean =>
  payment.status === 'scheduled' && daysUntilDue(payment, now, timezone) < 0;

/** 0 when not late; 1 on the day after the due day. */
export const daysLate = (payment: PaymentState, now: Date, timezone: string): number =>
  isLate(payment, now, timezone) ? -daysUntilDue(payment, now, timezone) : 0;

/** Unpaid and due today or within the next `days` days (not late yet). */
export function dueWithin(payment: PaymentState, now: Date, timezone: string, days: number): boolean {
  if (payment.status !== 'scheduled') return false;
  const until = daysUntilDue(payment, now, timezone);
  return until >= 0 && until <= days;
}

/** Paid on or before the due day, both read in the workspace timezone. */
export const paidOnTime = (payment: PaymentState, timezone: string): boolean =>
  payment.status === 'paid' && payment.paidAt != null && localDay(payment.paidAt, timezone) <= localDay(payment.dueAt, timezone);

/** Share of payments paid on or before their due day; an unpaid late payment counts against it (commands/payment.view.ts words it). */
export interface OnTimeRate {
  onTime: number;
  /** Payments whose moment of truth has come: paid, or unpaid past the due day. Cancelled ones never count. */
  counted: number;
  /** 0..1; undefined while nothing counts. */
  rate?: number;
}


/** The owner is pinged on the first late day, at 7 and 14 days, then weekly (21, 28, ...). */
export function shouldMentionOwner(lateDays: number): boolean {
  if (lateDays === 1 || lateDays === 7) return true;
  return lateDays >= 14 && (lateDays - 14) % 7 === 0;
}

/** The late day the owner was last pinged on, up to `lateDays` (undefined before the first late day). */
export function lastOwnerPing(lateDays: number): number | undefined {
  if (lateDays < 1) return undefined;
  if (lateDays < 7) return 1;
  if (lateDays < 14) return 7;
  return 14 + Math.floor((lateDays - 14) / 7) * 7;
}

/** The next late day the owner will be pinged on, after `lateDays`. */
export function nextOwnerPing(lateDays: number): number {
  if (lateDays < 1) return 1;
  if (lateDays < 7) return 7;
  if (lateDays < 14) return 14;
  return 14 + (Math.floor((lateDays - 14) / 7) + 1) * 7;
}

// ---------------------------------------------------------------------------------------------
// Net terms and schedules from a collaboration's compensation terms.

/** Net terms count calendar days: 2027-01-31 net 30 -> 2027-03-02 (2028-01-31 net 30 -> 2028-03-01). */
export const addNetDays = (day: string, netDays: number): string => addDays(day, netDays);

/** The reporting day in `month`, clamped to the month's last day (31 -> Feb 28). */
export const reportingDate = (month: string, day: number): string => dayInMonth(month, day);

export interface CompensationTerms {
  feeMinor?: number | null;
  currency?: string | null;
  schedule?: PaymentSchedule | null;
  netDays?: number | null;
  productOnly?: boolean | null;
}

export interface ScheduleInput {
  collaborationId: string;
  start: Date;
  /** Unset: ongoing, planned up to the horizon. */
  end?: Date | null;
  reportingDay?: number | null;
  compensation: CompensationTerms;
  /** Published deliverables, for `per-deliverable`. */
  published: ReadonlyArray<{ id: string; publishedAt: Date }>;
  now: Date;
  timezone: string;
  /** For ongoing monthly terms: plan reporting days up to this many months ahead (default 3). */
  horizonMonths?: number;
}

/**
 * What the bot calls a payment it planned, as data (commands/payment.view.ts words it): the fee of
 * a one-off (`fee`), a month's reporting day (`reporting`, `on` the month `YYYY-MM`), a piece's
 * publication day (`deliverable`, `on` the day `YYYY-MM-DD`, moved with the piece), a month's
 * commission (`commission`, `on` the month of publication). Stored as `autoLabel`; the payment's
 * `label` is only ever what a person typed, and wins over it wherever a payment is shown.
 */
export const AUTO_LABEL_KINDS = ['fee', 'reporting', 'deliverable', 'commission'] as const;
export type AutoLabelKind = (typeof AUTO_LABEL_KINDS)[number];
export interface AutoLabel {
  kind: AutoLabelKind;
  /** `YYYY-MM` (reporting, commission) or `YYYY-MM-DD` (deliverable); none for a fee. */
  on?: string | null;
}

export const feeLabel = (): AutoLabel => ({ kind: 'fee' });
export const reportingLabel = (month: string): AutoLabel => ({ kind: 'reporting', on: month });
/** A per-deliverable payment's, naming its piece's publication day: moved with the piece. */
export const deliverableLabel = (publishedOn: string): AutoLabel => ({ kind: 'deliverable', on: publishedOn });
export const commissionLabel = (month: string): AutoLabel => ({ kind: 'commission', on: month });

/** Both name the same thing (absent ones too); a stored one may carry `on: null` for none. */
export const sameAutoLabel = (a: AutoLabel | null | undefined, b: AutoLabel | null | undefined): boolean =>
  (a?.kind ?? null) === (b?.kind ?? null) && (a?.on ?? null) === (b?.on ?? null);

export interface PlannedPayment {
  scheduleKey: string;
  /** Local due day, `YYYY-MM-DD`. */
  dueOn: string;
  /** The day the terms count from: start, reporting day or publication. */
  triggerOn: string;
  amountMinor: number;
  currency: string;
  autoLabel: AutoLabel;
}

/** What terms lack for payments to be planned (`fee-product-only`: none, the terms say product only). */
export type MissingTerm = 'schedule' | 'fee' | 'currency' | 'fee-product-only';

export const DEFAULT_NET_DAYS = 30;

export const DEFAULT_HORIZON_MONTHS = 3;

/**
 * The payments a collaboration's terms call for. `once`: start + net days. `monthly`: each
 * reporting day from start to end (or to the horizon while ongoing) + net days. `per-deliverable`:
 * each published item's day + net days. Keys are deterministic, so planning twice plans the same.
 */
export function planPayments(input: ScheduleInput): { planned: PlannedPayment[]; missing: MissingTerm[] } {
  const { compensation: terms, timezone } = input;
  const missing: MissingTerm[] = [];
  if (terms.productOnly) return { planned: [], missing: ['fee-product-only'] };
  if (!terms.schedule) missing.push('schedule');
  if (!terms.feeMinor || terms.feeMinor <= 0) missing.push('fee');
  if (!terms.currency) missing.push('currency');
  if (missing.length > 0) return { planned: [], missing };

  const net = terms.netDays ?? DEFAULT_NET_DAYS;
  const money = { amountMinor: terms.feeMinor!, currency: terms.currency!.toUpperCase() };
  const key = (suffix: string) => `${input.collaborationId}:${suffix}`;
  const startDay = localDay(input.start, timezone);
  const endDay = input.end ? localDay(input.end, timezone) : undefined;

  switch (terms.schedule!) {
    case 'once':
      return { planned: [{ scheduleKey: key('once'), triggerOn: startDay, dueOn: addNetDays(startDay, net), autoLabel: feeLabel(), ...money }], missing };
    case 'monthly': {
      const today = localDay(input.now, timezone);
      const horizon = endDay ?? addMonths(today, input.horizonMonths ?? DEFAULT_HORIZON_MONTHS);
      const planned: PlannedPayment[] = [];
      for (const month of monthsFrom(monthOf(startDay), monthOf(horizon))) {
        const reporting = reportingDate(month, input.reportingDay ?? 1);
        if (reporting < startDay || reporting > horizon) continue;
        planned.push({
          scheduleKey: key(`monthly:${month}`),
          triggerOn: reporting,
          dueOn: addNetDays(reporting, net),
          autoLabel: reportingLabel(month),
          ...money,
        });
      }
      return { planned, missing };
    }
    case 'per-deliverable': {
      const planned = [...input.published]
        .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())
        .map((item) => {
          const day = localDay(item.publishedAt, timezone);
          return { scheduleKey: key(`content:${item.id}`), triggerOn: day, dueOn: addNetDays(day, net), autoLabel: deliverableLabel(day), ...money };
        });
      return { planned, missing };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Commission: planned as payments from the revenue recorded.

/** `<collab>:commission:2026-11`, and `...:2` onwards for what is added after one was paid. */
export const commissionKey = (collaborationId: string, month: string, n = 1): string =>
  `${collaborationId}:commission:${month}${n > 1 ? `:${n}` : ''}`;

const COMMISSION_KEY = /:commission:(\d{4}-\d{2})(?::(\d+))?$/;

export const isCommissionKey = (key: string): boolean => COMMISSION_KEY.test(key);

/** The month of publication a commission payment is for. */
export const commissionSlotOf = (key: string): string | undefined => COMMISSION_KEY.exec(key)?.[1];

/** The commission on `revenueMinor` at `pct` percent, rounded to the minor unit. */
export const commissionDue = (revenueMinor: number, pct: number): number => Math.round((revenueMinor * pct) / 100);

export interface CommissionPlan {
  /** The month of publication whose revenue it is on. */
  month: string;
  /** The first payment's key of the month (see commissionKey). */
  baseKey: string;
  /** All the month's commission, whatever was paid of it already. */
  amountMinor: number;
  currency: string;
  /** The reporting day of the following month. */
  triggerOn: string;
  dueOn: string;
  autoLabel: AutoLabel;
}

/**
 * The commission the terms call for: `commissionPct` of the revenue recorded on the pieces
 * published in each month (workspace timezone), settled on the reporting day of the following
 * month plus the net days, whatever the fee's schedule.
 */
export function planCommission(input: {
  collaborationId: string;
  reportingDay?: number | null;
  compensation: { commissionPct?: number | null; currency?: string | null; netDays?: number | null };
  revenue: ReadonlyArray<{ month: string; revenueMinor: number }>;
}): CommissionPlan[] {
  const pct = input.compensation.commissionPct ?? 0;
  if (!(pct > 0)) return [];
  const net = input.compensation.netDays ?? DEFAULT_NET_DAYS;
  const currency = (input.compensation.currency ?? 'USD').toUpperCase();
  const byMonth = new Map<string, number>();
  for (const row of input.revenue) byMonth.set(row.month, (byMonth.get(row.month) ?? 0) + row.revenueMinor);
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, revenueMinor]) => {
      const triggerOn = reportingDate(addMonthsToMonth(month, 1), input.reportingDay ?? 1);
      return {
        month,
        baseKey: commissionKey(input.collaborationId, month),
        amountMinor: commissionDue(revenueMinor, pct),
        currency,
        triggerOn,
        dueOn: addNetDays(triggerOn, net),
        autoLabel: commissionLabel(month),
      };
    });
}

/**
 * Why the bot cancelled a payment: a code stored on it (`cancelCode`) and in its history, never
 * words (commands/payment.view.ts says them). A reason a person typed is `cancelReason`, alone
 * (`/payment cancel`) or with `content-removed` (the reason typed for removing the piece).
 */
export const CANCEL_CODES = ['terms-changed', 'commission-recomputed', 'commission-revenue-cleared', 'commission-dropped', 'content-removed'] as const;
export type CancelCode = (typeof CANCEL_CODES)[number];

/** A planned payment the terms no longer call for after `/collab edit`. */
export const TERMS_CHANGED: CancelCode = 'terms-changed';
/** A commission payment whose revenue went down: nothing left to pay on it. */
export const COMMISSION_RECOMPUTED: CancelCode = 'commission-recomputed';
/** ... because no revenue is recorded for its month any more (cleared, set to zero, its piece removed or moved). */
export const COMMISSION_REVENUE_CLEARED: CancelCode = 'commission-revenue-cleared';
/** ... because the terms no longer pay a commission (`/collab edit commission:0`). */
export const COMMISSION_DROPPED: CancelCode = 'commission-dropped';
/** The piece of a per-deliverable payment was removed (`/content remove`, its reason in `cancelReason`). */
export const CONTENT_REMOVED: CancelCode = 'content-removed';

const RECOMPUTE_CODES: ReadonlySet<string> = new Set<CancelCode>([COMMISSION_RECOMPUTED, COMMISSION_REVENUE_CLEARED, COMMISSION_DROPPED]);

/** Cancelled by a recompute, not by hand: revenue recorded later plans the month again. */
export const cancelledByRecompute = (code: string | null | undefined): boolean => code != null && RECOMPUTE_CODES.has(code);

/**
 * Before cancel codes, the bot stored its reasons as these English sentences in `cancelReason`:
 * the start-up migration (PaymentStates.upgradeCancelReasons) reads them back as codes. History
 * records keep them: the view prints them as stored, which reads as it did.
 */
export const LEGACY_CANCEL_REASONS: ReadonlyArray<readonly [text: string, code: CancelCode]> = [
  ['no longer in the terms after /collab edit', TERMS_CHANGED],
  ['commission recomputed: the revenue went down, nothing left to pay', COMMISSION_RECOMPUTED],
  ['commission recomputed: no revenue is recorded for the month any more, nothing to pay', COMMISSION_REVENUE_CLEARED],
  ['commission recomputed: the terms no longer pay a commission', COMMISSION_DROPPED],
];
/** `Content removed: <reason typed>`, as /content remove wrote it before `content-removed`. */
export const LEGACY_CONTENT_REMOVED_PREFIX = 'Content removed: ';

export interface CommissionPayment {
  id: string;
  scheduleKey: string;
  status: string;
  amountMinor: number;
  /** Local due day, `YYYY-MM-DD`. */
  dueOn: string;
  cancelCode?: string | null;
  /** What `/payment edit` changed its amount by, in all (from its history): a correction the recompute keeps. */
  handCorrection?: number;
  /** Its due day was set by `/payment edit`: kept. */
  dueOnByHand?: boolean;
}

export type CommissionStep =
  | { kind: 'create'; scheduleKey: string; plan: CommissionPlan; amountMinor: number }
  | { kind: 'adjust'; id: string; from: number; to: number; dueOn: string }
  | { kind: 'cancel'; id: string; amountMinor: number; reason: CancelCode };

/**
 * What brings a collaboration's commission payments in step with its revenue, per month. What the
 * month owes is its commission plus every correction made by hand (`/payment edit` of an amount,
 * on a payment paid or still open), less what was paid: the first open (unpaid) payment carries
 * it, on the terms' due day unless its due day was set by hand. So a hand-edited amount is kept,
 * and later revenue adds or removes only its own difference. A paid payment is never touched, so
 * revenue recorded after a payment adds a new one (`...:2`). An open one with nothing left is
 * cancelled: COMMISSION_RECOMPUTED when the revenue went down, COMMISSION_REVENUE_CLEARED when the
 * month has no revenue any more, COMMISSION_DROPPED when `commission` is false (the terms pay none):
 * with no commission in the month, nothing is owed whatever was corrected by hand. A month whose
 * last payment someone cancelled by hand gets no new one; one cancelled by a recompute does.
 * In step already: no steps, so running it again changes nothing.
 */
export function commissionSteps(plans: readonly CommissionPlan[], existing: readonly CommissionPayment[], commission = true): CommissionStep[] {
  const steps: CommissionStep[] = [];
  const ofMonth = new Map<string, CommissionPayment[]>();
  for (const payment of existing) {
    const month = commissionSlotOf(payment.scheduleKey);
    if (month) ofMonth.set(month, [...(ofMonth.get(month) ?? []), payment]);
  }
  const months = new Set([...plans.map((p) => p.month), ...ofMonth.keys()]);
  for (const month of [...months].sort()) {
    const plan = plans.find((p) => p.month === month);
    const payments = (ofMonth.get(month) ?? []).sort((a, b) => sequenceOf(a.scheduleKey) - sequenceOf(b.scheduleKey));
    const open = payments.filter((p) => p.status === 'scheduled');
    if (!plan) {
      const reason = commission ? COMMISSION_REVENUE_CLEARED : COMMISSION_DROPPED;
      for (const payment of open) steps.push({ kind: 'cancel', id: payment.id, amountMinor: payment.amountMinor, reason });
      continue;
    }
    const live = payments.filter((p) => p.status !== 'cancelled');
    const corrected = live.reduce((sum, p) => sum + (p.handCorrection ?? 0), 0);
    const paid = live.filter((p) => p.status === 'paid').reduce((sum, p) => sum + p.amountMinor, 0);
    const left = plan.amountMinor + corrected - paid;
    open.forEach((payment, i) => {
      if (i === 0 && left > 0) {
        // The terms' due day too (a new reporting day or net days after /collab edit), unless set by hand.
        const dueOn = payment.dueOnByHand ? payment.dueOn : plan.dueOn;
        if (payment.amountMinor !== left || payment.dueOn !== dueOn) steps.push({ kind: 'adjust', id: payment.id, from: payment.amountMinor, to: left, dueOn });
      } else {
        steps.push({ kind: 'cancel', id: payment.id, amountMinor: payment.amountMinor, reason: COMMISSION_RECOMPUTED });
      }
    });
    if (open.length > 0 || left <= 0) continue;
    const last = payments[payments.length - 1];
    if (last && last.status === 'cancelled' && !cancelledByRecompute(last.cancelCode)) continue;
    const next = payments.length ? Math.max(...payments.map((p) => sequenceOf(p.scheduleKey))) + 1 : 1;
    steps.push({ kind: 'create', scheduleKey: next === 1 ? plan.baseKey : `${plan.baseKey}:${next}`, plan, amountMinor: left });
  }
  return steps;
}

const sequenceOf = (key: string): number => Number(COMMISSION_KEY.exec(key)?.[2] ?? 1);
