import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { COLLAB_STATUSES, COLLAB_TYPES, CONTENT_CADENCES, CONTENT_TYPES, GOALS, PAYMENT_SCHEDULES } from '../../core/vocabulary';

/** A partnership with one influencer: its brief, what content is expected each month, and how it is paid. */
const collaborationSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    influencerId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    /** Folded title for case- and accent-insensitive lookups. */
    titleKey: { type: String, required: true },
    /** Word prefixes of the title (collaboration-search.ts): only for the index, never read back. */
    searchKeys: { type: [String], default: undefined, select: false },
    /** The COLLAB_SEARCH_VERSION the keys were written by; the start-up migration brings older ones up to date. */
    searchVersion: { type: Number },
    type: { type: String, required: true, enum: COLLAB_TYPES },
    goal: { type: String, required: true, enum: GOALS },
    ownerId: { type: String, required: true },
    /** Start of the first day, in the workspace timezone, as a UTC instant. */
    start: { type: Date, required: true },
    /** Start of the last day (included), in the workspace timezone, as a UTC instant. Unset = ongoing. */
    end: { type: Date },
    brief: {
      type: new Schema(
        {
          guidelines: String,
          keyMessages: String,
          callToAction: String,
          mustMention: String,
          mustAvoid: String,
        },
        { _id: false },
      ),
      default: {},
    },
    /** Expected pieces of content per month by type, e.g. { post: 2, story: 4 }. */
    expectedPerMonth: {
      type: [new Schema({ type: { type: String, enum: CONTENT_TYPES, required: true }, count: { type: Number, required: true } }, { _id: false })],
      default: [],
    },
    /**
     * `once`: the expected content is due one time, planned over the first month (or up to the end);
     * `monthly`: every month it runs. Unset (documents older than it): monthly, as they were planned.
     */
    contentCadence: { type: String, enum: CONTENT_CADENCES },
    compensation: {
      type: new Schema(
        {
          /** Fixed fee in minor units (cents) of `currency`; per payment for `monthly` and `per-deliverable`. */
          feeMinor: Number,
          currency: String,
          schedule: { type: String, enum: PAYMENT_SCHEDULES },
          /** Payment terms: due this many days after the trigger date. */
          netDays: { type: Number, default: 30 },
          commissionPct: Number,
          productOnly: { type: Boolean, default: false },
        },
        { _id: false },
      ),
      default: {},
    },
    discountCode: { type: String },
    trackingLink: { type: String },
    /** Day of the month (1-28) for the reporting briefing; monthly payments fall due from it. */
    reportingDay: { type: Number, default: 1 },
    status: { type: String, required: true, enum: COLLAB_STATUSES, default: 'active' },
    /** When the owner said the onboarding brief was sent to the creator. */
    briefSentAt: { type: Date },
    closedAt: { type: Date },
    closeReason: { type: String },
  },
  { timestamps: true },
);
collaborationSchema.index({ workspaceId: 1, influencerId: 1, status: 1 });
collaborationSchema.index({ workspaceId: 1, status: 1, titleKey: 1 });
// A title typed whole, newest first; a part of a title, one word prefix at a time, newest first.
collaborationSchema.index({ workspaceId: 1, titleKey: 1, start: -1 });
collaborationSchema.index({ workspaceId: 1, searchKeys: 1, start: -1, _id: -1 });
// /collab list reads its page in this order from the index, never sorting a whole status in memory.
collaborationSchema.index({ workspaceId: 1, status: 1, start: -1, _id: -1 });

export type CollaborationDoc = InferSchemaType<typeof collaborationSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const build = (conn: Connection) => conn.model('Collaboration', collaborationSchema);
export type CollaborationModel = ReturnType<typeof build>;

export const collaborationModel = (conn: Connection): CollaborationModel =>
  (conn.models.Collaboration as CollaborationModel | undefined) ?? build(conn);
