import { Schema, type Connection } from 'mongoose';
import { TOUCHPOINT_KINDS } from '../../core/vocabulary';

const touchpointSchema = new Schema({
  workspaceId: { type: Schema.Types.ObjectId, required: true },
  influencerId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, required: true, enum: TOUCHPOINT_KINDS },
  at: { type: Date, required: true },
  byId: { type: String, required: true },
  summary: { type: String, required: true },
});
touchpointSchema.index({ workspaceId: 1, influencerId: 1, at: -1 });
// Read by $lookup on influencerId alone (App Home's wins: a creator's engagement touchpoints).
touchpointSchema.index({ influencerId: 1 });


const build = (conn: Connection) => conn.model('Touchpoint', touchpointSchema);
export type TouchpointModel = ReturnType<typeof build>;

export const touchpointModel = (conn: Connection): TouchpointModel =>
  (conn.models.Touchpoint as TouchpointModel | undefined) ?? build(conn);
