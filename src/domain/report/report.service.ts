import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import { METRICS, type ContentType, type Goal, type PaymentSchedule, type Stage } from '../../core/vocabulary';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import type { MetricTotals } from '../metrics/metrics-rules';
import { monthBounds } from '../../core/calendar';
import type { ContentModel } from '../content/content.model';
import type { InfluencerModel } from '../influencer/influencer.model';
import { lookupInWorkspace } from '../joins';
import type { CadenceSettings } from '../nurture/nurture-rules';
import type { PaymentModel } from '../payment/payment.model';
import {
  CANDIDATE_MONTHS,
  TREND_MONTHS,
  buildMonthlyReport,
  previousMonth,
  type MonthlyReport,
  type PaymentRow,
  type PlanRow,
  type ReportCollaborationInput,
  type ResultRow,
} from './report-rules';

export interface ReportWorkspace {
  id: string;
  timezone: string;
  /** The workspace's cadences by stage (quiet relationships are past their maximum). */
  cadences?: CadenceSettings;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The monthly report of a workspace in four database round trips, sent together, whatever its size:
 * the collaborations that ran in the six months (with their creator, by `$lookup`), the published
 * results grouped by collaboration and month of publication (`$dateToString` in the workspace
 * timezone), the checklist counts of the last three months, and the payments that decide cost and
 * punctuality. The rest is the pure `buildMonthlyReport`. Reads only: running it again changes nothing.
 */
export class ReportService {
  constructor(
    private readonly collaborations: CollaborationModel,
    private readonly contents: ContentModel,
    private readonly influencers: InfluencerModel,
    private readonly payments: PaymentModel,
    private readonly clock: Clock,
  ) {}

  async monthly(workspace: ReportWorkspace, month: string): Promise<MonthlyReport> {
    if (!MONTH.test(month)) throw new Error(`monthly report: month must be YYYY-MM, got ${month}`);
    const tz = workspace.timezone;
    const wsId = new Types.ObjectId(workspace.id);
    const { end } = monthBounds(month, tz);
    const windowStart = monthBounds(previousMonth(month, TREND_MONTHS - 1), tz).start;
    const candidateStart = monthBounds(previousMonth(month, CANDIDATE_MONTHS - 1), tz).start;
    const now = this.clock();
    const asOf = now < end ? now : new Date(end.getTime() - 1);
    const metricSums = Object.fromEntries(METRICS.map((metric) => [metric, { $sum: `$metrics.${metric}` }]));

    const [collaborations, results, plan, payments] = await Promise.all([
      this.collaborations.aggregate<CollaborationRow>([
        {
          $match: {
            workspaceId: wsId,
            start: { $lt: end },
            $and: [{ $or: [{ end: null }, { end: { $gte: windowStart } }] }, { $or: [{ closedAt: null }, { closedAt: { $gte: windowStart } }] }],
          },
        },
        ...lookupInWorkspace(this.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
        {
          $project: {
            title: 1,
            goal: 1,
            status: 1,
            start: 1,
            end: 1,
            closedAt: 1,
            expectedPerMonth: 1,
            contentCadence: 1,
            compensation: 1,
            reportingDay: 1,
            // Whole: a dotted projection into a joined array is not portable to the test stand-in.
            creator: 1,
          },
        },
      ]),
      this.contents.aggregate<{ _id: { c: Types.ObjectId; m: string; t: ContentType }; published: number; pieces: Array<{ id: Types.ObjectId; at: Date }> } & MetricTotals>([
        { $match: { workspaceId: wsId, status: 'published', publishedAt: { $gte: windowStart, $lt: end } } },
        {
          $group: {
            _id: { c: '$collaborationId', m: { $dateToString: { format: '%Y-%m', date: '$publishedAt', timezone: tz } }, t: '$type' },
            published: { $sum: 1 },
            pieces: { $push: { id: '$_id', at: '$publishedAt' } },
            ...metricSums,
          },
        },
      ]),
      this.contents.aggregate<{ _id: { c: Types.ObjectId; m: string; t: ContentType; s: string; p: boolean; pm: string | null; o: boolean }; count: number }>([
        { $match: { workspaceId: wsId, month: { $gte: previousMonth(month, CANDIDATE_MONTHS - 1), $lte: month } } },
        {
          $group: {
            _id: {
              c: '$collaborationId',
              m: '$month',
              t: '$type',
              s: '$status',
              p: '$planned',
              pm: { $cond: [{ $eq: ['$status', 'published'] }, { $dateToString: { format: '%Y-%m', date: '$publishedAt', timezone: tz } }, null] },
              o: { $lt: ['$dueAt', asOf] },
            },
            count: { $sum: 1 },
          },
        },
      ]),
      this.payments
        .find(
          {
            workspaceId: wsId,
            $or: [
              // Due in the candidate window (cost, punctuality, paid on time), or still open / paid only after the month (overdue totals).
              { dueAt: { $lt: end }, $or: [{ dueAt: { $gte: candidateStart } }, { status: 'scheduled' }, { paidAt: { $gte: asOf } }] },
              // Planned from the terms for a day in the month but due after it (net days): the month's cost counts them as edited.
              { source: 'schedule', dueAt: { $gte: end } },
            ],
          },
          { collaborationId: 1, scheduleKey: 1, amountMinor: 1, currency: 1, dueAt: 1, status: 1, paidAt: 1, source: 1 },
        )
        .lean<Array<PaymentRow & { collaborationId: Types.ObjectId }>>(),
    ]);

    return buildMonthlyReport({
      month,
      timezone: tz,
      asOf,
      cadences: workspace.cadences ?? {},
      collaborations: collaborations.map(toInput),
      results: results.map(({ _id, published, pieces, ...metrics }) => ({
        collaborationId: String(_id.c),
        month: _id.m,
        type: _id.t,
        published,
        pieces: pieces.map((piece) => ({ id: String(piece.id), publishedAt: piece.at })),
        metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' && v !== 0)) as MetricTotals,
      })) satisfies ResultRow[],
      plan: plan.map(({ _id, count }) => ({
        collaborationId: String(_id.c),
        month: _id.m,
        type: _id.t,
        status: _id.s,
        planned: _id.p === true,
        publishedMonth: _id.pm,
        overdue: _id.o === true,
        count,
      })) satisfies PlanRow[],
      payments: payments.map((p) => ({ ...p, collaborationId: String(p.collaborationId) })),
    });
  }

  /** Every piece published in `month` (workspace timezone), oldest first, with its collaboration and creator: one round trip. */
  async monthContent(workspace: Pick<ReportWorkspace, 'id' | 'timezone'>, month: string): Promise<MonthContentRow[]> {
    if (!MONTH.test(month)) throw new Error(`month content: month must be YYYY-MM, got ${month}`);
    const { start, end } = monthBounds(month, workspace.timezone);
    const rows = await this.contents.aggregate<{
      publishedAt: Date;
      type: ContentType;
      network?: string;
      url?: string;
      metrics?: MetricTotals;
      collab: Array<{ title: string; goal: Goal; compensation?: { currency?: string } }>;
      creator: Array<{ name: string }>;
    }>([
      { $match: { workspaceId: new Types.ObjectId(workspace.id), status: 'published', publishedAt: { $gte: start, $lt: end } } },
      { $sort: { publishedAt: 1, _id: 1 } },
      ...lookupInWorkspace(this.collaborations.collection.collectionName, 'collaborationId', '_id', 'collab'),
      ...lookupInWorkspace(this.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
      { $project: { publishedAt: 1, type: 1, network: 1, url: 1, metrics: 1, collab: 1, creator: 1 } },
    ]);
    return rows.map((row) => ({
      publishedAt: row.publishedAt,
      creator: row.creator[0]?.name ?? '',
      collaboration: row.collab[0]?.title ?? '',
      goal: row.collab[0]?.goal ?? 'awareness',
      currency: row.collab[0]?.compensation?.currency ?? 'USD',
      type: row.type,
      ...(row.network ? { network: row.network } : {}),
      ...(row.url ? { url: row.url } : {}),
      metrics: row.metrics ?? {},
    }));
  }
}

/** One published piece of a month with its collaboration and creator, for the CSV export. */
export interface MonthContentRow {
  publishedAt: Date;
  creator: string;
  collaboration: string;
  goal: Goal;
  currency: string;
  type: ContentType;
  network?: string;
  url?: string;
  metrics: MetricTotals;
}

interface CollaborationRow {
  _id: Types.ObjectId;
  title: string;
  goal: Goal;
  status: string;
  start: Date;
  end?: Date | null;
  closedAt?: Date | null;
  expectedPerMonth?: Array<{ type: ContentType; count: number }>;
  contentCadence?: string;
  compensation?: { feeMinor?: number; currency?: string; schedule?: PaymentSchedule; netDays?: number; commissionPct?: number; productOnly?: boolean };
  reportingDay?: number;
  creator: Array<{ _id: Types.ObjectId; name: string; stage: Stage; archivedAt?: Date; createdAt?: Date; lastContact?: { at?: Date }; cadence?: { ideal?: number; max?: number } }>;
}

function toInput(row: CollaborationRow): ReportCollaborationInput {
  const creator = row.creator[0];
  return {
    id: String(row._id),
    title: row.title,
    goal: row.goal,
    status: row.status,
    currency: row.compensation?.currency ?? 'USD',
    start: row.start,
    end: row.end ?? null,
    closedAt: row.closedAt ?? null,
    expectedPerMonth: (row.expectedPerMonth ?? []).map((e) => ({ type: e.type, count: e.count })),
    contentCadence: row.contentCadence ?? null,
    compensation: row.compensation ?? {},
    reportingDay: row.reportingDay ?? 1,
    influencer: creator
      ? { id: String(creator._id), name: creator.name, stage: creator.stage, archived: !!creator.archivedAt, lastContactAt: creator.lastContact?.at ?? null, createdAt: creator.createdAt ?? null, cadence: creator.cadence?.ideal && creator.cadence.max ? { ideal: creator.cadence.ideal, max: creator.cadence.max } : null }
      : { id: '', name: '', stage: 'ended', archived: true },
  };
}
