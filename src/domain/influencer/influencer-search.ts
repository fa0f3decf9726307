import { escapeRegex, fold } from '../fold';

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
 * index, read in name order: a search reads the page it shows, whatever the workspace's size.
 * Prefixes stop at MAX_PREFIX characters; a longer typed word is matched by its first MAX_PREFIX.
 */

/** Bumped whenever searchKeysFor changes: the start-up migration rewrites every older creator. */
export const SEARCH_VERSION = 1;
export const MAX_PREFIX = 32;

export interface Searchable {
  name: string;
  handles: ReadonlyArray<{ handle: string }>;
  tags: readonly string[];
  stage: string;
}

export function searchKeysFor(record: Searchable): string[] {
  const keys = new Set<string>();
  const prefixes = (kind: 'w' | 't', word: string) => {
    const chars = Array.from(word).slice(0, MAX_PREFIX);
    for (let length = 1; length <= chars.length; length++) keys.add(`${kind}:${chars.slice(0, length).join('')}`);
  };
  for (const word of wordsOf(fold(record.name))) prefixes('w', word);
  for (const { handle } of record.handles) {
    const folded = fold(handle).replace(/^@+/, '');
    if (!folded) continue;
    keys.add(`h:${folded}`);
    for (const word of wordsOf(folded)) prefixes('w', word);
  }
  for (const tag of record.tags) for (const word of wordsOf(fold(tag))) prefixes('t', word);
  keys.add(`s:${record.stage}`);
  return [...keys];
}

/** What every write of a creator's name, handles, tags or stage also sets. */
export const searchFields = (record: Searchable) => ({ searchKeys: searchKeysFor(record), searchVersion: SEARCH_VERSION });

/** Each word, and its parts when punctuation splits it: `o'brien` -> `o'brien`, `o`, `brien`. */
function wordsOf(folded: string): string[] {
  const words: string[] = [];
  for (const word of folded.split(' ')) {
    if (!word) continue;
    words.push(word);
    const parts = word.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (parts.length !== 1 || parts[0] !== word) words.push(...parts);
  }
  return words;
}

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
}

export function searchPlan(query: string): SearchPlan | undefined {
  const tokens = fold(query)
    .split(' ')
    .map((token) => token.replace(/^@+/, ''))
    .filter(Boolean);
  if (tokens.length === 0) return undefined;
  const cut = (token: string) => Array.from(token).slice(0, MAX_PREFIX).join('');
  const phrase = tokens.join(' ');
  const anyOf = tokens.map((token) => ({ searchKeys: { $in: [`w:${cut(token)}`, `t:${cut(token)}`, `s:${token}`] } }));
  const ranks = [
    ...(tokens.length === 1 ? [{ $in: [`h:${tokens[0]}`, '$searchKeys'] }] : []),
    { $eq: ['$nameKey', phrase] },
    // $indexOfCP rather than $substrCP: both are MongoDB's, only the first is the stand-in's too.
    { $eq: [{ $indexOfCP: ['$nameKey', phrase] }, 0] },
    { $setIsSubset: [tokens.map((token) => `w:${cut(token)}`), '$searchKeys'] },
  ];
  const offset = tokens.length === 1 ? 0 : 1;
  // Nested $cond (the stand-in has no $switch): the first rank whose test passes.
  const rank = ranks.reduceRight<unknown>((otherwise, test, index) => ({ $cond: [test, index + offset, otherwise] }), 4) as Record<string, unknown>;
  return { match: anyOf.length === 1 ? anyOf[0]! : { $and: anyOf }, rank };
}
