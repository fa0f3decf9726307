import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** One recorded change: who did what to which record, field by field. */
const changeSchema = new Schema({
  workspaceId: { type: Schema.Types.ObjectId, required: true },
  entity: { type: String, required: true },
  entityId: { type: Schema.Types.ObjectId, required: true },
  /** Other records whose history lists this change: a content item's creator and collaboration. */
  about: { type: [Schema.Types.ObjectId], default: undefined },
  action: { type: String, required: true },
  actorId: { type: String, required: true },
  at: { type: Date, required: true },
  fields: [
    {
      _id: false,
      field: { type: String, required: true },
      from: { type: Schema.Types.Mixed },
      to: { type: Schema.Types.Mixed },
    },
  ],
});
changeSchema.index({ workspaceId: 1, entityId: 1, at: -1 });
changeSchema.index({ workspaceId: 1, about: 1, at: -1 });

export type ChangeDoc = InferSchemaType<typeof changeSchema>;

const build = (conn: Connection) => conn.model('Change', changeSchema);
export type ChangeModel = ReturnType<typeof build>;

export const changeModel = (conn: Connection): ChangeModel =>
  (conn.models.Change as ChangeModel | undefined) ?? build(conn);
