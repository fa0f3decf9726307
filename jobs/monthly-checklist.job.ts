import { context, defineJob, para, reply } from '../src/core';
import { formatMonth } from '../src/core';

/**
 * On the 1st at the posting time: plans this month's content checklist for every active
 * collaboration (`planMonth` is idempotent, so a catch-up or a second replica plans nothing twice),
 * then says so in the digest channel when it planned something. Runs whether or not a digest
 * channel is set: the checklist matters even where nobody reads the digest.
 */
export default defineJob({
  name: 'monthly-checklist',
  description: "Plans each active collaboration's content checklist for the month, on the 1st at the posting time.",
  schedule: { kind: 'monthly', at: 'posting-time' },
  async run(workspace, period, ctx) {
    const { collaborations, planned } = await ctx.services.collaborations.planMonth({ id: workspace.id, timezone: workspace.timezone }, period.key);
    if (planned === 0) return [];
    return [
      {
        channel: 'digest',
        reply: reply(
          [
            para(`Planned ${planned} deliverable${planned === 1 ? '' : 's'} for ${formatMonth(period.key)} across ${collaborations} collaboration${collaborations === 1 ? '' : 's'}.`),
            context('`/collab list` shows each checklist.'),
          ],
          'channel',
        ),
      },
    ];
  },
});
