import { DATE_RULE } from '../src/core';
import { defaultContentCadence } from '../src/domain/content/checklist-rules';
import { MONEY_RULE } from './money.schema';
import { suggestReferences } from './suggest';
import {
  onlyKeys,
  selectOptions,
  COLLAB_TYPES,
  CONTENT_TYPES,
  GOALS,
  PAYMENT_SCHEDULES,
  CONTENT_CADENCES,
  UserFacingError,
  actions,
  button,
  context,
  defineCommand,
  header,
  mention,
  para,
  reply,
  subcommand,
  text,
  type CommandContext,
  type Form,
  type FormField,
} from '../src/core';
import { contentTypeOf } from '../src/core';
import { deliveredVsExpected, expectedIn } from '../src/domain/content/checklist-rules';
import { formatProgress } from './content.view';
import { literal, type DateInput, addMonthsToMonth, dayOf, formatDayOf, formatMonth, lastOfMonth, localMonth, startOfLocalDay, todayOf } from '../src/core';
import { type Brief, type Collaboration } from '../src/domain/collaboration/collaboration.service';
import {
  BRIEF_ARGS,
  briefInput,
  closeInput,
  deliverableInput,
  editInput,
  listInput,
  newInput,
  showInput,
} from './collab.schema';
import { readMoney } from './money.schema';
import { namesOneCollab, namesOneCreator } from './names-one';
import { briefMessage, checklistLine, collabCard, createdReply, editFormFields, editedReply, listedProgress } from './collab.view';
import { describeChanges, HISTORY_PAGE_SIZE, historyReply } from './collab.history';
import { DEFAULT_NET_DAYS, DEFAULT_REPORTING_DAY, type CollaborationPatch } from '../src/domain/collaboration/collaboration-edit-rules';


/** Ordered by importance: Discord modals keep only the first five, the rest are typed options there. */
function newFormFields(): FormField[] {
  return [
    { name: 'title', label: 'Title or campaign', kind: 'text', required: true, placeholder: 'Spring launch' },
    { name: 'type', label: 'Type', kind: 'select', required: true, options: selectOptions(COLLAB_TYPES) },
    { name: 'goal', label: 'Goal', kind: 'select', required: true, options: selectOptions(GOALS), hint: 'awareness: reach · image: engagement · sales: revenue' },
    { name: 'expect', label: 'Content expected', kind: 'text', placeholder: 'post 2, story 4, video 1', hint: `types: ${CONTENT_TYPES.join(', ')}` },
    { name: 'fee', label: 'Fee (blank if none)', kind: 'text', placeholder: '1500, 1,499.99 or €1,500' },
    { name: 'currency', label: 'Currency (ISO code)', kind: 'text', placeholder: 'EUR' },
    { name: 'schedule', label: 'Fee schedule', kind: 'select', options: selectOptions(PAYMENT_SCHEDULES) },
    { name: 'content', label: 'Content due: once or monthly', kind: 'select', options: selectOptions(CONTENT_CADENCES), hint: 'blank: once with a fee paid once (schedule once), else monthly' },
    { name: 'net', label: 'Payment terms (net days)', kind: 'number', placeholder: '30' },
    { name: 'start', label: 'Start (blank = today)', kind: 'date' },
    { name: 'end', label: 'End (blank = ongoing)', kind: 'date' },
    ...briefFormFields(),
    { name: 'code', label: 'Discount code', kind: 'text', placeholder: 'ZOE15' },
    { name: 'link', label: 'Tracking link', kind: 'text', placeholder: 'https://shop.example.com/?ref=zoe' },
    { name: 'reporting-day', label: 'Reporting day of the month (1-28)', kind: 'number', placeholder: '1' },
    { name: 'commission', label: 'Commission % on sales', kind: 'text', placeholder: '10 or 7.5' },
    { name: 'product-only', label: 'Product only, no fee', kind: 'select', options: selectOptions(['no', 'yes']) },
  ];
}

/** Five fields: a Discord modal holds them all. */
function briefFormFields(brief: Brief = {}): FormField[] {
  return [
    { name: 'guidelines', label: 'Guidelines (link or text)', kind: 'multiline', initial: brief.guidelines ?? undefined },
    { name: 'key-messages', label: 'Key messages', kind: 'multiline', initial: brief.keyMessages ?? undefined },
    { name: 'cta', label: 'Call to action', kind: 'text', initial: brief.callToAction ?? undefined },
    { name: 'must-mention', label: 'Must mention', kind: 'text', initial: brief.mustMention ?? undefined },
    { name: 'must-avoid', label: 'Must avoid', kind: 'text', initial: brief.mustAvoid ?? undefined },
  ];
}


const resolveCollab = (ctx: CommandContext, ref: string): Promise<Collaboration> => ctx.services.collaborations.resolve(ctx.workspace.id, ref);

export default defineCommand({
  name: 'collab',
  description: 'Collaborations: the brief, the content expected each month, what was delivered, what it cost and how it performed.',
  notes: [MONEY_RULE, DATE_RULE],
  // Discord autocomplete for the record options (who, collab, payment).
  suggest: suggestReferences,
  subcommands: {
    new: subcommand({
      decidesDays: true,
      description: 'Start a collaboration with a creator. With only <who>, opens a form.',
      positional: ['who', 'title'],
      namesOne: namesOneCreator(),
      input: newInput,
      examples: [
        '/collab new @zoe.creates',
        '/collab new @zoe.creates "Spring launch" type:sponsored-post goal:awareness expect:"post 2, story 4" fee:1500 currency:EUR schedule:monthly net:30 reporting-day:5',
        '/collab new "Ana Lima" "Summer code" type:affiliate goal:sales code:ANA15 link:https://shop.example.com/?ref=ana commission:10 product-only:yes',
      ],
      async form(args, ctx): Promise<Form | undefined> {
        if (!onlyKeys(args, 'who')) return undefined;
        const record = typeof args.who === 'string' ? await ctx.services.influencers.resolve(ctx.workspace.id, args.who) : undefined;
        return {
          kind: 'form',
          title: record ? `Collaboration: ${record.name}`.slice(0, 24) : 'New collaboration',
          submitLabel: 'Start',
          fields: [...(record ? [] : [{ name: 'who', label: 'Creator (name, @handle or id)', kind: 'text' as const, required: true }]), ...newFormFields()],
          submit: { command: 'collab', subcommand: 'new', args: record ? { who: String(record._id) } : {} },
        };
      },
      async run(input, ctx) {
        const tz = ctx.workspace.timezone;
        const influencer = await ctx.services.influencers.resolve(ctx.workspace.id, input.who);
        const currency = input.currency ?? ctx.workspace.currency;
        const feeMinor = input.fee === undefined ? undefined : readMoney('fee', input.fee, currency).amountMinor;
        const startDay = input.start ? dayOf(input.start, ctx) : todayOf(ctx);
        const endDay = input.end ? dayOf(input.end, ctx) : undefined;
        if (endDay && endDay < startDay) throw new UserFacingError(`end (${endDay}) is before start (${startDay})`, { end: `is before start (${startDay})` });
        const start = startOfLocalDay(startDay, tz);
        const started = await ctx.services.collaborationStart.start(
          ctx.workspace,
          influencer,
          {
            title: input.title,
            type: input.type,
            goal: input.goal,
            // Late-payment pings and nudges go to the owner: by default whoever owns the creator, not whoever typed.
            ownerId: input.owner ?? influencer.ownerId,
            start,
            ...(endDay ? { end: startOfLocalDay(endDay, tz) } : {}),
            brief: briefOf(input),
            expectedPerMonth: input.expect ?? [],
            contentCadence: input.content ?? defaultContentCadence(input.schedule),
            compensation: {
              ...(feeMinor !== undefined ? { feeMinor } : {}),
              currency,
              ...(input.schedule || feeMinor ? { schedule: input.schedule ?? 'once' } : {}),
              ...(input.net !== undefined ? { netDays: input.net } : {}),
              ...(input.commission !== undefined ? { commissionPct: input.commission } : {}),
              ...(input['product-only'] !== undefined ? { productOnly: input['product-only'] } : {}),
            },
            discountCode: input.code,
            trackingLink: input.link,
            reportingDay: input['reporting-day'],
          },
          ctx.actor.id,
          ctx.now,
        );
        if (started.payments && 'failed' in started.payments) {
          ctx.logger.error(
            { err: started.payments.error, collaboration: String(started.collaboration._id) },
            'collab new: the collaboration started but its payments could not be planned',
          );
        }
        return createdReply(started, influencer, ctx, started.payments);
      },
    }),

    show: subcommand({
      description:
        "A collaboration's brief, this month's delivered vs expected, results, committed and paid cost (per currency) and the efficiency on committed cost; month:YYYY-MM for one month's; `history` its changes, newest first, ten a page (`page:2` for older).",
      positional: ['collab', 'view'],
      namesOne: namesOneCollab,
      input: showInput,
      examples: ['/collab show "Spring launch"', '/collab show @zoe.creates', '/collab show "Spring launch" month:2026-11', '/collab show "Spring launch" history', '/collab show "Spring launch" history page:2'],
      async run({ collab, month, view, page = 1 }, ctx) {
        const collaboration = await resolveCollab(ctx, collab);
        if (view === 'history') return historyReply(collaboration, await ctx.services.collaborations.history(collaboration, { page, pageSize: HISTORY_PAGE_SIZE }), page, ctx);
        const { influencer, summary } = await ctx.services.collaborations.overview(collaboration, ctx.workspace.timezone, month);
        return collabCard(collaboration, influencer, summary, ctx);
      },
    }),

    edit: subcommand({
      decidesDays: true,
      description:
        'Change a collaboration: title, dates, type, goal, content expected and whether it is due once or monthly, compensation terms (fee, currency, schedule, net days, commission, product only), code, link, reporting day, owner. ' +
        'With only <collab>, opens the form prefilled (on Discord the form holds title, content per month, fee, currency and end; the others are options of /collab edit). ' +
        'A blank value or - clears a field (net days back to 30, reporting day back to the 1st). A new currency needs the fee in it: amounts are never converted. ' +
        "This month's open checklist and later ones, and unpaid planned payments, follow the new terms; published content and paid, cancelled or hand-added payments never change. " +
        'A planned payment keeps what was changed on it by hand with /payment edit (its amount, due day or label) and takes the rest from the terms: a new owner changes only its owner, a new fee only amounts not edited by hand, new net days, reporting day or start only due days not edited by hand. ' +
        'Retyping an edit that is already saved brings the checklist and planned payments in step with the terms if an earlier edit was cut short. ' +
        'Compensation terms, and edits that change the amount, currency or due day of a planned payment, cancel one or plan one, are for payment managers; a new owner alone is not.',
      positional: ['collab'],
      namesOne: namesOneCollab,
      input: editInput,
      examples: [
        '/collab edit "Spring launch"',
        '/collab edit "Spring launch" fee:2000 end:2027-03-31',
        '/collab edit @zoe.creates currency:USD fee:1600 schedule:monthly net:45',
        '/collab edit "Spring launch" expect:"post 3, reel 1" code:- title:"Spring launch 2027"',
      ],
      async form(args, ctx): Promise<Form | undefined> {
        if (!onlyKeys(args, 'collab') || typeof args.collab !== 'string') return undefined;
        const collaboration = await resolveCollab(ctx, args.collab);
        return {
          kind: 'form',
          title: `Edit ${collaboration.title}`.slice(0, 24),
          submitLabel: 'Save',
          fields: editFormFields(collaboration, ctx.workspace.timezone),
          submit: { command: 'collab', subcommand: 'edit', args: { collab: String(collaboration._id) } },
        };
      },
      async run(input, ctx) {
        const tz = ctx.workspace.timezone;
        const collaboration = await resolveCollab(ctx, input.collab);
        const terms = collaboration.compensation ?? {};
        const currency = input.currency ?? terms.currency ?? ctx.workspace.currency;
        const day = (value: DateInput) => startOfLocalDay(dayOf(value, ctx), tz);
        const given = <T, R extends object>(value: T | undefined, to: (v: T) => R): Partial<R> => (value === undefined ? {} : to(value));
        const patch: CollaborationPatch = {
          ...given(input.title, (title) => ({ title })),
          ...given(input.type, (type) => ({ type })),
          ...given(input.goal, (goal) => ({ goal })),
          ...given(input.owner, (ownerId) => ({ ownerId })),
          ...given(input.start, (start) => ({ start: day(start) })),
          ...given(input.end, (end) => ({ end: end === null ? null : day(end) })),
          ...given(input.expect, (expect) => ({ expectedPerMonth: expect ?? [] })),
          ...given(input.content, (contentCadence) => ({ contentCadence })),
          ...given(input.code, (discountCode) => ({ discountCode })),
          ...given(input.link, (trackingLink) => ({ trackingLink })),
          ...given(input['reporting-day'], (reportingDay) => ({ reportingDay: reportingDay ?? DEFAULT_REPORTING_DAY })),
          compensation: {
            ...given(input.fee, (fee) => ({ feeMinor: fee === null ? null : readMoney('fee', fee, currency).amountMinor })),
            ...given(input.currency, (code) => ({ currency: code })),
            ...given(input.schedule, (schedule) => ({ schedule })),
            ...given(input.net, (net) => ({ netDays: net ?? DEFAULT_NET_DAYS })),
            ...given(input.commission, (commissionPct) => ({ commissionPct })),
            ...given(input['product-only'], (productOnly) => ({ productOnly: productOnly ?? false })),
          },
        };
        const edited = await ctx.services.collaborationEdit.edit(ctx.workspace, collaboration, patch, ctx.actor.id, {
          money: () => ctx.services.paymentManagers.require(ctx.workspace, ctx.actor, 'terms'),
        });
        return editedReply(edited, ctx);
      },
    }),

    brief: subcommand({
      description: 'The onboarding brief to send the creator; `edit` opens it as a form, `sent` logs a briefing touchpoint.',
      positional: ['collab', 'action'],
      namesOne: namesOneCollab,
      input: briefInput,
      examples: [
        '/collab brief "Spring launch"',
        '/collab brief "Spring launch" edit',
        '/collab brief @zoe.creates cta:"Use code ZOE15" must-avoid:"competitor brands"',
        '/collab brief "Spring launch" sent',
      ],
      async form(args, ctx): Promise<Form | undefined> {
        if (args.action !== 'edit' || !onlyKeys(args, 'collab', 'action') || typeof args.collab !== 'string') return undefined;
        const collaboration = await resolveCollab(ctx, args.collab);
        return {
          kind: 'form',
          title: `Brief: ${collaboration.title}`.slice(0, 24),
          submitLabel: 'Save',
          fields: briefFormFields((collaboration.brief ?? {}) as Brief),
          submit: { command: 'collab', subcommand: 'brief', args: { collab: String(collaboration._id) } },
        };
      },
      async run(input, ctx) {
        let collaboration = await resolveCollab(ctx, input.collab);
        const id = String(collaboration._id);
        if (input.action === 'sent') {
          const summary = `Sent the onboarding brief for ${collaboration.title}`;
          const { influencer } = await ctx.services.collaborations.markBriefSent(collaboration, summary, ctx.actor.id);
          return reply([
            para(`Logged a briefing with *${literal(influencer.name)}*: ${literal(summary)}.`),
            actions(button('Show collaboration', `collab show ${id}`), button('Show card', `influencer show ${String(influencer._id)}`)),
          ]);
        }
        const patch = Object.fromEntries(
          Object.entries(BRIEF_ARGS)
            .filter(([arg]) => input[arg as keyof typeof BRIEF_ARGS] !== undefined)
            .map(([arg, field]) => [field, input[arg as keyof typeof BRIEF_ARGS]]),
        );
        const editing = Object.keys(patch).length > 0;
        const saved = editing ? await ctx.services.collaborations.updateBrief(collaboration, patch, ctx.actor.id) : undefined;
        if (saved) collaboration = saved.collaboration;
        const influencer = await ctx.services.collaborations.influencerOf(collaboration);
        return reply([
          ...(saved
            ? [
                para(
                  saved.changes.length > 0
                    ? `Saved the brief for *${literal(collaboration.title)}*: ${describeChanges(saved.changes, ctx.workspace.timezone)}.`
                    : `Nothing changed in the brief for *${literal(collaboration.title)}*: every value given is already in it.`,
                ),
              ]
            : []),
          header(`Onboarding brief for ${literal(influencer.name)}`),
          para(briefMessage(collaboration, influencer, ctx.workspace.timezone)),
          actions(
            button('Brief sent', `collab brief ${id} sent`, 'primary'),
            button('Edit brief', `collab brief ${id} edit`),
          ),
          context(collaboration.briefSentAt ? `Sent ${formatDayOf(collaboration.briefSentAt, ctx.workspace.timezone)} · id ${id}` : `Not sent yet · id ${id}`),
        ]);
      },
    }),

    deliverable: subcommand({
      decidesDays: true,
      description: "The monthly checklist: `list` (default, `month:2026-12`), `add <type> [due:YYYY-MM-DD]`, `cancel <id or type>`.",
      positional: ['collab', 'action', 'item'],
      namesOne: namesOneCollab,
      input: deliverableInput,
      examples: [
        '/collab deliverable "Spring launch"',
        '/collab deliverable "Spring launch" add story due:2026-11-28',
        '/collab deliverable @zoe.creates cancel story',
      ],
      async run(input, ctx) {
        const tz = ctx.workspace.timezone;
        const collaboration = await resolveCollab(ctx, input.collab);
        const id = String(collaboration._id);
        const service = ctx.services.content;
        const thisMonth = localMonth(ctx.now, tz);
        if (input.action === 'add') {
          const type = contentTypeOf(input.item!)!;
          const due = input.due ? dayOf(input.due, ctx) : lastOfMonth(input.month ?? thisMonth);
          const item = await service.addPlanned(collaboration, type, due, tz);
          return reply([
            para(`Added a ${type} to the checklist of *${literal(collaboration.title)}*, due ${formatDayOf(item.dueAt!, tz)}.`),
            actions(button('Deliverables', `collab deliverable ${id} month:${item.month}`)),
            context(`id ${String(item._id)}`),
          ]);
        }
        if (input.action === 'cancel') {
          const item = input.item!;
          const type = contentTypeOf(item);
          const cancelled = await service.cancelPlanned(collaboration, type ? { type, month: input.month ?? thisMonth } : { id: item });
          const due = cancelled.dueAt ? ` due ${formatDayOf(cancelled.dueAt, tz)}` : '';
          return reply([
            para(`Cancelled the ${cancelled.type}${due} of *${literal(collaboration.title)}*. It no longer counts as expected.`),
            actions(button('Deliverables', `collab deliverable ${id} month:${cancelled.month}`)),
          ]);
        }
        const month = input.month ?? thisMonth;
        const { items, overdue } = await service.checklist(collaboration, month);
        const progress = formatProgress(deliveredVsExpected(expectedIn(collaboration, month, tz), items));
        return reply([
          header(`${literal(collaboration.title)}: ${formatMonth(month)}`),
          para(`*Delivered vs expected:* ${progress}`),
          para(items.length ? items.map((item) => checklistLine(item, tz)).join('\n') : 'Nothing planned or logged this month.'),
          ...(overdue.length ? [para(`*Still open from earlier months:*\n${overdue.map((item) => checklistLine(item, tz)).join('\n')}`)] : []),
          actions(
            button('Log content', `content log ${id}`, 'primary'),
            button('Previous month', `collab deliverable ${id} month:${addMonthsToMonth(month, -1)}`),
            button('Next month', `collab deliverable ${id} month:${addMonthsToMonth(month, 1)}`),
          ),
          context('Add with `/collab deliverable <collab> add <type> due:YYYY-MM-DD`; cancel with `cancel <id or type>`.'),
        ]);
      },
    }),

    close: subcommand({
      description: 'End a collaboration as completed (default) or cancelled, with an optional reason. Open checklist items are cancelled.',
      positional: ['collab', 'status', 'reason'],
      namesOne: namesOneCollab,
      restIsLastPositional: 'text',
      input: closeInput,
      examples: ['/collab close "Spring launch"', '/collab close @zoe.creates cancelled Brand paused the campaign'],
      async run({ collab, status = 'completed', reason }, ctx) {
        const collaboration = await resolveCollab(ctx, collab);
        const { cancelledItems } = await ctx.services.collaborations.close(collaboration, status, reason, ctx.actor.id);
        const open = cancelledItems ? ` ${cancelledItems} open checklist item${cancelledItems === 1 ? ' was' : 's were'} cancelled.` : '';
        return reply([
          para(`Closed *${literal(collaboration.title)}* as ${status}${reason ? ` (${literal(reason)})` : ''}.${open}`),
          actions(button('Show collaboration', `collab show ${String(collaboration._id)}`)),
        ]);
      },
    }),

    list: subcommand({
      description: 'Collaborations with this month\'s progress: `active` (default), `completed`, `cancelled` or `all`, optionally one creator\'s.',
      positional: ['status', 'who'],
      restIsLastPositional: true,
      input: listInput,
      examples: ['/collab list', '/collab list all @zoe.creates'],
      async run({ status = 'active', who }, ctx) {
        const influencer = who ? await ctx.services.influencers.resolve(ctx.workspace.id, who) : undefined;
        const { items, total } = await ctx.services.collaborations.list(ctx.workspace, { status, ...(influencer ? { influencerId: influencer._id } : {}) });
        const scope = `${status === 'all' ? '' : `${status} `}collaboration${total === 1 ? '' : 's'}${influencer ? ` with ${literal(influencer.name)}` : ''}`;
        if (total === 0) return text(`No ${scope}. Start one with \`/collab new <who>\`.`);
        const lines = items.map(({ collaboration: c, influencer: person, progress }) =>
          [
            `• *${literal(c.title)}*`,
            person?.name === undefined ? undefined : literal(person.name),
            c.goal,
            c.status === 'active' ? listedProgress(c, progress) : c.status,
            `id ${String(c._id)}`,
          ]
            .filter(Boolean)
            .join(' · '),
        );
        return reply([
          para(`${total} ${scope}${items.length < total ? ` (newest ${items.length} shown)` : ''} · ${formatMonth(localMonth(ctx.now, ctx.workspace.timezone))}`),
          para(lines.join('\n')),
          context(`Details: \`/collab show <collab>\` · owners: ${[...new Set(items.map((i) => mention(i.collaboration.ownerId)))].join(', ')}`),
        ]);
      },
    }),
  },
});

function briefOf(input: Partial<Record<keyof typeof BRIEF_ARGS, string | null | undefined>>): Brief {
  const brief: Brief = {};
  for (const [arg, field] of Object.entries(BRIEF_ARGS)) {
    const value = input[arg as keyof typeof BRIEF_ARGS];
    if (value) brief[field] = value;
  }
  return brief;
}
