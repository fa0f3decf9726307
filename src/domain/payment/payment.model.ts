import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { PAYMENT_STATUSES } from '../../core/vocabulary';
import { AUTO_LABEL_KINDS, CANCEL_CODES } from './payment-rules';

/** The bot's name for a payment it planned (see AutoLabel): words are the view's. */
const autoLabelSchema = new Schema({ kind: { type: String, required: true, enum: AUTO_LABEL_KINDS }, on: { type: String } }, { _id: false });

/**
 * One payment owed to a creator. Money is integer minor units of an ISO currency. "Late" is
 * derived from `dueAt`, the status and today's date in the workspace timezone: it is never stored.
 */
const paymentSchema = new Schema(
  {
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    collaborationId: { type: Schema.Types.ObjectId, required: true },
    influencerId: { type: Schema.Types.ObjectId, required: true },
    /** Who answers for it (the collaboration's owner when generated): mentioned when it is late. */
    ownerId: { type: String, required: true },
    amountMinor: {
      type: Number,
      required: true,
      validate: { validator: (v: number) => Number.isSafeInteger(v) && v > 0, message: 'amount must be a positive whole number of minor units' },
    },
    /** ISO 4217, upper case. */
    currency: { type: String, required: true, match: /^[A-Z]{3}$/ },
    /** Start of the due day in the workspace timezone, as a UTC instant. */
    dueAt: { type: Date, required: true },
    status: { type: String, required: true, enum: PAYMENT_STATUSES, default: 'scheduled' },
    /** What it is for, as a person typed it ("Extra story", "Invoice 88"): shown instead of `autoLabel`. Unset: the bot's name is shown. */
    label: { type: String },
    /** What it is for, as the bot planned it (`{kind: 'reporting', on: '2027-02'}`): the view words it. Only planned payments have one. */
    autoLabel: { type: autoLabelSchema },
    /**
     * Deterministic, unique per workspace: `<collab>:once`, `<collab>:monthly:2027-02`, `<collab>:content:<id>`
     * for generated payments, `manual:<id>` for the rest. Regenerating a schedule upserts by it, so it never
     * duplicates and never overwrites an edit. (Always set: partial indexes are not portable to the stand-in.)
     */
    scheduleKey: { type: String, required: true },
    source: { type: String, required: true, enum: ['manual', 'schedule'], default: 'manual' },
    paidAt: { type: Date },
    paidById: { type: String },
    reference: { type: String },
    cancelledAt: { type: Date },
    cancelledById: { type: String },
    /** Why a person cancelled it, as typed (with `content-removed`: the reason typed for removing its piece). */
    cancelReason: { type: String },
    /** Why the bot cancelled it (CANCEL_CODES): a code, put in words by the view. */
    cancelCode: { type: String, enum: CANCEL_CODES },
    /** The last time a payment marked paid by mistake was turned back to scheduled (`/payment reopen`), by whom and why. */
    reopenedAt: { type: Date },
    reopenedById: { type: String },
    reopenReason: { type: String },
    createdById: { type: String, required: true },
  },
  { timestamps: true },
);
paymentSchema.index({ workspaceId: 1, scheduleKey: 1 }, { unique: true });
// /payment list reads its page in this order from the index (due and late by status, all by due day),
// and its footer (count and what is owed per currency) from the index alone: the currency and the
// amount are in it, so totalling the open payments fetches no document.
paymentSchema.index({ workspaceId: 1, status: 1, dueAt: 1, _id: 1, currency: 1, amountMinor: 1 });
paymentSchema.index({ workspaceId: 1, dueAt: 1, _id: 1 });
paymentSchema.index({ workspaceId: 1, influencerId: 1, dueAt: 1 });
// Read by $lookup on collaborationId alone (the cost so far of /collab show), so it leads.
paymentSchema.index({ collaborationId: 1, dueAt: 1 });
// Read by $lookup on influencerId alone (the health of the creators App Home shows).
paymentSchema.index({ influencerId: 1 });
// One person's payments due or late (App Home): their scheduled ones, by due day.
paymentSchema.index({ workspaceId: 1, ownerId: 1, status: 1, dueAt: 1 });

export type PaymentDoc = InferSchemaType<typeof paymentSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const build = (conn: Connection) => conn.model('Payment', paymentSchema);
export type PaymentModel = ReturnType<typeof build>;

export const paymentModel = (conn: Connection): PaymentModel => (conn.models.Payment as PaymentModel | undefined) ?? build(conn);
