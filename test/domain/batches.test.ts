import { describe, expect, it } from 'vitest';
import { inBatches } from '../../src/domain/batches';

async function collect<T>(source: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of source) out.push(batch);
  return out;
}

async function* counted(n: number, reads: { count: number }) {
  for (let i = 0; i < n; i++) {
    reads.count += 1;
    yield i;
  }
}

describe('inBatches', () => {
  it('GIVEN 7 items and batches of 3 THEN 3, 3, 1, in order; none for nothing', async () => {
    expect(await collect(inBatches([1, 2, 3, 4, 5, 6, 7], 3))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await collect(inBatches([], 3))).toEqual([]);
  });

  it('GIVEN a cursor THEN the next batch is read only after the caller is done with the last', async () => {
    const reads = { count: 0 };
    const seen: number[] = [];
    for await (const batch of inBatches(counted(10, reads), 4)) seen.push(reads.count, batch.length);
    expect(seen).toEqual([4, 4, 8, 4, 10, 2]);
  });

  it('GIVEN a batch size that is not a positive whole number THEN it is refused', async () => {
    await expect(collect(inBatches([1], 0))).rejects.toThrow('batch size must be a positive whole number, got 0');
  });
});
