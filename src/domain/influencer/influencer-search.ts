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
 * What a typed query looks for: one filter per rank, best first (exact handle, exact name, name
 * prefix, word prefix, tag or stage; a creator belongs to the best
 * rank whose filter it matches), and `any`, which every match of any rank passes (the total).
 * Every filter pins `searchKeys` to one or a few index keys. Undefined when nothing searchable
 * was typed.
 */
export interface SearchPlan {
  ranks: Array<Record<string, unknown>>;
  any: Record<string, unknown>;
}

export function searchPlan(query: string): SearchPlan | undefined {
  const tokens = fold(query)
    .split(' ')
    .map((token) => token.replace(/^@+/, ''))
    .filter(Boolean);
  if (tokens.length === 0) return undefined;
  const cut = (token: string) => Array.from(token).slice(0, MAX_PREFIX).join('');
  const phrase = tokens.join(' ');
  const words = { searchKeys: { $all: tokens.map((token) => `w:${cut(token)}`) } };
  const anyOf = tokens.map((token) => ({ searchKeys: { $in: [`w:${cut(token)}`, `t:${cut(token)}`, `s:${token}`] } }));
  const any = anyOf.length === 1 ? anyOf[0]! : { $and: anyOf };
  return {
    ranks: [
      ...(tokens.length === 1 ? [{ searchKeys: `h:${tokens[0]}` }] : []),
      { ...words, nameKey: phrase },
      { ...words, nameKey: { $regex: `^${escapeRegex(phrase)}` } },
      words,
      any,
    ],
    any,
  };
}
