import { METRICS, UserFacingError, formatShortDate, type DomainError } from '../src/core';
import type { CollaborationProblem, CreatorRef, DomainErrorCode, DomainErrors } from '../src/domain/errors';
import { describeManagers } from './payment-managers';

/**
 * The words for every refusal of the domain (src/domain/errors.ts lists the codes): the message,
 * and per-field notes a Slack modal shows inline. The command router calls `explain` on every
 * DomainError a command lets through.
 */
type Words<P> = (params: P) => string | { message: string; fields: Record<string, string> };

const WORDS: { [C in DomainErrorCode]: Words<DomainErrors[C]> } = {
  'workspace.not-set-up': () => 'This workspace is not set up yet. Run any command once, then try again.',

  'content.url-not-http': () => ({ message: 'url must be a web link starting with http:// or https://', fields: { url: 'http(s) only' } }),
  'content.published-in-future': (p) => ({ message: `published ${p.published} is in the future; log content once it is out.`, fields: { published: 'in the future' } }),
  'content.unknown-metric': (p) => `Unknown metric ${p.metrics.join(', ')}. Metrics: ${METRICS.join(', ')}.`,
  'content.negative-metric': (p) => ({
    message: p.metrics.map((metric) => `${metric} cannot be negative`).join('\n'),
    fields: Object.fromEntries(p.metrics.map((metric) => [metric, 'cannot be negative'])),
  }),
  'content.no-metric': () => `Give at least one metric, like reach:12000 likes:800. Metrics: ${METRICS.join(', ')}.`,
  'content.link-in-several': (p) =>
    `That link is logged in several collaborations. Say which one:\n${p.candidates.map((c) => `• ${c.type} for ${c.title ?? '?'} · id ${c.id}`).join('\n')}`,
  'content.not-found': (p) => `No content matches "${p.typed}". Use its id or link; \`/content list <who or collab>\` shows them.`,
  'content.collaboration-closed': (p) => {
    const closed = p.closedDay ? ` (closed ${formatShortDate(p.closedDay)})` : '';
    const who = p.creator ? ` ${p.creator}` : '';
    return {
      message: `${p.title} is ${p.status}${closed}, so no content can be logged on it. Pick an active one (\`/collab list active${who}\`) or start a new one (\`/collab new${p.creator ? who : ' <who>'}\`).`,
      fields: { collab: `is ${p.status}` },
    };
  },
  'content.edit-published-in-future': (p) => ({
    message: `published ${p.published} is in the future; a piece is published on or before today (${p.today}).`,
    fields: { published: 'in the future' },
  }),
  'content.removed-meanwhile': (p) => `That ${p.type} was removed meanwhile: \`/content list\` shows what is there now.`,
  'content.removed-already': (p) => `That ${p.type} was removed already: \`/content list\` shows what is there now.`,
  'content.removal-unfinished': (p) => `That ${p.type} is being removed (its removal was cut short), so it is not changed: \`/content remove ${p.id} <reason>\` finishes the removal.`,
  'content.changed-meanwhile': (p) => `That ${p.type} was changed by someone else just now, so nothing was changed: \`/content list\` shows it as it is now; try again if it still needs it.`,
  'content.not-published': (p) => ({
    message: `That ${p.type} is ${p.status}, not published: planned items change with \`/collab deliverable <collab>\`.`,
    fields: { content: `is ${p.status}` },
  }),
  'content.already-logged': (p) => ({
    message: `That link is already logged for ${p.title}: the ${p.type}${p.publishedDay ? `, published ${formatShortDate(p.publishedDay)}` : ''} (content id ${p.id}).`,
    fields: { url: 'already logged' },
  }),

  'collaboration.creator-elsewhere': () => 'That creator belongs to another workspace.',
  'collaboration.not-found': (p) => `No collaboration matches "${p.typed}". \`/collab list all\` shows them; use a title, a creator or an id.`,
  'collaboration.ambiguous': (p) => {
    const why = p.why;
    const lead =
      why.kind === 'active'
        ? `${why.name ?? `"${why.typed}"`} has ${why.count} active collaborations`
        : `Several collaborations ${why.kind === 'called' ? 'are called' : 'match'} "${why.typed}"`;
    const lines = p.candidates.map((c) => `• ${c.title}${c.creator ? ` with ${c.creator}` : ''}${c.status === 'active' ? '' : ` (${c.status})`} · id ${c.id}`);
    return `${lead}. Say which one:\n${lines.join('\n')}`;
  },
  'collaboration.none-active': (p) =>
    `${p.name ?? `"${p.typed}"`} has no active collaboration. Start one with \`/collab new ${p.typed}\`, or see past ones with \`/collab list all ${p.typed}\`.`,
  'collaboration.gone': (p) => `${p.title} no longer exists.`,
  'collaboration.creator-gone': () => 'The creator of this collaboration no longer exists.',
  'collaboration.already-closed': (p) => `${p.title} is already ${p.status}.`,
  'collaboration.closed-meanwhile': (p) => `${p.title} was closed a moment ago by someone else.`,
  'collaboration.changed-meanwhile': (p) => `${p.title} was changed a moment ago by someone else: nothing was saved. Run the edit again.`,
  'collaboration.invalid': (p) => {
    const said = p.problems.map((problem) => ({ field: problem.field, words: collaborationProblem(problem) }));
    const fields: Record<string, string> = {};
    for (const { field, words } of said) fields[field] = fields[field] && fields[field] !== words ? `${fields[field]}; ${words}` : words;
    return { message: [...new Set(said.map((s) => s.words))].join('\n'), fields };
  },
  'collaboration.currency-with-revenue': (p) => ({
    message:
      `currency stays ${p.from}: revenue is already recorded on ${p.title} in ${p.from}, and amounts are never converted (it would read as ${p.to}). ` +
      'Start a new collaboration in the other currency, or remove the pieces with revenue first (`/content remove`).',
    fields: { currency: `revenue is recorded in ${p.from}` },
  }),

  'influencer.not-found': (p) => `No creator matches "${p.typed}". Try \`/influencer find ${p.typed}\` to search by name, handle or tag.`,
  'influencer.ambiguous': (p) => `Several creators match "${p.typed}". Say which one:\n${p.creators.map((c) => `• ${creator(c)}`).join('\n')}`,
  'influencer.archived-match': (p) => {
    const restore = p.creators.length === 1 ? p.creators[0]!.id : '<id>';
    return `"${p.typed}" is archived:\n${p.creators.map((c) => `• ${creator(c)}`).join('\n')}\n\`/influencer restore ${restore}\` brings them back; \`/influencer show ${restore}\` shows the card.`;
  },
  'influencer.archived': (p) => `${p.name} is archived. \`/influencer restore ${p.id}\` brings them back.`,
  'influencer.required': (p) => ({ message: `${p.field} is required: it cannot be cleared`, fields: { [p.field]: 'required' } }),
  'influencer.handle-taken': (p) => ({
    message: `${p.handles.join(', ')} already belongs to ${creator(p.owner)}.${p.owner.archived ? ` \`/influencer restore ${p.owner.id}\` brings them back.` : ''}`,
    fields: { handle: 'already taken' },
  }),

  'payment.not-found': (p) => `No payment with id "${p.typed}" here. \`/payment list\` shows each payment's id.`,
  'payment.not-paid': (p) => `This payment is ${p.status}, not paid, so there is nothing to reopen.`,
  'payment.currency-without-amount': (p) => ({
    message: `Changing the currency from ${p.from} to ${p.to} needs the new amount too: give \`amount:\` in ${p.to} with \`currency:${p.to}\`. Amounts are never converted between currencies.`,
    fields: { amount: `needed in ${p.to} when the currency changes`, currency: 'changes only together with amount:' },
  }),
  'payment.commission-currency': (p) => ({
    message: `A commission payment stays in ${p.currency}: it is a share of the revenue recorded in ${p.currency}. Change its amount, or cancel it and add a payment in another currency with \`/payment add\`.`,
    fields: { currency: `stays ${p.currency} on a commission payment` },
  }),
  'payment.not-scheduled': (p) =>
    `This payment is ${p.status === 'scheduled' ? 'changing right now' : p.status}, so I cannot ${{ pay: 'mark it paid', cancel: 'cancel it', edit: 'change it' }[p.action]}.`,
  'payment.not-a-manager': (p) => {
    const who = p.managers.length === 0 ? 'workspace admins (no payment managers are named yet)' : `the payment managers: ${describeManagers(p.managers, p.platform)}`;
    const what = { pay: 'mark payments paid', reopen: 'reopen payments', cancel: 'cancel payments', edit: 'change payments', terms: 'change compensation terms or planned payments' }[p.action];
    return `Sorry, only ${who} can ${what}. Nothing was changed. Ask one of them, or an admin can change this with \`/irm settings managers:@you\`.`;
  },

  'checklist.collaboration-closed': (p) => `${p.title} is ${p.status}: nothing more can be planned.`,
  'checklist.due-before-start': (p) => ({ message: `due ${p.due} is before the collaboration starts (${p.start}).`, fields: { due: 'before the start' } }),
  'checklist.due-after-end': (p) => ({ message: `due ${p.due} is after the collaboration ends (${p.end}).`, fields: { due: 'after the end' } }),
  'checklist.no-such-item': (p) => `No deliverable "${p.typed}" in ${p.title}. \`/collab deliverable ${p.collaborationId}\` lists them.`,
  'checklist.not-planned': (p) => `That ${p.type} is ${p.status}; only planned items can be cancelled.`,
  'checklist.no-open-item': (p) => `No open ${p.type} is planned in ${p.month} for ${p.title}.`,
  'checklist.item-changed': () => 'That item changed a moment ago; list the deliverables again.',
};

/** One problem with a collaboration's terms, naming the field and what is accepted. */
function collaborationProblem(problem: CollaborationProblem): string {
  switch (problem.code) {
    case 'end-before-start':
      return `end (${problem.end}) is before start (${problem.start})`;
    case 'negative-count':
      return 'expected content counts cannot be negative';
    case 'negative-fee':
      return 'fee cannot be negative';
    case 'negative-net':
      return 'net cannot be negative';
    case 'commission-range':
      return 'commission is a percentage from 0 to 100';
    case 'reporting-day-range':
      return 'reporting-day is a day of the month from 1 to 28';
    case 'fee-for-new-currency':
      return `fee is needed in ${problem.to} when the currency changes from ${problem.from}: give fee: with currency:${problem.to}. Amounts are never converted between currencies`;
    case 'product-only-with-fee':
      return problem.field === 'product-only'
        ? 'product-only:yes leaves no fee: clear the fee too (fee:-)'
        : 'fee and product-only:yes do not go together: set product-only:no with the fee';
    case 'fee-for-schedule':
      return `fee is needed with schedule:${problem.schedule}, like fee:1500`;
  }
}

/** `Zoë Tran (@zoe.creates) · id 65f…`, `(archived)` when archived. */
const creator = (c: CreatorRef): string => `${c.name}${c.handle ? ` (@${c.handle})` : ''}${c.archived ? ' (archived)' : ''} · id ${c.id}`;

export function explain(error: DomainError): UserFacingError {
  const words = (WORDS as Record<string, Words<unknown> | undefined>)[error.code];
  if (!words) throw new Error(`No words for the domain error ${error.code}`, { cause: error });
  const said = words(error.params);
  return typeof said === 'string' ? new UserFacingError(said) : new UserFacingError(said.message, said.fields);
}
