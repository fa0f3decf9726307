import { addDays, addMonths, atLocalTime, dayInMonth, localDay, monthOf } from './calendar';
import type { Logger, Services, WorkspaceInfo } from './command';
import type { Reply } from './reply';
import type { Stage } from './vocabulary';

/** The team channels a job can post to; each workspace maps them to its own channel ids in `/irm settings`. */
export const CHANNEL_KINDS = ['digest', 'payments', 'nudges'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const DEFAULT_POSTING_TIME = '09:00';
export const DEFAULT_WARN_BEFORE_DUE_DAYS = 3;
export const DEFAULT_REPORTING_DAY = 1;

/** A workspace's settings as `/irm settings` shows and changes them. Read fresh, never from a cache, where they decide access. */
export interface WorkspaceSettings {
  channels: Partial<Record<ChannelKind, string>>;
  /** Payments due within this many days are listed by the late-payments job. */
  warnBeforeDueDays: number;
  /** `HH:mm` in the workspace timezone: when daily and monthly jobs post. */
  postingTime: string;
  /**
   * Who may mark payments paid or cancel them: platform user ids, and `group:<id>` for a Slack
   * user group or a Discord role. Empty means the workspace admins.
   */
  paymentManagers: string[];
  staleAfterDays: number;
  /** The workspace's own cadences by stage (`/irm settings cadence:active=21/45`); a stage left out keeps the default. */
  cadences: CadenceSettings;
  /** Day of the month (1-28) the monthly performance digest posts, for the month before. */
  reportingDay?: number;
}

/** Days between touchpoints: after `ideal` the owner is nudged, after `max` the team digest lists the relationship. */
export interface Cadence {
  ideal: number;
  max: number;
}

/** Cadences by stage; `null` means "no cadence". */
export type CadenceSettings = Partial<Record<Stage, Cadence | null>>;

/** What a job sees of a workspace: who it is plus its settings. */
export interface JobWorkspace extends WorkspaceInfo {
  settings: WorkspaceSettings;
}

/**
 * One message a job sends: into a team channel (`{ channel: 'payments', reply }`; the scheduler
 * resolves the kind to the workspace's channel id) or to one person, privately (`{ user: ownerId, reply }`;
 * Slack and Discord deliver it as a direct message, the console prints it marked as private to them).
 * Personal data may go to a person, never into a channel.
 */
export type Post = ChannelPost | PersonPost;
export interface ChannelPost {
  channel: ChannelKind;
  reply: Reply;
  /** Names the post within its run when a run's posts can change between attempts (see {@link PersonPost.key}). */
  key?: string;
}
export interface PersonPost {
  /** The platform user id (Slack `U…`, Discord snowflake). */
  user: string;
  reply: Reply;
  /**
   * Names the post within its run (`owner:U0MARIA`): a retry skips the posts that went out by key,
   * not by position, so a job whose list of recipients changes during the day (an owner with nothing
   * left to do, a new one) still reaches each person once. Without it, the position in the list.
   */
  key?: string;
}

/** Where a scheduled post is delivered, resolved to platform ids: a channel, or a person's direct messages. */
export type Destination = ({ channelId: string } | { userId: string }) & {
  /** The workspace, for platforms that hold credentials per workspace (Slack OAuth installs). */
  workspaceExternalId?: string;
};

/** Names one scheduled post (what platforms carry along to find it again): the run's ledger key and the post's index in the run. */
export interface PostMark {
  run: string;
  index: number;
}

/**
 * Posts a reply in a channel, or to one person's direct messages, and returns the platform's message
 * id (Slack `ts`, Discord message id); the reply's files go with it. `mark` travels with the message
 * (Slack message metadata, Discord `nonce`) so that `find` can tell, later, whether a post whose
 * record was lost did go out. A poster without `find` cannot tell: the scheduler then never re-sends
 * such a post (a possible miss, never a duplicate). Once the message is accepted, a failed file upload
 * is logged, not thrown, so the message is never sent twice.
 */
export interface Poster {
  (to: Destination, reply: Reply, mark?: PostMark): Promise<{ id: string }>;
  find?: (to: Destination, mark: PostMark, since: Date) => Promise<{ id: string } | undefined>;
}
export interface JobSchedule {
  /** `daily`: once per local day; `monthly`: once per local month, on the 1st (or the workspace's reporting day). */
  kind: 'daily' | 'monthly';
  /** When in the period it runs: the workspace's posting time (the default) or a fixed local `HH:mm`. */
  at?: 'posting-time' | `${number}:${number}`;
  /** Monthly only: the day of the month it runs, `reporting-day` for the workspace's (1-28); default the 1st. */
  day?: 'reporting-day';
}

/** One run's slot: `2026-11-23` (daily) or `2026-11` (monthly), in the workspace timezone. */
export interface JobPeriod {
  kind: JobSchedule['kind'];
  /** The ledger key part: each job runs at most once per workspace and key. */
  key: string;
  /** First instant of the period (local midnight). */
  startsAt: Date;
  /** First instant after the period. */
  endsAt: Date;
  /** When the run falls due; a run not done by then is caught up until `endsAt`. */
  runAt: Date;
}

export interface JobContext {
  services: Services;
  /** The tick's time (or the command's, for `/irm digest now`). */
  now: Date;
  logger: Logger;
}

export interface JobDefinition {
  /** Stable: part of every ledger key (`late-payments:<workspace>:2026-11-23`). */
  name: string;
  description: string;
  /**
   * The channel the job posts to. Workspaces that have not set it are skipped, so the run is still
   * due (and caught up) once they do. Leave it out for a job that does its work everywhere and posts
   * only where a channel is set.
   */
  channel?: ChannelKind;
  schedule: JobSchedule;
  /**
   * The job writes records as it runs (it plans payments or checklists). It runs only on its
   * schedule: a run on demand (`/irm digest now`) would plan early and leave the scheduled run,
   * and its announcement, with nothing to do.
   */
  plans?: true;
  /**
   * The job works through its workspace this many records at a time (memory stays flat however
   * large it grows), so its round trips grow with the workspace, by a few per batch. The bench
   * holds such a job to round trips growing no faster than the workspace, not to equal ones.
   */
  batchSize?: number;
  /** Returns the posts for this workspace and period; an empty list means "nothing to say today". */
  run(workspace: JobWorkspace, period: JobPeriod, ctx: JobContext): Post[] | Promise<Post[]>;
}

export function defineJob(definition: JobDefinition): JobDefinition {
  return definition;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const isPostingTime = (value: string): boolean => HH_MM.test(value);

/**
 * The period `now` falls in for `schedule`, in `timezone`, and when its run is due. Local dates are
 * computed as calendar strings and converted once, so DST days (23 or 25 hours) come out right.
 */
export function periodFor(
  schedule: JobSchedule,
  now: Date,
  timezone: string,
  postingTime = DEFAULT_POSTING_TIME,
  reportingDay = DEFAULT_REPORTING_DAY,
): JobPeriod {
  const today = localDay(now, timezone);
  const at = schedule.at && schedule.at !== 'posting-time' ? schedule.at : postingTime;
  const time = isPostingTime(at) ? at : DEFAULT_POSTING_TIME;
  if (schedule.kind === 'daily') {
    const day = today;
    return {
      kind: 'daily',
      key: day,
      startsAt: atLocalTime(day, '00:00', timezone),
      endsAt: atLocalTime(addDays(day, 1), '00:00', timezone),
      runAt: atLocalTime(day, time, timezone),
    };
  }
  const month = monthOf(today);
  const first = `${month}-01`;
  const day = schedule.day === 'reporting-day' && Number.isInteger(reportingDay) && reportingDay >= 1 && reportingDay <= 28 ? reportingDay : 1;
  return {
    kind: 'monthly',
    key: month,
    startsAt: atLocalTime(first, '00:00', timezone),
    endsAt: atLocalTime(addMonths(first, 1), '00:00', timezone),
    runAt: atLocalTime(dayInMonth(month, day), time, timezone),
  };
}
