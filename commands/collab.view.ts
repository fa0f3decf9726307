import {
  COLLAB_TYPES,
  CONTENT_CADENCES,
  CONTENT_TYPES,
  GOALS,
  PAYMENT_SCHEDULES,
  selectOptions,
  actions,
  button,
  context,
  divider,
  fields,
  header,
  literal,
  mention,
  para,
  reply,
  type Block,
  type CommandContext,
  type FormField,
  type ContentType,
  type Goal,
  type PaymentSchedule,
  type Reply,
} from '../src/core';
import { formatExpected, formatMetrics, formatProgress, metricLabel } from './content.view';
import { metricsForGoal } from '../src/domain/metrics/metrics-rules';
import { pluralType } from '../src/core';
import { formatMoney, formatMoneyList, toMajor, type Money } from '../src/domain/money';
import { paymentFor } from './payment-label';
import type { Efficiency } from '../src/domain/collaboration/cost-rules';
import type { Progress } from '../src/domain/content/checklist-rules';
import { EFFICIENCY_LABEL, formatEfficiency } from './cost.view';
import type { CollaborationEdited } from '../src/domain/collaboration/collaboration-edit';
import type { Created, PaymentsOnStart } from '../src/domain/collaboration/collaboration-start';
import { checklistFollowedLine, describeChanges, paymentsFollowedLines } from './collab.history';
import { formatDayOf, formatMonth, localMonth } from '../src/core';
import {
  currencyOf,
  expectedOf,
  type Collaboration,
  type ContentItem,
  type Summary,
} from '../src/domain/collaboration/collaboration.service';
import type { Influencer } from '../src/domain/influencer/influencer.service';
import { formatLongDate, localDay } from '../src/core';

/** How collaborations read: the onboarding brief for the creator, the collaboration card, its checklist. */

const GOAL_SENTENCES: Record<Goal, string> = {
  awareness: 'awareness - help as many people as possible discover us',
  image: 'brand image - spark real conversation around us',
  sales: 'sales - turn your audience into customers',
};

export function goalSentence(goal: Goal): string {
  const metrics = metricsForGoal(goal).map((m) => (m === 'redemptions' ? 'discount-code redemptions' : metricLabel(m)));
  const listed = `${metrics.slice(0, -1).join(', ')} and ${metrics[metrics.length - 1]}`;
  return `${GOAL_SENTENCES[goal]}; together we will look at ${listed}.`;
}

const PER: Record<PaymentSchedule, string> = { once: 'once', monthly: 'per month', 'per-deliverable': 'per published piece' };
const FROM: Record<PaymentSchedule, string> = { once: 'the start', monthly: 'each reporting day', 'per-deliverable': 'publication' };

/** `€1,500.00 per month, paid within 30 days of each reporting day; plus 10% commission on sales`. */
export function paymentTerms(collaboration: Pick<Collaboration, 'compensation'>): string {
  const c = collaboration.compensation ?? {};
  const currency = currencyOf(collaboration);
  const schedule = (c.schedule ?? 'once') as PaymentSchedule;
  const parts: string[] = [];
  if (c.productOnly) parts.push('product only, no fee');
  else if (c.feeMinor) {
    parts.push(`${formatMoney({ amountMinor: c.feeMinor, currency })} ${PER[schedule]}, paid within ${c.netDays ?? 30} days of ${FROM[schedule]}`);
  }
  if (c.commissionPct) parts.push(`${parts.length ? 'plus ' : ''}${c.commissionPct}% commission on sales`);
  return parts.length ? parts.join('; ') : 'to be agreed';
}

/** `Content per month: 2 posts, 4 stories`, or `Content: 1 reel, once` for content due one time. */
export function contentLine(collaboration: Pick<Collaboration, 'expectedPerMonth' | 'contentCadence'>): [string, string] {
  const expected = formatExpected(expectedOf(collaboration));
  return collaboration.contentCadence === 'once' ? ['Content', expectedOf(collaboration).length ? `${expected}, once` : expected] : ['Content per month', expected];
}

/** A collaboration's month in a list: `posts 1/2 · stories 4/4`, or `reels 0/1 (content due once)` for a one-off, which expects nothing after its first month. */
export const listedProgress = (collaboration: Pick<Collaboration, 'contentCadence'>, progress: readonly Progress[]): string =>
  collaboration.contentCadence === 'once' ? `${formatProgress(progress)} (content due once)` : formatProgress(progress);

const ordinal = (n: number): string => {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
};

export const reportingLine = (collaboration: Pick<Collaboration, 'reportingDay'>): string =>
  `on the ${ordinal(collaboration.reportingDay ?? 1)} of each month`;

function datesLine(collaboration: Collaboration, timezone: string, long = false): string {
  const day = (at: Date) => (long ? longDate(at, timezone) : localDay(at, timezone));
  return collaboration.end ? `${day(collaboration.start)} to ${day(collaboration.end)}` : `from ${day(collaboration.start)}, ongoing`;
}

const longDate = (at: Date, timezone: string) => formatLongDate(localDay(at, timezone));

/**
 * The onboarding brief, written to the creator: guidelines, goal, expected content per month,
 * payment terms, reporting schedule, and that the creative approach is theirs.
 */
export function briefMessage(collaboration: Collaboration, influencer: Pick<Influencer, 'name'>, timezone: string): string {
  const b = collaboration.brief ?? {};
  const firstName = influencer.name.split(/\s+/)[0] ?? influencer.name;
  const line = (label: string, value: string | null | undefined) => (value ? `*${label}:* ${value}` : undefined);
  const typed = (value: string | null | undefined) => (value ? literal(value) : undefined);
  return [
    `Hi ${literal(firstName)}, welcome to *${literal(collaboration.title)}*! Here is everything for our collaboration.`,
    line('Our goal', goalSentence(collaboration.goal as Goal)),
    line(...contentLine(collaboration)),
    line('Dates', datesLine(collaboration, timezone, true)),
    line('Guidelines', typed(b.guidelines)),
    line('Key messages', typed(b.keyMessages)),
    line('Call to action', typed(b.callToAction)),
    line('Please mention', typed(b.mustMention)),
    line('Please avoid', typed(b.mustAvoid)),
    line('Your discount code', typed(collaboration.discountCode)),
    line('Your tracking link', typed(collaboration.trackingLink)),
    line('Payment', paymentTerms(collaboration)),
    line('Reporting', `we will go through the results together ${reportingLine(collaboration)}.`),
    '*The creative approach is yours:* you know your audience best, so tell it in your own voice and style.',
  ]
    .filter(Boolean)
    .join('\n');
}

/** A collaboration with an end date has all its monthly payments planned at once: the reply lists the first ones. */
const MAX_PAYMENT_LINES = 12;


/** The payments part of the `/collab new` reply; nothing when the terms have no fee. */
export function paymentsPlannedBlocks(collaboration: Collaboration, planned: PaymentsOnStart | undefined, ctx: CommandContext): Block[] {
  if (!planned) return [];
  const id = String(collaboration._id);
  if ('failed' in planned) {
    return [para(`Payments could not be planned just now. \`/payment schedule ${id}\` plans them from the terms (and the monthly payment run catches up).`)];
  }
  const terms = collaboration.compensation ?? {};
  const net = terms.netDays ?? 30;
  const fee = formatMoney({ amountMinor: terms.feeMinor ?? 0, currency: currencyOf(collaboration) });
  const tz = ctx.workspace.timezone;
  const { created } = planned;
  if (created.length === 0) {
    return [
      para(
        terms.schedule === 'per-deliverable'
          ? `Payments: ${fee} per published piece, due ${net} days after it is published; each is planned when the piece is logged with \`/content log\`.`
          : `Payments: ${fee} ${terms.schedule === 'monthly' ? 'per month' : 'once'}, planned month by month as the reporting days come within three months.`,
      ),
    ];
  }
  const today = localDay(ctx.now, tz);
  const pastDue = created.filter((p) => localDay(p.dueAt, tz) < today).length;
  const notes = [
    terms.schedule === 'monthly' && !collaboration.end ? 'Later months are planned month by month while it runs.' : undefined,
    pastDue === 1
      ? '1 of them is already past its due date: mark it paid (`/payment paid <id>`) or cancel it (`/payment cancel <id> <reason>`).'
      : pastDue > 1
        ? `${pastDue} of them are already past their due date: mark them paid (\`/payment paid <id>\`) or cancel them (\`/payment cancel <id> <reason>\`).`
        : undefined,
    'Change one with `/payment edit <id>`; `/payment list` shows what is due.',
  ].filter(Boolean);
  const shown = created.slice(0, MAX_PAYMENT_LINES);
  return [
    para(
      [
        `*Payments planned from the terms (${created.length}):*`,
        ...shown.map((p) => `• ${paymentFor(p) ?? 'Payment'} · ${formatMoney(p)} · due ${localDay(p.dueAt, tz)} · id ${String(p._id)}`),
        ...(created.length > shown.length ? [`…and ${created.length - shown.length} more, in \`/payment list\`.`] : []),
      ].join('\n'),
    ),
    context(notes.join(' ')),
  ];
}

/** The reply to `/collab new`: what was set up, what it will pay, then the brief to send with a "Brief sent" button. */
export function createdReply(created: Created, influencer: Influencer, ctx: CommandContext, payments?: PaymentsOnStart): Reply {
  const { collaboration, planned, stage } = created;
  const id = String(collaboration._id);
  const tz = ctx.workspace.timezone;
  const first = localMonth(collaboration.start, tz);
  const firstMonth = planned.filter((item) => item.month === first);
  const moved = stage ? ` ${literal(influencer.name)} moved from ${stage.from} to ${stage.to}.` : '';
  return reply([
    para(`Started *${literal(collaboration.title)}* with *${literal(influencer.name)}*: ${collaboration.goal}, ${collaboration.type}.${moved}`),
    para(
      firstMonth.length
        ? `*Checklist for ${formatMonth(first)}:* ${checklistSummary(firstMonth, tz)}`
        : 'No content per month agreed, so no checklist. Add items with `/collab deliverable <collab> add <type>`.',
    ),
    ...(planned.length > firstMonth.length ? [context(`${planned.length - firstMonth.length} more items planned for the months since.`)] : []),
    ...paymentsPlannedBlocks(collaboration, payments, ctx),
    divider(),
    header(`Onboarding brief for ${literal(influencer.name)}`),
    context('Send this to the creator, then press "Brief sent".'),
    para(briefMessage(collaboration, influencer, tz)),
    actions(
      button('Brief sent', `collab brief ${id} sent`, 'primary'),
      button('Edit brief', `collab brief ${id} edit`),
      button('Show collaboration', `collab show ${id}`),
    ),
    context(`id ${id}`),
  ]);
}

/** `2 posts (due Nov 15, Nov 30) · 4 stories (due Nov 8, Nov 15, Nov 23, Nov 30)`. */
export function checklistSummary(items: readonly ContentItem[], timezone: string): string {
  const byType = new Map<ContentType, ContentItem[]>();
  for (const item of items) byType.set(item.type as ContentType, [...(byType.get(item.type as ContentType) ?? []), item]);
  return [...byType.entries()]
    .sort(([a], [b]) => CONTENT_TYPES.indexOf(a) - CONTENT_TYPES.indexOf(b))
    .map(([type, list]) => `${list.length} ${list.length === 1 ? type : pluralType(type)} (due ${list.map((i) => (i.dueAt ? formatDayOf(i.dueAt, timezone) : '?')).join(', ')})`)
    .join(' · ');
}

/** `/collab show`: terms, the brief, this month's delivered vs expected, results, cost and efficiency. */
export function collabCard(collaboration: Collaboration, influencer: Influencer, summary: Summary, ctx: CommandContext): Reply {
  const id = String(collaboration._id);
  const tz = ctx.workspace.timezone;
  const goal = collaboration.goal as Goal;
  const currency = currencyOf(collaboration);
  const handle = influencer.handles[0] ? ` (@${literal(influencer.handles[0].handle)})` : '';
  const b = collaboration.brief ?? {};
  const blocks: Block[] = [
    header(literal(collaboration.title)),
    fields([
      ['Creator', `${literal(influencer.name)}${handle}`],
      ['Status', collaboration.status === 'active' ? 'active' : `${collaboration.status}${collaboration.closeReason ? ` - ${literal(collaboration.closeReason)}` : ''}`],
      ['Type', collaboration.type],
      ['Goal', goal],
      ['Dates', datesLine(collaboration, tz)],
      ['Owner', mention(collaboration.ownerId)],
      contentLine(collaboration),
      ['Compensation', paymentTerms(collaboration)],
      ['Discount code', collaboration.discountCode && literal(collaboration.discountCode)],
      ['Tracking link', collaboration.trackingLink && literal(collaboration.trackingLink)],
      ['Reporting', reportingLine(collaboration)],
      ['Brief sent', collaboration.briefSentAt ? formatDayOf(collaboration.briefSentAt, tz) : 'not yet'],
    ]),
    para(
      (summary.scope === 'month'
        ? [
            `*${formatMonth(summary.month)}:* ${formatProgress(summary.progress)}`,
            `*Results in ${formatMonth(summary.month)} (${goal}):* ${formatMetrics(metricsForGoal(goal), summary.totals, currency)} · ${summary.delivered} published`,
            `*Committed in ${formatMonth(summary.month)}:* ${moneyOrNone(summary.cost.committed, 'nothing')} · *paid in it:* ${moneyOrNone(summary.cost.paid, 'nothing')}`,
            efficiencyLine(summary.efficiency, summary.cost.committed, currency),
          ]
        : [
            `*This month (${formatMonth(summary.month)}):* ${formatProgress(summary.progress)}`,
            `*Results so far (${goal}):* ${formatMetrics(metricsForGoal(goal), summary.totals, currency)} · ${summary.delivered} published`,
            `*Committed so far:* ${moneyOrNone(summary.cost.committed, 'nothing yet')} · *paid so far:* ${moneyOrNone(summary.cost.paid, 'nothing yet')}`,
            efficiencyLine(summary.efficiency, summary.cost.committed, currency),
          ]
      ).join('\n'),
    ),
    context(
      summary.scope === 'month'
        ? `Results count in the month each piece was published, in the workspace timezone. ${COMMITTED_MONTH}`
        : COMMITTED_SO_FAR,
    ),
    divider(),
    fields([
      ['Guidelines', b.guidelines && literal(b.guidelines)],
      ['Key messages', b.keyMessages && literal(b.keyMessages)],
      ['Call to action', b.callToAction && literal(b.callToAction)],
      ['Must mention', b.mustMention && literal(b.mustMention)],
      ['Must avoid', b.mustAvoid && literal(b.mustAvoid)],
    ]),
    actions(
      button('Log content', `content log ${id}`, 'primary'),
      button('Deliverables', `collab deliverable ${id}`),
      button('Brief', `collab brief ${id}`),
      button('Content', `content list ${id}`),
      button('Edit', `collab edit ${id}`),
    ),
    context(`id ${id} · its changes: \`/collab show ${id} history\``),
  ];
  return reply(blocks.filter((block) => block.type !== 'fields' || block.fields.length > 0));
}

const moneyOrNone = (amounts: readonly Money[], none: string): string => (amounts.length ? formatMoneyList(amounts) : none);

/** What "committed" means, said where it is shown (the rule is src/domain/collaboration/cost-rules.ts). */
export const COMMITTED_SO_FAR =
  'Committed: each payment the fee terms have called for by today (as edited; none if cancelled), every other payment not cancelled, and the commission on recorded revenue. Amounts stay in their currency.';
const COMMITTED_MONTH =
  'Committed in the month: the fee payments whose day falls in it, payments added by hand due in it, and the commission on its revenue.';

/**
 * `Cost per engagement (on committed cost): $3.00 · €0.10`: one figure per currency of the cost;
 * return only against the cost in the collaboration's currency (its revenue's), saying what it leaves out.
 */
export function efficiencyLine(figures: readonly Efficiency[], committed: readonly Money[], currency: string): string {
  const first = figures[0];
  if (!first) return '';
  const label = `*${capitalize(EFFICIENCY_LABEL[first.kind].replace('/ cost)', '/ committed cost)'))}${first.goal === 'sales' ? '' : ' (on committed cost)'}:*`;
  const apart = first.goal === 'sales' ? committed.filter((m) => m.currency !== currency) : [];
  const note = apart.length ? ` (${formatMoneyList(apart)} committed in another currency is not in it)` : '';
  return `${label} ${figures.map(formatEfficiency).join(' · ')}${note}`;
}

const STATUS_MARK: Record<string, string> = { planned: '○', published: '✓', cancelled: '✗' };

/** One checklist line: `✓ post · due Nov 15 · published Nov 12 · https://... · id ...`. */
export function checklistLine(item: ContentItem, timezone: string): string {
  return [
    `${STATUS_MARK[item.status] ?? '•'} ${item.type}${item.planned ? '' : ' (beyond plan)'}`,
    item.dueAt ? `due ${formatDayOf(item.dueAt, timezone)}` : undefined,
    item.status === 'published' && item.publishedAt ? `published ${formatDayOf(item.publishedAt, timezone)}` : undefined,
    item.status === 'cancelled' ? 'cancelled' : undefined,
    item.url && literal(item.url),
    `id ${String(item._id)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

const capitalize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/** Content per month as a person types it back: `post 2, story 4`. */
const typedExpected = (collaboration: Pick<Collaboration, 'expectedPerMonth'>): string =>
  expectedOf(collaboration)
    .map((e) => `${e.type} ${e.count}`)
    .join(', ');

/**
 * The `/collab edit` form, prefilled with what is stored, as it would be typed. Ordered by what is
 * corrected most: a Discord modal holds the first five (title, content per month, fee, currency,
 * end), the rest are options of `/collab edit` there.
 */
export function editFormFields(collaboration: Collaboration, timezone: string): FormField[] {
  const c = collaboration.compensation ?? {};
  const currency = currencyOf(collaboration);
  return [
    { name: 'title', label: 'Title or campaign', kind: 'text', required: true, initial: collaboration.title },
    { name: 'expect', label: 'Content per month', kind: 'text', placeholder: 'post 2, story 4, video 1', hint: `types: ${CONTENT_TYPES.join(', ')}`, initial: typedExpected(collaboration) || undefined },
    { name: 'fee', label: 'Fee (blank if none)', kind: 'text', placeholder: '1500, 1,499.99 or €1,500', initial: c.feeMinor ? String(toMajor({ amountMinor: c.feeMinor, currency })) : undefined },
    { name: 'currency', label: 'Currency (ISO code)', kind: 'text', required: true, placeholder: 'EUR', initial: currency },
    { name: 'end', label: 'End (blank = ongoing)', kind: 'date', initial: collaboration.end ? localDay(collaboration.end, timezone) : undefined },
    { name: 'schedule', label: 'Fee schedule', kind: 'select', options: selectOptions(PAYMENT_SCHEDULES), initial: c.schedule ?? undefined },
    { name: 'net', label: 'Payment terms (net days)', kind: 'number', placeholder: '30', initial: String(c.netDays ?? 30) },
    { name: 'start', label: 'Start', kind: 'date', required: true, initial: localDay(collaboration.start, timezone) },
    { name: 'type', label: 'Type', kind: 'select', required: true, options: selectOptions(COLLAB_TYPES), initial: collaboration.type },
    { name: 'goal', label: 'Goal', kind: 'select', required: true, options: selectOptions(GOALS), initial: collaboration.goal },
    { name: 'commission', label: 'Commission % on sales', kind: 'text', placeholder: '10 or 7.5', initial: c.commissionPct != null ? String(c.commissionPct) : undefined },
    { name: 'product-only', label: 'Product only, no fee', kind: 'select', options: selectOptions(['no', 'yes']), initial: c.productOnly ? 'yes' : 'no' },
    { name: 'code', label: 'Discount code', kind: 'text', placeholder: 'ZOE15', initial: collaboration.discountCode ?? undefined },
    { name: 'link', label: 'Tracking link', kind: 'text', placeholder: 'https://shop.example.com/?ref=zoe', initial: collaboration.trackingLink ?? undefined },
    { name: 'reporting-day', label: 'Reporting day of the month (1-28)', kind: 'number', placeholder: '1', initial: String(collaboration.reportingDay ?? 1) },
    { name: 'owner', label: 'Owner', kind: 'user', required: true, initial: collaboration.ownerId },
    { name: 'content', label: 'Content due: once or monthly', kind: 'select', required: true, options: selectOptions(CONTENT_CADENCES), initial: collaboration.contentCadence ?? 'monthly' },
  ];
}

/** The reply to `/collab edit`: what changed, what the checklist and planned payments did, or that nothing changed. */
export function editedReply(edited: CollaborationEdited, ctx: CommandContext): Reply {
  const { collaboration, changes } = edited;
  const tz = ctx.workspace.timezone;
  const id = String(collaboration._id);
  const buttons = actions(button('Show collaboration', `collab show ${id}`), button('Brief', `collab brief ${id}`), button('Edit', `collab edit ${id}`));
  const checklist = checklistFollowedLine(edited.checklist, tz);
  const payments = paymentsFollowedLines(edited.payments, tz);
  if (changes.length === 0 && !checklist && payments.length === 0) {
    return reply([para(`Nothing changed for *${literal(collaboration.title)}*: every value given is already on the collaboration.`), buttons, context(`id ${id}`)]);
  }
  if (changes.length === 0) {
    // An earlier edit was cut short after its terms were saved: following them now finished it.
    return reply([
      header(literal(collaboration.title)),
      para(`Every value given is already on *${literal(collaboration.title)}*; its checklist and planned payments were behind its terms and now follow them.`),
      ...(checklist ? [para(checklist)] : []),
      ...(payments.length ? [para([`*Planned payments (${payments.length}):*`, ...payments].join('\n'))] : []),
      context('Published content and paid, cancelled or hand-added payments stay as they were.'),
      buttons,
      context(`id ${id}`),
    ]);
  }
  const stays =
    collaboration.status !== 'active'
      ? `It is ${collaboration.status}: its checklist and payments stay as they were.`
      : 'Published content and paid, cancelled or hand-added payments stay as they were.';
  return reply([
    header(literal(collaboration.title)),
    para(`Saved *${literal(collaboration.title)}*: ${describeChanges(changes, tz)}.`),
    ...(checklist ? [para(checklist)] : []),
    ...(payments.length ? [para([`*Planned payments (${payments.length}):*`, ...payments].join('\n'))] : []),
    ...(checklist || payments.length || collaboration.status !== 'active' ? [context(stays)] : []),
    buttons,
    context(`The brief and the card show the new terms · id ${id}`),
  ]);
}
