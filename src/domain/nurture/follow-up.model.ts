import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** A one-off "get back to this creator on that day" (`/influencer remind`). Due on its day until done. */
const followUpSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    influencerId: { type: Schema.Types.ObjectId, required: true },
    /** Who is reminded: the person who set it. */
    ownerId: { type: String, required: true },
    /** A calendar day `YYYY-MM-DD` in the workspace's calendar: a timezone change never moves it. */
    dueDay: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    note: { type: String, required: true },
    doneAt: { type: Date },
    /**
     * Snoozed on a nurture list until this day (`YYYY-MM-DD`), as the snoozes collection says: App
     * Home pages one person's follow-ups without the hidden ones on the database.
     */
    hiddenUntil: { type: String },
    doneById: { type: String },
  },
  { timestamps: true },
);
followUpSchema.index({ workspaceId: 1, doneAt: 1, dueDay: 1 });
followUpSchema.index({ workspaceId: 1, influencerId: 1, doneAt: 1 });
// One person's follow-ups due (App Home).
followUpSchema.index({ workspaceId: 1, ownerId: 1, doneAt: 1, dueDay: 1 });

export type FollowUpDoc = InferSchemaType<typeof followUpSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const build = (conn: Connection) => conn.model('FollowUp', followUpSchema);
export type FollowUpModel = ReturnType<typeof build>;

export const followUpModel = (conn: Connection): FollowUpModel => (conn.models.FollowUp as FollowUpModel | undefined) ?? build(conn);
