import type { Types } from 'mongoose';
import { inBatches } from '../batches';
import type { InfluencerModel } from './influencer.model';
import type { TouchpointModel } from './touchpoint.model';

/** Creators per batch: each brings all its touchpoints into memory once, so fewer than the usual BATCH_SIZE. */
const BATCH = 100;

interface Recent {
  _id: Types.ObjectId;
  workspaceId: Types.ObjectId;
  kind: string;
  summary: string;
  at: Date;
  byId: string;
}

/**
 * At start: a creator contacted before the card kept its last touchpoints on the record (a
 * `lastContact` but no `recentTouchpoints`) gets them (its `keep` newest) from the touchpoints
 * collection, so the card shows "Recent" at once instead of after the next touchpoint;
 * /influencer show stays one read of the record. Yields the updates a batch at a time;
 * InfluencerService.upgradeStored writes each before the next is read. Idempotent: only records
 * still without the field are read, and each update is guarded by the same condition, so a
 * touchpoint logged meanwhile (which creates the field with the newest) is never overwritten and
 * nothing is written twice; a creator whose touchpoints are gone gets an empty list, so is not
 * read again. Records the current version writes always have the field once contacted, so they
 * are never touched. Bounded batches through a cursor: two round trips per 100 creators (their
 * touchpoints, the bulk write).
 */
export async function* recentTouchpointUpdates(influencers: InfluencerModel, touchpoints: TouchpointModel, keep: number) {
  const missing = { recentTouchpoints: { $exists: false }, 'lastContact.at': { $ne: null } };
  const cursor = influencers
    .find(missing, { _id: 1, workspaceId: 1 })
    .lean<Array<{ _id: Types.ObjectId; workspaceId: Types.ObjectId }>>()
    .cursor({ batchSize: BATCH });
  for await (const batch of inBatches(cursor, BATCH)) {
    const workspaceOf = new Map(batch.map((record) => [String(record._id), record.workspaceId]));
    const found = await touchpoints
      .find({ influencerId: { $in: batch.map((record) => record._id) } }, { workspaceId: 1, influencerId: 1, kind: 1, summary: 1, at: 1, byId: 1 })
      .sort({ influencerId: 1, at: -1, _id: -1 })
      .lean<Array<Recent & { influencerId: Types.ObjectId }>>();
    const byCreator = new Map<string, Recent[]>();
    for (const { influencerId, ...touchpoint } of found) {
      // A touchpoint of another workspace (a bad import, a hand-made fix) never shows on this card.
      if (!workspaceOf.get(String(influencerId))?.equals(touchpoint.workspaceId)) continue;
      const list = byCreator.get(String(influencerId)) ?? [];
      if (list.length < keep) byCreator.set(String(influencerId), [...list, touchpoint]);
    }
    yield batch.map((record) => ({
      updateOne: {
        filter: { _id: record._id, workspaceId: record.workspaceId, ...missing },
        update: {
          $set: {
            recentTouchpoints: (byCreator.get(String(record._id)) ?? []).map(({ _id, kind, summary, at, byId }) => ({ _id, kind, summary, at, byId })),
          },
        },
      },
    }));
  }
}
