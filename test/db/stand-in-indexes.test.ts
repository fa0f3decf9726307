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
