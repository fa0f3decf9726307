import { actions, button, context, fields, header, literal, localDateTime, localDay, mention, pageButtons, para, reply, type CommandContext, type Reply } from '../src/core';
import { formatMoney } from '../src/domain/money';
import type { PaymentChange, PaymentRecord } from '../src/domain/payment/payment-history';
import type { AutoLabel, CancelCode, MissingTerm, OnTimeRate } from '../src/domain/payment/payment-rules';
import type { PaymentView } from '../src/domain/payment/payment-views';
import { HISTORY_PAGE_SIZE, historyLine, type HistoryWords } from './collab.history';
import { autoLabelWords, paymentFor } from './payment-label';
import { NONE } from './influencer.history';

/** Words for payment figures the domain returns as data. */

/** `33% (1 of 3)`: the share of payments paid on or before their due day (an unpaid late one counts against it). */
export const describeOnTimeRate = (rate: OnTimeRate): string =>
  rate.rate === undefined ? 'no payment due yet' : `${Math.round(rate.rate * 100)}% (${rate.onTime} of ${rate.counted})`;

/** What the terms lack for `/payment schedule`, as its refusal names it. */
export const MISSING_TERM: Record<MissingTerm, string> = {
  schedule: 'a payment schedule (once, monthly or per-deliverable)',
  fee: 'a fee',
  currency: 'a currency',
  'fee-product-only': 'a fee (the terms say product only)',
};

/** The bot's reasons for cancelling a payment (its `cancelCode`), in words. */
const CANCEL_WORDS: Record<CancelCode, string> = {
  'terms-changed': 'no longer in the terms after /collab edit',
  'commission-recomputed': 'commission recomputed: the revenue went down, nothing left to pay',
  'commission-revenue-cleared': 'commission recomputed: no revenue is recorded for the month any more, nothing to pay',
  'commission-dropped': 'commission recomputed: the terms no longer pay a commission',
  'content-removed': 'Content removed',
};

const cancelWords = (code: string): string => CANCEL_WORDS[code as CancelCode] ?? code;

/**
 * Why a payment was cancelled: the bot's words for its code, then the reason a person typed (shown
 * by `typed`: whole, or cut in a list line, given the longest it may be); undefined when neither.
 * Payments cancelled before codes hold the bot's sentence as their reason until the start-up
 * migration rewrites them, and read the same meanwhile.
 */
export function cancelWhy(
  payment: { cancelCode?: string | null; cancelReason?: string | null },
  typed: (value: string, max: number) => string = literal,
  max = Infinity,
): string | undefined {
  const parts = [...(payment.cancelCode ? [cancelWords(payment.cancelCode)] : []), ...(payment.cancelReason ? [typed(payment.cancelReason, max)] : [])];
  return parts.length ? parts.join(': ') : undefined;
}

/** Whom a payment is for: its creator's name, or that they were removed since. */
export const payee = (payment: Pick<PaymentView, 'influencerName'>): string => payment.influencerName || 'A removed creator';

/** What a payment is for: its collaboration's title, or that it was removed since. */
export const paidFor = (payment: Pick<PaymentView, 'collaborationTitle'>): string => payment.collaborationTitle || 'A removed collaboration';

/**
 * `/payment show`: one payment's details and its history, read like the list and the
 * collaboration history (the same history line, with a payment's labels and actions). The domain
 * records stored values; this file prints them.
 */


const ACTIONS: Record<string, string> = {
  create: 'added it',
  schedule: 'planned it from the terms',
  edit: 'edited',
  paid: 'marked it paid',
  reopen: 'reopened it',
  cancel: 'cancelled it',
  terms: 'moved it to the new terms',
  commission: 'recomputed the commission',
  content: 'moved it with its piece',
};

const LABELS: Record<string, string> = {
  amount: 'Amount',
  amountMinor: 'Amount',
  currency: 'Currency',
  dueOn: 'Due',
  dueAt: 'Due',
  label: 'For',
  autoLabel: 'For',
  ownerId: 'Owner',
  paidAt: 'Paid on',
  reference: 'Reference',
  reopenReason: 'Reason',
  cancelReason: 'Reason',
  cancelCode: 'Why',
};

/** Fields whose history values are calendar days (`2026-12-10`), recorded in the workspace's timezone of the time. */
const CALENDAR_DAY_FIELDS: ReadonlySet<string> = new Set(['dueOn', 'dueAt', 'paidAt']);

/** `150000 EUR`, as a payment's creation records its amount. */
function recordedAmount(value: string): string {
  const [minor, currency] = value.split(' ');
  return minor && currency && /^\d+$/.test(minor) ? formatMoney({ amountMinor: Number(minor), currency }) : literal(value);
}

function printValue(field: string, value: unknown, timezone: string, entry: PaymentChange, side: 'from' | 'to'): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (field === 'amount' && typeof value === 'string') return recordedAmount(value);
  if (field === 'amountMinor' && typeof value === 'number') return formatMoney({ amountMinor: value, currency: side === 'from' ? entry.currency.before : entry.currency.after });
  if (field === 'ownerId') return mention(String(value));
  if (field === 'cancelCode') return cancelWords(String(value));
  // The bot's name: its own field, or the name a cleared typed label left shown.
  if ((field === 'autoLabel' || field === 'label') && typeof value === 'object' && 'kind' in value) return autoLabelWords(value as AutoLabel);
  // Older records hold the paid day (and due days set by hand) as a Date: printed as before, as the day in today's timezone.
  if (value instanceof Date) return localDay(value, timezone);
  // Due and paid days are recorded as calendar days (`2026-12-10`): ours, not typed text.
  if (CALENDAR_DAY_FIELDS.has(field) && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  // Labels, references and reasons: typed by people, shown as typed.
  return literal(String(value).replace(/\n/g, ' / '));
}

const PAYMENT_WORDS: HistoryWords<PaymentChange> = {
  labels: LABELS,
  actions: ACTIONS,
  print: printValue,
  // The action says the status; the schedule key is internal.
  hidden: ['status', 'scheduleKey'],
  newValuesAlone: true,
};

/** `/payment show <payment> [page:N]`: its details, then its history newest first, ten a page. */
export function paymentReply(record: PaymentRecord, page: number, statusLine: string, ctx: CommandContext): Reply {
  const tz = ctx.workspace.timezone;
  const { payment, changes, total } = record;
  const id = String(payment._id);
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const by = (userId: string | null | undefined) => (userId ? ` by ${mention(userId)}` : '');
  const more = `payment show ${id}`;
  return reply([
    header(`${formatMoney(payment)} to ${literal(payee(payment))}`),
    fields([
      ['Collaboration', literal(paidFor(payment))],
      ['Creator', literal(payee(payment))],
      ['For', paymentFor(payment) ?? NONE],
      ['Amount', formatMoney(payment)],
      ['Due', localDay(payment.dueAt, tz)],
      ['Status', statusLine],
      ['Paid', payment.status === 'paid' && payment.paidAt ? `${localDay(payment.paidAt, tz)}${by(payment.paidById)}${payment.reference ? ` · ref ${literal(payment.reference)}` : ''}` : undefined],
      ['Cancelled', payment.status === 'cancelled' && payment.cancelledAt ? `${localDateTime(payment.cancelledAt, tz)}${by(payment.cancelledById)}${cancelWhy(payment) ? `: ${cancelWhy(payment)}` : ''}` : undefined],
      ['Reopened', payment.reopenedAt ? `${localDateTime(payment.reopenedAt, tz)}${by(payment.reopenedById)}${payment.reopenReason ? `: ${literal(payment.reopenReason)}` : ''}` : undefined],
      ['Owner', mention(payment.ownerId)],
      [payment.source === 'schedule' ? 'Planned' : 'Added', `${record.created ? localDateTime(record.created.at, tz) : localDateTime(payment.createdAt, tz)}${by(payment.createdById)}${payment.source === 'schedule' ? ' from the terms' : ''}`],
    ]),
    para('*History*'),
    // A paragraph a change: each fits a Discord embed field (1,024 characters) or a Slack section whatever the reasons typed.
    ...(changes.length ? changes.map((change) => para(historyLine(change, tz, PAYMENT_WORDS))) : [para(total === 0 ? 'No recorded changes yet.' : 'No changes on this page.')]),
    context(`${total} change${total === 1 ? '' : 's'} · page ${Math.min(page, pages)} of ${pages} · newest first · times in ${tz} · id ${id}`),
    actions(
      ...pageButtons(page, pages, (p) => `${more} page:${p}`),
      ...(payment.status === 'scheduled' ? [button('Mark paid', `payment paid ${id}`, 'primary')] : []),
      button('Show collaboration', `collab show ${String(payment.collaborationId)}`),
    ),
  ]);
}
