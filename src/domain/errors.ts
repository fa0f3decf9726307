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

export interface CreatorRef {
  name: string;
  id: string;
  archived: boolean;
  handle?: string;
}

export type DomainErrorCode = keyof DomainErrors;

export const refuse = <C extends DomainErrorCode>(code: C, params: DomainErrors[C]): DomainError<C, DomainErrors[C]> => new DomainError(code, params);
