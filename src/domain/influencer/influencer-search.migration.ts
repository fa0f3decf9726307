import type { Types } from 'mongoose';
import { BATCH_SIZE, inBatches } from '../batches';
import type { InfluencerModel } from './influencer.model';
import { SEARCH_VERSION, searchFields } from './influencer-search';

/**
 * At start: gives every creator written before SEARCH_VERSION (or before search keys existed, when
 * a folded `searchText` was kept instead) its search keys, and drops `searchText`. Idempotent: it
 * touches only creators of an older version, each once, and skips one that a newer write brought
 * up to date meanwhile; several replicas starting at once write the same keys. Bounded batches
 * through a cursor, so memory stays flat whatever the number of creators. Returns how many changed.
 */
export async function migrateSearchKeys(influencers: InfluencerModel): Promise<number> {
  const stale = { searchVersion: { $ne: SEARCH_VERSION } };
  const cursor = influencers
    .find(stale, { name: 1, handles: 1, tags: 1, stage: 1 })
    .lean<Array<{ _id: Types.ObjectId; name: string; handles: Array<{ handle: string }>; tags?: string[]; stage: string }>>()
    .cursor({ batchSize: BATCH_SIZE });
  let changed = 0;
  for await (const batch of inBatches(cursor)) {
    // The raw collection: `searchText` is no longer in the schema, and mongoose would drop its $unset.
    const result = await influencers.collection.bulkWrite(
      batch.map((record) => ({
        updateOne: {
          filter: { _id: record._id, ...stale },
          update: { $set: searchFields({ ...record, tags: record.tags ?? [] }), $unset: { searchText: '' } },
        },
      })),
      { ordered: false },
    );
    changed += result.modifiedCount;
  }
  return changed;
}
