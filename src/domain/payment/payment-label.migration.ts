import { Types } from 'mongoose';
import { formatMonth, localDay } from '../../core/calendar';
import type { AuditTrail } from '../audit/audit-trail';
import { BATCH_SIZE } from '../batches';
import { groupBy } from '../group-by';
import type { ContentModel } from '../content/content.model';
import type { WorkspaceModel } from '../workspace/workspace.model';
import type { PaymentModel } from './payment.model';
import { commissionLabel, commissionSlotOf, deliverableLabel, feeLabel, reportingLabel, type AutoLabel } from './payment-rules';

/**
 * Before `autoLabel`, the bot stored its name for a payment it planned as English text in `label`
 * ("Fee", "Reporting February 2027", "Deliverable published 2026-11-23", "Commission November
 * 2026"), the field a manager's `/payment edit label:` wrote too. At start these pages of updates
 * (PaymentStates.upgradeLabels writes each before the next is read) sort the two apart:
 *
 * - a planned payment's label the bot wrote (the bot's text for its schedule key, or, for a payment
 *   whose key was freed by new terms, for what it was; and never set by `/payment edit`, read from
 *   its history) becomes its `autoLabel`, the text unset, so every view words it as before;
 * - any other label is what a person typed and stays; the planned payment still gets its
 *   `autoLabel` (a piece's day read from the piece), shown again if the typed label is cleared.
 *
 * Payments added by hand are never read. Idempotent: only planned payments without `autoLabel`
 * are read, a page at a time in `_id` order, and each write is conditional on the label read and
 * on `autoLabel` still missing, so replicas starting together, or a restart halfway, write nothing
 * twice. What stays (a typed label whose piece is gone, or on a freed key) is read again at the
 * next start and left again. Reads per page: the payments, the label edits in their history (one
 * per workspace in the page), and only when typed labels of pieces need it, the pieces and their
 * workspaces' timezones.
 */
export async function* autoLabelUpdates(sources: { payments: PaymentModel; contents: ContentModel; workspaces: WorkspaceModel; audit: AuditTrail }) {
  const missing = { source: 'schedule' as const, autoLabel: { $exists: false } };
  for (let after: Types.ObjectId | undefined; ; ) {
    const page = await sources.payments
      .find({ ...missing, ...(after ? { _id: { $gt: after } } : {}) }, { _id: 1, workspaceId: 1, scheduleKey: 1, label: 1 })
      .sort({ _id: 1 })
      .limit(BATCH_SIZE)
      .lean<Stored[]>();
    if (page.length === 0) return;
    after = page[page.length - 1]!._id;
    const typed = await labelsEditedByHand(sources.audit, page);
    const kept = page.filter((p) => typed.has(String(p._id)) || !botsLabel(p));
    const days = await pieceDays(sources, kept);
    const updates = page.flatMap((p) => {
      const guard = { _id: p._id, workspaceId: p.workspaceId, autoLabel: { $exists: false }, label: p.label ?? null };
      const bots = typed.has(String(p._id)) ? undefined : botsLabel(p);
      if (bots) return [{ updateOne: { filter: guard, update: { $set: { autoLabel: bots }, $unset: { label: 1 } } } }];
      const autoLabel = keyLabel(p.scheduleKey) ?? days.get(String(p._id));
      return autoLabel ? [{ updateOne: { filter: guard, update: { $set: { autoLabel } } } }] : [];
    });
    if (updates.length > 0) yield updates;
  }
}

interface Stored {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  scheduleKey: string;
  label?: string | null;
}

const MONTHLY_KEY = /:monthly:(\d{4}-\d{2})$/;
const CONTENT_KEY = /:content:([a-f0-9]{24})$/;
const DELIVERABLE_TEXT = /^Deliverable published (\d{4}-\d{2}-\d{2})$/;

/** What the bot names a payment by its schedule key alone (a piece's day is not in it). */
function keyLabel(key: string): AutoLabel | undefined {
  if (key.endsWith(':once')) return feeLabel();
  const month = MONTHLY_KEY.exec(key)?.[1];
  if (month) return reportingLabel(month);
  const commission = commissionSlotOf(key);
  return commission ? commissionLabel(commission) : undefined;
}

/** `February 2027` back to `2027-02`, as formatMonth wrote it. */
function monthOfText(text: string): string | undefined {
  const year = /^[A-Z][a-z]+ (\d{4})$/.exec(text)?.[1];
  if (!year) return undefined;
  for (let m = 1; m <= 12; m += 1) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    if (formatMonth(month) === text) return month;
  }
  return undefined;
}

/**
 * The name the bot gave this payment, when its label is the bot's text for it: for its schedule
 * key, or (a key freed by new terms, `replaced:<id>`) for any kind the bot plans.
 */
function botsLabel(payment: Stored): AutoLabel | undefined {
  const text = payment.label;
  if (!text) return undefined;
  const deliverableDay = DELIVERABLE_TEXT.exec(text)?.[1];
  const read: AutoLabel | undefined =
    text === 'Fee'
      ? feeLabel()
      : deliverableDay
        ? deliverableLabel(deliverableDay)
        : text.startsWith('Reporting ') && monthOfText(text.slice('Reporting '.length))
          ? reportingLabel(monthOfText(text.slice('Reporting '.length))!)
          : text.startsWith('Commission ') && monthOfText(text.slice('Commission '.length))
            ? commissionLabel(monthOfText(text.slice('Commission '.length))!)
            : undefined;
  if (!read) return undefined;
  if (payment.scheduleKey.startsWith('replaced:')) return read;
  if (CONTENT_KEY.test(payment.scheduleKey)) return read.kind === 'deliverable' ? read : undefined;
  const expected = keyLabel(payment.scheduleKey);
  return expected && expected.kind === read.kind && (expected.on ?? null) === (read.on ?? null) ? read : undefined;
}

/** The payments of the page whose label `/payment edit` set: typed, whatever it says. One read per workspace in the page. */
async function labelsEditedByHand(audit: AuditTrail, page: readonly Stored[]): Promise<Set<string>> {
  const byWorkspace = new Map<string, Types.ObjectId[]>();
  for (const p of page) byWorkspace.set(String(p.workspaceId), [...(byWorkspace.get(String(p.workspaceId)) ?? []), p._id]);
  const typed = new Set<string>();
  for (const [workspaceId, ids] of byWorkspace) {
    const touched = await audit.fieldsTouched(new Types.ObjectId(workspaceId), 'payment', 'edit', ids);
    for (const [id, fields] of touched) if (fields.has('label')) typed.add(id);
  }
  return typed;
}

/** For per-piece payments keeping a typed label: the bot's name from their piece's publication day, in its workspace's timezone. */
async function pieceDays(sources: { contents: ContentModel; workspaces: WorkspaceModel }, payments: readonly Stored[]): Promise<Map<string, AutoLabel>> {
  const pieceOf = new Map(payments.flatMap((p) => {
    const id = CONTENT_KEY.exec(p.scheduleKey)?.[1];
    return id ? [[String(p._id), { payment: p, pieceId: new Types.ObjectId(id) }] as const] : [];
  }));
  const found = new Map<string, AutoLabel>();
  if (pieceOf.size === 0) return found;
  const wanted = [...pieceOf.values()];
  const [pieces, workspaces] = await Promise.all([
    // Each workspace's pieces read in that workspace only (one read: a branch per workspace of the page).
    sources.contents.find({ $or: [...groupBy(wanted, (w) => String(w.payment.workspaceId))].map(([workspaceId, of]) => ({ workspaceId: new Types.ObjectId(workspaceId), _id: { $in: of.map((w) => w.pieceId) } })) }, { workspaceId: 1, publishedAt: 1 }).lean<Array<{ _id: Types.ObjectId; workspaceId: Types.ObjectId; publishedAt?: Date | null }>>(),
    sources.workspaces.find({ _id: { $in: [...new Set(wanted.map((w) => String(w.payment.workspaceId)))].map((id) => new Types.ObjectId(id)) } }, { timezone: 1 }).lean<Array<{ _id: Types.ObjectId; timezone: string }>>(),
  ]);
  const piece = new Map(pieces.map((c) => [String(c._id), c]));
  const zone = new Map(workspaces.map((w) => [String(w._id), w.timezone]));
  for (const [paymentId, { payment, pieceId }] of pieceOf) {
    const item = piece.get(String(pieceId));
    const timezone = zone.get(String(payment.workspaceId));
    if (item?.publishedAt && timezone && item.workspaceId.equals(payment.workspaceId)) found.set(paymentId, deliverableLabel(localDay(item.publishedAt, timezone)));
  }
  return found;
}
