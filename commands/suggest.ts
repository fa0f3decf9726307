import { localDay, type Choice, type CommandContext } from '../src/core';
import { formatMoney } from '../src/domain/money';
import { fold } from '../src/domain/fold';

/** Discord shows at most 25 suggestions of at most 100 characters. */
const MAX_SUGGESTIONS = 25;
const MAX_NAME_LENGTH = 100;
/** Collaborations and payments are filtered in code from this many of the most relevant. */
const SCAN = 200;

/**
 * What to suggest while a reference is typed: creators for `who`, collaborations for `collab`,
 * payments for `payment` (open ones; paid ones too for `reopen`), published pieces for `content`. Each choice's value is the id,
 * which every command accepts wherever a name, title or reference is asked for.
 */
export async function suggestReferences(option: string, typed: string, subcommand: string, ctx: CommandContext): Promise<Choice[]> {
  const wanted = fold(typed);
  const matches = (...texts: Array<string | undefined>) => !wanted || texts.some((value) => value !== undefined && fold(value).includes(wanted));
  switch (option) {
    case 'who': {
      const found = await ctx.services.influencers.suggest(ctx.workspace.id, typed, MAX_SUGGESTIONS);
      return found.map((record) => choice(`${record.name}${record.handles[0] ? ` (@${record.handles[0].handle})` : ''}`, String(record._id)));
    }
    case 'collab': {
      const { items } = await ctx.services.collaborations.list(ctx.workspace, { status: 'all', limit: SCAN });
      return items
        .filter(({ collaboration, influencer }) => matches(collaboration.title, influencer?.name))
        .slice(0, MAX_SUGGESTIONS)
        .map(({ collaboration, influencer }) =>
          choice(`${collaboration.title}${influencer ? ` · ${influencer.name}` : ''}${collaboration.status === 'active' ? '' : ` (${collaboration.status})`}`, String(collaboration._id)),
        );
    }
    case 'payment': {
      const filter = subcommand === 'reopen' ? 'all' : 'due';
      const { items } = await ctx.services.payments.list(ctx.workspace, { filter, limit: SCAN });
      return items
        .filter((payment) => (subcommand === 'reopen' ? payment.status !== 'scheduled' : true))
        .filter((payment) => matches(payment.influencerName, payment.collaborationTitle, payment.label ?? undefined))
        .slice(0, MAX_SUGGESTIONS)
        .map((payment) =>
          choice(
            `${payment.influencerName} · ${payment.collaborationTitle} · ${formatMoney(payment)} · due ${localDay(payment.dueAt, ctx.workspace.timezone)}${payment.status === 'scheduled' ? '' : ` (${payment.status})`}`,
            String(payment._id),
          ),
        );
    }
    case 'content': {
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
