import { z } from 'zod';
import {
  channelPicker,
  UserFacingError,
  formatMonth,
  localMonth,
  context,
  defineCommand,
  fields,
  file,
  header,
  isPostingTime,
  oneOf,
  optional,
  para,
  periodFor,
  reply,
  subcommand,
  text,
  textField,
  timezone,
  wholeNumber,
  type Block,
  CHANNEL_KINDS,
  type ChannelKind,
  type CommandContext,
  type JobWorkspace,
  type Platform,
  type Reply,
} from '../src/core';
import { currencyCode } from './money.schema';
import { renderGoalChart } from '../src/chart/goal-chart';
import { month as monthField } from './collab.schema';
import { briefingReply, chartFileName, contentCsv, csvFileName, digestChart, digestReply } from './report.view';
import type { SettingsPatch } from '../src/domain/workspace/workspace.service';
import { jobs } from '../jobs';
import { MAX_PER_SECTION, homeReply } from '../jobs/nudges.job';
import { exportSubcommand, importSubcommand } from './irm-data';
import { describeManagers, managerList } from './payment-managers';
import { describeCadences } from './nurture.view';
import { stageCadences } from './nurture.schema';

/** `<#C0123|payments>` (Slack), `<#1234…>` (Discord), `#payments` or an id; `none` unsets it. */
const channelRef = (name: ChannelKind) =>
  // Discord shows a channel picker (its value is the channel id); Slack and the console take it as text.
  channelPicker(
    z
      .string()
      .trim()
      .transform((value) => (/^(none|off)$/i.test(value) ? null : value.replace(/^<#([^>|]+)(\|[^>]*)?>$/, '$1').replace(/^#/, '')))
      .refine((value) => value === null || /^[\w.-]{1,80}$/.test(value), `${name} must be a channel like #${name}, or "none"`),
  );

const currency = currencyCode;

/**
 * `clear:payments,nudges`: channels to unset. Discord's channel picker has no "none", so this is how
 * a channel is unset there; Slack and the console take it too (as well as `payments:none`).
 */
const clearChannels = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const kinds = value.toLowerCase().split(/[\s,]+/).filter(Boolean);
    const wrong = kinds.find((kind) => !(CHANNEL_KINDS as readonly string[]).includes(kind));
    if (kinds.length === 0 || wrong !== undefined) {
      ctx.addIssue({ code: 'custom', message: `clear takes the channels to unset: ${CHANNEL_KINDS.join(', ')}${wrong !== undefined ? ` ("${wrong.slice(0, 40)}" is not one)` : ''}` });
      return z.NEVER;
    }
    return [...new Set(kinds)] as ChannelKind[];
  })
  .describe('Channels to unset: digest, payments, nudges (several with commas)');

const settingsInput = z.object({
  timezone: optional(timezone),
  currency: optional(currency),
  digest: optional(channelRef('digest')),
  payments: optional(channelRef('payments')),
  nudges: optional(channelRef('nudges')),
  warn_days: optional(wholeNumber('warn_days', { max: 60, maxMessage: 'warn_days is at most 60', unit: 'days', example: '5' })),
  posting_time: optional(z.string().trim().refine(isPostingTime, 'posting_time must be a 24-hour time like 09:00')),
  reporting_day: optional(
    wholeNumber('reporting_day', { min: 1, max: 28, example: '15', minMessage: 'reporting_day is a day of the month from 1 to 28', maxMessage: 'reporting_day is a day of the month from 1 to 28' }),
  ),
  managers: optional(managerList),
  cadence: optional(stageCadences),
  clear: optional(clearChannels),
});

function describeChannel(id: string | undefined, platform: Platform): string {
  if (!id) return 'not set';
  return platform === 'console' ? `#${id}` : `<#${id}>`;
}

function settingsCard(workspace: JobWorkspace, lead?: string): Reply {
  const { settings, platform } = workspace;
  const blocks: Block[] = [];
  if (lead) blocks.push(para(lead));
  blocks.push(
    header('Settings'),
    fields([
      ['Timezone', workspace.timezone],
      ['Currency', workspace.currency],
      ['Digest channel', describeChannel(settings.channels.digest, platform)],
      ['Payments channel', describeChannel(settings.channels.payments, platform)],
      ['Nudges channel', describeChannel(settings.channels.nudges, platform)],
      ['Warn before a payment is due', `${settings.warnBeforeDueDays} day${settings.warnBeforeDueDays === 1 ? '' : 's'}`],
      ['Posting time', `${settings.postingTime} (${workspace.timezone})`],
      ['Performance digest', `on day ${settings.reportingDay ?? 1} of each month, for the month before`],
      ['Payment managers', describeManagers(settings.paymentManagers, platform)],
      ['Cadences (ideal/maximum days between touchpoints)', describeCadences(settings.cadences)],
    ]),
    context(
      'Admins change these with key:value, e.g. `/irm settings payments:#payments warn_days:5 posting_time:08:30 managers:@maria,@li` ' +
        '(`managers:admins` leaves payments to the workspace admins; `clear:payments,nudges` unsets channels; `cadence:active=21/45,prospect=none` sets cadences by stage).',
    ),
  );
  return reply(blocks);
}

/** The jobs `/irm digest now` may run: the ones that only read and post, never the planning ones. */
const runnableNow = () => jobs.filter((j) => !j.plans);

function jobNamed(name: string) {
  const job = jobs.find((j) => j.name === name.toLowerCase());
  const runnable = runnableNow().map((j) => j.name).join(', ');
  if (!job) throw new UserFacingError(`No job called "${name}". Jobs you can run now: ${runnable}.`, { job: 'unknown job' });
  if (job.plans) {
    throw new UserFacingError(`${job.name} plans records and runs only on its schedule (${job.description}) Jobs you can run now: ${runnable}.`, { job: 'runs only on its schedule' });
  }
  return job;
}

/**
 * Runs jobs for this workspace now, without the ledger: a preview (or a post here) never stops the
 * scheduled post. Each post is its own message, exactly as the job lays it out (within every
 * surface's limits, every item with its actions): the preview privately, with `post` in this channel.
 */
async function runNow(ctx: CommandContext, names: string[], post: boolean): Promise<Reply> {
  const workspace = await ctx.services.workspaces.settings(ctx.workspace.id);
  const messages: Reply[] = [];
  const quiet: string[] = [];
  let personal = false;
  for (const name of names) {
    const job = jobNamed(name);
    const period = periodFor(job.schedule, ctx.now, workspace.timezone, workspace.settings.postingTime, workspace.settings.reportingDay);
    const all = await job.run(workspace, period, { services: ctx.services, now: ctx.now, logger: ctx.logger });
    // A post to one person (the nudges) is shown only to that person, and never posted here.
    const posts = all.filter((item) => !('user' in item) || (!post && item.user === ctx.actor.id));
    if (posts.length === 0) quiet.push(job.name);
    personal ||= posts.some((item) => 'user' in item);
    for (const item of posts) messages.push({ ...item.reply, visibility: post ? 'channel' : 'private' });
  }
  if (messages.length === 0) return text(`Nothing to post right now from ${quiet.join(', ')}: on a day like this the channel stays quiet.`);
  if (!post) {
    const line = `\`/irm digest now ${names.length === 1 ? `${names[0]} ` : ''}post\``;
    const what = personal ? "the team's version (never your own list)" : messages.length === 1 ? 'it' : 'them';
    const note = context(
      `Preview: only you can see ${messages.length === 1 ? 'this' : `these ${messages.length} messages`}. ${line} posts ${what} here; the scheduled post goes out at ${workspace.settings.postingTime} as usual.`,
    );
    const last = messages.length - 1;
    messages[last] = { ...messages[last]!, blocks: [...messages[last]!.blocks, note] };
  }
  const [first, ...more] = messages;
  return more.length > 0 ? { ...first!, more } : first!;
}

export default defineCommand({
  name: 'irm',
  description: 'The bot itself: settings (timezone, currency, channels, warnings, posting time, payment managers) and digests on demand.',
  subcommands: {
    settings: subcommand({
      description: 'Show the settings; admins change them with key:value.',
      input: settingsInput,
      examples: [
        '/irm settings',
        '/irm settings payments:#payments digest:#influencers warn_days:5 posting_time:08:30 reporting_day:3',
        '/irm settings timezone:Europe/Paris currency:EUR managers:@maria,@li',
        '/irm settings clear:nudges',
      ],
      async run(input, ctx) {
        const changes = Object.entries(input).filter(([, value]) => value !== undefined);
        if (changes.length === 0) return settingsCard(await ctx.services.workspaces.settings(ctx.workspace.id));
        if (!(await ctx.actor.isAdmin())) {
          throw new UserFacingError(
            'Sorry, only workspace admins (Slack admins and owners, Discord members with Manage Server) can change settings. Nothing was changed; `/irm settings` shows them.',
          );
        }
        // Setting a channel and clearing it in one go has two readings: refused, naming both.
        const both = (input.clear ?? []).filter((kind) => input[kind] !== undefined);
        if (both.length > 0) {
          throw new UserFacingError(`${both[0]} is both set and cleared: give ${both[0]}:<channel> or clear:${both[0]}, not both. Nothing was changed.`, { clear: `${both[0]} is also set` });
        }
        const cleared = Object.fromEntries((input.clear ?? []).map((kind) => [kind, null]));
        const before = await ctx.services.workspaces.settings(ctx.workspace.id);
        const patch: SettingsPatch = {
          currency: input.currency,
          warnBeforeDueDays: input.warn_days,
          postingTime: input.posting_time,
          paymentManagers: input.managers,
          reportingDay: input.reporting_day,
          channels: { digest: input.digest, payments: input.payments, nudges: input.nudges, ...cleared },
          cadences: input.cadence,
        };
        // A new timezone moves no calendar day: due days, checklist days, start and end stay put.
        if (input.timezone && input.timezone !== before.timezone) await ctx.services.timezone.change(ctx.workspace.id, input.timezone);
        const after = await ctx.services.workspaces.updateSettings(ctx.workspace.id, patch);
        return settingsCard(after, `Saved: ${changes.map(([key]) => key.replace(/_/g, ' ')).join(', ')}.`);
      },
    }),

    home: subcommand({
      description: 'Your dashboard: your relationships needing attention, birthdays, follow-ups, deliverables, payments and wins (Slack shows it in the App Home tab).',
      input: z.object({}),
      examples: ['/irm home'],
      async run(_input, ctx) {
        const settings = await ctx.services.workspaces.settings(ctx.workspace.id);
        const snapshot = await ctx.services.nurture.snapshot(
          { id: settings.id, timezone: settings.timezone, cadences: settings.settings.cadences, warnBeforeDueDays: settings.settings.warnBeforeDueDays },
          ctx.now,
          {
            ownerId: ctx.actor.id,
            cadence: 'ideal',
            cadencePage: MAX_PER_SECTION,
            birthdaysPage: MAX_PER_SECTION,
            followUpsPage: MAX_PER_SECTION,
            personal: true,
            wins: true,
            deliverables: true,
            deliverablesPage: MAX_PER_SECTION,
            payments: true,
            health: true,
          },
        );
        return homeReply(snapshot, ctx.actor.id, settings.settings.warnBeforeDueDays);
      },
    }),

    me: subcommand({
      description: 'Your own settings: `nudges:off` stops your private daily nudges, `nudges:on` brings them back.',
      input: z.object({ nudges: optional(oneOf('nudges', ['on', 'off'] as const)) }),
      examples: ['/irm me', '/irm me nudges:off', '/irm me nudges:on'],
      async run({ nudges }, ctx) {
        if (nudges) await ctx.services.nurture.setNudges(ctx.workspace.id, ctx.actor.id, nudges === 'on');
        const on = nudges ? nudges === 'on' : await ctx.services.nurture.nudgesOn(ctx.workspace.id, ctx.actor.id);
        return reply([
          ...(nudges ? [para(`Saved: nudges ${nudges}.`)] : []),
          fields([['Private nudges', on ? 'on: one message a day with your relationships, birthdays, follow-ups and wins' : 'off']]),
          context(on ? '`/irm me nudges:off` stops them.' : '`/irm me nudges:on` brings them back.'),
        ]);
      },
    }),

    digest: subcommand({
      description: 'Run a scheduled job for this workspace at once: a private preview, or posted here with `post`.',
      positional: ['when', 'job', 'post'],
      input: z.object({
        when: oneOf('when', ['now'] as const),
        job: optional(textField('job', 60)),
        post: optional(oneOf('post', ['post'] as const)),
      }),
      examples: ['/irm digest now', '/irm digest now late-payments', '/irm digest now late-payments post'],
      async run({ job, post }, ctx) {
        // `digest now post`: the job was left out.
        const wantsPost = post === 'post' || job?.toLowerCase() === 'post';
        // Without a name: the jobs that post to a team channel (not the ones that also plan work).
        const names = job && job.toLowerCase() !== 'post' ? [job] : jobs.filter((j) => j.channel).map((j) => j.name);
        return runNow(ctx, names, wantsPost);
      },
    }),
    import: importSubcommand,
    export: exportSubcommand,

    report: subcommand({
      description: "A month's performance digest, privately; with <who>, that creator's briefing pack; with `csv`, every piece's metrics as a file.",
      positional: ['month', 'who'],
      restIsLastPositional: true,
      input: z.object({
        month: monthField.describe('The month, like 2026-11'),
        who: optional(textField('who', 200)),
      }),
      examples: ['/irm report 2026-11', '/irm report 2026-11 @zoe.creates', '/irm report 2026-11 csv'],
      async run({ month, who }, ctx) {
        const tz = ctx.workspace.timezone;
        const current = localMonth(ctx.now, tz);
        if (month > current) {
          throw new UserFacingError(`month ${month} has not started yet; the latest is ${current} (${formatMonth(current)} so far).`, { month: 'in the future' });
        }
        if (who?.trim().toLowerCase() === 'csv') {
          const rows = await ctx.services.reports.monthContent({ id: ctx.workspace.id, timezone: tz }, month);
          if (rows.length === 0) return text(`Nothing was published in ${formatMonth(month)}, so there is no file to send.`);
          return {
            ...reply([
              para(`${rows.length} piece${rows.length === 1 ? '' : 's'} published in ${formatMonth(month)}, with their metrics: \`${csvFileName(month)}\`.`),
              context(`Dates in ${tz}; revenue in each collaboration's currency. Cells a spreadsheet would run as a formula start with '.`),
            ]),
            files: [file(csvFileName(month), 'text/csv', contentCsv(rows, tz))],
          };
        }
        // The cadences come with the workspace, as for every command (up to a minute old on another
        // replica): no read of their own. The creator of a briefing pack is found beside the report.
        const [report, influencer] = await Promise.all([
          ctx.services.reports.monthly({ id: ctx.workspace.id, timezone: tz, cadences: ctx.workspace.cadences ?? {} }, month),
          who ? ctx.services.influencers.resolve(ctx.workspace.id, who) : undefined,
        ]);
        if (influencer) return briefingReply(report, { id: String(influencer._id), name: influencer.name });
        const digest = digestReply(report, { visibility: 'private', partial: month === current });
        return report.empty ? digest : { ...digest, files: [file(chartFileName(month), 'image/png', renderGoalChart(digestChart(report)))] };
      },
    }),
  },
});
