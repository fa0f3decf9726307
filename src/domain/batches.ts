/**
 * Work through a collection, a cursor or a long list a bounded batch at a time, so memory stays
 * flat however large a workspace grows, and round trips grow as (items / batch size).
 *
 *   for await (const batch of inBatches(model.find(filter).lean().cursor({ batchSize: BATCH_SIZE }))) {
 *     await model.bulkWrite(batch.map(toOperation), { ordered: false });
 *   }
 *
 * A batch is handed out only when full (or at the end), and the next is read only after the
 * caller is done with it: nothing is read ahead beyond the driver's own cursor batch.
 */

/** Documents or operations per batch: small against MongoDB's 16 MB command limit, large enough to keep round trips few. */
export const BATCH_SIZE = 1_000;

export async function* inBatches<T>(source: AsyncIterable<T> | Iterable<T>, size: number = BATCH_SIZE): AsyncGenerator<T[]> {
  if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`batch size must be a positive whole number, got ${size}`);
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
