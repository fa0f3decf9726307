import { Types } from 'mongoose';
import { localDay } from '../../core/calendar';
import { METRICS } from '../../core/vocabulary';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import type { ContentModel } from '../content/content.model';
import type { CsvCell } from '../csv/csv';
import type { InfluencerDoc, InfluencerModel } from '../influencer/influencer.model';
import type { TouchpointModel } from '../influencer/touchpoint.model';
import { formatDecimal } from '../money';
import type { PaymentModel } from '../payment/payment.model';
import type { AutoLabel } from '../payment/payment-rules';
import { CREATOR_FIELDS, creatorRow } from './creator-columns';

export const EXPORTS = ['creators', 'collaborations', 'payments', 'content', 'touchpoints'] as const;
export type ExportKind = (typeof EXPORTS)[number];

export interface ExportTable {
  header: string[];
  /** Read from a database cursor as they are consumed: a big workspace is never all in memory at once. */
  rows: AsyncIterable<CsvCell[]>;
}

/**
 * The words a table needs and the domain does not write (views do): the bot's name for a planned
 * payment (`autoLabel`), for its `label` column.
 */
export interface ExportWords {
  autoLabel(label: AutoLabel): string;
}

/** `reporting 2027-02`, `deliverable 2026-11-23`, `fee`: the bot's name for a payment as a code, like `status`. */
const autoLabelCode = (label: AutoLabel | null | undefined): string | undefined => (label ? [label.kind, label.on].filter(Boolean).join(' ') : undefined);

/** Documents fetched per round trip of the cursor. */
const BATCH = 1000;

/**
 * The cursor's documents as rows. A QueryCursor is its own iterator and has no `return()`, so a loop
 * left early (a row that does not map, the writer failing, the reader stopping) would leave the
 * cursor open on the server until it times out: it is closed here, however the loop ends.
 */
async function* mapped<T, R>(cursor: AsyncIterable<T> & { close(): Promise<unknown> }, row: (document: T) => R): AsyncGenerator<R> {
  try {
    for await (const document of cursor) yield row(document);
  } finally {
    await cursor.close();
  }
}

/** A workspace's records as tables: every row of a kind, archived creators included, in a stable order. */
export class ExportService {
  constructor(
    private readonly models: {
      influencers: InfluencerModel;
      touchpoints: TouchpointModel;
      collaborations: CollaborationModel;
      payments: PaymentModel;
      contents: ContentModel;
    },
  ) {}

  async table(workspace: { id: string; timezone: string }, kind: ExportKind, words: ExportWords): Promise<ExportTable> {
    const wsId = new Types.ObjectId(workspace.id);
    const day = (at: Date | null | undefined) => (at ? localDay(at, workspace.timezone) : undefined);
    const names = async () => {
      const map = new Map<string, string>();
      for (const c of await this.models.influencers.find({ workspaceId: wsId }, { name: 1 }).lean()) map.set(String(c._id), c.name);
      return map;
    };
    const collabTitles = async () => {
      const map = new Map<string, string>();
      for (const c of await this.models.collaborations.find({ workspaceId: wsId }, { title: 1 }).lean()) map.set(String(c._id), c.title);
      return map;
    };
    switch (kind) {
      case 'creators': {
        const cursor = this.models.influencers.find({ workspaceId: wsId }, { searchKeys: 0 }).sort({ nameKey: 1, _id: 1 }).lean<InfluencerDoc[]>().cursor({ batchSize: BATCH });
        return { header: [...CREATOR_FIELDS], rows: mapped(cursor, creatorRow) };
      }
      case 'collaborations': {
        const creators = await names();
        const all = this.models.collaborations.find({ workspaceId: wsId }).sort({ start: 1, _id: 1 }).lean().cursor({ batchSize: BATCH });
        return {
          header: ['id', 'creator', 'creator id', 'title', 'type', 'goal', 'status', 'owner', 'start', 'end', 'fee', 'currency', 'schedule', 'net days', 'commission %', 'product only', 'expected per month', 'discount code', 'tracking link', 'reporting day', 'guidelines', 'key messages', 'cta', 'must mention', 'must avoid', 'brief sent', 'closed', 'close reason'],
          rows: mapped(all, (c): CsvCell[] => [
            String(c._id),
            creators.get(String(c.influencerId)),
            String(c.influencerId),
            c.title,
            c.type,
            c.goal,
            c.status,
            c.ownerId,
            day(c.start),
            day(c.end),
            c.compensation?.feeMinor != null && c.compensation.currency ? decimal(c.compensation.feeMinor, c.compensation.currency) : undefined,
            c.compensation?.currency ?? undefined,
            c.compensation?.schedule ?? undefined,
            c.compensation?.netDays ?? undefined,
            c.compensation?.commissionPct ?? undefined,
            c.compensation?.productOnly ? 'yes' : undefined,
            c.expectedPerMonth.map((e) => `${e.type} ${e.count}`).join(', ') || undefined,
            c.discountCode ?? undefined,
            c.trackingLink ?? undefined,
            c.reportingDay ?? undefined,
            c.brief?.guidelines ?? undefined,
            c.brief?.keyMessages ?? undefined,
            c.brief?.callToAction ?? undefined,
            c.brief?.mustMention ?? undefined,
            c.brief?.mustAvoid ?? undefined,
            day(c.briefSentAt),
            day(c.closedAt),
            c.closeReason ?? undefined,
          ]),
        };
      }
      case 'payments': {
        const [creators, titles] = await Promise.all([names(), collabTitles()]);
        const all = this.models.payments.find({ workspaceId: wsId }).sort({ dueAt: 1, _id: 1 }).lean().cursor({ batchSize: BATCH });
        return {
          header: ['id', 'creator', 'creator id', 'collaboration', 'collaboration id', 'label', 'amount', 'currency', 'due', 'status', 'paid on', 'reference', 'owner', 'cancelled on', 'cancel reason', 'typed label', 'auto label'],
          // `label` is what every list shows (a typed label, else the bot's name in words); `typed label`
          // and `auto label` are the two stored fields as they are, so the file reads back to the same payment.
          rows: mapped(all, (p): CsvCell[] => [
            String(p._id),
            creators.get(String(p.influencerId)),
            String(p.influencerId),
            titles.get(String(p.collaborationId)),
            String(p.collaborationId),
            p.label ?? (p.autoLabel ? words.autoLabel(p.autoLabel) : undefined),
            decimal(p.amountMinor, p.currency),
            p.currency,
            day(p.dueAt),
            p.status,
            day(p.paidAt),
            p.reference ?? undefined,
            p.ownerId,
            day(p.cancelledAt),
            // The bot's code (`commission-revenue-cleared`, like `status`), then what a person typed.
            [p.cancelCode, p.cancelReason].filter(Boolean).join(': ') || undefined,
            p.label ?? undefined,
            autoLabelCode(p.autoLabel),
          ]),
        };
      }
      case 'content': {
        const [creators, titles] = await Promise.all([names(), collabTitles()]);
        const all = this.models.contents.find({ workspaceId: wsId }).sort({ month: 1, _id: 1 }).lean().cursor({ batchSize: BATCH });
        return {
          header: ['id', 'creator', 'creator id', 'collaboration', 'collaboration id', 'type', 'network', 'month', 'due', 'status', 'url', 'published', 'usage rights until', ...METRICS.map((m) => m.replace(/_/g, ' '))],
          rows: mapped(all, (c): CsvCell[] => {
            const metrics = c.metrics instanceof Map ? Object.fromEntries(c.metrics) : ((c.metrics ?? {}) as Record<string, number>);
            return [
              String(c._id),
              creators.get(String(c.influencerId)),
              String(c.influencerId),
              titles.get(String(c.collaborationId)),
              String(c.collaborationId),
              c.type,
              c.network ?? undefined,
              c.month,
              day(c.dueAt),
              c.status,
              c.url ?? undefined,
              day(c.publishedAt),
              day(c.usageRightsUntil),
              ...METRICS.map((m) => metrics[m]),
            ];
          }),
        };
      }
      case 'touchpoints': {
        const creators = await names();
        const all = this.models.touchpoints.find({ workspaceId: wsId }).sort({ at: 1, _id: 1 }).lean().cursor({ batchSize: BATCH });
        return {
          header: ['creator', 'creator id', 'kind', 'date', 'by', 'summary'],
          rows: mapped(all, (t): CsvCell[] => [creators.get(String(t.influencerId)), String(t.influencerId), t.kind, day(t.at), t.byId, t.summary]),
        };
      }
    }
  }
}

/** Minor units as the decimal a spreadsheet sums: 150000 EUR -> 1500.00 (written as text so the cents stay). */
function decimal(minor: number, currency: string): string {
  return formatDecimal({ amountMinor: minor, currency });
}
