import { METRICS, actions, button, context, header, item, literal, para, reply, type Block, type Goal, type Reply } from '../src/core';
import { toCsv } from '../src/domain/csv/csv';
import type { MonthContentRow } from '../src/domain/report/report.service';
import type { GoalChartInput } from '../src/chart/goal-chart';
import { EFFICIENCY_LABEL, NOT_AVAILABLE, formatEfficiency } from './cost.view';
import { formatExpected, formatProgress } from './content.view';
import { pluralType } from '../src/core';
import { formatCount, formatMonth as monthName, localDay, nextMonth } from '../src/core';
import { formatDecimal, formatMoneyList } from '../src/domain/money';
import { reportingLine } from './collab.view';
import { CANDIDATE_MONTHS, TOP_PER_GOAL, type CollaborationMonth, type GoalSection, type MonthlyReport } from '../src/domain/report/report-rules';

/**
 * How the monthly report reads: the digest (the channel post and `/irm report <month>`), its chart,
 * and a creator's briefing pack. Names and figures only: never an email, phone, address or birthday.
 */

/** Lines per goal in the digest; the rest are counted (every piece is in the CSV). Keeps a post within Discord's 4,096-character embed. */
export const LINES_PER_GOAL = 5;
/** Candidates with their own "Promote" button; the rest are named. */
export const MAX_CANDIDATE_ITEMS = 5;
const MAX_QUIET = 8;

const GOAL_TITLE: Record<Goal, string> = { awareness: 'Awareness', image: 'Image', sales: 'Sales' };
const FIGURE_LABEL: Record<Goal, string> = { awareness: 'reach', image: 'engagement', sales: 'purchases' };

/** A collaboration's creator; one removed since has no name left. */
const creatorName = (row: CollaborationMonth) => row.influencer.name || 'A removed creator';

const shortMonth = (month: string) => monthName(month).split(' ')[0]!.slice(0, 3);
const percent = (value: number | null) => (value === null ? NOT_AVAILABLE : `${(value * 100).toFixed(1).replace(/\.0$/, '')}%`);

/** `+25% on Oct`, `-10% on Oct`, `new this month`, or nothing to compare. */
function changeText(row: CollaborationMonth, prior: string): string {
  if (row.change === null) return row.figure > 0 ? 'none in ' + shortMonth(prior) : `${NOT_AVAILABLE} on ${shortMonth(prior)}`;
  const pct = Math.round(row.change * 100);
  return `${pct > 0 ? '+' : ''}${pct}% on ${shortMonth(prior)}`;
}

/** The goal's figures summed over its collaborations; money per currency, `-` for a zero denominator. */
function goalSummary(section: GoalSection): string {
  const t = section.totals;
  const eff = section.efficiency.length ? section.efficiency.map(formatEfficiency).join(' · ') : NOT_AVAILABLE;
  switch (section.goal) {
    case 'awareness':
      return `reach ${formatCount(t.reach ?? 0)} · impressions ${formatCount(t.impressions ?? 0)} · cost per thousand impressions ${eff}`;
    case 'image':
      return `engagement ${formatCount(section.engagement)} (likes + comments + saves + shares) · engagement rate ${percent(section.engagementRate)} of reach · new followers ${formatCount(t.new_followers ?? 0)} · cost per engagement ${eff}`;
    case 'sales':
      return `code redemptions ${formatCount(t.redemptions ?? 0)} · purchases ${formatCount(t.purchases ?? 0)} · revenue ${formatMoneyList(section.revenue)} · return (revenue / cost) ${eff}`;
  }
}

/** One collaboration in its goal's list. */
function collaborationLine(row: CollaborationMonth, prior: string, rank?: number): string {
  const lead = rank ? `${rank}.` : '•';
  const figure = `${FIGURE_LABEL[row.goal]} ${formatCount(row.figure)} (${changeText(row, prior)})`;
  return `${lead} *${literal(creatorName(row))}* · ${literal(row.title)} · ${formatProgress(row.progress)} · ${figure} · ${EFFICIENCY_LABEL[row.efficiency.kind]} ${formatEfficiency(row.efficiency)}`;
}

function goalBlocks(section: GoalSection, report: MonthlyReport): Block[] {
  const prior = report.months[report.months.length - 2]!;
  const top = new Set(section.top.map((r) => r.id));
  const shown = section.collaborations.slice(0, LINES_PER_GOAL);
  const lines = shown.map((row, i) => collaborationLine(row, prior, top.has(row.id) ? i + 1 : undefined));
  const hidden = section.collaborations.length - shown.length;
  if (hidden > 0) lines.push(`…and ${hidden} more (every piece is in \`/irm report ${report.month} csv\`).`);
  const count = section.collaborations.length;
  return [
    para(`*${GOAL_TITLE[section.goal]}* · ${count} collaboration${count === 1 ? '' : 's'} · ${goalSummary(section)}`),
    para(
      [
        section.top.length ? `Top ${Math.min(TOP_PER_GOAL, section.top.length)} by ${FIGURE_LABEL[section.goal]} first:` : `Nothing measured yet for ${FIGURE_LABEL[section.goal]}:`,
        ...lines,
      ].join('\n'),
    ),
  ];
}

function candidateBlocks(report: MonthlyReport): Block[] {
  if (report.candidates.length === 0) return [];
  const shown = report.candidates.slice(0, MAX_CANDIDATE_ITEMS);
  const others = report.candidates.slice(MAX_CANDIDATE_ITEMS);
  return [
    para(`*Ambassador candidates* (${CANDIDATE_MONTHS}+ months in, nothing missed, top quarter on their goal, paid on time):`),
    ...shown.map((c) =>
      item(
        `• *${literal(c.influencer.name)}* · ${literal(c.title)} · ${FIGURE_LABEL[c.goal]} ${formatCount(c.figure)}`,
        c.influencer.name,
        button('Promote to ambassador', `influencer stage ${c.influencer.id} ambassador`, 'primary'),
      ),
    ),
    ...(others.length
      ? [context(`And ${others.length} more: ${others.slice(0, MAX_QUIET).map((c) => literal(c.influencer.name)).join(', ')}${others.length > MAX_QUIET ? ', …' : ''} (\`/influencer stage <who> ambassador\`).`)]
      : []),
  ];
}

function quietBlock(report: MonthlyReport): Block[] {
  if (report.quiet.length === 0) return [];
  const shown = report.quiet
    .slice(0, MAX_QUIET)
    .map((q) => `${literal(q.name)} (${q.days} days ${q.lastContactAt ? 'since the last touchpoint' : 'since added, never contacted'}; at most ${q.max})`);
  const more = report.quiet.length - shown.length;
  return [para(`*Gone quiet* (past their cadence's longest interval): ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}. A note or a small gift keeps the relationship warm.`)];
}

function punctualityBlock(report: MonthlyReport): Block {
  const p = report.punctuality;
  const settled = p.onTime + p.late;
  const due =
    p.due === 0
      ? `none fell due in ${monthName(report.month)}`
      : `${p.due} due in ${monthName(report.month)}, ${p.rate === null ? `${NOT_AVAILABLE} on time (none past its due day yet)` : `${percent(p.rate)} paid on time (${p.onTime} of ${settled})`}`;
  const overdue = p.overdueCount ? `${formatMoneyList(p.overdue)} in ${p.overdueCount} payment${p.overdueCount === 1 ? '' : 's'}` : 'none';
  return para(`*Payments:* ${due} · overdue on ${localDay(report.asOf, report.timezone)}: ${overdue}`);
}

/** The digest: the channel post of the monthly-digest job, and `/irm report <month>` privately. */
export function digestReply(report: MonthlyReport, options: { visibility: Reply['visibility']; partial?: boolean }): Reply {
  const title = `Performance digest · ${monthName(report.month)}${options.partial ? ' (so far)' : ''}`;
  if (report.empty) {
    return reply(
      [
        header(title),
        para(
          `Nothing to report for ${monthName(report.month)}: no content was expected or published and no payment fell due. A calm month, and a good moment to plan the next one (\`/collab list\`).`,
        ),
        ...quietBlock(report),
      ],
      options.visibility,
    );
  }
  return reply(
    [
      header(title),
      ...report.goals.flatMap((section) => goalBlocks(section, report)),
      ...candidateBlocks(report),
      ...quietBlock(report),
      punctualityBlock(report),
      context(
        `Results count in the month each piece was published (${report.timezone}); each collaboration is ranked by its goal's figure (awareness: reach, image: engagement, sales: purchases) and compared with ${monthName(report.months[report.months.length - 2]!)}. Money stays in its own currency. \`/irm report ${report.month} csv\` has every piece; \`/irm report ${report.month} <who>\` a creator's briefing pack.`,
      ),
    ],
    options.visibility,
  );
}

/** The chart: per goal, this month's figure per collaboration (best first) over the six-month trend. */
export function digestChart(report: MonthlyReport): GoalChartInput {
  return {
    title: `${monthName(report.month)}: each collaboration against its goal`,
    panels: report.goals.map((section) => ({
      title: `${GOAL_TITLE[section.goal]}: ${FIGURE_LABEL[section.goal]}`,
      bars: section.collaborations.map((row) => ({ label: creatorName(row), value: row.figure })),
      trend: { labels: report.months.map(shortMonth), values: section.trend },
    })),
  };
}

export const chartFileName = (month: string) => `performance-${month}.png`;

/**
 * A creator's briefing pack for `month`, written to them: what they delivered, the results against
 * the goal, thanks for what went well, what is expected next month and the agreed reporting day.
 * Private to the person who asked; a "Briefing held" button logs the briefing touchpoint.
 */
export function briefingReply(report: MonthlyReport, influencer: { id: string; name: string }): Reply {
  const rows = report.collaborations.filter((row) => row.influencer.id === influencer.id);
  const first = influencer.name.split(/\s+/)[0] ?? influencer.name;
  const month = monthName(report.month);
  if (rows.length === 0) {
    return reply([para(`${literal(influencer.name)} had no collaboration running in ${month}, so there is no briefing pack for it. \`/collab list all ${influencer.id}\` shows theirs.`)]);
  }
  const prior = report.months[report.months.length - 2]!;
  const next = nextMonth(report.month);
  const sections = rows.map((row) => {
    const delivered = row.progress.length
      ? row.progress.map((p) => `${p.delivered} of ${p.expected} ${pluralType(p.type)}`).join(', ')
      : `${row.published} piece${row.published === 1 ? '' : 's'} published`;
    const goalLine = goalResultsForCreator(row);
    const going = row.status === 'active' && (!row.end || localDay(row.end, report.timezone).slice(0, 7) >= next);
    return [
      `*${literal(row.title)}* (our goal: ${row.goal})`,
      `*What you delivered:* ${delivered}.`,
      `*Results:* ${goalLine}${row.change !== null ? `, ${FIGURE_LABEL[row.goal]} ${row.change >= 0 ? 'up' : 'down'} ${Math.abs(Math.round(row.change * 100))}% on ${monthName(prior)}` : ''}.`,
      `*Thank you* ${thanks(row, report)}`,
      going ? nextMonthLine(row, next) : `*Next month:* our collaboration has come to an end - thank you for everything.`,
      `*Our reporting day:* ${reportingLine(row)}, when we go through the results together.`,
    ].join('\n');
  });
  return reply([
    header(`Briefing pack · ${literal(influencer.name)} · ${month}`),
    context('Private to you. Send it to the creator as it is, or adapt it; press "Briefing held" after the call.'),
    para(`Hi ${literal(first)}, here is your ${month} with us.`),
    ...sections.map(para),
    actions(button('Briefing held', `influencer log ${influencer.id} briefing Monthly briefing: ${month}`, 'primary')),
  ]);
}

/**
 * What the creator can expect in the month after, for a collaboration that goes on: the terms'
 * content for that month; a one-off's content is never promised again (what is still open of it is named).
 */
function nextMonthLine(row: CollaborationMonth, next: string): string {
  const lead = `*Next month (${monthName(next)}):*`;
  if (row.nextExpected.length > 0) return `${lead} ${formatExpected(row.nextExpected)}, as agreed.`;
  if (row.expectedPerMonth.length === 0) return `${lead} no content is agreed yet.`;
  if (row.contentCadence === 'once') {
    const open = row.progress.filter((p) => p.expected > p.delivered).map((p) => ({ type: p.type, count: p.expected - p.delivered }));
    const rest = open.length ? `; ${formatExpected(open)} of it still to come` : '';
    return `${lead} no new content is planned: the content was agreed once (${formatExpected(row.expectedPerMonth)})${rest}.`;
  }
  return `${lead} no new content is planned.`;
}

function goalResultsForCreator(row: CollaborationMonth): string {
  const t = row.totals;
  switch (row.goal) {
    case 'awareness':
      return `reach ${formatCount(t.reach ?? 0)}, impressions ${formatCount(t.impressions ?? 0)}`;
    case 'image':
      return `engagement ${formatCount(row.figure)} (likes, comments, saves and shares), new followers ${formatCount(t.new_followers ?? 0)}`;
    case 'sales':
      return `code redemptions ${formatCount(t.redemptions ?? 0)}, purchases ${formatCount(t.purchases ?? 0)}, revenue ${formatMoneyList(t.revenue ? [{ amountMinor: t.revenue, currency: row.currency }] : [])}`;
  }
}

/** The warmest true thing to say about the month. */
function thanks(row: CollaborationMonth, report: MonthlyReport): string {
  const section = report.goals.find((g) => g.goal === row.goal);
  const rank = section?.top.findIndex((r) => r.id === row.id) ?? -1;
  const allDelivered = row.progress.length > 0 && row.progress.every((p) => p.delivered >= p.expected);
  const reasons = [
    rank >= 0 && section && section.collaborations.length > 1 ? `your ${FIGURE_LABEL[row.goal]} was among our top ${TOP_PER_GOAL} this month` : undefined,
    allDelivered ? 'you delivered everything we planned' : undefined,
    row.change !== null && row.change > 0 ? `your ${FIGURE_LABEL[row.goal]} grew compared with last month` : undefined,
  ].filter(Boolean);
  return reasons.length ? `- ${reasons.join(', and ')}.` : 'for your work and your voice this month.';
}

/** `content-2026-11.csv`: every piece published in the month with its metrics; text cells that a spreadsheet would run are neutralised. */
export function contentCsv(rows: readonly MonthContentRow[], timezone: string): string {
  return toCsv(
    ['published', 'creator', 'collaboration', 'goal', 'type', 'network', 'url', ...METRICS, 'currency'],
    rows.map((row) => [
      localDay(row.publishedAt, timezone),
      row.creator,
      row.collaboration,
      row.goal,
      row.type,
      row.network ?? '',
      row.url ?? '',
      ...METRICS.map((metric) => {
        const value = row.metrics[metric];
        if (value === undefined) return '';
        return metric === 'revenue' ? formatDecimal({ amountMinor: value, currency: row.currency }) : value;
      }),
      row.currency,
    ]),
  );
}

export const csvFileName = (month: string) => `content-${month}.csv`;
