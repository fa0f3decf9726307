import { context, defineJob, formatShortDate, header, para, reply, type Block, type Post, type Reply } from '../src/core';
import { DELIVERABLE_WINDOW_DAYS, type NurtureSnapshot } from '../src/domain/nurture/nurture.service';
import { formatMoneyList } from '../src/domain/money';
import { birthdayBlock, cadenceBlock, deliverableBlock, followUpBlock, sectionBlocks, winBlock, type Section } from './nurture.post';

export { MAX_PER_SECTION } from './nurture.post';

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
    birthdayCount: snapshot.birthdays.filter((b) => b.creator.ownerId === owner).length,
    followUpCount: snapshot.followUps.filter((f) => f.ownerId === owner).length,
    deliverables: [],
    deliverableCount: 0,
  };
}

/**
 * `personal`: the message to one owner (addresses and preferences of birthday creators). Otherwise
 * the team's version, with owners named and no personal data.
 */
export function nudgePost(snapshot: NurtureSnapshot, options: { personal: boolean }): Reply | undefined {
  const sections = nudgeSections(snapshot, options);
  if (sections.every((section) => section.items.length === 0)) return undefined;
  const title = options.personal ? `Your nudges · ${formatShortDate(snapshot.today)}` : `Nudges · ${formatShortDate(snapshot.today)}`;
  return reply(
    [
      header(title),
      ...sectionBlocks(sections),
      context(
        options.personal
          ? 'Only you get this message. Snooze hides an item for 7 days; Done clears it. `/irm me nudges:off` stops these messages.'
          : 'Each owner also gets their own list privately, with shipping addresses for birthdays.',
      ),
    ],
    options.personal ? 'private' : 'channel',
  );
}

/**
 * The sections of a nudge. The daily nudge lists the relationships past the ideal interval by
 * health, worst first; App Home (`home`) as read: most days past first (a page of them, and their count).
 */
function nudgeSections(snapshot: NurtureSnapshot, options: { personal: boolean; home?: boolean }): Section[] {
  const { cadence, birthdays, followUps, wins, health, today } = snapshot;
  const owner = !options.personal;
  const score = (id: string) => health.get(id)?.score ?? 100;
  const ordered = options.home ? cadence : [...cadence].sort((a, b) => score(a.creator.id) - score(b.creator.id) || a.creator.name.localeCompare(b.creator.name));
  return [
    {
      title: 'Time to reach out',
      items: ordered.map((c) => cadenceBlock(c, { owner, health: health.get(c.creator.id) })),
      ...(options.home ? { total: snapshot.cadenceCount, where: homeCadenceMore(cadence[0]?.creator.ownerId ?? '') } : {}),
    },
    { title: 'Birthdays within 7 days', items: birthdays.map((b) => birthdayBlock(b, { owner, personal: options.personal })), ...(options.home ? { total: snapshot.birthdayCount } : {}) },
    { title: 'Follow-ups due', items: followUps.map((f) => followUpBlock(f, { owner, today })), ...(options.home ? { total: snapshot.followUpCount } : {}) },
    { title: 'Wins to celebrate', items: wins.map((w) => winBlock(w)) },
  ];
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
 * The snapshot is that person's alone (`ownerId`). Within one message's budget like the nudge.
 */
export function homeReply(snapshot: NurtureSnapshot, ownerId: string, warnDays: number): Reply {
  // Its lists were read a page at a time (see the snapshot's counts): the sections say how many in all.
  const mine = { ...snapshotOf(snapshot, ownerId), cadenceCount: snapshot.cadenceCount, birthdayCount: snapshot.birthdayCount, followUpCount: snapshot.followUpCount };
  const sections = nudgeSections(mine, { personal: true, home: true });
  const quiet = sections.every((section) => section.items.length === 0);
  const blocks: Block[] = [
    header(`Your nudges · ${formatShortDate(snapshot.today)}`),
    ...(quiet ? [para('Nothing needs you today: every relationship is within its cadence.')] : []),
    ...sectionBlocks([
      ...(quiet ? [] : sections),
      { title: `Deliverables due within ${DELIVERABLE_WINDOW_DAYS} days or overdue`, items: snapshot.deliverables.map((d) => deliverableBlock(d, { owner: false })), total: snapshot.deliverableCount },
    ]),
  ];
  const p = snapshot.payments;
  if (p && p.late.count + p.dueSoon.count > 0) {
    const parts = [p.late.count ? `${p.late.count} late (${formatMoneyList(p.late.totals)})` : '', p.dueSoon.count ? `${p.dueSoon.count} due within ${warnDays} days (${formatMoneyList(p.dueSoon.totals)})` : ''].filter(Boolean);
    blocks.push(para(`*Your payments*: ${parts.join(', ')} · \`/payment list\``));
  }
  blocks.push(context('Only you see this. Snooze hides an item for 7 days; Done clears it.'));
  return reply(blocks, 'private');
}
