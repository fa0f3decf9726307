import { Types } from 'mongoose';
import type { Clock, Platform, WorkspaceInfo } from '../../core/command';
import {
  CHANNEL_KINDS,
  DEFAULT_POSTING_TIME,
  DEFAULT_REPORTING_DAY,
  DEFAULT_WARN_BEFORE_DUE_DAYS,
  type CadenceSettings,
  type ChannelKind,
  type JobWorkspace,
} from '../../core/job';
import { refuse } from '../errors';
import type { WorkspaceDoc, WorkspaceModel } from './workspace.model';
import type { Stage } from '../../core/vocabulary';

/** A settings change: absent keeps a value; a channel set to null is unset. */
export interface SettingsPatch {
  /**
   * Sets the zone without moving any record: for a workspace being set up. A change of timezone in
   * use goes through `TimezoneChange.change` (src/domain/workspace/timezone-change.ts), which keeps
   * every calendar day on its day.
   */
  timezone?: string;
  currency?: string;
  channels?: Partial<Record<ChannelKind, string | null>>;
  warnBeforeDueDays?: number;
  postingTime?: string;
  paymentManagers?: string[];
  /** Stages to set (`null`: no cadence for that stage); other stages are kept. */
  cadences?: CadenceSettings;
  reportingDay?: number;
}

const CACHE_MS = 60_000;

export class WorkspaceService {
  /**
   * Workspaces change rarely and every command needs one: remembered per instance for a minute
   * (the at-most-3-round-trips target of the bench), so a settings change made on another replica
   * is picked up within a minute; this replica forgets its copy at once.
   */
  private readonly known = new Map<string, { info: WorkspaceInfo; until: number }>();

  constructor(
    private readonly workspaces: WorkspaceModel,
    private readonly defaultTimezone: string,
    private readonly clock: Clock,
    /** Creators' reach-out days follow the workspace's cadences and timezone (InfluencerService). */
    private readonly creators: { resyncReachOut(workspaceId: string, stages?: readonly Stage[]): Promise<void> },
  ) {}

  /**
   * The workspace for a Slack team, a Discord guild or the console, created on first use. From this
   * process's copy (up to CACHE_MS old), which may format and read; `fresh` reads the database, for
   * what decides a calendar day (the timezone may have changed on another replica), and renews the copy.
   */
  async ensure(platform: Platform, externalId: string, options: { fresh?: boolean } = {}): Promise<WorkspaceInfo> {
    const key = `${platform}:${externalId}`;
    const cached = this.known.get(key);
    if (!options.fresh && cached && cached.until > this.clock().getTime()) return cached.info;
    const doc = await this.workspaces
      .findOneAndUpdate(
        { platform, externalId },
        { $setOnInsert: { platform, externalId, timezone: this.defaultTimezone, currency: 'USD' } },
        { upsert: true, returnDocument: 'after', lean: true },
      )
      .orFail();
    const info: WorkspaceInfo = {
      id: String(doc._id),
      platform,
      externalId,
      timezone: doc.timezone,
      currency: doc.currency,
      cadences: cadencesOf(doc as WorkspaceDoc),
    };
    this.known.set(key, { info, until: this.clock().getTime() + CACHE_MS });
    return info;
  }

  /** Drop the remembered copy (tests that empty the database; a settings change does it itself). */
  forget(platform: Platform, externalId: string): void {
    this.known.delete(`${platform}:${externalId}`);
  }

  /** Drop the remembered copies of a workspace (after its settings change on this replica). */
  forgetById(workspaceId: string): void {
    for (const [key, entry] of this.known) if (entry.info.id === workspaceId) this.known.delete(key);
  }

  /**
   * Switches the timezone and marks the change pending in one write, so every reader uses the
   * new zone at once; returns the zone it replaces (undefined when it is already `to`). A change
   * still pending is returned as it is, to be finished first.
   */
  async beginTimezoneChange(workspaceId: string, to: string): Promise<{ from: string; to: string } | undefined> {
    const id = new Types.ObjectId(workspaceId);
    const doc = await this.workspaces.findById(id, { timezone: 1, timezoneChange: 1 }).lean<WorkspaceDoc>();
    if (!doc) throw refuse('workspace.not-set-up', {});
    if (doc.timezoneChange?.from && doc.timezoneChange.to) return { from: doc.timezoneChange.from, to: doc.timezoneChange.to };
    if (doc.timezone === to) return undefined;
    const changed = await this.workspaces.findOneAndUpdate(
      { _id: id, timezone: doc.timezone, timezoneChange: { $exists: false } },
      { $set: { timezone: to, timezoneChange: { from: doc.timezone, to } } },
      { returnDocument: 'after' },
    );
    this.forgetById(workspaceId);
    // Someone else changed it meanwhile: start again from what is stored now.
    return changed ? { from: doc.timezone, to } : this.beginTimezoneChange(workspaceId, to);
  }

  async endTimezoneChange(workspaceId: string): Promise<void> {
    // The local day of each creator's last touchpoint is the new zone's (idempotent, so a change
    // cut short redoes it at the next start).
    await this.creators.resyncReachOut(workspaceId);
    await this.workspaces.updateOne({ _id: new Types.ObjectId(workspaceId) }, { $unset: { timezoneChange: 1 } });
  }

  /** Workspaces whose timezone change was cut short, to finish at start. */
  async pendingTimezoneChanges(): Promise<Array<{ workspaceId: string; from: string; to: string }>> {
    const docs = await this.workspaces.find({ timezoneChange: { $exists: true } }, { timezoneChange: 1 }).lean<WorkspaceDoc[]>();
    return docs.flatMap((doc) =>
      doc.timezoneChange?.from && doc.timezoneChange.to ? [{ workspaceId: String(doc._id), from: doc.timezoneChange.from, to: doc.timezoneChange.to }] : [],
    );
  }

  /** The workspace with its settings, read from the database: settings decide access, so never from the cache. */
  async settings(workspaceId: string): Promise<JobWorkspace> {
    const doc = await this.workspaces.findById(new Types.ObjectId(workspaceId)).lean<WorkspaceDoc>();
    if (!doc) throw refuse('workspace.not-set-up', {});
    return toJobWorkspace(doc);
  }

  async updateSettings(workspaceId: string, patch: SettingsPatch): Promise<JobWorkspace> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    if (patch.timezone !== undefined) $set.timezone = patch.timezone;
    if (patch.currency !== undefined) $set.currency = patch.currency;
    if (patch.warnBeforeDueDays !== undefined) $set.warnBeforeDueDays = patch.warnBeforeDueDays;
    if (patch.postingTime !== undefined) $set.postingTime = patch.postingTime;
    if (patch.paymentManagers !== undefined) $set.paymentManagers = patch.paymentManagers;
    for (const [stage, cadence] of Object.entries(patch.cadences ?? {})) {
      $set[`cadences.${stage}`] = cadence ? { ideal: cadence.ideal, max: cadence.max } : { none: true };
    }
    if (patch.reportingDay !== undefined) $set.reportingDay = patch.reportingDay;
    for (const [kind, channel] of Object.entries(patch.channels ?? {})) {
      if (channel === null) $unset[`channels.${kind}`] = 1;
      else if (channel !== undefined) $set[`channels.${kind}`] = channel;
    }
    this.forgetById(workspaceId);
    const doc = await this.workspaces
      .findOneAndUpdate(
        { _id: new Types.ObjectId(workspaceId) },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) },
        { returnDocument: 'after' },
      )
      .lean<WorkspaceDoc>();
    if (!doc) throw refuse('workspace.not-set-up', {});
    // A stage's new cadence moves the reach-out day of its creators (one bulk pass over them).
    const stages = Object.keys(patch.cadences ?? {}) as Stage[];
    if (stages.length > 0) await this.creators.resyncReachOut(workspaceId, stages);
    return toJobWorkspace(doc);
  }

  /** Every workspace on the given platforms, with settings, for the scheduler's tick. */
  async forScheduling(platforms: readonly Platform[]): Promise<JobWorkspace[]> {
    if (platforms.length === 0) return [];
    const docs = await this.workspaces.find({ platform: { $in: [...platforms] } }).sort({ _id: 1 }).lean<WorkspaceDoc[]>();
    return docs.map(toJobWorkspace);
  }
}

function toJobWorkspace(doc: WorkspaceDoc): JobWorkspace {
  const channels: JobWorkspace['settings']['channels'] = {};
  for (const kind of CHANNEL_KINDS) {
    const id = doc.channels?.[kind];
    if (id) channels[kind] = id;
  }
  return {
    id: String(doc._id),
    platform: doc.platform as Platform,
    externalId: doc.externalId,
    timezone: doc.timezone,
    currency: doc.currency,
    settings: {
      channels,
      warnBeforeDueDays: doc.warnBeforeDueDays ?? DEFAULT_WARN_BEFORE_DUE_DAYS,
      postingTime: doc.postingTime ?? DEFAULT_POSTING_TIME,
      paymentManagers: [...(doc.paymentManagers ?? [])],
      staleAfterDays: doc.staleAfterDays ?? 30,
      cadences: cadencesOf(doc),
      reportingDay: doc.reportingDay ?? DEFAULT_REPORTING_DAY,
    },
  };
}

export function cadencesOf(doc: Pick<WorkspaceDoc, 'cadences'>): CadenceSettings {
  const cadences: CadenceSettings = {};
  const stored = doc.cadences instanceof Map ? Object.fromEntries(doc.cadences) : (doc.cadences ?? {});
  for (const [stage, value] of Object.entries(stored as Record<string, { ideal?: number; max?: number; none?: boolean } | undefined>)) {
    if (!value) continue;
    cadences[stage as keyof CadenceSettings] = value.none || !value.ideal || !value.max ? null : { ideal: value.ideal, max: value.max };
  }
  return cadences;
}
