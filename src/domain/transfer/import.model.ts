import { Schema, type Connection, type Types } from 'mongoose';

/**
 * A creators file between its preview and its "Import": the file itself, so the button works on
 * any replica and after a restart. The file (personal data) is dropped once applied, and a
 * preview nobody applied expires after two days (TTL index; the test stand-in does not expire).
 */
const importSchema = new Schema({
  workspaceId: { type: Schema.Types.ObjectId, required: true },
  actorId: { type: String, required: true },
  fileName: { type: String, required: true },
  csv: { type: String },
  status: { type: String, required: true, enum: ['previewed', 'applying', 'applied'] },
  createdAt: { type: Date, required: true },
  finishedAt: { type: Date },
  /** What was applied: counts only, never values. */
  summary: { type: new Schema({ created: Number, updated: Number, unchanged: Number, refused: Number, failed: Boolean }, { _id: false }) },
});
importSchema.index({ createdAt: 1 }, { expireAfterSeconds: 2 * 24 * 3600 });

export type ImportDoc = { _id: Types.ObjectId; workspaceId: Types.ObjectId; actorId: string; fileName: string; csv?: string; status: 'previewed' | 'applying' | 'applied'; createdAt: Date; finishedAt?: Date };

const build = (conn: Connection) => conn.model('Import', importSchema);
export type ImportModel = ReturnType<typeof build>;
export const importModel = (conn: Connection): ImportModel => (conn.models.Import as ImportModel | undefined) ?? build(conn);
