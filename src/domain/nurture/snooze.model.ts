import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/**
 * An item of the digest, the nudges or App Home put aside: hidden until `until` (a calendar day,
 * shown again on it); "done" is until `9999-12-31`. The key names the item and its occurrence
 * (`birthday:<creator>:2026-11-30`), so next year's birthday is not hidden by this year's "done".
 */
const snoozeSchema = new Schema({
  workspaceId: { type: Schema.Types.ObjectId, required: true },
  key: { type: String, required: true },
  until: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
  byId: { type: String, required: true },
  at: { type: Date, required: true },
});
snoozeSchema.index({ workspaceId: 1, key: 1 }, { unique: true });
snoozeSchema.index({ workspaceId: 1, until: 1 });

export type SnoozeDoc = InferSchemaType<typeof snoozeSchema> & { _id: Types.ObjectId };

const build = (conn: Connection) => conn.model('Snooze', snoozeSchema);
export type SnoozeModel = ReturnType<typeof build>;

export const snoozeModel = (conn: Connection): SnoozeModel => (conn.models.Snooze as SnoozeModel | undefined) ?? build(conn);
