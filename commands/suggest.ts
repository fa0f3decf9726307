import { localDay, type Choice, type CommandContext } from '../src/core';
import { formatMoney } from '../src/domain/money';
import { fold } from '../src/domain/fold';
import { paidFor, payee } from './payment.view';

/** Discord shows at most 25 suggestions of at most 100 characters. */
const MAX_SUGGESTIONS = 25;
const MAX_NAME_LENGTH = 100;
/** A payment is suggested from the payments of at most this many collaborations matching what is typed. */
const COLLABORATIONS = 100;
/** Published pieces are filtered in code from this many of the most recent. */
const SCAN = 200;

/**
 * What to suggest while a reference is typed: creators for `who`, collaborations for `collab`,
 * payments for `payment` (open ones; paid and cancelled ones for `reopen`, every one for `show`), published pieces for `content`. Each choice's value is the id,
 * which every command accepts wherever a name, title or reference is asked for.
 */
export async function suggestReferences(option: string, typed: string, subcommand: string, ctx: CommandContext): Promise<Choice[]> {
  switch (option) {
    case 'who': {
      const found = await ctx.services.influencers.suggest(ctx.workspace.id, typed, MAX_SUGGESTIONS);
      return found.map((record) => choice(`${record.name}${record.handles[0] ? ` (@${record.handles[0].handle})` : ''}`, String(record._id)));
    }
    case 'collab': {
      const found = await ctx.services.collaborations.suggest(ctx.workspace.id, typed, MAX_SUGGESTIONS);
      return found.map((c) => choice(`${c.title}${c.influencerName ? ` · ${c.influencerName}` : ''}${c.status === 'active' ? '' : ` (${c.status})`}`, String(c._id)));
    }
    case 'payment': {
      // `reopen` takes a paid (or cancelled) payment, `show` any; the others an open one.
      const which = subcommand === 'reopen' ? 'settled' : subcommand === 'show' ? 'any' : 'open';
      // Typed words name a collaboration (its title or its creator): the payments of those found.
      const collaborations = typed.trim() ? await ctx.services.collaborations.suggest(ctx.workspace.id, typed, COLLABORATIONS) : undefined;
      if (collaborations?.length === 0) return [];
      const found = await ctx.services.paymentReports.suggest(ctx.workspace.id, { which, collaborationIds: collaborations?.map((c) => c._id), limit: MAX_SUGGESTIONS });
      return found.map((payment) =>
        choice(
          `${payee(payment)} · ${paidFor(payment)} · ${formatMoney(payment)} · due ${localDay(payment.dueAt, ctx.workspace.timezone)}${payment.status === 'scheduled' ? '' : ` (${payment.status})`}`,
          String(payment._id),
        ),
      );
    }
    case 'content': {
      const wanted = fold(typed);
      const matches = (...texts: Array<string | undefined>) => !wanted || texts.some((value) => value !== undefined && fold(value).includes(wanted));
      const recent = await ctx.services.content.recent(ctx.workspace.id, SCAN);
      return recent
        .filter(({ item, title }) => matches(item.type, title, item.url ?? undefined, item.network ?? undefined))
        .slice(0, MAX_SUGGESTIONS)
        .map(({ item, title }) =>
          choice(
            [item.type, item.publishedAt ? localDay(item.publishedAt, ctx.workspace.timezone) : undefined, title, item.urlKey ?? undefined].filter(Boolean).join(' · '),
            String(item._id),
          ),
        );
    }
    default:
      return [];
  }
}

const choice = (name: string, value: string): Choice => ({ name: name.length <= MAX_NAME_LENGTH ? name : `${name.slice(0, MAX_NAME_LENGTH - 1)}…`, value });
