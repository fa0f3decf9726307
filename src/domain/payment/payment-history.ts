import type { AuditTrail, RecordedChange } from '../audit/audit-trail';
import { withNames, type NameSources, type Payment, type PaymentView } from './payment-views';

/** A recorded change of a payment, with the currency its amounts were in at the time. */
export interface PaymentChange extends RecordedChange {
  /** Amounts recorded in minor units (`amountMinor`): `from` is read in `before`, `to` in `after` (they differ only when the change moved the currency). */
  currency: { before: string; after: string };
}

/** One payment as `/payment show` reads it: the payment with its names and one page of its history. */
export interface PaymentRecord {
  payment: PaymentView;
  changes: PaymentChange[];
  /** How many changes the payment has in all. */
  total: number;
  /** When and by whom it was added or planned: its first change (the clock's time, unlike `createdAt`). */
  created: { at: Date; actorId: string } | null;
}

/**
 * What happened to one payment: created, planned, edited, paid, reopened, cancelled, moved by new
 * terms or a commission recomputed, newest first and paged, from the audit trail. Reads only.
 */
export class PaymentHistory {
  constructor(
    private readonly names: NameSources,
    private readonly audit: AuditTrail,
  ) {}

  /** Reads side by side: the names, the page with the count, the first change, and the (rare) currency changes. */
  async of(payment: Payment, options: { page: number; pageSize: number }): Promise<PaymentRecord> {
    const [[named], { items, total }, first, currencyChanges] = await Promise.all([
      withNames(this.names, payment.workspaceId, [payment]),
      this.audit.page(payment.workspaceId, payment._id, { entity: 'payment', ...options }),
      this.audit.oldest(payment.workspaceId, payment._id, 'payment'),
      this.audit.touching(payment.workspaceId, payment._id, 'payment', 'currency'),
    ]);
    return {
      payment: named!,
      changes: items.map((change) => ({ ...change, currency: currencyAt(change, payment.currency, currencyChanges) })),
      total,
      created: first && { at: first.at, actorId: first.actorId },
    };
  }
}

/**
 * The currency of a change's amounts: its own before and after when it changed the currency (an
 * amount and its currency change together), otherwise the one the next later currency change
 * started from, otherwise today's.
 */
function currencyAt(change: RecordedChange, current: string, currencyChanges: readonly RecordedChange[]): PaymentChange['currency'] {
  const own = change.fields.find((f) => f.field === 'currency');
  if (own && typeof own.from === 'string' && typeof own.to === 'string') return { before: own.from, after: own.to };
  const later = currencyChanges.filter((c) => isAfter(c, change));
  const from = later[later.length - 1]?.fields.find((f) => f.field === 'currency')?.from;
  const then = typeof from === 'string' ? from : current;
  return { before: then, after: then };
}

const isAfter = (a: RecordedChange, b: RecordedChange): boolean =>
  a.at.getTime() > b.at.getTime() || (a.at.getTime() === b.at.getTime() && String(a._id) > String(b._id));
