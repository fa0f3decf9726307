import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { NETWORKS, STAGES, TOUCHPOINT_KINDS } from '../../core/vocabulary';

const handleSchema = new Schema(
  {
    network: { type: String, required: true, enum: NETWORKS },
    /** Without `@`, lower-case. */
    handle: { type: String, required: true },
    followers: { type: Number },
  },
  { _id: false },
);

const influencerSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    handles: { type: [handleSchema], default: [] },
    /**
     * `<workspaceId>/<network>:<handle>` per handle, absent when there are none: a sparse unique
     * index refuses the same handle twice in a workspace. (Partial indexes would read better, but
     * the test stand-in ignores partialFilterExpression; sparse works on both.)
     */
    handleKeys: { type: [String], default: undefined },
    email: { type: String },
    phone: { type: String },
    address: { type: String },
    birthday: {
      type: new Schema({ month: Number, day: Number, year: Number }, { _id: false }),
    },
    timezone: { type: String },
    tags: { type: [String], default: [] },
    preferences: { type: String },
    ownerId: { type: String, required: true },
    stage: { type: String, required: true, enum: STAGES, default: 'prospect' },
    source: { type: String },
    notes: { type: String },
    lastContact: {
      type: new Schema(
        { at: Date, kind: { type: String, enum: TOUCHPOINT_KINDS }, byId: String },
        { _id: false },
      ),
    },
    /** This creator's own cadence (`/influencer edit <who> cadence:30/60`): wins over the stage's, except in paused and ended. */
    cadence: { type: new Schema({ ideal: Number, max: Number }, { _id: false }) },
    /** The last three touchpoints, newest first, for the card (InfluencerService.logTouchpoint keeps them). */
    recentTouchpoints: {
      type: [
        new Schema(
          { kind: { type: String, enum: TOUCHPOINT_KINDS }, at: Date, byId: String, summary: String },
          { _id: true },
        ),
      ],
      default: undefined,
    },
    /**
     * When the ideal interval runs out (src/domain/nurture/reach-out.ts, its one writer): `since` is
     * the local day of the last touchpoint (or of the creator's creation), `day` that plus the ideal
     * days of the cadence that applies (null without one), `ideal` and `tz` what they were computed
     * with, `hiddenUntil` a snooze or "done" of this relationship's reminder for that `since`, `rev`
     * counts the writes (a fence). App Home lists the
     * creators most days past it first, through the index below.
     */
    reachOut: {
      type: new Schema({ day: { type: String, default: null }, since: String, ideal: Number, tz: String, hiddenUntil: String, rev: Number }, { _id: false }),
    },
    /**
     * A snooze or "done" of this creator's birthday reminder: `on` the day of the occurrence it
     * hides (`YYYY-MM-DD`), `until` the day it shows again (done: 9999-12-31). App Home pages one
     * person's birthdays without the hidden ones on the database, not by reading every snooze
     * first. A later occurrence (`on` past) shows again; a birthday edited clears it.
     */
    birthdayHidden: { type: new Schema({ on: String, until: String }, { _id: false }) },
    archivedAt: { type: Date },
    /** See influencer-search.ts: never read back into the app (it is only for the index). */
    searchKeys: { type: [String], default: undefined, select: false },
    /** The SEARCH_VERSION the keys were written by; the start-up migration brings older ones up to date. */
    searchVersion: { type: Number },
    /** Folded name: exact-name lookups and the order of every list. */
    nameKey: { type: String, required: true },
  },
  { timestamps: true },
);

influencerSchema.index({ handleKeys: 1 }, { unique: true, sparse: true });
influencerSchema.index({ workspaceId: 1, nameKey: 1 });
influencerSchema.index({ workspaceId: 1, 'handles.handle': 1 });
// Search: one typed word is one key, read in name order (archived creators are filtered on the way).
influencerSchema.index({ workspaceId: 1, searchKeys: 1, nameKey: 1, _id: 1 });
// Lists: a page in name order straight from the index, and its total counted on the same one.
influencerSchema.index({ workspaceId: 1, archivedAt: 1, nameKey: 1, _id: 1 });
influencerSchema.index({ workspaceId: 1, archivedAt: 1, stage: 1, nameKey: 1, _id: 1 });
influencerSchema.index({ workspaceId: 1, archivedAt: 1, ownerId: 1, nameKey: 1, _id: 1 });
influencerSchema.index({ workspaceId: 1, ownerId: 1 });
// Birthdays within the week (digest, nudges, App Home): one branch of the query per day.
influencerSchema.index({ workspaceId: 1, archivedAt: 1, 'birthday.month': 1, 'birthday.day': 1, ownerId: 1 });
// App Home's "time to reach out": one owner's creators past their ideal interval, most days past
// first, the hidden ones filtered on the index keys.
influencerSchema.index({ workspaceId: 1, ownerId: 1, archivedAt: 1, 'reachOut.day': 1, nameKey: 1, _id: 1, 'reachOut.hiddenUntil': 1 });

export type InfluencerFields = InferSchemaType<typeof influencerSchema>;
export type InfluencerDoc = InfluencerFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const build = (conn: Connection) => conn.model('Influencer', influencerSchema);
export type InfluencerModel = ReturnType<typeof build>;

export const influencerModel = (conn: Connection): InfluencerModel =>
  (conn.models.Influencer as InfluencerModel | undefined) ?? build(conn);
