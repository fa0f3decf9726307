import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { CONTENT_STATUSES, CONTENT_TYPES, NETWORKS } from '../../core/vocabulary';

/** One deliverable: planned from the collaboration's expected content, then published and measured. */
const contentSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    collaborationId: { type: Schema.Types.ObjectId, required: true },
    influencerId: { type: Schema.Types.ObjectId, required: true },
    /**
     * The collaboration's owner, kept in step with it (ContentService writes it with every item
     * and follows an owner change; a start-up migration fills older items): App Home reads one
     * person's deliverables by it, without reading their collaborations first.
     */
    ownerId: { type: String },
    /**
     * On a published item: its creator's owner (the influencer's `ownerId`, who is not always the
     * collaboration's owner), written by the write that publishes it (ContentService.log), moved with
     * the creator when their owner changes, filled by a start-up migration on older items. One
     * person's wins (App Home) are read by it: their creators' items of the window, newest first,
     * through the index below, without reading every creator they own first. Absent on planned items.
     */
    creatorOwnerId: { type: String },
    /**
     * An item snoozed or done on a nurture list, as a deliverable (planned) or a win (published)
     * (`YYYY-MM-DD`, the day it shows again; done: 9999-12-31), as the snoozes collection says: App
     * Home pages one person's deliverables and weighs their wins without the hidden ones, not by
     * reading every snooze first.
     */
    hiddenUntil: { type: String },
    type: { type: String, required: true, enum: CONTENT_TYPES },
    network: { type: String, enum: NETWORKS },
    /** `YYYY-MM` in the workspace timezone: the month whose plan this item belongs to. */
    month: { type: String, required: true },
    /** The last instant of the due day in the workspace timezone: a planned item is overdue once `dueAt < now`. */
    dueAt: { type: Date },
    /** True for checklist items (planned from the expected content or added by hand); false for pieces beyond plan. */
    planned: { type: Boolean, default: false },
    /**
     * `<collaborationId>:2026-11:post:2` for items planned from the expected content: unique, so each
     * slot is planned once however often (or concurrently) planning runs. Absent on other items.
     */
    planSlot: { type: String },
    status: { type: String, required: true, enum: CONTENT_STATUSES, default: 'planned' },
    url: { type: String },
    /** The link as compared for duplicates (host lower-case, no scheme, `www.`, fragment or trailing slash). */
    urlKey: { type: String },
    /** `<collaborationId> <urlKey>`: unique, so one collaboration never holds the same link twice. */
    urlSlot: { type: String },
    publishedAt: { type: Date },
    usageRightsUntil: { type: Date },
    /** Latest value per metric (reach, impressions, ..., revenue in minor units of the collaboration's currency). */
    metrics: { type: Map, of: Number, default: {} },
    /**
     * Checklist work an edit or removal of this piece has begun and not finished (there are no
     * transactions): `reopen`, the item it ticked off, to plan again under a pre-chosen id; `take`,
     * the planned item it ticks off instead, whose plan slot it takes once that item is gone. Unset
     * when done; the next edit or removal of the piece finishes it first. See ContentService.
     */
    pending: { type: Schema.Types.Mixed },
    /** Every recorded value with when it was recorded. */
    metricHistory: {
      type: [new Schema({ metric: String, value: Number, at: Date, byId: String }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true },
);
// A collaboration's content is also read by $lookup on collaborationId alone, so these lead with it
// (a collaboration belongs to one workspace: the workspace is still in every filter, checked after).
contentSchema.index({ collaborationId: 1, month: 1, type: 1, status: 1 });
contentSchema.index({ collaborationId: 1, url: 1 });
// And by $lookup on influencerId alone (the health of the creators App Home shows).
contentSchema.index({ influencerId: 1 });
contentSchema.index({ workspaceId: 1, status: 1, dueAt: 1 });
// One person's deliverables due (App Home): the first few by due day, and their count.
contentSchema.index({ workspaceId: 1, ownerId: 1, status: 1, dueAt: 1 });
// One person's wins (App Home): their creators' items published in the window, newest first (ties by _id).
contentSchema.index({ workspaceId: 1, creatorOwnerId: 1, status: 1, publishedAt: 1, _id: 1 });
// Single-field sparse unique indexes: the test stand-in ignores partialFilterExpression.
contentSchema.index({ planSlot: 1 }, { unique: true, sparse: true });
contentSchema.index({ urlSlot: 1 }, { unique: true, sparse: true });
contentSchema.index({ workspaceId: 1, urlKey: 1 });
contentSchema.index({ workspaceId: 1, influencerId: 1, publishedAt: -1 });
// The monthly report: a workspace's published pieces by publication date, and its checklists by month.
contentSchema.index({ workspaceId: 1, status: 1, publishedAt: 1 });
contentSchema.index({ workspaceId: 1, month: 1 });

export type ContentDoc = InferSchemaType<typeof contentSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const build = (conn: Connection) => conn.model('Content', contentSchema);
export type ContentModel = ReturnType<typeof build>;

export const contentModel = (conn: Connection): ContentModel => (conn.models.Content as ContentModel | undefined) ?? build(conn);
