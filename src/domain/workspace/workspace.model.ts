import { Schema, type Connection, type InferSchemaType } from 'mongoose';

const workspaceSchema = new Schema(
  {
    platform: { type: String, required: true, enum: ['slack', 'discord', 'console'] },
    externalId: { type: String, required: true },
    timezone: { type: String, required: true },
    currency: { type: String, required: true, default: 'USD' },
    channels: {
      digest: { type: String },
      payments: { type: String },
      nudges: { type: String },
    },
    staleAfterDays: { type: Number, default: 30 },
    warnBeforeDueDays: { type: Number, default: 3 },
    postingTime: { type: String, default: '09:00' },
    /** Day of the month (1-28) the performance digest of the month before posts. */
    reportingDay: { type: Number, default: 1, min: 1, max: 28 },
    paymentManagers: { type: [String], default: [] },
    /**
     * Set while a timezone change is moving the records that hold calendar days as instants (due
     * days, checklist days, start and end) from `from` to `to`; cleared when done. A change cut
     * short (a crash) is finished at the next start or the next change.
     */
    timezoneChange: { type: new Schema({ from: String, to: String }, { _id: false }), default: undefined },
    /** By stage: `{ ideal, max }`, or `{ none: true }` for no cadence. A stage left out keeps the default. */
    cadences: {
      type: Map,
      of: new Schema({ ideal: Number, max: Number, none: Boolean }, { _id: false }),
      default: undefined,
    },
  },
  { timestamps: true },
);
workspaceSchema.index({ platform: 1, externalId: 1 }, { unique: true });

export type WorkspaceDoc = InferSchemaType<typeof workspaceSchema> & { _id: import('mongoose').Types.ObjectId };

const build = (conn: Connection) => conn.model('Workspace', workspaceSchema);
export type WorkspaceModel = ReturnType<typeof build>;

export const workspaceModel = (conn: Connection): WorkspaceModel =>
  (conn.models.Workspace as WorkspaceModel | undefined) ?? build(conn);
