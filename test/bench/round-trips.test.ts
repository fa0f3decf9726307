import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { documentsIn } from '../../bench/round-trips';

describe('documents read per request', () => {
  it('GIVEN a find batch THEN its documents; arrays inside them (handles) are not documents read', () => {
    expect(documentsIn('find', { cursor: { firstBatch: [{ handles: [{ handle: 'a' }] }, {}] } })).toBe(2);
  });

  it('GIVEN an aggregation THEN its documents and those joined into them, also in arrays of arrays', () => {
    const reply = { cursor: { firstBatch: [{ _id: new ObjectId(), ranks: [[{}, {}], [{}]], total: [{ n: 37 }], ids: [new ObjectId()] }] } };
    expect(documentsIn('aggregate', reply)).toBe(1 + 3 + 1);
  });

  it('GIVEN a count or a write THEN none', () => {
    expect(documentsIn('count', { n: 5 })).toBe(0);
    expect(documentsIn('insert', { n: 1, ok: 1 })).toBe(0);
  });
});
