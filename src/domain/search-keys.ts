import type { Model, Types } from 'mongoose';
import { BATCH_SIZE, inBatches } from './batches';
import { fold } from './fold';

/**
 * Word-prefix keys for indexed lookups without a regex scan or a text index (the stand-in has
 * none, and a collation is not portable): a record keeps `<kind>:<prefix>` for every prefix of
 * every word of a folded text in a multikey field, and one typed word is one equality on its index.
 * Prefixes stop at MAX_PREFIX characters; a longer typed word is matched by its first MAX_PREFIX.
 */
export const MAX_PREFIX = 32;

/** Adds `<kind>:<prefix>` for every prefix of every word (and word part) of `folded`. */
export function addWordPrefixes(keys: Set<string>, kind: string, folded: string): void {
  for (const word of wordsOf(folded)) {
    const chars = Array.from(word).slice(0, MAX_PREFIX);
    for (let length = 1; length <= chars.length; length++) keys.add(`${kind}:${chars.slice(0, length).join('')}`);
  }
}

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

/** The words of what was typed, folded, without a leading `@`; each as long as it was typed. */
export function typedWords(query: string): string[] {
  return fold(query)
    .split(' ')
    .map((token) => token.replace(/^@+/, ''))
    .filter(Boolean);
}

/** A typed word as its prefix key is stored (cut to MAX_PREFIX). */
export const prefixKey = (kind: string, word: string): string => `${kind}:${Array.from(word).slice(0, MAX_PREFIX).join('')}`;

/** One update of an older document's keys, for the raw collection's bulkWrite. */
export interface KeyUpdate {
  updateOne: { filter: { _id: Types.ObjectId; searchVersion: { $ne: number } }; update: { $set: Record<string, unknown>; $unset?: Record<string, ''> } };
}

/**
 * At start: the updates that give every document written before `version` its keys
 * (`fieldsFor`), a bounded batch at a time through a cursor, so memory stays flat whatever the
 * collection's size. The collection's owning service writes each batch (through the raw
 * collection: a field no longer in the schema would lose its $unset through mongoose) before the
 * next is read. Idempotent: it reads only documents of an older version, and each update skips one
 * a newer write brought up to date meanwhile; replicas starting at once write the same keys.
 */
export async function* staleKeyUpdates<T extends { _id: Types.ObjectId }>(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  options: { version: number; select: Record<string, 1>; fieldsFor: (record: T) => Record<string, unknown>; unset?: Record<string, ''> },
): AsyncGenerator<KeyUpdate[]> {
  const stale = { searchVersion: { $ne: options.version } };
  const cursor = model.find(stale, options.select).lean<T[]>().cursor({ batchSize: BATCH_SIZE });
  for await (const batch of inBatches(cursor as AsyncIterable<T>)) {
    yield batch.map((record) => ({
      updateOne: {
        filter: { _id: record._id, ...stale },
        update: { $set: options.fieldsFor(record), ...(options.unset ? { $unset: options.unset } : {}) },
      },
    }));
  }
}
