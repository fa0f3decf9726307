import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { CONTENT_STATUSES, CONTENT_TYPES, NETWORKS } from '../../core/vocabulary';

/** One deliverable: planned from the collaboration's expected content, then published and measured. */
const contentSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    collaborationId: { type: Schema.Types.ObjectId, required: true },
    influencerId: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true, enum: CONTENT_TYPES },
    network: { type: String, enum: NETWORKS },
    /** `YYYY-MM` in the workspace timezone: the month whose plan this item belongs to. */
    month: { type: String, required: true },
    dueAt: { type: Date },
    status: { type: String, required: true, enum: CONTENT_STATUSES, default: 'planned' },
    url: { type: String },
    publishedAt: { type: Date },
    usageRightsUntil: { type: Date },
    /** Latest value per metric (reach, impressions, ..., revenue in minor units of the collaboration's currency). */
    metrics: { type: Map, of: Number, default: {} },
    /** Every recorded value with when it was recorded. */
    metricHistory: {
      type: [new Schema({ metric: String, value: Number, at: Date, byId: String }, { _id: false })],
      default: [],
    },
  },
  { timestamps: true },
);
contentSchema.index({ workspaceId: 1, collaborationId: 1, month: 1, type: 1, status: 1 });
contentSchema.index({ workspaceId: 1, collaborationId: 1, url: 1 });
contentSchema.index({ workspaceId: 1, status: 1, dueAt: 1 });

export type ContentDoc = InferSchemaType<typeof contentSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const build = (conn: Connection) => conn.model('Content', contentSchema);
export type ContentModel = ReturnType<typeof build>;

export const contentModel = (conn: Connection): ContentModel => (conn.models.Content as ContentModel | undefined) ?? build(conn);
