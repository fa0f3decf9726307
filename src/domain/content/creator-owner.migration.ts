import type { Types } from 'mongoose';
import { BATCH_SIZE } from '../batches';
import type { InfluencerModel } from '../influencer/influencer.model';
import type { ContentModel } from './content.model';

const MISSING = { status: 'published' as const, creatorOwnerId: { $exists: false } };

/**
 * At start: published content items stored before they carried their creator's owner
 * (`creatorOwnerId`), a page at a time in `_id` order, with the updates that give them their
 * creator's current owner (ContentService.upgradeCreatorOwners, the collection's one writer,
 * writes each page before the next is read). Idempotent: only published items still without the
 * field are read, and each update is guarded by the same condition. An item whose creator is gone
 * (or of another workspace) is left as it is. Two reads per page: the items, their creators (by
 * `_id` alone, the workspace checked on what comes back).
 */
export async function* creatorOwnerUpdates(contents: ContentModel, influencers: InfluencerModel) {
  for (let after: Types.ObjectId | undefined; ; ) {
    const page = await contents
      .find({ ...MISSING, ...(after ? { _id: { $gt: after } } : {}) }, { _id: 1, workspaceId: 1, influencerId: 1 })
      .sort({ _id: 1 })
      .limit(BATCH_SIZE)
      .lean<Array<{ _id: Types.ObjectId; workspaceId: Types.ObjectId; influencerId: Types.ObjectId }>>();
    if (page.length === 0) return;
    after = page[page.length - 1]!._id;
    const ids = [...new Map(page.map((item) => [String(item.influencerId), item.influencerId])).values()];
    const creators = await influencers.find({ _id: { $in: ids } }, { workspaceId: 1, ownerId: 1 }).lean<Array<{ _id: Types.ObjectId; workspaceId: Types.ObjectId; ownerId: string }>>();
    const creatorOf = new Map(creators.map((c) => [String(c._id), c]));
    const updates = page.flatMap((item) => {
      const creator = creatorOf.get(String(item.influencerId));
      if (!creator || !creator.workspaceId.equals(item.workspaceId)) return [];
      return [{ updateOne: { filter: { _id: item._id, workspaceId: item.workspaceId, ...MISSING }, update: { $set: { creatorOwnerId: creator.ownerId } } } }];
    });
    if (updates.length > 0) yield updates;
  }
}
