import { context, defineJob, formatShortDate, header, para, reply, type Block, type Post, type Reply } from '../src/core';
import type { NurtureSnapshot } from '../src/domain/nurture/nurture.service';
import { formatMoneyList } from '../src/domain/money';
import { birthdayBlock, cadenceBlock, deliverableBlock, followUpBlock, winBlock } from './nurture.post';

/** Item lines per section in one message; the rest are counted. */
export const MAX_PER_SECTION = 8;

/**
 * Daily at the posting time: each owner gets one private message with their own list (relationships
 * past the ideal interval, worst health first; birthdays within 7 days with the creator's shipping
 * address and preferences and a "Log gift" action; follow-ups due; wins to celebrate). People who
 * said `/irm me nudges:off` get none. Where the workspace set a nudges channel, the team's version
 * goes there: names, owners and what is due, never an address, preference or birth year.
 *
 * Exactly once per owner and day: each post carries a stable key (`owner:<id>`, `team`), so a retry
 * later in the day skips the people it already reached even when the list of owners changed.
 */
export default defineJob({
  name: 'nudges',
  description: "Each owner's private nudge (and the team's version in the nudges channel), at the posting time.",
  schedule: { kind: 'daily', at: 'posting-time' },
  async run(workspace, _period, ctx) {
    const nurtureWorkspace = { id: workspace.id, timezone: workspace.timezone, cadences: workspace.settings.cadences, warnBeforeDueDays: workspace.settings.warnBeforeDueDays };
    const [snapshot, off] = await Promise.all([
      ctx.services.nurture.snapshot(nurtureWorkspace, ctx.now, { cadence: 'ideal', personal: true, wins: true, health: true }),
      ctx.services.nurture.nudgesOff(workspace.id),
    ]);
    const posts: Post[] = [];
    if (workspace.settings.channels.nudges) {
      const team = nudgePost(snapshot, { personal: false });
      if (team) posts.push({ channel: 'nudges', key: 'team', reply: team });
    }
    for (const owner of ownersOf(snapshot)) {
      if (off.has(owner)) continue;
      const mine = nudgePost(snapshotOf(snapshot, owner), { personal: true });
      if (mine) posts.push({ user: owner, key: `owner:${owner}`, reply: mine });
    }
    return posts;
  },
});

function ownersOf(snapshot: NurtureSnapshot): string[] {
  const owners = new Set<string>();
  for (const c of snapshot.cadence) owners.add(c.creator.ownerId);
  for (const b of snapshot.birthdays) owners.add(b.creator.ownerId);
  for (const f of snapshot.followUps) owners.add(f.ownerId);
  for (const w of snapshot.wins) owners.add(w.creator.ownerId);
  return [...owners].sort();
}

/** One owner's share of the snapshot. */
export function snapshotOf(snapshot: NurtureSnapshot, owner: string): NurtureSnapshot {
  return {
    ...snapshot,
    cadence: snapshot.cadence.filter((c) => c.creator.ownerId === owner),
    birthdays: snapshot.birthdays.filter((b) => b.creator.ownerId === owner),
    followUps: snapshot.followUps.filter((f) => f.ownerId === owner),
    wins: snapshot.wins.filter((w) => w.creator.ownerId === owner),
    cadenceCount: snapshot.cadence.filter((c) => c.creator.ownerId === owner).length,
    deliverables: [],
    deliverableCount: 0,
  };
}

/**
 * `personal`: the message to one owner (addresses and preferences of birthday creators). Otherwise
 * the team's version, with owners named and no personal data.
 */
export function nudgePost(snapshot: NurtureSnapshot, options: { personal: boolean; home?: boolean }): Reply | undefined {
  const { cadence, birthdays, followUps, wins, health, today } = snapshot;
  if (cadence.length + birthdays.length + followUps.length + wins.length === 0) return undefined;
  const owner = !options.personal;
  const score = (id: string) => health.get(id)?.score ?? 100;
  const blocks: Block[] = [header(options.personal ? `Your nudges · ${formatShortDate(today)}` : `Nudges · ${formatShortDate(today)}`)];
  const section = <T>(title: string, items: readonly T[], block: (item: T) => Block, total = items.length, where = '') => {
    if (items.length === 0) return;
    blocks.push(para(`*${title}* (${total})`));
    for (const entry of items.slice(0, MAX_PER_SECTION)) blocks.push(block(entry));
    if (total > MAX_PER_SECTION) blocks.push(context(`And ${total - MAX_PER_SECTION} more.${where}`));
  };
  if (options.home) {
    // App Home: most days past the ideal interval first, as read (a page of them, and their count).
    section('Time to reach out', cadence, (c) => cadenceBlock(c, { owner, health: health.get(c.creator.id) }), snapshot.cadenceCount, homeCadenceMore(cadence[0]?.creator.ownerId ?? ''));
  } else {
    const byHealth = [...cadence].sort((a, b) => score(a.creator.id) - score(b.creator.id) || a.creator.name.localeCompare(b.creator.name));
    section('Time to reach out', byHealth, (c) => cadenceBlock(c, { owner, health: health.get(c.creator.id) }));
  }
  section('Birthdays within 7 days', birthdays, (b) => birthdayBlock(b, { owner, personal: options.personal }));
  section('Follow-ups due', followUps, (f) => followUpBlock(f, { owner, today }));
  section('Wins to celebrate', wins, (w) => winBlock(w));
  blocks.push(
    context(
      options.personal
        ? 'Only you get this message. Snooze hides an item for 7 days; Done clears it. `/irm me nudges:off` stops these messages.'
        : 'Each owner also gets their own list privately, with shipping addresses for birthdays.',
    ),
  );
  return reply(blocks, options.personal ? 'private' : 'channel');
}

/**
 * Where App Home's "and N more" relationships are: the owner's creators by health, worst first (the
 * nudge shows only the first 8 too, and not at all to someone with nudges off).
 */
const homeCadenceMore = (ownerId: string) => ` \`/influencer list owner:${ownerId} sort:health\` lists all your creators, worst health first.`;

/**
 * One person's dashboard (`/irm home`, Slack's App Home tab): their nudge, plus the deliverables of
 * their collaborations due within 3 days or overdue and their payments due or late. Private to them.
 * Its "time to reach out" lists the relationships most days past the ideal interval first (the
 * first 8, with their health, and how many more), where the daily nudge orders them by health.
 * The snapshot is that person's alone (`ownerId`).
 */
export function homeReply(snapshot: NurtureSnapshot, ownerId: string, warnDays: number): Reply {
  const mine = nudgePost({ ...snapshotOf(snapshot, ownerId), cadenceCount: snapshot.cadenceCount }, { personal: true, home: true });
  const blocks: Block[] = mine ? mine.blocks.slice(0, -1) : [header(`Your nudges · ${formatShortDate(snapshot.today)}`), para('Nothing needs you today: every relationship is within its cadence.')];
  if (snapshot.deliverables.length) {
    blocks.push(para(`*Deliverables due within 3 days or overdue* (${snapshot.deliverableCount})`));
    for (const d of snapshot.deliverables.slice(0, MAX_PER_SECTION)) blocks.push(deliverableBlock(d, { owner: false }));
  }
  const p = snapshot.payments;
  if (p && p.late.count + p.dueSoon.count > 0) {
    const parts = [p.late.count ? `${p.late.count} late (${formatMoneyList(p.late.totals)})` : '', p.dueSoon.count ? `${p.dueSoon.count} due within ${warnDays} days (${formatMoneyList(p.dueSoon.totals)})` : ''].filter(Boolean);
    blocks.push(para(`*Your payments*: ${parts.join(', ')} · \`/payment list\``));
  }
  blocks.push(context('Only you see this. Snooze hides an item for 7 days; Done clears it.'));
  return reply(blocks, 'private');
}
