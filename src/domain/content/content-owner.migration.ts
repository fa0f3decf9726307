import type { Types } from 'mongoose';
import { BATCH_SIZE } from '../batches';
import type { CollaborationModel } from '../collaboration/collaboration.model';
import type { ContentModel } from './content.model';

const MISSING = { ownerId: { $exists: false } };

/**
 * At start: content items stored before they carried their collaboration's owner (`ownerId`),
 * a page at a time in `_id` order, with the updates that give them their collaboration's owner
 * (ContentService.upgradeStored, the collection's one writer, writes each page before the next is
 * read). Idempotent: only items still without the field are read, and each update is guarded by
 * the same condition. An item whose collaboration is gone (or of another workspace) is left as it
 * is. Two reads per page: the items, their collaborations (by `_id` alone, the workspace checked
 * on what comes back).
 */
export async function* contentOwnerUpdates(contents: ContentModel, collaborations: CollaborationModel) {
  for (let after: Types.ObjectId | undefined; ; ) {
    const page = await contents
      .find({ ...MISSING, ...(after ? { _id: { $gt: after } } : {}) }, { _id: 1, workspaceId: 1, collaborationId: 1 })
      .sort({ _id: 1 })
      .limit(BATCH_SIZE)
      .lean<Array<{ _id: Types.ObjectId; workspaceId: Types.ObjectId; collaborationId: Types.ObjectId }>>();
    if (page.length === 0) return;
    after = page[page.length - 1]!._id;
    const ids = [...new Map(page.map((item) => [String(item.collaborationId), item.collaborationId])).values()];
    const owners = await collaborations.find({ _id: { $in: ids } }, { workspaceId: 1, ownerId: 1 }).lean<Array<{ _id: Types.ObjectId; workspaceId: Types.ObjectId; ownerId: string }>>();
    const ownerOf = new Map(owners.map((c) => [String(c._id), c]));
    const updates = page.flatMap((item) => {
      const collaboration = ownerOf.get(String(item.collaborationId));
      if (!collaboration || !collaboration.workspaceId.equals(item.workspaceId)) return [];
      return [{ updateOne: { filter: { _id: item._id, workspaceId: item.workspaceId, ...MISSING }, update: { $set: { ownerId: collaboration.ownerId } } } }];
    });
    if (updates.length > 0) yield updates;
  }
}
