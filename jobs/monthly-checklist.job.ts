import { defineJob } from '../src/core';

/**
 * On the 1st at the posting time: plans this month's content checklist for every active
 * collaboration (`planMonth` is idempotent, so a catch-up or a second replica plans nothing twice).
 * Runs whether or not a digest channel is set, and posts nothing: what the team sees each month is
 * the monthly-digest job's performance digest; `/collab list` shows each checklist.
 */
export default defineJob({
  name: 'monthly-checklist',
  description: "Plans each active collaboration's content checklist for the month, on the 1st at the posting time (no post).",
  schedule: { kind: 'monthly', at: 'posting-time' },
  plans: true,
  async run(workspace, period, ctx) {
    await ctx.services.collaborations.planMonth({ id: workspace.id, timezone: workspace.timezone }, period.key);
    return [];
  },
});
