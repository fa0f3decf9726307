import { randomBytes } from 'node:crypto';
import { Double, Long, MongoClient, ObjectId, type Collection, type Db, type Document, type Filter, type FindOptions } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lookupInWorkspace } from '../../src/domain/joins';

// The stand-in (src/db/stand-in/MongoStandIn.java) gives mongo-java-server real non-unique
// indexes. An index may only narrow the candidates, never change an answer: a collection with
// indexes and a twin without any must answer every query alike, tricky values included. On the
// stand-in the order must match too (index candidates come in natural order, as a full scan's);
// a real mongod may return index order, so there results are compared by _id.

type Doc = Document & { _id: number };

const OID = new ObjectId('65a000000000000000000001');

/** Hand-picked awkward values for the indexed keys ws, kind, tag, flag, name and items.sku. */
const TRICKY: Doc[] = [
  { _id: 1, ws: 'w1', kind: 'a', tag: 't1', flag: true, name: 'ann', n: 1, items: [{ sku: 's1' }, { sku: 's2' }] },
  { _id: 2, ws: 'w1', kind: 'a', tag: 't2', flag: false, name: 'bob', n: 2, items: { sku: 's1' } },
  { _id: 3, ws: 'w1', kind: 'b', tag: 't1', flag: true, name: 'cat', n: 3, items: [] },
  { _id: 4, ws: 'w1', kind: ['a', 'b'], tag: 't1', flag: false, name: 'dan', n: 4 },
  { _id: 5, ws: 'w1', tag: 't1', flag: true, name: 'eve', n: 5 },
  { _id: 6, ws: 'w1', kind: null, tag: 't1', name: 'fay', n: 6, items: null },
  { _id: 7, ws: 'w1', kind: 5, tag: 't1', flag: 1, name: 'gus', n: 7 },
  { _id: 8, ws: 'w1', kind: new Double(5), tag: 't2', flag: 'true', name: 'hal', n: 8 },
  { _id: 9, ws: 'w1', kind: Long.fromNumber(5), tag: 't3', name: 'ivy', n: 9 },
  { _id: 10, ws: 'w1', kind: 'a', tag: new Date('2024-01-01T00:00:00Z'), name: 'jon', n: 10, items: [{ sku: ['s1', 's3'] }] },
  { _id: 11, ws: 'w1', kind: { sub: 'a' }, tag: 't1', name: 'kim', n: 11 },
  { _id: 12, ws: 'w1', kind: 'A', tag: 't1', name: 'lea', n: 12, items: 's1' },
  { _id: 13, ws: ['w1', 'w2'], kind: 'a', tag: 't1', name: 'max', n: 13 },
  { _id: 14, ws: 'w2', kind: 'a', tag: 't1', flag: true, name: 'ned', n: 14, items: [{ sku: 's1' }] },
  { _id: 15, ws: OID, kind: 'a', tag: 't1', flag: true, name: 'oli', n: 15 },
  { _id: 16, ws: OID.toHexString(), kind: 'a', tag: 't1', name: 'pam', n: 16 },
  { _id: 17, kind: 'a', tag: 't1', name: 'quy', n: 17 },
  { _id: 18, ws: null, kind: 'a', name: 'ray', n: 18 },
  { _id: 19, ws: 'w1', kind: 'a', tag: 't1', flag: true, name: 'sam', n: 19, items: [{ sku: 's2' }, { other: 1 }] },
  { _id: 20, ws: 'w1', kind: true, tag: 't1', name: 'tia', n: 20 },
  { _id: 21, ws: 'w1', kind: 'a', tag: null, name: 'uma', n: 21, items: {} },
  { _id: 22, ws: 'w1', kind: 'b', tag: ['t1', 't2'], flag: false, name: 'vic', n: 22, items: [{ sku: 's1' }] },
];

/** Ordinary documents around them, so that buckets hold more than one document. */
const FILLER: Doc[] = Array.from({ length: 40 }, (_, i) => {
  const id = 23 + i;
  return { _id: id, ws: ['w1', 'w2', 'w3'][i % 3], kind: ['a', 'b', 'c'][(i >> 1) % 3], tag: `f${i % 4}`, flag: i % 2 === 0, name: `f${id}`, n: id };
});

/** Inserted after the deletes, into the slots they freed. */
const LATE: Doc[] = [
  { _id: 100, ws: 'w1', kind: 'a', tag: 't1', flag: true, name: 'late-a', n: 100, items: [{ sku: 's1' }] },
  { _id: 101, ws: 'w1', kind: ['z', 'a'], tag: 't1', name: 'late-b', n: 101 },
  { _id: 102, ws: 'w1', tag: 't1', flag: false, name: 'late-c', n: 102 },
  { _id: 103, ws: 'w3', kind: 'a', tag: 't1', flag: true, name: 'late-d', n: 103 },
  { _id: 104, ws: 'w1', kind: 5.5, tag: 't1', name: 'late-e', n: 104 },
];

interface FindCase {
  filter: Filter<Doc>;
  options?: FindOptions;
}

/** Values no document holds, to make an $in list long. */
const MANY = Array.from({ length: 40 }, (_, i) => `none-${i}`);

/** The filter with the MANY values taken out of its $in lists (plain objects and arrays are copied, other values kept). */
function withoutMany(value: unknown): Filter<Doc> {
  const copy = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.filter((item) => !MANY.includes(item as string)).map(copy)
      : v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype
        ? Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, copy(inner)]))
        : v;
  return copy(value) as Filter<Doc>;
}

const FINDS: FindCase[] = [
  // equality prefixes of 1, 2 and 3 keys
  { filter: { ws: 'w1' } },
  { filter: { ws: 'w2' } },
  { filter: { ws: 'w1', kind: 'a' } },
  { filter: { ws: 'w2', kind: 'a' } },
  { filter: { ws: 'w1', kind: 'a', tag: 't1' } },
  { filter: { ws: 'w1', kind: 'b', tag: 't1' } },
  { filter: { tag: 't1', kind: 'a', ws: 'w1' } },
  { filter: { ws: OID } },
  { filter: { ws: OID, kind: 'a' } },
  { filter: { ws: OID.toHexString() } },
  { filter: { ws: 'nobody' } },
  // null matches null and missing
  { filter: { ws: null } },
  { filter: { ws: 'w1', kind: null } },
  { filter: { ws: 'w1', kind: null, tag: 't1' } },
  { filter: { ws: 'w1', kind: 'a', tag: null } },
  // numbers, booleans, sub-documents, case
  { filter: { ws: 'w1', kind: 5 } },
  { filter: { ws: 'w1', kind: 5.5 } },
  { filter: { ws: 'w1', kind: true } },
  { filter: { ws: 'w1', kind: { sub: 'a' } } },
  { filter: { ws: 'w1', kind: 'A' } },
  { filter: { ws: 'w1', flag: true } },
  { filter: { ws: 'w1', flag: false } },
  { filter: { ws: 'w1', flag: true, name: 'ann' } },
  { filter: { ws: 'w1', flag: 1 } },
  { filter: { ws: 'w1', flag: 'true' } },
  { filter: { ws: 'w1', tag: new Date('2024-01-01T00:00:00Z') } },
  { filter: { ws: 'w1', kind: 'a', tag: new Date('2024-01-01T00:00:00Z') } },
  // dotted key through arrays of sub-documents
  { filter: { ws: 'w1', 'items.sku': 's1' } },
  { filter: { ws: 'w1', 'items.sku': 's2' } },
  { filter: { ws: 'w1', 'items.sku': null } },
  { filter: { 'items.sku': 's1' } },
  // operators mixed with equalities
  { filter: { ws: 'w1', kind: { $in: ['a', 'b'] } } },
  { filter: { ws: { $in: ['w1', 'w2'] }, kind: 'a' } },
  { filter: { ws: 'w1', kind: 'a', tag: { $gt: 't1' } } },
  { filter: { ws: 'w1', kind: /^a/ } },
  { filter: { ws: /^w/, kind: 'a' } },
  { filter: { ws: 'w1', kind: { $ne: 'a' } } },
  { filter: { ws: 'w1', kind: { $exists: false } } },
  { filter: { ws: 'w1', $or: [{ kind: 'a' }, { kind: null }] } },
  { filter: { $and: [{ ws: 'w1' }, { kind: 'a' }] } },
  { filter: { kind: 'a' } },
  { filter: { _id: 4, ws: 'w1' } },
  { filter: { n: 3, ws: 'w1' } },
  // long $in lists (the stand-in checks those through a hash set): strings vs arrays, ObjectId vs its hex string, mixed types
  { filter: { ws: 'w1', kind: { $in: [...MANY, 'a'] } } },
  { filter: { ws: 'w1', kind: { $in: [...MANY, 'z'] } } },
  { filter: { ws: { $in: [...MANY, OID] } } },
  { filter: { ws: { $in: [...MANY, OID.toHexString()] }, kind: 'a' } },
  { filter: { kind: { $in: [...MANY, 5, 'b'] } } },
  { filter: { flag: { $in: [...MANY, true] }, ws: 'w1' } },
  { filter: { tag: { $in: [...MANY, 't2'] }, $or: [{ kind: 'a' }, { kind: 'b' }] } },
  { filter: { name: { $in: [...MANY, 'ann', 'late-a', 'f30'] } }, options: { sort: { n: -1 }, limit: 2 } },
  // sort, skip, limit, projection
  { filter: { ws: 'w1' }, options: { sort: { n: -1 }, limit: 3 } },
  { filter: { ws: 'w1', kind: 'a' }, options: { sort: { name: 1 }, skip: 1, limit: 2 } },
  { filter: { ws: 'w1', kind: 'a' }, options: { sort: { $natural: -1 } } },
  { filter: { ws: 'w1', kind: 'a' }, options: { projection: { name: 1, _id: 0 }, sort: { name: 1 } } },
];

/** Aggregations, each with a leading $match; LOOKUP_FROM is replaced by the twin's foreign collection. */
const LOOKUP_FROM = '<foreign>';
const AGGREGATES: Document[][] = [
  [{ $match: { ws: 'w1', kind: 'a' } }],
  [{ $match: { ws: 'w1', kind: null } }, { $project: { name: 1 } }],
  [{ $match: { ws: 'w1' } }, { $group: { _id: '$tag', count: { $sum: 1 } } }, { $sort: { count: -1, _id: 1 } }],
  [{ $match: { ws: 'w1', kind: 'a', tag: 't1' } }, { $count: 'n' }],
  [{ $match: { ws: 'w1', 'items.sku': 's1' } }, { $sort: { n: 1 } }],
  [{ $match: { ws: 'w2', kind: { $in: ['a', 'c'] } } }, { $sort: { n: -1 } }, { $limit: 2 }],
  [{ $match: { ws: 'w1', flag: true } }, { $lookup: { from: LOOKUP_FROM, localField: 'tag', foreignField: 'code', as: 'tags' } }],
  [{ $match: { ws: 'w1', kind: 'a' } }, { $lookup: { from: LOOKUP_FROM, localField: 'tag', foreignField: 'code', as: 'tags' } }],
];

/** The $lookup targets: `code` is the first key of an index on the indexed side. */
const TAGS: Doc[] = [
  { _id: 1, code: 't1', label: 'one' },
  { _id: 2, code: 't2', label: 'two' },
  { _id: 3, code: ['t1', 't3'], label: 'array' },
  { _id: 4, code: null, label: 'null' },
  { _id: 5, label: 'missing' },
  { _id: 6, code: 't1', label: 'one again' },
  { _id: 7, code: 1, label: 'number' },
];

const ids = (docs: Document[]) => docs.map((doc) => doc._id as number);
const tricky = (docs: Document[]) => ids(docs).filter((id) => id <= 22);

describe('stand-in secondary indexes', () => {
  let client: MongoClient;
  let db: Db;
  let standIn = false;
  let indexed: Collection<Doc>;
  let plain: Collection<Doc>;

  beforeAll(async () => {
    client = await MongoClient.connect(inject('mongoUri'), { serverSelectionTimeoutMS: 5000 });
    db = client.db(`t_${randomBytes(6).toString('hex')}`);
    // mongo-java-server's buildInfo has no gitVersion; every real mongod has one.
    standIn = !('gitVersion' in (await db.admin().command({ buildInfo: 1 })));
    indexed = db.collection<Doc>('indexed');
    plain = db.collection<Doc>('plain');
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  /** Same documents, same order on the stand-in; same documents by _id on a real mongod. */
  function expectSameAnswer(fromIndexed: Document[], fromPlain: Document[], ordered: boolean, label: string) {
    if (ordered || standIn) {
      expect(fromIndexed, label).toEqual(fromPlain);
    } else {
      const byId = (docs: Document[]) => [...docs].sort((a, b) => String(a._id).localeCompare(String(b._id)));
      expect(byId(fromIndexed), label).toEqual(byId(fromPlain));
    }
  }

  async function expectSameFinds(phase: string) {
    for (const { filter, options } of FINDS) {
      const label = `${phase}: find ${JSON.stringify(filter)} ${JSON.stringify(options ?? {})}`;
      const [a, b] = await Promise.all([indexed.find(filter, options).toArray(), plain.find(filter, options).toArray()]);
      expectSameAnswer(a, b, options?.sort !== undefined, label);
      // Both twins check a long $in through the stand-in's hash set; the short list (what MANY
      // adds matches nothing) goes through the library's own matcher.
      const short = withoutMany(filter);
      if (JSON.stringify(short) !== JSON.stringify(filter)) {
        expectSameAnswer(a, await plain.find(short, options).toArray(), options?.sort !== undefined, `${label} vs the short $in`);
      }
      // countDocuments runs an aggregation that starts with $match.
      expect(await indexed.countDocuments(filter), label).toBe(await plain.countDocuments(filter));
    }
    for (const pipeline of AGGREGATES) {
      const label = `${phase}: aggregate ${JSON.stringify(pipeline)}`;
      const forTwin = (from: string) =>
        pipeline.map((stage) => (stage.$lookup ? { $lookup: { ...stage.$lookup, from } } : stage));
      const [a, b] = await Promise.all([
        indexed.aggregate(forTwin('tagsIndexed')).toArray(),
        plain.aggregate(forTwin('tagsPlain')).toArray(),
      ]);
      const ordered = pipeline.some((stage) => stage.$sort || stage.$count);
      // A real mongod may fill $lookup arrays in index order.
      const normalise = (docs: Document[]) =>
        standIn ? docs : docs.map((doc) => (doc.tags ? { ...doc, tags: [...doc.tags].sort((x, y) => x._id - y._id) } : doc));
      expectSameAnswer(normalise(a), normalise(b), ordered, label);
    }
    expect((await indexed.distinct('tag', { ws: 'w1', kind: 'a' })).map(String).sort()).toEqual(
      (await plain.distinct('tag', { ws: 'w1', kind: 'a' })).map(String).sort(),
    );
  }

  it('GIVEN indexes created before and after the inserts THEN listIndexes shows exactly what was created', async () => {
    await indexed.createIndex({ ws: 1, kind: 1, tag: 1 });
    await indexed.createIndex({ ws: 1, flag: 1, name: -1 }, { name: 'by_flag' });
    await indexed.createIndex({ n: 1 }, { unique: true });
    await indexed.insertMany([...TRICKY, ...FILLER]);
    await plain.insertMany([...TRICKY, ...FILLER]);
    // Built over documents that are already there.
    await indexed.createIndex({ ws: 1, 'items.sku': 1 });
    await indexed.createIndex({ kind: 1 }, { sparse: true });
    // Creating an existing index again is a no-op, as on MongoDB.
    await indexed.createIndex({ ws: 1, kind: 1, tag: 1 });

    await db.collection<Doc>('tagsIndexed').createIndex({ code: 1, label: 1 });
    await db.collection<Doc>('tagsIndexed').insertMany(TAGS);
    await db.collection<Doc>('tagsPlain').insertMany(TAGS);

    const described = (await indexed.listIndexes().toArray()).map(({ name, key, unique, sparse }) => ({ name, key, unique, sparse }));
    expect(described).toEqual([
      { name: '_id_', key: { _id: 1 }, unique: undefined, sparse: undefined },
      { name: 'ws_1_kind_1_tag_1', key: { ws: 1, kind: 1, tag: 1 }, unique: undefined, sparse: undefined },
      { name: 'by_flag', key: { ws: 1, flag: 1, name: -1 }, unique: undefined, sparse: undefined },
      { name: 'n_1', key: { n: 1 }, unique: true, sparse: undefined },
      { name: 'ws_1_items.sku_1', key: { ws: 1, 'items.sku': 1 }, unique: undefined, sparse: undefined },
      { name: 'kind_1', key: { kind: 1 }, unique: undefined, sparse: true },
    ]);
    expect((await plain.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('GIVEN the inserted documents THEN indexed and unindexed collections answer alike', async () => {
    // Spot checks that the data really exercises the awkward cases (MongoDB semantics).
    expect(tricky(await plain.find({ ws: 'w1', kind: 'a' }).toArray())).toEqual([1, 2, 4, 10, 13, 19, 21]);
    expect(tricky(await indexed.find({ ws: 'w1', kind: 'a' }).toArray()).sort((x, y) => x - y)).toEqual([1, 2, 4, 10, 13, 19, 21]);
    expect(tricky(await indexed.find({ ws: 'w1', kind: null }).toArray()).sort((x, y) => x - y)).toEqual([5, 6]);
    expect(tricky(await indexed.find({ ws: 'w1', kind: 5 }).toArray()).sort((x, y) => x - y)).toEqual([7, 8, 9]);
    expect(tricky(await indexed.find({ ws: null }).toArray()).sort((x, y) => x - y)).toEqual([17, 18]);
    expect(tricky(await indexed.find({ ws: 'w1', 'items.sku': 's2' }).toArray()).sort((x, y) => x - y)).toEqual([1, 19]);
    expect(ids(await indexed.find({ ws: OID }).toArray())).toEqual([15]);
    await expectSameFinds('after insert');
  });

  it('GIVEN updates that move documents between index entries THEN old and new values answer alike', async () => {
    for (const collection of [indexed, plain]) {
      expect(await collection.updateOne({ ws: 'w1', kind: 'a', tag: 't2' }, { $set: { kind: 'z' } })).toMatchObject({ modifiedCount: 1 });
      await collection.updateMany({ ws: 'w1', kind: 'b' }, { $set: { tag: 't9' } });
      await collection.updateMany({ ws: 'w1', kind: 'a', tag: 't1' }, { $unset: { kind: '' } });
      await collection.updateOne({ name: 'gus' }, { $set: { kind: 'a' } });
      await collection.updateOne({ name: 'cat' }, { $set: { kind: ['x', 'a'] } });
      await collection.updateOne({ name: 'fay' }, { $set: { 'items': [{ sku: 's2' }] } });
      await collection.updateMany({ ws: 'w2' }, { $set: { ws: 'w3' } });
      await collection.updateOne({ ws: 'w1', flag: false, name: 'dan' }, { $set: { flag: true } });
      await collection.replaceOne({ name: 'hal' }, { ws: 'w1', kind: 'a', tag: 't1', name: 'hal2', n: 8 });
      await collection.updateOne({ ws: 'w4', kind: 'new' }, { $setOnInsert: { _id: 99, name: 'up', n: 99 } }, { upsert: true });
    }
    expect(await indexed.countDocuments({ ws: 'w1', kind: 'a', tag: 't2' })).toBe(0);
    expect(ids(await indexed.find({ ws: 'w1', kind: 'z' }).toArray())).toEqual([2]);
    expect(await indexed.countDocuments({ ws: 'w2' })).toBe(0);
    expect(tricky(await indexed.find({ ws: 'w1', kind: null }).toArray()).sort((x, y) => x - y)).toEqual([1, 5, 6, 19]);
    expect(ids(await indexed.find({ ws: 'w4', kind: 'new' }).toArray())).toEqual([99]);
    expect(ids(await indexed.find({ ws: 'w1', flag: true, name: 'dan' }).toArray())).toEqual([4]);
    await expectSameFinds('after updates');
  });

  it('GIVEN deletes and inserts into the freed slots THEN both collections answer alike', async () => {
    for (const collection of [indexed, plain]) {
      expect(await collection.deleteOne({ ws: 'w1', kind: 'z' })).toMatchObject({ deletedCount: 1 });
      await collection.deleteMany({ ws: 'w1', tag: 't9' });
      await collection.deleteMany({ ws: 'w3', kind: 'a' });
      await collection.deleteOne({ ws: null, kind: 'a', name: 'ray' });
    }
    expect(await indexed.countDocuments({ ws: 'w1', kind: 'z' })).toBe(0);
    expect(await indexed.countDocuments({ ws: 'w3', kind: 'a' })).toBe(0);
    expect(await indexed.countDocuments({})).toBe(await plain.countDocuments({}));
    await expectSameFinds('after deletes');

    await indexed.insertMany(LATE);
    await plain.insertMany(LATE);
    expect(tricky(await indexed.find({ ws: 'w1', kind: 'a' }).toArray()).length).toBeGreaterThan(0);
    await expectSameFinds('after re-inserts');
  });

  it('GIVEN a dropped index THEN queries still answer alike', async () => {
    await indexed.dropIndex('ws_1_kind_1_tag_1');
    await expectSameFinds('after dropIndex');
    await indexed.createIndex({ ws: 1, kind: 1, tag: 1 });
    await expectSameFinds('after re-creating the index');
  });

  describe('ranges, $in and $or on a randomized collection', () => {
    // Seeded, so a failure names a case that can be run again.
    function random(seed: number) {
      let state = seed >>> 0;
      const next = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
      return { next, pick };
    }
    const MISSING = Symbol('missing');
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
    const at = (d: number, h = 0) => new Date(Date.UTC(2026, 10, d, h));
    const OWNER = new ObjectId('65a0000000000000000000aa');
    const BIG = Long.fromString('9007199254740993'); // 2^53 + 1: no exact double

    const VALUES = {
      ws: ['w1', 'w1', 'w1', 'w2', 'w2', 'w3', null, MISSING, ['w1', 'w2']],
      own: ['u1', 'u1', 'u2', OWNER, null, MISSING, ['u1']],
      status: ['open', 'open', 'done', null, MISSING, 3],
      day: [
        ...Array.from({ length: 12 }, (_, i) => day(i + 1)),
        'ｚ-after-every-day', '😀-surrogates', '\uffff', '', 5, 5.5, null, MISSING, [day(3), day(9)], { d: 1 }, at(4), true,
      ],
      at: [
        ...Array.from({ length: 10 }, (_, i) => at(i + 1, i)),
        day(2), 7, Long.fromNumber(7), null, MISSING, [at(2), at(8)], { at: at(3) }, new ObjectId('65a0000000000000000000bb'),
      ],
      m: [1, 2, 3, 3, new Double(3), Long.fromNumber(3), '3', 12, 0, new Double(-0), BIG, null, MISSING, [3, 4], 2.5],
      d: [1, 2, 4, 4, new Double(4), 29, null, MISSING, '4'],
      sub: [{ day: day(2) }, { day: day(7) }, [{ day: day(1) }, { day: day(11) }], { other: 1 }, null, MISSING, 'x', { day: at(5) }],
    } as const;
    type Key = keyof typeof VALUES;
    const KEYS = Object.keys(VALUES) as Key[];

    const rng = random(20261130);
    let nextId = 1;
    function randomDoc(): Doc {
      const doc: Doc = { _id: nextId, n: nextId };
      nextId++;
      for (const key of KEYS) {
        const value = rng.pick(VALUES[key] as readonly unknown[]);
        if (value !== MISSING) doc[key] = value;
      }
      return doc;
    }

    /** A bound of the given kind: mostly in the data's own range, sometimes of another type or unordered. */
    function bound(kind: 'day' | 'at'): unknown {
      const r = rng.next();
      if (kind === 'day') return r < 0.8 ? day(1 + Math.floor(rng.next() * 13)) : rng.pick(['😀', 'ｚ', '', 5, null, at(6)]);
      return r < 0.8 ? at(1 + Math.floor(rng.next() * 11), Math.floor(rng.next() * 24)) : rng.pick([day(5), 7, null]);
    }
    function range(kind: 'day' | 'at'): Document {
      const ops = rng.pick([['$lt'], ['$lte'], ['$gt'], ['$gte'], ['$gte', '$lt'], ['$gt', '$lte'], ['$lt', '$lte'], ['$gt', '$gte', '$lt']]);
      const condition: Document = {};
      for (const op of ops) condition[op] = bound(kind);
      if (rng.next() < 0.15) condition.$ne = bound(kind);
      return condition;
    }
    /** A value to pin a key with: equality, null, an $in, an $eq. */
    function pin(key: Key): unknown {
      const plain = () => {
        const value = rng.pick(VALUES[key] as readonly unknown[]);
        return value === MISSING ? null : value;
      };
      const r = rng.next();
      if (r < 0.6) return plain();
      if (r < 0.85) return { $in: Array.from({ length: 1 + Math.floor(rng.next() * 3) }, plain) };
      return { $eq: plain() };
    }

    const SHAPES: (() => Document)[] = [
      () => ({ ws: pin('ws'), own: pin('own'), status: pin('status'), day: range('day') }),
      () => ({ ws: pin('ws'), own: pin('own'), day: range('day') }),
      () => ({ ws: pin('ws'), own: pin('own'), status: pin('status'), day: range('day'), at: { $not: { $gt: bound('at') } } }),
      () => ({ ws: pin('ws'), status: pin('status'), at: range('at') }),
      () => ({ ws: pin('ws'), status: pin('status'), at: range('at'), own: pin('own') }),
      () => ({ at: range('at') }),
      () => ({ day: range('day') }),
      () => ({ day: { $not: range('day') } }),
      () => ({ ws: pin('ws'), 'sub.day': range('day') }),
      () => ({ ws: pin('ws'), m: pin('m'), d: pin('d') }),
      () => ({ ws: pin('ws'), m: pin('m'), d: range('day') }),
      () => ({ ws: { $in: ['w1', 'w2', null] }, own: { $in: ['u1', OWNER] }, status: 'open', day: range('day') }),
      () => ({ $or: Array.from({ length: 1 + Math.floor(rng.next() * 8) }, () => ({ m: pin('m'), d: pin('d') })), ws: pin('ws'), own: pin('own') }),
      () => ({ $or: [{ ws: pin('ws'), day: range('day') }, { at: range('at') }] }),
      () => ({ $or: [{ ws: pin('ws'), day: range('day') }, { n: { $gt: 50 } }] }),
      () => ({ $or: [{ ws: pin('ws') }, { own: pin('own') }], status: pin('status') }),
      () => ({ ws: pin('ws'), $or: [{ own: pin('own'), status: pin('status') }, { own: pin('own'), day: range('day') }] }),
    ];
    const OPTIONS: (FindOptions | undefined)[] = [undefined, undefined, { sort: { n: -1 }, limit: 5 }, { sort: { day: 1, n: 1 }, skip: 2, limit: 7 }, { sort: { $natural: -1 } }];

    let fuzzIndexed: Collection<Doc>;
    let fuzzPlain: Collection<Doc>;

    async function expectSameAnswers(phase: string, queries: number) {
      for (let i = 0; i < queries; i++) {
        const filter = rng.pick(SHAPES)();
        const options = rng.pick(OPTIONS);
        const label = `${phase} #${i}: ${JSON.stringify(filter)} ${JSON.stringify(options ?? {})}`;
        const [a, b] = await Promise.all([fuzzIndexed.find(filter, options).toArray(), fuzzPlain.find(filter, options).toArray()]);
        expectSameAnswer(a, b, options?.sort !== undefined && (options.sort as Document).$natural === undefined, label);
        const [ca, cb] = await Promise.all([fuzzIndexed.countDocuments(filter), fuzzPlain.countDocuments(filter)]);
        expect(ca, label).toBe(cb);
        const pipeline = [{ $match: filter }, { $sort: { n: 1 } }, { $project: { n: 1, day: 1 } }];
        const [pa, pb] = await Promise.all([fuzzIndexed.aggregate(pipeline).toArray(), fuzzPlain.aggregate(pipeline).toArray()]);
        expect(pa, label).toEqual(pb);
      }
    }

    it('GIVEN mixed types, then updates, deletes and inserts THEN ranges, $in and $or answer as a full scan does', async () => {
      fuzzIndexed = db.collection<Doc>('fuzzIndexed');
      fuzzPlain = db.collection<Doc>('fuzzPlain');
      await fuzzIndexed.createIndex({ ws: 1, own: 1, status: 1, day: 1 });
      await fuzzIndexed.createIndex({ ws: 1, status: 1, at: 1 });
      await fuzzIndexed.createIndex({ ws: 1, m: 1, d: 1, own: 1 });
      await fuzzIndexed.createIndex({ at: -1 });
      const docs = Array.from({ length: 400 }, randomDoc);
      await fuzzIndexed.insertMany(docs.map((doc) => ({ ...doc })));
      await fuzzPlain.insertMany(docs.map((doc) => ({ ...doc })));
      // Built over documents already there.
      await fuzzIndexed.createIndex({ ws: 1, 'sub.day': 1 });
      await fuzzIndexed.createIndex({ day: 1 });

      // The data exercises the rules (MongoDB semantics): a date range matches dates only, numbers
      // equal across types, a string range skips numbers and dates.
      expect(await fuzzPlain.countDocuments({ at: { $lt: at(30) } })).toBe(await fuzzPlain.countDocuments({ at: { $type: 'date' } }));
      expect(await fuzzIndexed.countDocuments({ m: 3 })).toBe(await fuzzPlain.countDocuments({ m: { $in: [3, new Double(3), Long.fromNumber(3)] } }));
      expect(await fuzzIndexed.countDocuments({ ws: 'w1', m: 3 })).toBeGreaterThan(0);
      expect(await fuzzIndexed.countDocuments({ day: { $gte: '' } })).toBe(await fuzzPlain.countDocuments({ day: { $type: 'string' } }));

      await expectSameAnswers('after insert', 300);

      for (let round = 0; round < 3; round++) {
        for (const collection of [fuzzIndexed, fuzzPlain]) {
          const r = random(round + 1);
          for (let i = 0; i < 40; i++) {
            const id = 1 + Math.floor(r.next() * 400);
            const key = r.pick(KEYS);
            const value = r.pick(VALUES[key] as readonly unknown[]);
            await collection.updateOne({ _id: id }, value === MISSING ? { $unset: { [key]: '' } } : { $set: { [key]: value } });
          }
          await collection.updateMany({ ws: 'w2', day: { $lt: day(4 + round) } }, { $set: { status: 'done', at: at(9 + round) } });
          await collection.deleteMany({ ws: 'w3', at: { $gte: at(2 * round + 3) } });
          await collection.deleteMany({ _id: { $in: Array.from({ length: 10 }, () => 1 + Math.floor(r.next() * 400)) } });
        }
        const late = Array.from({ length: 30 }, randomDoc);
        await fuzzIndexed.insertMany(late.map((doc) => ({ ...doc })));
        await fuzzPlain.insertMany(late.map((doc) => ({ ...doc })));
        expect(await fuzzIndexed.countDocuments({})).toBe(await fuzzPlain.countDocuments({}));
        await expectSameAnswers(`after changes, round ${round + 1}`, 150);
      }
    }, 120_000);
  });

  describe('how many documents a query examines', () => {
    let examinedDb: Db;
    const WORKSPACES = 10;
    const PER_WORKSPACE = 200;
    const TOTAL = WORKSPACES * PER_WORKSPACE;
    const day = (i: number) => `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;

    /** The documents the collection's queries examined since the last call (a stand-in command). */
    const examined = async (name: string) => (await examinedDb.command({ standInExamined: name })).examined as number;

    beforeAll(async () => {
      if (!standIn) return;
      examinedDb = client.db(`${db.databaseName}_x`);
      const items = examinedDb.collection<Doc>('items');
      await items.createIndex({ ws: 1, own: 1, status: 1, day: 1 });
      await items.createIndex({ ws: 1, status: 1, at: 1 });
      await items.createIndex({ ws: 1, archived: 1, 'birthday.month': 1, 'birthday.day': 1, own: 1 });
      await items.insertMany(
        Array.from({ length: TOTAL }, (_, i) => ({
          _id: i,
          ws: `w${i % WORKSPACES}`,
          own: `u${Math.floor(i / WORKSPACES) % 4}`,
          status: ['open', 'done'][Math.floor(i / 40) % 2],
          archived: null,
          day: day(i),
          at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
          birthday: { month: 1 + (i % 12), day: 1 + (i % 28) },
        })),
      );
      const children = examinedDb.collection<Doc>('children');
      await children.createIndex({ parentId: 1 });
      await children.insertMany(Array.from({ length: TOTAL }, (_, i) => ({ _id: i, parentId: i % 100, workspaceId: `w${i % WORKSPACES}` })));
      await examined('items');
      await examined('children');
    });
    afterAll(async () => {
      await examinedDb?.dropDatabase();
    });

    /** Examines exactly the documents that match the part of the filter an index narrows (every value here is one it orders or buckets). */
    async function expectExamined(filter: Filter<Doc>, label: string, narrowed: Filter<Doc> = filter) {
      const items = examinedDb.collection<Doc>('items');
      const expected = await items.countDocuments(narrowed);
      await examined('items');
      const found = await items.find(filter).toArray();
      expect(found.length, label).toBeGreaterThan(0);
      expect(expected, label).toBeLessThan(PER_WORKSPACE);
      expect(await examined('items'), label).toBe(expected);
      const [{ n } = { n: 0 }] = await items.aggregate([{ $match: filter }, { $count: 'n' }]).toArray();
      expect(n, label).toBe(found.length);
      expect(await examined('items'), `${label} (aggregate)`).toBe(expected);
    }

    it('GIVEN the App Home shapes THEN a range, an $in and an $or examine only their matches, a scan all documents', async (context) => {
      context.skip(!standIn, 'a real mongod: its own indexes need no proof here, only the stand-in does');
      await expectExamined({ ws: 'w3', own: 'u1', status: 'open', day: { $lt: '2026-06-01' } }, 'equalities, then a string range');
      await expectExamined({ ws: 'w3', status: 'done', at: { $gte: new Date(Date.UTC(2026, 0, 20)), $lt: new Date(Date.UTC(2026, 1, 10)) } }, 'a date range');
      await expectExamined(
        { ws: 'w3', own: 'u1', status: 'open', day: { $lte: '2026-06-01' }, at: { $not: { $gt: new Date(Date.UTC(2026, 1, 1)) } } },
        'a range, then a $not the matcher checks',
        { ws: 'w3', own: 'u1', status: 'open', day: { $lte: '2026-06-01' } },
      );
      await expectExamined({ ws: { $in: ['w1', 'w2'] }, own: 'u0', status: 'open' }, 'an $in');
      await expectExamined(
        { ws: 'w1', archived: null, own: 'u2', $or: [1, 3, 5, 7, 9, 11, 2, 4].map((month) => ({ 'birthday.month': month, 'birthday.day': month })) },
        'the birthdays $or',
      );
      await examinedDb.collection<Doc>('items').find({ $or: [{ ws: 'w1' }, { n: 5 }] }).toArray();
      expect(await examined('items'), 'an $or with a branch no index serves').toBe(TOTAL);
    });

    it('GIVEN a $lookup on an indexed foreignField THEN each joined document is examined once, not the whole collection', async (context) => {
      context.skip(!standIn, 'a real mongod: its own indexes need no proof here, only the stand-in does');
      const parents = examinedDb.collection<Doc>('parents');
      await parents.insertMany([{ _id: 7, workspaceId: 'w7' }, { _id: 8, workspaceId: 'w8' }, { _id: 500, workspaceId: 'w0' }]);
      const joined = await parents
        .aggregate([{ $sort: { _id: 1 } }, ...lookupInWorkspace('children', '_id', 'parentId', 'children', ['workspaceId'])])
        .toArray();
      expect(joined.map((parent) => parent.children.length)).toEqual([TOTAL / 100, TOTAL / 100, 0]);
      expect(await examined('children')).toBe((2 * TOTAL) / 100);
    });
  });

  it('GIVEN lookupInWorkspace with fields some joined documents lack THEN the field is left out, as mongod does (the stand-in closed the connection)', async () => {
    const people = db.collection<Doc>('people');
    const notes = db.collection<Doc>('notes');
    await people.insertMany([
      { _id: 1, workspaceId: 'w1', name: 'Ann', email: 'ann@example.com' },
      { _id: 2, workspaceId: 'w1', name: 'Bob' },
      { _id: 3, workspaceId: 'w2', name: 'Cat' },
    ]);
    await notes.insertMany([
      { _id: 10, workspaceId: 'w1', personId: 1 },
      { _id: 11, workspaceId: 'w1', personId: 2 },
      { _id: 12, workspaceId: 'w1', personId: 3 },
    ]);
    const joined = await notes
      .aggregate([{ $sort: { _id: 1 } }, ...lookupInWorkspace('people', 'personId', '_id', 'person', ['name', 'email', 'phone'])])
      .toArray();
    expect(joined.map(({ _id, person }) => ({ _id, person }))).toEqual([
      { _id: 10, person: [{ name: 'Ann', email: 'ann@example.com' }] },
      { _id: 11, person: [{ name: 'Bob' }] },
      { _id: 12, person: [] },
    ]);
  });

  describe('speed', () => {
    const workspaces = 1_000;
    const perWorkspace = 50;
    const finds = 200;

    it('GIVEN 50,000 documents in 1,000 workspaces THEN indexed finds and $match aggregations are at least 5x faster', async (context) => {
      context.skip(!standIn, 'a real mongod: its own indexes need no proof here, only the stand-in does');
      const fast = db.collection<Doc>('speedIndexed');
      const slow = db.collection<Doc>('speedPlain');
      await fast.createIndex({ ws: 1, kind: 1, at: -1 });
      const docs = Array.from({ length: workspaces * perWorkspace }, (_, i) => ({
        _id: i,
        ws: `w${String(i % workspaces).padStart(4, '0')}`,
        kind: `k${Math.floor(i / workspaces) % 5}`,
        at: new Date(1_700_000_000_000 + i * 60_000),
        n: i,
      }));
      for (let i = 0; i < docs.length; i += 5_000) {
        const batch = docs.slice(i, i + 5_000);
        await fast.insertMany(batch.map((doc) => ({ ...doc })));
        await slow.insertMany(batch.map((doc) => ({ ...doc })));
      }

      const time = async (run: () => Promise<unknown>) => {
        // Warmed up first, so neither side pays the JIT and connection set-up alone.
        for (let i = 0; i < 10; i++) await run();
        const started = performance.now();
        for (let i = 0; i < finds; i++) await run();
        return performance.now() - started;
      };
      const query = { ws: 'w0042', kind: 'k1' };
      const expected = await slow.find(query).sort({ at: -1 }).toArray();
      expect(expected.length).toBeGreaterThan(0);
      expect(await fast.find(query).sort({ at: -1 }).toArray()).toEqual(expected);

      const indexedFinds = await time(() => fast.find(query).sort({ at: -1 }).limit(20).toArray());
      const scannedFinds = await time(() => slow.find(query).sort({ at: -1 }).limit(20).toArray());
      expect(scannedFinds / indexedFinds, `scan ${scannedFinds.toFixed(0)} ms vs index ${indexedFinds.toFixed(0)} ms`).toBeGreaterThanOrEqual(5);

      // countDocuments is an aggregation starting with $match.
      expect(await fast.countDocuments(query)).toBe(expected.length);
      const indexedCounts = await time(() => fast.countDocuments(query));
      const scannedCounts = await time(() => slow.countDocuments(query));
      expect(scannedCounts / indexedCounts, `scan ${scannedCounts.toFixed(0)} ms vs index ${indexedCounts.toFixed(0)} ms`).toBeGreaterThanOrEqual(5);
    }, 180_000);
  });

  it('GIVEN a bulk insert of 2,500 documents THEN it is one round trip, as on mongod (maxWriteBatchSize 100,000, where the library says 1,000)', async () => {
    const inserts: number[] = [];
    const counted = await MongoClient.connect(inject('mongoUri'), { monitorCommands: true });
    try {
      counted.on('commandStarted', (event) => event.commandName === 'insert' && inserts.push(event.command.documents?.length ?? 0));
      const target = counted.db(db.databaseName).collection('batch');
      await target.insertMany(Array.from({ length: 2_500 }, (_, i) => ({ i })));
      expect(inserts).toEqual([2_500]);
      expect(await target.countDocuments()).toBe(2_500);
    } finally {
      await counted.close();
    }
  });
});
