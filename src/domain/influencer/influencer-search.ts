import { fold } from '../fold';
import { addWordPrefixes, prefixKey, typedWords } from '../search-keys';

/**
 * Indexed search over creators, without a regex scan or a text index (the stand-in has none, and
 * a collation is not portable): every creator carries `searchKeys`, a multikey field of
 *
 *  - `w:<prefix>` every prefix of every word of the folded name and of every handle, and of the
 *    parts of a word that has punctuation (`zoe.creates` -> `zoe.creates`, `zoe`, `creates`);
 *  - `t:<prefix>` the same for tags;
 *  - `h:<handle>` each whole handle, for the exact-handle rank;
 *  - `s:<stage>` the stage, whole.
 *
 * The index `{workspaceId, searchKeys, nameKey, _id}` turns a typed word into one equality on the
 * index, read in name order: a search reads a bounded number of matches (InfluencerService.search),
 * whatever the workspace's size. Prefixes: see search-keys.ts.
 */

/** Bumped whenever searchKeysFor changes: the start-up migration rewrites every older creator. */
export const SEARCH_VERSION = 1;

export interface Searchable {
  name: string;
  handles: ReadonlyArray<{ handle: string }>;
  tags: readonly string[];
  stage: string;
}

export function searchKeysFor(record: Searchable): string[] {
  const keys = new Set<string>();
  addWordPrefixes(keys, 'w', fold(record.name));
  for (const { handle } of record.handles) {
    const folded = fold(handle).replace(/^@+/, '');
    if (!folded) continue;
    keys.add(`h:${folded}`);
    addWordPrefixes(keys, 'w', folded);
  }
  for (const tag of record.tags) addWordPrefixes(keys, 't', fold(tag));
  keys.add(`s:${record.stage}`);
  return [...keys];
}

/** What every write of a creator's name, handles, tags or stage also sets. */
export const searchFields = (record: Searchable) => ({ searchKeys: searchKeysFor(record), searchVersion: SEARCH_VERSION });

/**
 * What a typed query looks for: `match`, the filter every match passes (each typed word is the
 * prefix of a word of the name or a handle, of a tag, or the stage: one index key per word), and
 * `rank`, an aggregation expression giving each match its rank, best first: 0 exact handle, 1 exact
 * name, 2 name prefix, 3 every word a name or handle word prefix, 4 the rest (tags, stage).
 * Undefined when nothing searchable was typed.
 */
export interface SearchPlan {
  match: Record<string, unknown>;
  rank: Record<string, unknown>;
  /** The best two ranks alone (exact handle, exact name): a point read, found however many others match. */
  exact: Record<string, unknown>;
}

export function searchPlan(query: string): SearchPlan | undefined {
  const tokens = typedWords(query);
  if (tokens.length === 0) return undefined;
  const phrase = tokens.join(' ');
  const anyOf = tokens.map((token) => ({ searchKeys: { $in: [prefixKey('w', token), prefixKey('t', token), `s:${token}`] } }));
  const ranks = [
    ...(tokens.length === 1 ? [{ $in: [`h:${tokens[0]}`, '$searchKeys'] }] : []),
    { $eq: ['$nameKey', phrase] },
    // $indexOfCP rather than $substrCP: both are MongoDB's, only the first is the stand-in's too.
    { $eq: [{ $indexOfCP: ['$nameKey', phrase] }, 0] },
    { $setIsSubset: [tokens.map((token) => prefixKey('w', token)), '$searchKeys'] },
  ];
  const offset = tokens.length === 1 ? 0 : 1;
  // Nested $cond (the stand-in has no $switch): the first rank whose test passes.
  const rank = ranks.reduceRight<unknown>((otherwise, test, index) => ({ $cond: [test, index + offset, otherwise] }), 4) as Record<string, unknown>;
  const exact = { $or: [...(tokens.length === 1 ? [{ searchKeys: `h:${tokens[0]}` }] : []), { nameKey: phrase }] };
  return { match: anyOf.length === 1 ? anyOf[0]! : { $and: anyOf }, rank, exact };
}
