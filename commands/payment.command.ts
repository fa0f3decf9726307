import { DATE_RULE } from '../src/core';
import { MONEY_RULE } from './money.schema';
import { z } from 'zod';
import { suggestReferences } from './suggest';
import {
  UserFacingError,
  actions,
  atLocalTime,
  button,
  DATE_FORMS,
  dateArg,
  dayOf,
  formatLongDate,
  item,
  type ItemBlock,
  pageButtons,
  splitLeadingDate,
  todayOf,
  context,
  defineCommand,
  mention,
  oneOf,
  optional,
  para,
  reply,
  requiredText,
  subcommand,
  text,
  textField,
  type CommandContext,
  clearable,
  wholeNumber,
} from '../src/core';
import { formatMoney, formatMoneyList } from '../src/domain/money';
import { daysLate, daysUntilDue, paidOnTime } from '../src/domain/payment/payment-rules';
import { literal, localDay } from '../src/core';
import type { Payment, PaymentView } from '../src/domain/payment/payment-views';
import { currencyCode as currency, moneyText, readMoney, refineMoney } from './money.schema';
import { yesNo } from './collab.schema';
import { MISSING_TERM, cancelWhy, paidFor, payee, paymentReply } from './payment.view';
import { paymentFor } from './payment-label';
import { HISTORY_PAGE_SIZE } from './collab.history';
import { currencyOf, type Collaboration } from '../src/domain/collaboration/collaboration.service';


/**
 * Payments on a page of `/payment list`, each line with its Show button: Slack puts it beside the line
 * (12 blocks with the page buttons, of 50), Discord labels each with its payment (two rows of five,
 * a third for Previous/Next, of 5 rows) and the page's lines fit one message (see BRIEF).
 */
const LIST_PAGE_SIZE = 10;
/**
 * In a list line, what people typed is cut with an ellipsis to this many UTF-16 units (never
 * inside a character): names, titles, labels and references to BRIEF, reasons to BRIEF_REASON (the
 * bot's own cancel reasons are the view's words, never cut). So a page of ten fits a Discord message (4,096) whatever was typed,
 * at most about 340 a line; `/payment show` gives everything whole.
 */
const BRIEF = 40;
const BRIEF_REASON = 90;

const amount = moneyText('amount');
const paymentId = requiredText('payment', 40);

const day = (at: Date, ctx: CommandContext) => localDay(at, ctx.workspace.timezone);

/** Typed text cut to `max` UTF-16 units, an ellipsis saying so; whole characters only. */
function brief(value: string, max = BRIEF): string {
  if (value.length <= max) return literal(value);
  let kept = '';
  for (const char of value) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return literal(`${kept}…`);
}

/** `typed` prints what people typed: whole (`/payment show`) or cut (a list line, given the longest it may be). */
function status(payment: Payment, ctx: CommandContext, typed: (value: string, max: number) => string = literal): string {
  const tz = ctx.workspace.timezone;
  if (payment.status === 'paid') {
    return `paid ${payment.paidAt ? day(payment.paidAt, ctx) : ''} (${paidOnTime(payment, tz) ? 'on time' : 'late'})${payment.reference ? ` · ref ${typed(payment.reference, BRIEF)}` : ''}`;
  }
  if (payment.status === 'cancelled') {
    const why = cancelWhy(payment, typed, BRIEF_REASON);
    return `cancelled${why ? `: ${why}` : ''}`;
  }
  return `${whenDue(payment, ctx)}${payment.reopenReason ? ` (reopened: ${typed(payment.reopenReason, BRIEF_REASON)})` : ''}`;
}

function whenDue(payment: Payment, ctx: CommandContext): string {
  const tz = ctx.workspace.timezone;
  const late = daysLate(payment, ctx.now, tz);
  if (late > 0) return `*${late} day${late === 1 ? '' : 's'} late*`;
  const until = daysUntilDue(payment, ctx.now, tz);
  return until === 0 ? 'due today' : until === 1 ? 'due tomorrow' : `due in ${until} days`;
}

/** A line of `/payment list`, with its Show button (the id stays on the line, to type into other commands). */
function line(payment: PaymentView, ctx: CommandContext): ItemBlock {
  const id = String(payment._id);
  const what = paymentFor(payment, brief, BRIEF);
  return item(
    `• *${brief(payee(payment))}* · ${brief(paidFor(payment))}${what ? ` (${what})` : ''} · ${formatMoney(payment)} · due ${day(payment.dueAt, ctx)} · ${status(payment, ctx, brief)} · owner ${mention(payment.ownerId)} · id ${id}`,
    `${payee(payment)} · ${formatMoney(payment)} · due ${day(payment.dueAt, ctx)}`,
    button('Show', `payment show ${id}`),
  );
}

/** `2026-11-20` as the instant a payment was made: noon local keeps the day whatever the offset. */
function paidAtFor(date: string | undefined, ctx: CommandContext): Date {
  if (!date || date === todayOf(ctx)) return ctx.now;
  return atLocalTime(date, '12:00', ctx.workspace.timezone);
}

/** A payment in another currency than its collaboration's is refused unless confirmed: its totals and cost would be split. */
function refuseCurrencyMismatch(collaboration: Collaboration, currency: string, confirmed: boolean | undefined): void {
  const expected = currencyOf(collaboration);
  if (currency === expected || confirmed) return;
  const message = `${literal(collaboration.title)} is in ${expected}, this payment in ${currency}. Give the amount in ${expected}, or add currency-mismatch:yes to keep ${currency} (its totals stay apart from ${expected}, never converted).`;
  throw new UserFacingError(message, { currency: `differs from the collaboration's ${expected}; add currency-mismatch:yes to keep it` });
}

export default defineCommand({
  name: 'payment',
  description: 'What we owe creators and when: add, schedule from terms, mark paid, list what is due or late.',
  notes: [MONEY_RULE, DATE_RULE],
  // Discord autocomplete for the record options (who, collab, payment).
  suggest: suggestReferences,
  subcommands: {
    add: subcommand({
      decidesDays: true,
      description: 'Add a payment to a collaboration: amount, ISO currency and due date.',
      positional: ['collab', 'amount', 'currency', 'due'],
      // `due` takes the rest: `in 3 days`, `Dec 10` and `28 November 2026` need no quotes.
      restIsLastPositional: true,
      input: z
        .object({
          collab: requiredText('collab'),
          amount,
          currency,
          due: dateArg('due'),
          label: optional(textField('label', 200)),
          'currency-mismatch': optional(yesNo('currency-mismatch').describe("yes: add it in a currency other than the collaboration's")),
        })
        .superRefine(refineMoney('amount', 'currency', { positive: true })),
      examples: ['/payment add', '/payment add "Spring launch" 1500 USD 2026-12-01', '/payment add @zoe.creates 1,250.50 EUR 2026-12-15 label:"Extra story"'],
      form: (args, ctx) =>
        Object.keys(args).length === 0
          ? {
              kind: 'form',
              title: 'Add a payment',
              submitLabel: 'Add',
              fields: [
                { name: 'collab', label: 'Collaboration (title, creator or id)', kind: 'text', required: true },
                { name: 'amount', label: 'Amount', kind: 'text', required: true, placeholder: '1500.00' },
                { name: 'currency', label: 'Currency (ISO code)', kind: 'text', required: true, initial: ctx.workspace.currency },
                { name: 'due', label: 'Due date', kind: 'date', required: true },
                { name: 'label', label: 'What it is for', kind: 'text', placeholder: 'Extra story' },
              ],
              submit: { command: 'payment', subcommand: 'add', args: {} },
            }
          : undefined,
      async run(input, ctx) {
        const collaboration = await ctx.services.collaborations.resolve(ctx.workspace.id, input.collab);
        const money = readMoney('amount', input.amount, input.currency, { positive: true });
        refuseCurrencyMismatch(collaboration, money.currency, input['currency-mismatch']);
        const due = dayOf(input.due, ctx);
        const payment = await ctx.services.paymentStates.add(
          ctx.workspace,
          { collaboration, amountMinor: money.amountMinor, currency: money.currency, dueOn: due, label: input.label },
          ctx.actor.id,
        );
        const id = String(payment._id);
        return reply([
          para(`Added ${formatMoney(payment)} for *${literal(collaboration.title)}*, due ${due}.`),
          actions(button('Mark paid', `payment paid ${id}`, 'primary'), button('List what is due', 'payment list due')),
          context(`id ${id}`),
        ]);
      },
    }),

    paid: subcommand({
      decidesDays: true,
      description: 'Mark a payment paid, optionally on a date (default today) with a reference. Payment managers only.',
      positional: ['payment', 'date', 'reference'],
      restIsLastPositional: 'text',
      input: z.object({
        payment: paymentId,
        date: optional(textField('date', 200).describe('Day paid, not in the future: today, yesterday, Nov 28, 2026-11-28 or 28/11/2026 (default today)')),
        reference: optional(textField('reference', 200).describe('Transfer or invoice reference, like INV-2026-118')),
      }),
      examples: ['/payment paid 65f0c0ffee0000000000abcd', '/payment paid 65f0c0ffee0000000000abcd 2026-11-20 INV-2026-118', '/payment paid 65f0c0ffee0000000000abcd yesterday wire 4411'],
      async run(input, ctx) {
        await ctx.services.paymentManagers.require(ctx.workspace, ctx.actor, 'pay');
        // `paid <id> 30/11/2026 INV-881`, `paid <id> Nov 28`, `paid <id> INV-118`: a leading date is the
        // day paid, the rest the reference; a date-shaped word is never stored as a reference.
        const split = splitLeadingDate([input.date, input.reference].filter(Boolean).join(' '));
        if (!split.ok) {
          const message =
            split.error.code === 'date-in-text'
              ? `"${split.text}" looks like a date, so it is not kept as a reference. Give the date first: /payment paid ${input.payment} <date> <reference>`
              : split.error.code === 'ambiguous'
                ? `date: "${split.text}" could be ${formatLongDate(split.error.readings[0])} or ${formatLongDate(split.error.readings[1])}: type ${split.error.readings[0]} or ${split.error.readings[1]}`
                : split.error.code === 'impossible'
                  ? `date: "${split.text}" is not a day on the calendar`
                  : `date must be a date like ${DATE_FORMS}`;
          throw new UserFacingError(message, { [split.error.code === 'date-in-text' ? 'reference' : 'date']: message });
        }
        const date = split.date ? dayOf(split.date, ctx) : undefined;
        const reference = split.rest || undefined;
        if (date && date > todayOf(ctx)) {
          throw new UserFacingError('date cannot be in the future: mark it paid once it is.', { date: 'cannot be in the future' });
        }
        const payment = await ctx.services.paymentStates.get(ctx.workspace.id, input.payment);
        const paid = await ctx.services.paymentStates.markPaid(ctx.workspace, payment, { paidAt: paidAtFor(date, ctx), reference }, ctx.actor.id);
        const onTime = paidOnTime(paid, ctx.workspace.timezone);
        return reply([
          para(`Marked ${formatMoney(paid)} paid on ${day(paid.paidAt!, ctx)}${onTime ? ', on time' : `, after its due date ${day(paid.dueAt, ctx)}`}.${reference ? ` Reference: ${literal(reference)}.` : ''}`),
          context(`id ${String(paid._id)} · by ${mention(ctx.actor.id)}`),
        ]);
      },
    }),

    list: subcommand({
      description: `Payments: \`due\` (everything unpaid, the default), \`late\` or \`all\`, optionally for one creator, with totals owed per currency; ${LIST_PAGE_SIZE} a page (\`page:2\` for the next), each with a Show button for its details and history.`,
      positional: ['filter', 'who'],
      restIsLastPositional: true,
      input: z.object({
        filter: optional(oneOf('filter', ['due', 'late', 'all'] as const)),
        who: optional(requiredText('who')),
        page: optional(wholeNumber('page', { min: 1, minMessage: 'page starts at 1' })),
      }),
      examples: ['/payment list', '/payment list late', '/payment list all @zoe.creates', '/payment list all page:2'],
      async run({ filter = 'due', who, page = 1 }, ctx) {
        const creator = who ? await ctx.services.influencers.resolve(ctx.workspace.id, who) : undefined;
        const { items, total, owed } = await ctx.services.paymentReports.list(ctx.workspace, {
          filter,
          influencerId: creator ? String(creator._id) : undefined,
          limit: LIST_PAGE_SIZE,
          skip: (page - 1) * LIST_PAGE_SIZE,
        });
        const scope = `${filter === 'due' ? 'unpaid' : filter === 'late' ? 'late' : ''} payment${total === 1 ? '' : 's'}${creator ? ` for ${literal(creator.name)}` : ''}`.trim();
        if (total === 0) return text(`No ${scope}.${filter !== 'all' ? ' `/payment list all` includes paid and cancelled ones.' : ''}`);
        const pages = Math.ceil(total / LIST_PAGE_SIZE);
        // The creator by id: the page buttons run back whatever was typed to name them.
        const more = (to: number) => `payment list ${filter}${creator ? ` ${String(creator._id)}` : ''} page:${to}`;
        return reply([
          para(`${total} ${scope}${pages > 1 ? ` · page ${page} of ${pages}` : ''}:`),
          ...(items.length ? items.map((p) => line(p, ctx)) : [para('No payments on this page.')]),
          // A text block, not a context one: Discord then shows the page as lines, not an embed of paragraphs.
          para(`Owed: ${formatMoneyList(owed)}${owed.length > 1 ? ' (each currency on its own, never added together)' : ''}`),
          ...(pages > 1 ? [actions(...pageButtons(page, pages, more))] : []),
        ]);
      },
    }),

    show: subcommand({
      description: "One payment: its collaboration, creator, amount, due day, status, who added, paid, reopened or cancelled it, and its history newest first, ten a page (`page:2` for older).",
      positional: ['payment'],
      input: z.object({
        payment: paymentId,
        page: optional(wholeNumber('page', { min: 1, minMessage: 'page starts at 1' })),
      }),
      examples: ['/payment show 65f0c0ffee0000000000abcd', '/payment show 65f0c0ffee0000000000abcd page:2'],
      async run({ payment: ref, page = 1 }, ctx) {
        const payment = await ctx.services.paymentStates.get(ctx.workspace.id, ref);
        const record = await ctx.services.paymentHistory.of(payment, { page, pageSize: HISTORY_PAGE_SIZE });
        return paymentReply(record, page, status(record.payment, ctx), ctx);
      },
    }),

    reopen: subcommand({
      // Its history keeps the paid day as a calendar day in the workspace's timezone.
      decidesDays: true,
      description: 'Turn a payment marked paid by mistake back to scheduled, with a reason kept in its history. Payment managers only.',
      positional: ['payment', 'reason'],
      // The reason as typed, quotes included, as Discord stores it.
      restIsLastPositional: 'text',
      input: z.object({ payment: paymentId, reason: requiredText('reason', 500) }),
      examples: ['/payment reopen 65f0c0ffee0000000000abcd Marked paid on the wrong instalment'],
      async run({ payment: ref, reason }, ctx) {
        await ctx.services.paymentManagers.require(ctx.workspace, ctx.actor, 'reopen');
        const payment = await ctx.services.paymentStates.get(ctx.workspace.id, ref);
        const reopened = await ctx.services.paymentStates.reopen(ctx.workspace, payment, reason, ctx.actor.id);
        const id = String(reopened._id);
        return reply([
          para(`Reopened ${formatMoney(reopened)} due ${day(reopened.dueAt, ctx)}: scheduled again, ${whenDue(reopened, ctx)}. Reason: ${literal(reason)}`),
          actions(button('Mark paid', `payment paid ${id}`, 'primary')),
          context(`id ${id} · was paid ${payment.paidAt ? day(payment.paidAt, ctx) : ''}${payment.reference ? ` (ref ${literal(payment.reference)})` : ''} · reopened by ${mention(ctx.actor.id)}`),
        ]);
      },
    }),

    cancel: subcommand({
      description: 'Cancel an unpaid payment, with a reason. Payment managers only.',
      positional: ['payment', 'reason'],
      // The reason as typed, quotes included, as Discord stores it.
      restIsLastPositional: 'text',
      input: z.object({ payment: paymentId, reason: requiredText('reason', 500) }),
      examples: ['/payment cancel 65f0c0ffee0000000000abcd Deliverable dropped by mutual agreement'],
      async run({ payment: ref, reason }, ctx) {
        await ctx.services.paymentManagers.require(ctx.workspace, ctx.actor, 'cancel');
        const payment = await ctx.services.paymentStates.get(ctx.workspace.id, ref);
        const cancelled = await ctx.services.paymentStates.cancel(payment, reason, ctx.actor.id);
        return text(`Cancelled ${formatMoney(cancelled)} due ${day(cancelled.dueAt, ctx)}: ${literal(reason)}`);
      },
    }),

    edit: subcommand({
      decidesDays: true,
      description:
        'Change an unpaid payment: amount, currency (with amount), due date or label (`label:-` clears a typed one: a planned payment shows its own name again). Payment managers only. ' +
        'What you change stays when the terms or the revenue are recomputed; on a commission payment a new amount is a correction kept on top of the commission: later revenue adds or removes only its difference.',
      positional: ['payment'],
      input: z
        .object({
          payment: paymentId,
          amount: optional(amount),
          currency: optional(currency),
          due: optional(dateArg('due')),
          label: clearable(textField('label', 200).describe('What it is for; - clears what was typed, so a planned payment shows its own name again')),
          'currency-mismatch': optional(yesNo('currency-mismatch').describe("yes: change to a currency other than the collaboration's")),
        })
        .superRefine(refineMoney('amount', 'currency', { positive: true }))
        .superRefine((value, refine) => {
          if (value.amount === undefined && value.currency === undefined && value.due === undefined && value.label === undefined) {
            refine.addIssue({ code: 'custom', path: ['payment'], message: 'say what to change: amount:, currency:, due: or label:' });
          }
        }),
      examples: ['/payment edit 65f0c0ffee0000000000abcd due:2026-12-15', '/payment edit 65f0c0ffee0000000000abcd currency:EUR amount:1800'],
      async run(input, ctx) {
        await ctx.services.paymentManagers.require(ctx.workspace, ctx.actor, 'edit');
        const payment = await ctx.services.paymentStates.get(ctx.workspace.id, input.payment);
        const inCurrency = input.currency ?? payment.currency;
        if (input.currency !== undefined && input.currency !== payment.currency && input.amount !== undefined) {
          const collaboration = await ctx.services.collaborations.get(ctx.workspace.id, payment.collaborationId);
          if (collaboration) refuseCurrencyMismatch(collaboration, input.currency, input['currency-mismatch']);
        }
        const amountMinor = input.amount !== undefined ? readMoney('amount', input.amount, inCurrency, { positive: true }).amountMinor : undefined;
        const edited = await ctx.services.paymentStates.edit(
          ctx.workspace,
          payment,
          { amountMinor, currency: input.currency, dueOn: input.due ? dayOf(input.due, ctx) : undefined, label: input.label },
          ctx.actor.id,
        );
        const what = paymentFor(edited);
        return text(`Saved: ${formatMoney(edited)} due ${day(edited.dueAt, ctx)}${what ? ` (${what})` : ''}.`);
      },
    }),

    schedule: subcommand({
      decidesDays: true,
      description:
        "Create the payments a collaboration's terms call for (once, monthly or per deliverable, and the commission on recorded revenue). Running it again adds only what is missing.",
      positional: ['collab'],
      restIsLastPositional: true,
      input: z.object({ collab: requiredText('collab') }),
      examples: ['/payment schedule "Spring launch"', '/payment schedule @zoe.creates'],
      async run({ collab }, ctx) {
        const collaboration = await ctx.services.collaborations.resolve(ctx.workspace.id, collab);
        const { created, existing, missing } = await ctx.services.paymentPlanning.generateSchedule(ctx.workspace, collaboration, ctx.actor.id);
        const paysCommission = (collaboration.compensation?.commissionPct ?? 0) > 0;
        if (missing.length > 0 && !paysCommission) {
          return text(`I cannot plan payments for *${literal(collaboration.title)}*: its terms need ${missing.map((term) => MISSING_TERM[term]).join(', ')}. Add them to the collaboration, or add payments by hand with \`/payment add\`.`);
        }
        if (created.length === 0) {
          return text(
            existing > 0
              ? `Nothing new for *${literal(collaboration.title)}*: its ${existing} planned payment${existing === 1 ? ' exists' : 's exist'} already (edits and payments kept).`
              : `Nothing to plan for *${literal(collaboration.title)}* yet (no published deliverable, no reporting day reached${paysCommission ? ', or no revenue recorded for its commission' : ''}).`,
          );
        }
        const lines = created.map((p) => `• ${paymentFor(p) ?? 'Payment'} · ${formatMoney(p)} · due ${day(p.dueAt, ctx)} · id ${String(p._id)}`);
        return reply([
          para(`Planned ${created.length} payment${created.length === 1 ? '' : 's'} for *${literal(collaboration.title)}*${existing ? ` (${existing} already existed)` : ''}:`),
          para(lines.join('\n')),
          actions(button('List what is due', 'payment list due')),
        ]);
      },
    }),
  },
});
