import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/** A person's choice about their private nudges (`/irm me nudges:off`). No document: nudges are on. */
const nudgePreferenceSchema = new Schema({
  workspaceId: { type: Schema.Types.ObjectId, required: true },
  userId: { type: String, required: true },
  nudges: { type: Boolean, required: true },
  at: { type: Date, required: true },
});
nudgePreferenceSchema.index({ workspaceId: 1, userId: 1 }, { unique: true });

export type NudgePreferenceDoc = InferSchemaType<typeof nudgePreferenceSchema> & { _id: Types.ObjectId };

const build = (conn: Connection) => conn.model('NudgePreference', nudgePreferenceSchema);
export type NudgePreferenceModel = ReturnType<typeof build>;

export const nudgePreferenceModel = (conn: Connection): NudgePreferenceModel =>
  (conn.models.NudgePreference as NudgePreferenceModel | undefined) ?? build(conn);
