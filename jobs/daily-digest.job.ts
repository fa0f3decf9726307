import { context, defineJob, formatShortDate, header, notifying, para, reply, type Block, type ItemBlock, type Reply } from '../src/core';
import { formatMoneyList } from '../src/domain/money';
import { DELIVERABLE_WINDOW_DAYS, type NurtureSnapshot } from '../src/domain/nurture/nurture.service';
import { MAX_PER_SECTION, birthdayBlock, cadenceBlock, deliverableBlock, followUpBlock, sectionBlocks } from './nurture.post';

/**
 * Daily at the posting time, in the digest channel: birthdays today and in the next 7 days (name
 * and day only: no year, no age, no address), follow-ups due, relationships past their maximum
 * interval, deliverables due within 3 days or overdue, and one line on payments due or late. Each
 * item names its owner (who is notified) and carries Log touchpoint / Snooze 7 days / Done.
 * Silent on a day with nothing to say. One post per workspace and day through the scheduler's ledger.
 */
export default defineJob({
  name: 'daily-digest',
  description: 'Birthdays, follow-ups, quiet relationships, deliverables and payments due, in the digest channel, at the posting time.',
  channel: 'digest',
  schedule: { kind: 'daily', at: 'posting-time' },
  async run(workspace, _period, ctx) {
    const snapshot = await ctx.services.nurture.snapshot(
      { id: workspace.id, timezone: workspace.timezone, cadences: workspace.settings.cadences, warnBeforeDueDays: workspace.settings.warnBeforeDueDays },
      ctx.now,
      // The post lists the first deliverables by due day and counts the rest: only those are read.
      { cadence: 'max', deliverables: true, deliverablesPage: MAX_PER_SECTION, payments: true },
    );
    const post = dailyDigestPost(snapshot, workspace.settings.warnBeforeDueDays);
    return post ? [{ channel: 'digest', reply: post }] : [];
  },
});

export function dailyDigestPost(snapshot: NurtureSnapshot, warnDays: number): Reply | undefined {
  const { birthdays, followUps, cadence, deliverables, deliverableCount, payments, today } = snapshot;
  const paymentsDue = (payments?.late.count ?? 0) + (payments?.dueSoon.count ?? 0);
  if (birthdays.length + followUps.length + cadence.length + deliverableCount + paymentsDue === 0) return undefined;
  // Each item names its owner, who is notified when it is shown.
  const owners = new Map<Block, string>();
  const owned = <T>(items: readonly T[], block: (item: T) => ItemBlock, ownerOf: (item: T) => string) =>
    items.map((entry) => {
      const line = block(entry);
      owners.set(line, ownerOf(entry));
      return line;
    });
  const blocks: Block[] = [
    header(`Daily digest · ${formatShortDate(today)}`),
    ...sectionBlocks([
      { title: 'Birthdays this week', items: owned(birthdays, (b) => birthdayBlock(b, { owner: true, personal: false }), (b) => b.creator.ownerId) },
      { title: 'Follow-ups due', items: owned(followUps, (f) => followUpBlock(f, { owner: true, today }), (f) => f.ownerId) },
      { title: 'Past their maximum interval', items: owned(cadence, (c) => cadenceBlock(c, { owner: true }), (c) => c.creator.ownerId) },
      { title: `Deliverables due within ${DELIVERABLE_WINDOW_DAYS} days or overdue`, items: owned(deliverables, (d) => deliverableBlock(d, { owner: true }), (d) => d.ownerId), total: deliverableCount },
    ]),
  ];
  if (payments && paymentsDue > 0) {
    const parts = [
      payments.late.count ? `${payments.late.count} late (${formatMoneyList(payments.late.totals)})` : '',
      payments.dueSoon.count ? `${payments.dueSoon.count} due within ${warnDays} day${warnDays === 1 ? '' : 's'} (${formatMoneyList(payments.dueSoon.totals)})` : '',
    ].filter(Boolean);
    blocks.push(para(`*Payments*: ${parts.join(', ')} · \`/payment list\``));
  }
  blocks.push(context('Totals are per currency. Snooze hides an item for 7 days; Done clears it. `/irm me nudges:off` stops your private nudges.'));
  return notifying(reply(blocks, 'channel'), blocks.flatMap((block) => owners.get(block) ?? []));
}
