import type { Types } from 'mongoose';
import { fold } from '../fold';
import { addWordPrefixes, prefixKey, staleKeyUpdates, typedWords, type KeyUpdate } from '../search-keys';
import type { CollaborationModel } from './collaboration.model';

/**
 * A collaboration's title as index keys: `w:<prefix>` for every prefix of every word of the folded
 * title (search-keys.ts), read through `{workspaceId, searchKeys, start, _id}` newest first. So a
 * part of a title (`spring`, `launch`, `spr lau`) is an index read, never a regex over every title.
 */

/** Bumped whenever titleSearchFields changes: the start-up migration rewrites every older collaboration. */
export const COLLAB_SEARCH_VERSION = 1;

/** What every write of a collaboration's title also sets (with `titleKey`). */
export function titleSearchFields(title: string): { titleKey: string; searchKeys: string[]; searchVersion: number } {
  const keys = new Set<string>();
  const titleKey = fold(title);
  addWordPrefixes(keys, 'w', titleKey);
  return { titleKey, searchKeys: [...keys], searchVersion: COLLAB_SEARCH_VERSION };
}

/** The filter for collaborations whose title has a word starting with each typed word; undefined when nothing was typed. */
export function titleMatch(typed: string): { searchKeys: { $all: string[] } } | undefined {
  const words = typedWords(typed);
  return words.length > 0 ? { searchKeys: { $all: words.map((word) => prefixKey('w', word)) } } : undefined;
}

/** At start: the updates that give collaborations stored before them their title keys; CollaborationService.upgradeStored writes them (see staleKeyUpdates). */
export function titleKeyUpdates(collaborations: CollaborationModel): AsyncGenerator<KeyUpdate[]> {
  return staleKeyUpdates<{ _id: Types.ObjectId; title: string }>(collaborations, {
    version: COLLAB_SEARCH_VERSION,
    select: { title: 1 },
    fieldsFor: (record) => titleSearchFields(record.title),
  });
}
