import { Types, type Model } from 'mongoose';
import { STAGES, TOUCHPOINT_KINDS, type Stage } from '../src/core/vocabulary';
import { planMonthItems } from '../src/domain/content/checklist-rules';
import { urlKey } from '../src/domain/content/content-links';
import { fold } from '../src/domain/fold';
import type { Handle } from '../src/domain/influencer/influencer-rules';
import { titleSearchFields } from '../src/domain/collaboration/collaboration-search';
import { searchFields } from '../src/domain/influencer/influencer-search';
import { reachOutOf } from '../src/domain/nurture/reach-out';
import { addDays, localDay, localMonth, startOfLocalDay } from '../src/core';
import type { Models } from '../src/domain/services';

/**
 * Seeds one workspace with creators numbered `from` to `to - 1`, each with touchpoints, a
 * collaboration, its content and its payments, written with insertMany straight into the models
 * (the services would take minutes for 50,000 creators). Every document carries what the services
 * write: folded `nameKey`, `searchKeys`, `handleKeys` as `<workspaceId>/<network>:<handle>`,
 * `titleKey`, `planSlot`/`urlKey`/`urlSlot`, `scheduleKey`. A sample of each kind is validated
 * against its schema first, so a model change that the seed does not follow fails loudly.
 */

export interface SeedOptions {
  workspaceId: string;
  timezone: string;
  now: Date;
  from: number;
  to: number;
  /** Only the creators (the Discord workspace the autocomplete row types into). */
  creatorsOnly?: boolean;
}

export interface SeedCounts {
  influencers: number;
  touchpoints: number;
  collaborations: number;
  contents: number;
  payments: number;
}

/** What the scenarios pick their arguments from. */
export interface SeedRefs {
  /** `creator42`: every creator's instagram handle is `creator<i>`. */
  handle(i: number): string;
  /** Titles of active collaborations (unique), a sample across the range. */
  activeTitles: string[];
  /** A name that many creators share: `find` returns the best 10 of many. */
  commonName: string;
  /** The folded name of creator 0, for the one-read floor (`workspaceId` + `nameKey`). */
  nameKey: string;
  /** The link of creator i's post published last month (every creator has one): what `/content edit|remove` name. */
  lastMonthPost(i: number): string;
  /** Whether creator i's collaboration is active (a completed one's content is final: not edited or removed). */
  active(i: number): boolean;
}

const FIRST = [
  'Zoë', 'Ana', 'Chloé', 'José', 'Mia', 'Noah', 'Léa', 'Lucas', 'Emma', 'Hugo', 'Inès', 'Liam', 'Sofía', 'Mateo', 'Yuki', 'Amara',
  'Jonas', 'Elif', 'Kai', 'Nora', 'Aarav', 'Maya', 'Omar', 'Lina', 'Ravi', 'Freya', 'Theo', 'Ines', 'Luca', 'Ivy', 'Sami', 'Ada',
  'Felix', 'Maëlle', 'Diego', 'Hana', 'Oscar', 'Priya', 'Eli', 'Rosa',
];
const LAST = [
  'Tran', 'Lima', 'Martin', 'García', 'Nguyen', 'Smith', 'Müller', 'Rossi', 'Kim', 'Silva', 'Dubois', 'Khan', 'Novak', 'Okafor', 'Sato',
  'Jensen', 'Costa', 'Haddad', 'Ivanova', 'Brown', 'Larsen', 'Moreau', 'Fischer', 'Santos', 'Yilmaz', 'Chen', 'Patel', 'López', 'Weber',
  'Berg', 'Kowalski', 'Ahmed', 'Rivera', 'Dupont', 'Schmidt', 'Romero', 'Ali', 'Park', 'Meyer', 'Lindqvist', 'Ortiz', 'Popescu', 'Horvat',
  'Nakamura', 'Wójcik', 'Eriksen', 'Hoang', 'Adeyemi', 'Castro', 'Vidal',
];
const TAGS = ['beauty', 'skincare', 'fitness', 'travel', 'food', 'tech', 'fashion', 'gaming', 'parenting', 'wellness', 'vegan', 'outdoors'];
const CAMPAIGNS = ['Spring launch', 'Summer glow', 'Autumn box', 'Holiday gifting', 'Back to school', 'Brand ambassadors', 'Code drop', 'Review wave'];
const COLLAB_TYPES = ['sponsored-post', 'review', 'takeover', 'ambassador', 'affiliate', 'gifting'] as const;
const GOALS = ['awareness', 'image', 'sales'] as const;
const EARLY_STAGES: Stage[] = STAGES.filter((s) => !['active', 'ambassador'].includes(s));
const RECENT_KINDS = TOUCHPOINT_KINDS.filter((k) => k !== 'outreach');
const OWNERS = ['U0OWNER0', 'U0OWNER1', 'U0OWNER2', 'U0OWNER3', 'U0OWNER4'];
const EXPECTED = [
  { type: 'post' as const, count: 1 },
  { type: 'story' as const, count: 1 },
];
const CHUNK = 2_000;
const DAY = 86_400_000;

export const creatorName = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
export const collabTitle = (i: number) => `${CAMPAIGNS[i % CAMPAIGNS.length]} ${i}`;
/** One creator in five has a completed collaboration; the others an active one. */
export const hasActiveCollab = (i: number) => i % 5 !== 4;

/** `now` and `timezone` as the workspace was seeded with: they decide which month is last month. */
export function seedRefs(n: number, seeded: { now: Date; timezone: string }): SeedRefs {
  const activeTitles: string[] = [];
  const step = Math.max(1, Math.floor(n / 200));
  for (let i = 0; i < n && activeTitles.length < 200; i += step) if (hasActiveCollab(i)) activeTitles.push(collabTitle(i));
  const { lastMonth } = months(seeded.now, seeded.timezone);
  return { handle: (i) => `creator${i}`, activeTitles, commonName: fold(FIRST[0]!), nameKey: fold(creatorName(0)), lastMonthPost: (i) => publishedUrl(i, 'p', lastMonth), active: hasActiveCollab };
}

function months(now: Date, timezone: string): { thisMonth: string; lastMonth: string; twoMonthsAgo: string } {
  const thisMonth = localMonth(now, timezone);
  const lastMonth = localMonth(new Date(startOfLocalDay(`${thisMonth}-01`, timezone).getTime() - DAY), timezone);
  const twoMonthsAgo = localMonth(new Date(startOfLocalDay(`${lastMonth}-01`, timezone).getTime() - DAY), timezone);
  return { thisMonth, lastMonth, twoMonthsAgo };
}

/** A seeded piece's link: `kind` `p` for last month's post, `s` for this month's story. */
const publishedUrl = (i: number, kind: string, month: string) => `https://www.instagram.com/p/bench${i}${kind}${month.replace('-', '')}/`;

export async function seedWorkspace(models: Models, options: SeedOptions): Promise<SeedCounts> {
  const counts: SeedCounts = { influencers: 0, touchpoints: 0, collaborations: 0, contents: 0, payments: 0 };
  for (let from = options.from; from < options.to; from += CHUNK) {
    const batch = buildBatch({ ...options, from, to: Math.min(options.to, from + CHUNK) });
    if (from === options.from) await validateSample(models, batch);
    if (options.creatorsOnly) Object.assign(batch, { touchpoints: [], collaborations: [], contents: [], payments: [] });
    await Promise.all([
      insert(models.influencers, batch.influencers),
      insert(models.touchpoints, batch.touchpoints),
      insert(models.collaborations, batch.collaborations),
      insert(models.contents, batch.contents),
      insert(models.payments, batch.payments),
    ]);
    counts.influencers += batch.influencers.length;
    counts.touchpoints += batch.touchpoints.length;
    counts.collaborations += batch.collaborations.length;
    counts.contents += batch.contents.length;
    counts.payments += batch.payments.length;
    // The chunk is garbage now: collect it (the bench runs with --expose-gc) rather than let the
    // heap grow over the whole seeding, so the process's peak memory is the app's, not the seed's.
    (globalThis as { gc?: () => void }).gc?.();
  }
  return counts;
}

type Doc = Record<string, unknown>;

interface Batch {
  influencers: Doc[];
  touchpoints: Doc[];
  collaborations: Doc[];
  contents: Doc[];
  payments: Doc[];
}

async function insert(model: Model<any>, docs: Doc[]): Promise<void> {
  if (docs.length > 0) await model.insertMany(docs, { ordered: false, lean: true });
}

/** Validates the first few documents of each kind against the real schemas (insertMany with `lean` does not). */
async function validateSample(models: Models, batch: Batch): Promise<void> {
  const kinds: Array<[string, Model<any>, Doc[]]> = [
    ['influencer', models.influencers, batch.influencers],
    ['touchpoint', models.touchpoints, batch.touchpoints],
    ['collaboration', models.collaborations, batch.collaborations],
    ['content', models.contents, batch.contents],
    ['payment', models.payments, batch.payments],
  ];
  for (const [kind, model, docs] of kinds) {
    for (const doc of docs.slice(0, 5)) {
      await new model(doc).validate().catch((error: unknown) => {
        throw new Error(`bench seed: a seeded ${kind} does not match its schema: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }
}

function buildBatch({ workspaceId, timezone, now, from, to }: SeedOptions): Batch {
  const wsId = new Types.ObjectId(workspaceId);
  const { thisMonth, lastMonth, twoMonthsAgo } = months(now, timezone);
  const collabStart = startOfLocalDay(`${twoMonthsAgo}-01`, timezone);
  const today = localDay(now, timezone);
  const created = new Date(now.getTime() - 120 * DAY);
  const batch: Batch = { influencers: [], touchpoints: [], collaborations: [], contents: [], payments: [] };

  for (let i = from; i < to; i++) {
    const influencerId = new Types.ObjectId();
    const collaborationId = new Types.ObjectId();
    const ownerId = OWNERS[i % OWNERS.length]!;
    const active = hasActiveCollab(i);

    // The creator, as InfluencerService.add writes it, with last contact as logTouchpoint leaves it.
    const handles: Handle[] = [{ network: 'instagram', handle: `creator${i}`, followers: 1_000 + ((i * 7_919) % 500_000) }];
    if (i % 3 === 0) handles.push({ network: 'tiktok', handle: `creator${i}.tt`, followers: 500 + ((i * 104_729) % 900_000) });
    const tags = [TAGS[i % TAGS.length]!, TAGS[(i * 7 + 3) % TAGS.length]!].filter((t, k, all) => all.indexOf(t) === k);
    const stage: Stage = active ? (i % 10 === 0 ? 'ambassador' : 'active') : EARLY_STAGES[i % EARLY_STAGES.length]!;
    const name = creatorName(i);
    const recent = { kind: RECENT_KINDS[i % RECENT_KINDS.length]!, at: new Date(now.getTime() - (i % 45) * DAY - 3_600_000) };
    batch.influencers.push({
      _id: influencerId,
      workspaceId: wsId,
      name,
      handles,
      handleKeys: handles.map((h) => `${workspaceId}/${h.network}:${h.handle}`),
      email: `creator${i}@example.com`,
      ...(i % 2 === 0 ? { phone: `+1 555 ${String(i % 10_000).padStart(4, '0')}` } : {}),
      birthday: { month: (i % 12) + 1, day: (i % 28) + 1, ...(i % 2 === 0 ? { year: 1985 + (i % 20) } : {}) },
      tags,
      ...(i % 4 === 0 ? { preferences: 'Size M, no nuts' } : {}),
      ownerId,
      stage,
      source: i % 2 === 0 ? 'instagram search' : 'referral',
      lastContact: { at: recent.at, kind: recent.kind, byId: ownerId },
      // As ReachOutDays writes it, under the default cadences (the bench workspace keeps them).
      reachOut: { ...reachOutOf({ stage, lastContact: { at: recent.at }, createdAt: created }, { timezone, cadences: {} }), tz: timezone, rev: 1 },
      ...searchFields({ name, handles, tags, stage }),
      nameKey: fold(name),
      createdAt: created,
      updatedAt: created,
      __v: 0,
    });

    batch.touchpoints.push(
      { workspaceId: wsId, influencerId, kind: 'outreach', at: new Date(now.getTime() - (90 + (i % 30)) * DAY), byId: ownerId, summary: 'First DM about a partnership', __v: 0 },
      { workspaceId: wsId, influencerId, kind: recent.kind, at: recent.at, byId: ownerId, summary: `Bench ${recent.kind}`, __v: 0 },
    );

    // One collaboration each, as CollaborationService.create writes it.
    const title = collabTitle(i);
    const currency = i % 4 === 0 ? 'EUR' : 'USD';
    const feeMinor = 50_000 + (i % 20) * 5_000;
    batch.collaborations.push({
      _id: collaborationId,
      workspaceId: wsId,
      influencerId,
      title,
      ...titleSearchFields(title),
      type: COLLAB_TYPES[i % COLLAB_TYPES.length],
      goal: GOALS[i % GOALS.length],
      ownerId,
      start: collabStart,
      brief: { guidelines: 'https://brand.example.com/guidelines', keyMessages: 'Clean ingredients, made in small batches' },
      expectedPerMonth: EXPECTED,
      compensation: { feeMinor, currency, schedule: 'monthly', netDays: 30, productOnly: false },
      discountCode: `CODE${i}`,
      trackingLink: `https://shop.example.com/?ref=creator${i}`,
      reportingDay: 5,
      status: active ? 'active' : 'completed',
      ...(active ? {} : { closedAt: new Date(now.getTime() - 10 * DAY) }),
      createdAt: collabStart,
      updatedAt: collabStart,
      __v: 0,
    });

    // Content: last month's post published; this month's plan (as planMonth writes it), half of it published.
    const plannedItem = (month: string, item: ReturnType<typeof planMonthItems>[number]) => ({
      workspaceId: wsId,
      collaborationId,
      influencerId,
      ownerId,
      planSlot: `${String(collaborationId)}:${item.slot}`,
      type: item.type,
      month,
      dueAt: item.dueAt,
      status: 'planned',
      planned: true,
      metrics: {},
      metricHistory: [],
      createdAt: collabStart,
      updatedAt: collabStart,
      __v: 0,
    });
    const published = (month: string, at: Date, kind: string) => {
      const url = publishedUrl(i, kind, month);
      const key = urlKey(url);
      const metrics = { reach: 10_000 + (i % 900) * 11, likes: 400 + (i % 300), comments: 20 + (i % 40), saves: 10 + (i % 25) };
      return {
        status: 'published',
        network: 'instagram',
        url,
        urlKey: key,
        urlSlot: `${String(collaborationId)} ${key}`,
        publishedAt: at,
        // As ContentService.log writes it: the creator's owner (here also the collaboration's).
        creatorOwnerId: ownerId,
        metrics,
        metricHistory: Object.entries(metrics).map(([metric, value]) => ({ metric, value, at, byId: ownerId })),
      };
    };
    const last = planMonthItems(lastMonth, EXPECTED, { start: collabStart }, timezone)[0]!;
    batch.contents.push({ ...plannedItem(lastMonth, last), ...published(lastMonth, new Date(last.dueAt.getTime() - 2 * DAY), 'p') });
    if (active) {
      planMonthItems(thisMonth, EXPECTED, { start: collabStart }, timezone).forEach((item, k) => {
        const publish = k === 0 && i % 2 === 0;
        batch.contents.push({ ...plannedItem(thisMonth, item), ...(publish ? published(thisMonth, new Date(now.getTime() - DAY), 's') : {}) });
      });
    }

    // Payments as generateSchedule writes them: last month's paid (some after the due day), this month's scheduled.
    const payment = (month: string, dueOn: string) => ({
      workspaceId: wsId,
      scheduleKey: `${String(collaborationId)}:monthly:${month}`,
      collaborationId,
      influencerId,
      ownerId,
      amountMinor: feeMinor,
      currency,
      dueAt: startOfLocalDay(dueOn, timezone),
      autoLabel: { kind: 'reporting', on: month },
      status: 'scheduled',
      source: 'schedule',
      createdById: ownerId,
      createdAt: collabStart,
      updatedAt: collabStart,
      __v: 0,
    });
    const lastDue = `${lastMonth}-05`;
    batch.payments.push({
      ...payment(lastMonth, lastDue),
      status: 'paid',
      paidAt: new Date(startOfLocalDay(lastDue, timezone).getTime() + ((i % 7) - 2) * DAY + 12 * 3_600_000),
      paidById: OWNERS[0],
    });
    // From 5 days late to 54 days ahead: about 8% late and 7% due within the warning window.
    if (active) batch.payments.push(payment(thisMonth, addDays(today, (i % 60) - 5)));
  }
  return batch;
}
