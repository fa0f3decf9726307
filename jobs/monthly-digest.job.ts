import { defineJob, file } from '../src/core';
import { renderGoalChart } from '../src/chart/goal-chart';
import { previousMonth } from '../src/domain/report/report-rules';
import { chartFileName, digestChart, digestReply } from '../commands/report.view';

/**
 * On the workspace's reporting day (default the 1st) at its posting time: the month before, in the
 * workspace timezone, judged against each partnership's goal, with its chart attached, in the digest
 * channel. Once per workspace and month through the scheduler's ledger (the period is the month it
 * posts in); `/irm report <month>` and `/irm digest now` read the same report without the ledger and
 * never touch what was posted. No personal data: names and figures only.
 */
export default defineJob({
  name: 'monthly-digest',
  description: "Last month's performance against each partnership's goal, with a chart, on the reporting day at the posting time.",
  channel: 'digest',
  schedule: { kind: 'monthly', day: 'reporting-day', at: 'posting-time' },
  async run(workspace, period, ctx) {
    const month = previousMonth(period.key);
    const report = await ctx.services.reports.monthly({ id: workspace.id, timezone: workspace.timezone, cadences: workspace.settings.cadences }, month);
    const digest = digestReply(report, { visibility: 'channel' });
    if (report.empty) return [{ channel: 'digest', reply: digest }];
    return [{ channel: 'digest', reply: { ...digest, files: [file(chartFileName(month), 'image/png', renderGoalChart(digestChart(report)))] } }];
  },
});
