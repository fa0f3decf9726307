import type { CalendarDate, MonthKey } from '../core/calendar';
import type { Platform } from '../core/command';
import { DomainError } from '../core/domain-error';

/**
 * Every refusal the domain can return: its code and the facts the words need. The words are in
 * commands/domain-errors.ts, one entry per code (the compiler insists on each).
 *
 * To add one: add `'area.what': { facts }` here, `throw refuse('area.what', { ... })` in the
 * domain, and its sentence (and per-field notes, if any) in commands/domain-errors.ts.
 */
export interface DomainErrors {
  'workspace.not-set-up': Record<string, never>;

  'content.url-not-http': Record<string, never>;
  'content.published-in-future': { published: CalendarDate };
  'content.unknown-metric': { metrics: string[] };
  'content.negative-metric': { metrics: string[] };
  'content.no-metric': Record<string, never>;
  'content.link-in-several': { candidates: Array<{ type: string; id: string; title?: string }> };
  'content.not-found': { typed: string };
  'content.collaboration-closed': { title: string; status: string; closedDay?: CalendarDate; creator?: string };
  'content.edit-published-in-future': { published: CalendarDate; today: CalendarDate };
  'content.removed-meanwhile': { type: string };
  'content.removed-already': { type: string };
  /** A removal of the piece was cut short (the database failed part way): retyping it finishes it. */
  'content.removal-unfinished': { type: string; id: string };
  /** Someone edited or removed the piece between reading and writing it: nothing was written. */
  'content.changed-meanwhile': { type: string };
  'content.not-published': { type: string; status: string };
  'content.already-logged': { title: string; type: string; id: string; publishedDay?: CalendarDate };

  'collaboration.creator-elsewhere': Record<string, never>;
  'collaboration.not-found': { typed: string };
  /** Several collaborations fit what was typed: `called` (exact title), `match` (part of one), `active` (a creator's). */
  'collaboration.ambiguous': {
    why: { kind: 'called' | 'match'; typed: string } | { kind: 'active'; typed: string; count: number; name?: string };
    candidates: Array<{ title: string; status: string; id: string; creator?: string }>;
  };
  'collaboration.none-active': { typed: string; name?: string };
  'collaboration.gone': { title: string };
  'collaboration.creator-gone': Record<string, never>;
  'collaboration.already-closed': { title: string; status: string };
  'collaboration.closed-meanwhile': { title: string };
  'collaboration.changed-meanwhile': { title: string };
  /** Terms that cannot be stored (`/collab new`, `/collab edit`): every problem at once, each naming its field. */
  'collaboration.invalid': { problems: CollaborationProblem[] };
  /** Revenue is stored in the collaboration's currency: changing it would reread every amount. */
  'collaboration.currency-with-revenue': { title: string; from: string; to: string };

  'influencer.not-found': { typed: string };
  'influencer.ambiguous': { typed: string; creators: CreatorRef[] };
  /** Only archived creators match what was typed. */
  'influencer.archived-match': { typed: string; creators: CreatorRef[] };
  'influencer.archived': { name: string; id: string };
  'influencer.required': { field: string };
  'influencer.handle-taken': { handles: string[]; owner: CreatorRef };

  'payment.not-found': { typed: string };
  'payment.not-paid': { status: string };
  'payment.currency-without-amount': { from: string; to: string };
  /** A commission payment is a share of revenue recorded in its currency: it stays in it. */
  'payment.commission-currency': { currency: string };
  'payment.not-scheduled': { status: string; action: 'pay' | 'cancel' | 'edit' };
  /** Only payment managers (`managers`, or the workspace admins while it is empty) may do `action`. */
  'payment.not-a-manager': { action: 'pay' | 'reopen' | 'cancel' | 'edit' | 'terms'; managers: string[]; platform: Platform };

  'checklist.collaboration-closed': { title: string; status: string };
  'checklist.due-before-start': { due: CalendarDate; start: CalendarDate };
  'checklist.due-after-end': { due: CalendarDate; end: CalendarDate };
  'checklist.no-such-item': { typed: string; title: string; collaborationId: string };
  'checklist.not-planned': { type: string; status: string };
  'checklist.no-open-item': { type: string; month: MonthKey; title: string };
  'checklist.item-changed': Record<string, never>;
}

/**
 * One thing wrong with a collaboration's terms, and the field (argument name) it is about:
 * - `end-before-start`: on `end`, or on `start` when only the start moved;
 * - `negative-count` (expect), `negative-fee` (fee), `negative-net` (net), `commission-range` (0-100),
 *   `reporting-day-range` (1-28): numbers out of their range;
 * - `fee-for-new-currency`: the currency changes and the fee was not given again in it (amounts are never converted);
 * - `product-only-with-fee`: on `product-only` when product-only was just set, on `fee` when a fee was;
 * - `fee-for-schedule`: a monthly or per-deliverable schedule with no fee.
 */
export type CollaborationProblem =
  | { code: 'end-before-start'; field: 'end' | 'start'; start: CalendarDate; end: CalendarDate }
  | { code: 'negative-count'; field: 'expect' }
  | { code: 'negative-fee'; field: 'fee' }
  | { code: 'negative-net'; field: 'net' }
  | { code: 'commission-range'; field: 'commission' }
  | { code: 'reporting-day-range'; field: 'reporting-day' }
  | { code: 'fee-for-new-currency'; field: 'fee'; from: string; to: string }
  | { code: 'product-only-with-fee'; field: 'product-only' | 'fee' }
  | { code: 'fee-for-schedule'; field: 'fee'; schedule: string };

export interface CreatorRef {
  name: string;
  id: string;
  archived: boolean;
  handle?: string;
}

export type DomainErrorCode = keyof DomainErrors;

export const refuse = <C extends DomainErrorCode>(code: C, params: DomainErrors[C]): DomainError<C, DomainErrors[C]> => new DomainError(code, params);
