import type { PaymentOnLog } from '../src/domain/content/content-logging';
import type { CommissionFollowed, PaymentOnNewDay, PaymentOnRemoval } from '../src/domain/content/content-changes';
import { efficiencyLine } from './collab.view';
import { DATE_RULE } from '../src/core';
import { MONEY_RULE } from './money.schema';
import { namesOneCollab } from './names-one';
import { suggestReferences } from './suggest';
import { z } from 'zod';
import {
  onlyKeys,
  selectOptions,
  clearable,
  keptOrChanged,
  CONTENT_TYPES,
  METRICS,
  NETWORKS,
  UserFacingError,
  actions,
  button,
  context,
  defineCommand,
  count,
  dateArg,
  dayOf,
  oneOf,
  optional,
  literal,
  para,
  reply,
  requiredText,
  subcommand,
  text,
  type CommandContext,
  type Form,
  type RawArgs,
  type FormField,
  type Goal,
  type Metric,
} from '../src/core';
import { formatMetrics, formatProgress, metricLabel } from './content.view';
import { metricsForGoal, metricsInGoalOrder, totalMetrics } from '../src/domain/metrics/metrics-rules';
import { formatMoney, formatTyped } from '../src/domain/money';
import { formatDayOf, formatMonth } from '../src/core';
import { currencyOf, type Collaboration, type ContentItem } from '../src/domain/collaboration/collaboration.service';
import { assertOpenForContent, readLink, type Edited, type LinkReading, type MetricValues, type Placement } from '../src/domain/content/content.service';
import { describeChanges } from './influencer.history';
import type { Influencer } from '../src/domain/influencer/influencer.service';
import { DEFAULT_NET_DAYS } from '../src/domain/payment/payment-rules';
import { paymentFor } from './payment-label';
import { localDay } from '../src/core';
import { collabRef, contentType, httpUrl } from './collab.schema';
import { moneyText, readMoney } from './money.schema';


const metricFields = Object.fromEntries(
  METRICS.map((metric) => [metric, optional(metric === 'revenue' ? moneyText('revenue').describe("Revenue in the collaboration's currency, like 1450.50 or €1,450.50") : count(metric))]),
) as unknown as Record<Metric, z.ZodType<number | string | undefined>>;

const logFields = z.object({
  collab: collabRef,
  url: httpUrl('url').describe('Link to the published piece, https://...'),
  type: optional(contentType('type')),
  published: optional(dateArg('published').describe('Publication day, like 2026-11-20 or yesterday (default: today)')),
  network: optional(oneOf('network', NETWORKS)),
});

/** A link that does not say what the piece is needs `type:`: refused under that field, on every surface. */
const logInput = logFields.superRefine((input, ctx) => {
  const reading = readLink(input.url, input);
  // Not a web link at all: the url field says so.
  if (!reading.ok && reading.code !== 'not-a-link') ctx.addIssue({ code: 'custom', path: ['type'], message: linkMessage(reading) });
});

/** `<content>`: its id (`/content list` shows it; Discord suggests pieces as they are typed) or its link. */
const contentRef = requiredText('content', 2000).describe('The content id (from /content list) or its link');

const metricsInput = z.object({ content: contentRef, ...metricFields });

const editInput = z.object({
  content: contentRef,
  type: keptOrChanged('type', contentType('type')),
  url: keptOrChanged('url', httpUrl('url').describe('The new link, https://...')),
  published: keptOrChanged('published', dateArg('published').describe('Publication day, like 2026-11-20 or yesterday')),
  network: clearable(oneOf('network', NETWORKS)),
});

const resolveCollab = (ctx: CommandContext, ref: string): Promise<Collaboration> => ctx.services.collaborations.resolve(ctx.workspace.id, ref);


/** A piece by id or link with its collaboration, in one read; `open` adds the collaboration's open checklist items (an edit may tick one off). */
async function pieceAndCollaboration(
  ctx: CommandContext,
  ref: string,
  options: { open?: boolean; check?: (item: ContentItem) => void } = {},
): Promise<{ item: ContentItem; collaboration: Collaboration; open?: ContentItem[] }> {
  const { item, collaboration, open } = await ctx.services.content.resolveToChange(ctx.workspace.id, ref, options);
  options.check?.(item);
  if (!collaboration) throw new UserFacingError('The collaboration of this content no longer exists.');
  return { item, collaboration, ...(open ? { open } : {}) };
}

/** A line per piece: `• reel · Nov 23 · Spring launch · https://... · reach 12,000 · likes 800 · id ...`. */
function contentLine(item: ContentItem, title: string | undefined, currency: string, timezone: string): string {
  const values = totalMetrics([item]);
  const recorded = METRICS.filter((metric) => values[metric] !== undefined);
  return [
    `• ${item.type}`,
    item.publishedAt ? formatDayOf(item.publishedAt, timezone) : undefined,
    title && literal(title),
    item.url && literal(item.url),
    recorded.length ? formatMetrics(recorded, values, currency) : 'no metrics yet',
    `id ${String(item._id)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

export default defineCommand({
  name: 'content',
  description: 'Content a creator published for a collaboration: log it, record its metrics, correct or remove it, list it.',
  notes: [MONEY_RULE, DATE_RULE],
  // Discord autocomplete for the record options (who, collab, payment).
  suggest: suggestReferences,
  subcommands: {
    log: subcommand({
      decidesDays: true,
      description:
        `Log a published piece: it ticks off the next planned item of its type. Types: ${CONTENT_TYPES.join(', ')}. ` +
        'The type comes from `type:` or from the link (instagram.com/reel/... is a reel, x.com a post); a link that does not say it is refused (a form asks on Slack and Discord), never guessed.',
      positional: ['collab', 'url', 'type'],
      namesOne: namesOneCollab,
      input: logInput,
      examples: [
        '/content log "Spring launch" https://www.instagram.com/p/C0ffee/',
        '/content log @zoe.creates https://www.tiktok.com/@zoe.creates/video/123 video published:2026-11-20',
      ],
      async form(args, ctx): Promise<Form | undefined> {
        if (args.url !== undefined) return askWhatTheLinkIs(args, ctx);
        if (!onlyKeys(args, 'collab')) return undefined;
        const collaboration = typeof args.collab === 'string' ? await resolveCollab(ctx, args.collab) : undefined;
        if (collaboration) await refuseClosed(ctx, collaboration);
        const fields: FormField[] = [
          ...(collaboration ? [] : [{ name: 'collab', label: 'Collaboration (title, creator or id)', kind: 'text' as const, required: true }]),
          { name: 'url', label: 'Link to the published piece', kind: 'text', required: true, placeholder: 'https://www.instagram.com/p/...' },
          { name: 'type', label: 'Type (blank: from the link)', kind: 'select', options: selectOptions(CONTENT_TYPES) },
          { name: 'published', label: 'Published (blank = today)', kind: 'date' },
          { name: 'network', label: 'Network (blank: from the link)', kind: 'select', options: selectOptions(NETWORKS) },
        ];
        return {
          kind: 'form',
          title: collaboration ? `Log: ${collaboration.title}`.slice(0, 24) : 'Log content',
          submitLabel: 'Log',
          fields,
          submit: { command: 'content', subcommand: 'log', args: collaboration ? { collab: String(collaboration._id) } : {} },
        };
      },
      async run(input, ctx) {
        const tz = ctx.workspace.timezone;
        const collaboration = await resolveCollab(ctx, input.collab);
        await refuseClosed(ctx, collaboration);
        const reading = readLink(input.url, input);
        // The input schema refuses a link that does not say what the piece is.
        if (!reading.ok) throw new UserFacingError(linkMessage(reading), { type: 'needed' });
        const { type, network } = reading;
        const logged = await ctx.services.contentLogging.log(
          ctx.workspace,
          collaboration,
          { url: input.url, type, network, published: input.published ? dayOf(input.published, ctx) : undefined },
          ctx.actor.id,
          ctx.now,
        );
        const { item, fromPlan, dueAt } = logged;
        const payment = paymentLine(ctx, collaboration, item, logged.payment);
        const { influencer, summary } = await ctx.services.collaborations.overview(collaboration, tz);
        return reply([
          para(`Logged a ${item.type} for *${literal(collaboration.title)}* (${literal(influencer.name)}), published ${formatDayOf(item.publishedAt!, tz)}: ${literal(item.url ?? "")}`),
          para(
            fromPlan
              ? `It ticks off the ${item.type} due ${dueAt ? formatDayOf(dueAt, tz) : item.month}.`
              : `Beyond plan: no ${item.type} was open on the checklist for ${formatMonth(item.month)} or before.`,
          ),
          ...(payment ? [para(payment)] : []),
          para(`*${formatMonth(summary.month)}:* ${formatProgress(summary.progress)}`),
          actions(button('Add metrics', `content metrics ${String(item._id)}`, 'primary'), button('Show collaboration', `collab show ${String(collaboration._id)}`)),
          context(`content id ${String(item._id)}`),
        ]);
      },
    }),

    metrics: subcommand({
      // Revenue plans commission, due by the month of publication in the workspace's zone.
      decidesDays: (input) => input.revenue !== undefined,
      description:
        `Record results of a piece (by id or link): ${METRICS.join(', ')}. Revenue in the collaboration's currency. ` +
        "Anyone on the team records results; revenue on a commission collaboration plans or updates that month's unpaid commission payment by the agreed terms (paid ones never change).",
      positional: ['content'],
      input: metricsInput,
      examples: [
        '/content metrics 6650f0c2a1b2c3d4e5f60718 reach:12000 impressions:30000 likes:800',
        '/content metrics https://www.instagram.com/p/C0ffee/ redemptions:14 purchases:12 revenue:1450.50',
      ],
      async form(args, ctx): Promise<Form | undefined> {
        if (!onlyKeys(args, 'content') || typeof args.content !== 'string') return undefined;
        const { item, collaboration } = await pieceAndCollaboration(ctx, args.content);
        const goal = collaboration.goal as Goal;
        // The goal's metrics first: a Discord modal keeps five, the rest are typed options there.
        const fields = metricsInGoalOrder(goal).map(
          (metric): FormField => ({
            name: metric,
            label: metric === 'revenue' ? `Revenue (${currencyOf(collaboration)})` : capitalize(metricLabel(metric)),
            // Text, not Slack's number input: revenue has cents and counts may be typed as 18k or 1.2M.
            kind: 'text',
            initial: metricInitial(metric, item, collaboration),
          }),
        );
        return {
          kind: 'form',
          title: `Metrics: ${item.type}`.slice(0, 24),
          submitLabel: 'Record',
          fields,
          submit: { command: 'content', subcommand: 'metrics', args: { content: String(item._id) } },
        };
      },
      async run(input, ctx) {
        const { content, ...given } = input;
        const { item, collaboration } = await pieceAndCollaboration(ctx, content, {
          check: (found) => {
            if (found.status !== 'published') throw new UserFacingError(`That ${found.type} is ${found.status}, not published: log it first with \`/content log <collab> <url>\`.`);
          },
        });
        const currency = currencyOf(collaboration);
        const values: MetricValues = {};
        for (const metric of METRICS) {
          const value = given[metric];
          if (value === undefined) continue;
          if (metric !== 'revenue') values[metric] = value as number;
          else values.revenue = readMoney('revenue', value, currency).amountMinor;
        }
        if (Object.keys(values).length === 0) {
          throw new UserFacingError(`Give at least one metric, like reach:12000 likes:800. Metrics: ${METRICS.join(', ')}.`);
        }
        const saved = await ctx.services.contentChanges.recordMetrics(ctx.workspace, item, collaboration, values, ctx.actor.id);
        const commission = commissionLine(ctx, collaboration, saved.commission, 'content metrics: the revenue is recorded but its commission could not be planned');
        const { summary } = await ctx.services.collaborations.overview(collaboration, ctx.workspace.timezone);
        const goal = collaboration.goal as Goal;
        const recorded = METRICS.filter((metric) => values[metric] !== undefined);
        return reply([
          para(`Recorded for the ${item.type} of *${literal(collaboration.title)}*: ${formatMetrics(recorded, values, currency)}.`),
          para(
            [
              `*${literal(collaboration.title)} so far (${goal}):* ${formatMetrics(metricsForGoal(goal), summary.totals, currency)}`,
              efficiencyLine(summary.efficiency, summary.cost.committed, currency),
            ].join('\n'),
          ),
          ...(commission ? [para(commission)] : []),
          actions(button('Show collaboration', `collab show ${String(collaboration._id)}`)),
        ]);
      },
    }),

    edit: subcommand({
      description:
        'Correct a published piece: type, link, publication day, network. With only `<content>`, opens the form prefilled. ' +
        'A new link re-derives the network (cleared when the link does not say it) unless another `network:` is given. ' +
        'A new type (or a day in a month before its checklist item) reopens the checklist item it ticked off (due on the day the terms now give it) and ticks the next open one of its type, or leaves it beyond plan. ' +
        'A new publication day moves the piece\'s unpaid per-deliverable payment by the terms\' net days (a payment manager\'s edit; a due day set by hand with `/payment edit` stays). ' +
        'Anyone on the team, on an active collaboration; it is kept in the history.',
      positional: ['content'],
      input: editInput,
      // The publication day decides the per-deliverable payment's due day and the commission's month.
      decidesDays: (input) => input.published !== undefined,
      examples: ['/content edit 6650f0c2a1b2c3d4e5f60718', '/content edit 6650f0c2a1b2c3d4e5f60718 type:reel published:2026-11-20', '/content edit https://www.instagram.com/p/C0ffee/ url:https://www.instagram.com/reel/C0ffee/'],
      async form(args, ctx): Promise<Form | undefined> {
        if (!onlyKeys(args, 'content') || typeof args.content !== 'string') return undefined;
        const { item, collaboration } = await publishedPiece(ctx, args.content);
        await refuseClosedForChanges(ctx, collaboration);
        return {
          kind: 'form',
          title: `Edit ${item.type}: ${collaboration.title}`.slice(0, 24),
          submitLabel: 'Save',
          fields: [
            { name: 'url', label: 'Link to the published piece', kind: 'text', required: true, initial: item.url ?? undefined },
            { name: 'type', label: 'Type', kind: 'select', required: true, options: selectOptions(CONTENT_TYPES), initial: item.type },
            { name: 'published', label: 'Published', kind: 'date', required: true, initial: localDay(item.publishedAt!, ctx.workspace.timezone) },
            { name: 'network', label: 'Network (blank: from the link)', kind: 'select', options: selectOptions(NETWORKS), ...(item.network ? { initial: item.network } : {}) },
          ],
          submit: { command: 'content', subcommand: 'edit', args: { content: String(item._id) } },
        };
      },
      async run(input, ctx) {
        const tz = ctx.workspace.timezone;
        const { item, collaboration, open } = await publishedPiece(ctx, input.content, { open: true });
        await refuseClosedForChanges(ctx, collaboration);
        const patch = {
          ...(input.type ? { type: input.type } : {}),
          ...(input.url ? { url: input.url } : {}),
          // A new link re-derives the network unless another network is given (the form sends the stored one back).
          ...(input.network !== undefined && !(input.url && input.url !== item.url && input.network === (item.network ?? null)) ? { network: input.network } : {}),
          ...(input.published ? { published: dayOf(input.published, ctx) } : {}),
        };
        const edited = await ctx.services.contentChanges.edit(ctx.workspace, item, collaboration, patch, ctx.actor, open);
        const { item: updated, changes, moved, finished } = edited;
        const what = `the ${updated.type} of *${literal(collaboration.title)}*`;
        const payment = edited.payment && newDayLine(edited.payment);
        const commission = commissionLine(ctx, collaboration, edited.commission, 'content edit: the piece is saved but its commission could not be planned');
        if (changes.length === 0 && !finished && !payment && !commission) return text(`Nothing changed for ${what}: every value given is already on it.`);
        // The type before the edit cut short: what its checklist item was.
        const typeBefore = String(finished?.changes.find((change) => change.field === 'type')?.from ?? item.type);
        return reply([
          ...(finished
            ? [
                para(`Finished the edit of ${what} that was cut short: ${describeChanges(finished.changes, tz)}.`),
                ...(finished.moved ? [para(describeMove(typeBefore, updated.type, finished.moved, tz))] : []),
              ]
            : []),
          ...(changes.length > 0 ? [para(`Saved ${what}: ${describeChanges(changes, tz)}.`)] : []),
          // Retyped after its money step was cut short: the piece has every value, its payment catches up.
          ...(changes.length === 0 && !finished ? [para(`${what[0]!.toUpperCase()}${what.slice(1)} already has every value given.`)] : []),
          ...(moved ? [para(describeMove(String(finished?.changes.find((change) => change.field === 'type')?.to ?? item.type), updated.type, moved, tz))] : []),
          ...(payment ? [para(payment)] : []),
          ...(commission ? [para(commission)] : []),
          actions(button('Show collaboration', `collab show ${String(collaboration._id)}`)),
          context(`content id ${String(updated._id)}`),
        ]);
      },
    }),

    remove: subcommand({
      description:
        'Remove a published piece logged by mistake, with the reason (kept in the history). Its metrics go with it and the checklist item it ticked off is open again. ' +
        'Anyone on the team, on an active collaboration; a payment planned for the piece is cancelled when a payment manager removes it, else the reply says who can.',
      positional: ['content', 'reason'],
      restIsLastPositional: 'text',
      input: z.object({ content: contentRef, reason: requiredText('reason', 500) }),
      examples: ['/content remove 6650f0c2a1b2c3d4e5f60718 Logged on the wrong collaboration', '/content remove https://www.instagram.com/p/C0ffee/ Duplicate of the reel'],
      async run({ content, reason }, ctx) {
        const tz = ctx.workspace.timezone;
        const { item, collaboration } = await publishedPiece(ctx, content);
        await refuseClosedForChanges(ctx, collaboration);
        const removed = await ctx.services.contentChanges.remove(ctx.workspace, item, collaboration, reason, ctx.actor);
        const { reopened, dropped, finished } = removed;
        const payment = removed.payment && removalLine(removed.payment, removed.reason, tz);
        const commission = commissionLine(ctx, collaboration, removed.commission, 'content remove: the piece is removed but its commission could not be planned');
        return reply([
          para(
            `${finished ? 'Finished removing (it was cut short)' : 'Removed'} the ${item.type} of *${literal(collaboration.title)}* published ${formatDayOf(item.publishedAt!, tz)} (${literal(item.url ?? '')}). Reason: ${literal(removed.reason)}`,
          ),
          para(
            reopened
              ? `The ${reopened.type} ${reopened.dueAt ? `due ${formatDayOf(reopened.dueAt, tz)}` : `of ${formatMonth(reopened.month)}`} is open again on the checklist.`
              : dropped
                ? `The ${dropped.type} of ${formatMonth(dropped.month)} it ticked off is not open again: the collaboration's terms no longer plan it.`
                : 'It was beyond plan, so no checklist item changes.',
          ),
          ...(payment ? [para(payment)] : []),
          ...(commission ? [para(commission)] : []),
          actions(button('Show collaboration', `collab show ${String(collaboration._id)}`)),
        ]);
      },
    }),

    list: subcommand({
      description: "Published content of a creator (all their collaborations) or of one collaboration, newest first.",
      positional: ['who'],
      restIsLastPositional: true,
      // `who`: Discord suggests creators as you type; a collaboration's title or id works too.
      input: z.object({ who: requiredText('who') }),
      examples: ['/content list @zoe.creates', '/content list "Spring launch"'],
      async run({ who }, ctx) {
        const tz = ctx.workspace.timezone;
        const scope = await resolveScope(ctx, who);
        const { items, total, collaborations } = await ctx.services.content.list(
          ctx.workspace.id,
          'collaboration' in scope ? { collaborationId: scope.collaboration._id } : { influencerId: scope.influencer._id },
        );
        const name = 'collaboration' in scope ? scope.collaboration.title : scope.influencer.name;
        if (total === 0) return text(`No content logged for ${literal(name)} yet. Log a piece with \`/content log <collab> <url>\`.`);
        const lines = items.map((item) => {
          const of = collaborations.get(String(item.collaborationId));
          return contentLine(item, 'collaboration' in scope ? undefined : of?.title, of?.currency ?? ctx.workspace.currency, tz);
        });
        return reply([
          para(`${total} published piece${total === 1 ? '' : 's'} for *${literal(name)}*${items.length < total ? ` (newest ${items.length} shown)` : ''}:`),
          para(lines.join('\n')),
          context('Planned items: `/collab deliverable <collab>`.'),
        ]);
      },
    }),
  },
});

/** A published piece by id or link, with its collaboration; planned checklist items are changed with `/collab deliverable`. */
async function publishedPiece(ctx: CommandContext, ref: string, options: { open?: boolean } = {}): Promise<{ item: ContentItem; collaboration: Collaboration; open?: ContentItem[] }> {
  return pieceAndCollaboration(ctx, ref, {
    ...options,
    check: (item) => {
      if (item.status === 'published') return;
      throw new UserFacingError(`That ${item.type} is ${item.status}, not published: planned items change with \`/collab deliverable <collab>\`.`, { content: `is ${item.status}` });
    },
  });
}

/** A completed or cancelled collaboration's content is final: no edit, no removal. */
async function refuseClosedForChanges(ctx: CommandContext, collaboration: Collaboration): Promise<void> {
  if (collaboration.status === 'active') return;
  const closed = collaboration.closedAt ? ` (closed ${formatDayOf(collaboration.closedAt, ctx.workspace.timezone)})` : '';
  throw new UserFacingError(`${collaboration.title} is ${collaboration.status}${closed}: its content and results are final, so they are not changed.`, { content: `its collaboration is ${collaboration.status}` });
}

/** `The post due Nov 26 is open again; the reel ticks off the reel due Nov 28.` */
function describeMove(fromType: string, toType: string, moved: NonNullable<Edited['moved']>, tz: string): string {
  const slot = (type: string, place: Placement) => (place.kind === 'plan' ? `the ${type} ${place.dueAt ? `due ${formatDayOf(place.dueAt, tz)}` : `of ${formatMonth(place.month)}`}` : undefined);
  const was = slot(fromType, moved.from);
  const now = slot(toType, moved.to);
  return [
    was ? `${capitalize(was)} is open again.` : undefined,
    moved.from.kind === 'dropped' ? `The ${fromType} of ${formatMonth(moved.from.month)} it ticked off is not open again: the terms no longer plan it.` : undefined,
    now ? `It ticks off ${now}.` : `Beyond plan: no ${toType} was open on the checklist for ${formatMonth(moved.to.month)} or before.`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** A new publication day and the piece's per-deliverable payment: moved, kept on a day typed by hand, or who can move it. */
function newDayLine(payment: PaymentOnNewDay): string {
  if (payment.kind === 'kept') {
    return `Its payment of ${formatMoney(payment.payment)} stays due ${payment.from}, the day set by hand; by the terms it would be due ${payment.to}: \`/payment edit ${String(payment.payment._id)} due:${payment.to}\` moves it.`;
  }
  if (payment.kind === 'needs-manager') {
    return `Its payment of ${formatMoney(payment.payment)} is still due ${payment.from}; a payment manager can move it to ${payment.to}: \`/payment edit ${String(payment.payment._id)} due:${payment.to}\`.`;
  }
  return `Its payment of ${formatMoney(payment.payment)} is now due ${payment.to} (was ${payment.from}).`;
}

/** A removed piece's per-deliverable payment: paid and kept, cancelled, or who can cancel it. */
function removalLine(outcome: PaymentOnRemoval, reason: string, tz: string): string {
  const { payment } = outcome;
  if (outcome.kind === 'stays-paid') return `Its payment of ${formatMoney(payment)} was paid${payment.paidAt ? ` on ${localDay(payment.paidAt, tz)}` : ''} and stays paid.`;
  const due = localDay(payment.dueAt, tz);
  if (outcome.kind === 'needs-manager') {
    return `Its payment of ${formatMoney(payment)} due ${due} is still scheduled; a payment manager can cancel it: \`/payment cancel ${String(payment._id)} ${reason}\`.`;
  }
  return `Its payment of ${formatMoney(payment)} due ${due} is cancelled.`;
}

/** Why a link does not say what the piece is, and what to add. */
function linkMessage(reading: Exclude<LinkReading, { ok: true }>): string {
  if (reading.code === 'not-a-link') return 'url must be a web link starting with http:// or https://';
  if (reading.code === 'unknown-network') {
    return `type is needed: the link does not say which network ${reading.host} is. Types: ${CONTENT_TYPES.join(', ')}; network (optional): ${NETWORKS.join(', ')}`;
  }
  return `type is needed: that ${reading.network} link does not say whether it is a ${orList(reading.types)} (${orList(reading.types.map((type) => `type:${type}`))})`;
}

const orList = (values: readonly string[]) => (values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)!}`);

/**
 * `content log <collab> <link>` whose link does not say what the piece is: Slack and Discord open
 * the log form with what was typed, asking for the type (and network). The console refuses
 * instead (its prompts would read a piped script's next lines as answers).
 */
async function askWhatTheLinkIs(args: RawArgs, ctx: CommandContext): Promise<Form | undefined> {
  if (ctx.workspace.platform === 'console') return undefined;
  const parsed = logFields.safeParse(args);
  if (!parsed.success || readLink(parsed.data.url, parsed.data).ok) return undefined;
  const collaboration = await resolveCollab(ctx, parsed.data.collab);
  await refuseClosed(ctx, collaboration);
  const published = typeof args.published === 'string' ? args.published : undefined;
  return {
    kind: 'form',
    title: 'What is this link?',
    submitLabel: 'Log',
    fields: [
      { name: 'url', label: 'Link to the published piece', kind: 'text', required: true, initial: parsed.data.url },
      { name: 'type', label: 'Type', kind: 'select', required: true, options: selectOptions(CONTENT_TYPES) },
      { name: 'network', label: 'Network', kind: 'select', options: selectOptions(NETWORKS), ...(parsed.data.network ? { initial: parsed.data.network } : {}) },
      { name: 'published', label: 'Published (blank = today)', kind: 'date', ...(published ? { initial: published } : {}) },
    ],
    submit: { command: 'content', subcommand: 'log', args: { collab: String(collaboration._id) } },
  };
}

/** A completed or cancelled collaboration takes no content; the refusal names the creator to pick another. */
async function refuseClosed(ctx: CommandContext, collaboration: Collaboration): Promise<void> {
  if (collaboration.status === 'active') return;
  const influencer = await ctx.services.collaborations.influencerOf(collaboration);
  const handle = influencer.handles[0]?.handle;
  assertOpenForContent(collaboration, ctx.workspace.timezone, handle ? `@${handle}` : `"${influencer.name}"`);
}

/** The per-deliverable payment planned as the piece was logged, or how to plan it when that failed (logged here). */
function paymentLine(ctx: CommandContext, collaboration: Collaboration, item: ContentItem, payment: PaymentOnLog | undefined): string | undefined {
  if (!payment) return undefined;
  if ('failed' in payment) {
    ctx.logger.error({ err: payment.error, collaboration: String(collaboration._id), content: String(item._id) }, 'content log: the piece is logged but its payment could not be planned');
    return `Its payment could not be planned just now: \`/payment schedule ${String(collaboration._id)}\` plans it (the monthly payment run also catches up).`;
  }
  const { planned } = payment;
  return `Payment planned: ${formatMoney(planned)} due ${localDay(planned.dueAt, ctx.workspace.timezone)} (${collaboration.compensation?.netDays ?? DEFAULT_NET_DAYS} days after publication) · id ${String(planned._id)}`;
}

/**
 * What revenue recorded, moved or removed did to the commission: planned, brought in step, or
 * cancelled (never a paid one). A failure is logged and said: the content change is stored already,
 * and the monthly payment run catches up.
 */
function commissionLine(ctx: CommandContext, collaboration: Collaboration, commission: CommissionFollowed | undefined, failure: string): string | undefined {
  if (!commission) return undefined;
  if ('failed' in commission) {
    ctx.logger.error({ err: commission.error, collaboration: String(collaboration._id) }, failure);
    return 'Its commission could not be planned just now; the monthly payment run plans it.';
  }
  const { created, adjusted, cancelled, cleared } = commission;
  const payments = (n: number) => `${n} unpaid commission payment${n === 1 ? ' was' : 's were'} cancelled`;
  const currency = currencyOf(collaboration);
  const lines = [
    ...created.map((p) => `Commission planned: ${formatMoney(p)} (${paymentFor(p) ?? 'Commission'}) due ${localDay(p.dueAt, ctx.workspace.timezone)} · id ${String(p._id)}`),
    ...adjusted.map((a) => `Commission payment ${a.id} is now ${formatMoney({ amountMinor: a.to, currency })} (was ${formatMoney({ amountMinor: a.from, currency })}).`),
    ...(cleared ? [`${payments(cleared)}: no revenue is recorded for its month any more, so no commission is owed.`] : []),
    ...(cancelled > cleared ? [`${payments(cancelled - cleared)}: nothing is left to pay on that revenue.`] : []),
  ];
  return lines.length ? lines.join('\n') : undefined;
}

/**
 * `<who or collab>`: an id of either, a collaboration's exact title, a creator's name or handle
 * (all their collaborations), else part of a collaboration's title.
 */
async function resolveScope(ctx: CommandContext, ref: string): Promise<{ collaboration: Collaboration } | { influencer: Influencer }> {
  const trimmed = ref.trim();
  // An exact `@handle` names a creator: asked first, it costs one lookup instead of a title search and then the creator.
  if (trimmed.startsWith('@')) {
    const withHandle = await ctx.services.influencers.withHandle(ctx.workspace.id, trimmed);
    if (withHandle.length === 1) return { influencer: withHandle[0]! };
  }
  const titled = await ctx.services.collaborations.byIdOrTitle(ctx.workspace.id, trimmed);
  if (titled.length === 1) return { collaboration: titled[0]! };
  if (titled.length > 1) return { collaboration: await resolveCollab(ctx, trimmed) };
  try {
    return { influencer: await ctx.services.influencers.resolve(ctx.workspace.id, trimmed) };
  } catch (error) {
    try {
      return { collaboration: await resolveCollab(ctx, trimmed) };
    } catch {
      throw error;
    }
  }
}

/** The latest recorded value, as typed: revenue in major units. */
function metricInitial(metric: Metric, item: ContentItem, collaboration: Collaboration): string | undefined {
  const value = totalMetrics([item])[metric];
  if (value === undefined) return undefined;
  if (metric !== 'revenue') return String(value);
  return formatTyped({ amountMinor: value, currency: currencyOf(collaboration) });
}

const capitalize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
