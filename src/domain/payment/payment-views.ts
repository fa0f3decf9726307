import { Types, type PipelineStage } from 'mongoose';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import type { InfluencerModel } from '../influencer/influencer.model';
import { lookupInWorkspace } from '../joins';
import type { PaymentDoc } from './payment.model';

/** What the three payment services (states, planning, reports) share: the payment and how it is named. */

export type Payment = PaymentDoc;

/** A payment with the names a person needs to recognise it; empty when its creator or collaboration is gone (the view words that). */
export interface PaymentView extends Payment {
  influencerName: string;
  collaborationTitle: string;
}

/** The workspace facts payment rules need: "today" and due dates are read in its timezone. */
export interface PaymentWorkspace {
  id: string;
  timezone: string;
}

export const byDueDay = (a: Payment, b: Payment) => a.dueAt.getTime() - b.dueAt.getTime() || String(a._id).localeCompare(String(b._id));

/** The collections a payment's names come from. */
export interface NameSources {
  influencers: InfluencerModel;
  collaborations: CollaborationModel;
}

/** Adds `influencerName` and `collaborationTitle` to each payment in the pipeline (and nothing else of theirs). */
export function nameStages(from: NameSources): PipelineStage.FacetPipelineStage[] {
  const first = (path: string, otherwise: string) => ({ $ifNull: [{ $arrayElemAt: [path, 0] }, otherwise] });
  return [
    ...lookupInWorkspace(from.influencers.collection.collectionName, 'influencerId', '_id', 'creator'),
    ...lookupInWorkspace(from.collaborations.collection.collectionName, 'collaborationId', '_id', 'collab'),
    { $addFields: { influencerName: first('$creator.name', ''), collaborationTitle: first('$collab.title', '') } },
    { $project: { creator: 0, collab: 0 } },
  ];
}

/** The same names for payments already read (two reads, whatever their number). */
export async function withNames(from: NameSources, workspaceId: Types.ObjectId, payments: Payment[]): Promise<PaymentView[]> {
  if (payments.length === 0) return [];
  const ids = (values: Types.ObjectId[]) => [...new Set(values.map(String))].map((id) => new Types.ObjectId(id));
  const [creators, collabs] = await Promise.all([
    from.influencers.find({ workspaceId, _id: { $in: ids(payments.map((p) => p.influencerId)) } }, { name: 1 }).lean(),
    from.collaborations.find({ workspaceId, _id: { $in: ids(payments.map((p) => p.collaborationId)) } }, { title: 1 }).lean(),
  ]);
  const names = new Map(creators.map((c) => [String(c._id), c.name]));
  const titles = new Map(collabs.map((c) => [String(c._id), c.title]));
  return payments.map((p) => ({
    ...p,
    influencerName: names.get(String(p.influencerId)) ?? '',
    collaborationTitle: titles.get(String(p.collaborationId)) ?? '',
  }));
}
