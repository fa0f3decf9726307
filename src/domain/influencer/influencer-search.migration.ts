import type { Types } from 'mongoose';
import { staleKeyUpdates, type KeyUpdate } from '../search-keys';
import type { InfluencerModel } from './influencer.model';
import { SEARCH_VERSION, searchFields } from './influencer-search';

type Stored = { _id: Types.ObjectId; name: string; handles: Array<{ handle: string }>; tags?: string[]; stage: string };

/**
 * At start: the updates that give every creator written before SEARCH_VERSION (or before search
 * keys existed, when a folded `searchText` was kept instead) its search keys, and drop
 * `searchText`; InfluencerService.upgradeStored writes them. See staleKeyUpdates.
 */
export function searchKeyUpdates(influencers: InfluencerModel): AsyncGenerator<KeyUpdate[]> {
  return staleKeyUpdates<Stored>(influencers, {
    version: SEARCH_VERSION,
    select: { name: 1, handles: 1, tags: 1, stage: 1 },
    fieldsFor: (record) => searchFields({ ...record, tags: record.tags ?? [] }),
    unset: { searchText: '' },
  });
}
