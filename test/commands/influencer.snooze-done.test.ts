import type mongoose from 'mongoose';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { addCreator } from '../helpers/nurture';
import { seedCollaboration } from '../helpers/scheduler';
import { hostOf, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/**
 * `/influencer snooze` and `done` (what the digest's, nudges' and App Home's buttons run), typed
 * into the console surface: a snooze never shortens what is already set, and an item put aside is
 * recorded on the item before the snooze record, so a write cut between the two never leaves App
 * Home's count naming an item its list leaves out.
 */

const { connection } = useTestDatabase();
/** Monday 23 November 2026, 10:00 UTC. */
const NOW = '2026-11-23T10:00:00Z';
let app: Awaited<ReturnType<typeof buildApp>>;
let ws: { id: string; timezone: string };

beforeAll(async () => {
  app = await buildApp(connection, { now: NOW, timezone: 'UTC' });
  const info = await app.services.workspaces.ensure('console', 'console');
  ws = { id: info.id, timezone: info.timezone };
});

const until = async (key: string) => (await app.models.snoozes.findOne({ workspaceId: new Types.ObjectId(ws.id), key }).lean())?.until;

describe('GIVEN items of Maria\'s App Home on the console', () => {
  it('GIVEN Done pressed on a deliverable, a reach-out reminder and a birthday WHEN Snooze is pressed on an older message of each THEN it is refused as done, and 8 days later they are still out of App Home', async () => {
    const noah = await addCreator(app, ws, { name: 'Noah Kim', ownerId: 'maria', contactedDaysAgo: 60 });
    // Never put aside: what shows App Home was read.
    await addCreator(app, ws, { name: 'Zoë Tran', ownerId: 'maria', contactedDaysAgo: 61 });
    const mia = await addCreator(app, ws, { name: 'Mia Rossi', ownerId: 'maria', stage: 'prospect', birthday: { month: 11, day: 25 } });
    const { collaboration } = await seedCollaboration(app, ws, { name: 'Ana Lima', title: 'Winter box', ownerId: 'maria' });
    const reel = await app.services.content.addPlanned(collaboration, 'reel', '2026-11-22', 'UTC');
    const keys = [`deliverable:${String(reel._id)}`, `cadence:${String(noah._id)}:2026-09-24`, `birthday:${String(mia._id)}:2026-11-25`];

    const home = await runConsole(app.router, ['irm home'], 'maria');
    expect(keys.map((key) => home.includes(`item:${key}`))).toEqual([true, true, true]);
    const typed = await runConsole(app.router, keys.flatMap((key) => [`influencer done item:${key}`, `influencer snooze item:${key}`]), 'maria');
    expect(typed.split('Done: it leaves the digest, the nudges and App Home.').length - 1).toEqual(3);
    expect(typed.split('That is already done: it left the digest, the nudges and App Home (the next one still shows).').length - 1).toEqual(3);
    expect(typed).not.toContain('Snoozed until');
    expect(await Promise.all(keys.map(until))).toEqual(['9999-12-31', '9999-12-31', '9999-12-31']);
    expect((await app.models.contents.findById(reel._id).lean())?.hiddenUntil).toEqual('9999-12-31');
    expect((await app.models.influencers.findById(noah._id).lean())?.reachOut?.hiddenUntil).toEqual('9999-12-31');
    expect((await app.models.influencers.findById(mia._id).lean())?.birthdayHidden).toEqual({ on: '2026-11-25', until: '9999-12-31' });

    // Done twice: refused the same way (as a follow-up's is).
    expect(await runConsole(app.router, [`influencer done item:${keys[0]}`], 'maria')).toContain('That is already done');

    app.clock.set('2026-12-01T10:00:00Z');
    const later = await runConsole(app.router, ['irm home'], 'maria');
    expect([later.includes('Zoë Tran'), later.includes('Noah Kim'), later.includes('Winter box')]).toEqual([true, false, false]);
    app.clock.set(NOW);
  });

  it('GIVEN an item snoozed for 14 days WHEN snoozed again for 7 THEN the later day holds and the answer names it', async () => {
    const { collaboration } = await seedCollaboration(app, ws, { name: 'Bo Chen', title: 'Summer box', ownerId: 'maria' });
    const story = await app.services.content.addPlanned(collaboration, 'story', '2026-11-22', 'UTC');
    const key = `deliverable:${String(story._id)}`;
    const typed = await runConsole(app.router, [`influencer snooze item:${key} days:14`, `influencer snooze item:${key}`], 'maria');
    expect(typed).toContain('Snoozed until Dec 7: it comes back that day.');
    expect(typed).toContain('Already snoozed until Dec 7, later than that: it comes back then.');
    expect(await until(key)).toEqual('2026-12-07');
    expect((await app.models.contents.findById(story._id).lean())?.hiddenUntil).toEqual('2026-12-07');
    // Longer again: taken.
    expect(await runConsole(app.router, [`influencer snooze item:${key} days:21`], 'maria')).toContain('Snoozed until Dec 14: it comes back that day.');
    expect([await until(key), (await app.models.contents.findById(story._id).lean())?.hiddenUntil]).toEqual(['2026-12-14', '2026-12-14']);
  });
});

describe('GIVEN Done pressed on items, and then what the snooze record says differs from the item', () => {
  it('GIVEN Done on a reach-out reminder WHEN the workspace moves to Kiritimati (its day moves to the 21st) and Snooze is pressed on the old message THEN it is refused as done, and the item stays done', async () => {
    // 20:00 UTC on 20 September: already the 21st in Kiritimati, 14 hours ahead.
    const noah = await addCreator(app, ws, { name: 'Noah Park', ownerId: 'maria', stage: 'active' });
    await app.services.influencers.logTouchpoint(noah, { kind: 'call', summary: 'Hello', at: new Date('2026-09-20T20:00:00Z') }, 'maria');
    const key = `cadence:${String(noah._id)}:2026-09-20`;
    const typed = await runConsole(app.router, [`influencer done item:${key}`, 'irm settings timezone:Pacific/Kiritimati', `influencer snooze item:${key}`], 'maria');
    await runConsole(app.router, ['irm settings timezone:UTC'], 'maria');
    expect(typed).toContain('Done: it leaves the digest, the nudges and App Home.');
    expect(typed).toContain('That is already done: it left the digest, the nudges and App Home (the next one still shows).');
    expect(typed).not.toContain('Snoozed until');
    expect((await app.models.influencers.findById(noah._id).lean())?.reachOut?.hiddenUntil).toEqual('9999-12-31');
    expect(await until(`cadence:${String(noah._id)}:2026-09-21`)).toEqual(undefined);
  });

  it('GIVEN a Done cut off between its two writes (the item done, no snooze record) WHEN Snooze is pressed THEN it is refused as done, for a reach-out reminder and a deliverable', async () => {
    const noah = await addCreator(app, ws, { name: 'Noah Berg', ownerId: 'maria', contactedDaysAgo: 60 });
    const { collaboration } = await seedCollaboration(app, ws, { name: 'Ivy Sato', title: 'Spring box', ownerId: 'maria' });
    const reel = await app.services.content.addPlanned(collaboration, 'reel', '2026-11-22', 'UTC');
    const keys = [`cadence:${String(noah._id)}:2026-09-24`, `deliverable:${String(reel._id)}`];
    await runConsole(app.router, keys.map((key) => `influencer done item:${key}`), 'maria');
    // The second write (the snooze record) never happened.
    await app.models.snoozes.deleteMany({ workspaceId: new Types.ObjectId(ws.id), key: { $in: keys } });
    const typed = await runConsole(app.router, keys.map((key) => `influencer snooze item:${key}`), 'maria');
    expect(typed.split('That is already done: it left the digest, the nudges and App Home (the next one still shows).').length - 1).toEqual(2);
    expect(typed).not.toContain('Snoozed until');
    expect([(await app.models.influencers.findById(noah._id).lean())?.reachOut?.hiddenUntil, (await app.models.contents.findById(reel._id).lean())?.hiddenUntil]).toEqual(['9999-12-31', '9999-12-31']);
  });

  it('GIVEN a deliverable snoozed for 14 days whose snooze record was lost WHEN snoozed for 7 THEN the answer names the day set on the item, and the record is written again with it', async () => {
    const { collaboration } = await seedCollaboration(app, ws, { name: 'Eli Ward', title: 'Fall box', ownerId: 'maria' });
    const story = await app.services.content.addPlanned(collaboration, 'story', '2026-11-22', 'UTC');
    const key = `deliverable:${String(story._id)}`;
    await runConsole(app.router, [`influencer snooze item:${key} days:14`], 'maria');
    await app.models.snoozes.deleteMany({ workspaceId: new Types.ObjectId(ws.id), key });
    expect(await runConsole(app.router, [`influencer snooze item:${key}`], 'maria')).toContain('Already snoozed until Dec 7, later than that: it comes back then.');
    expect(await until(key)).toEqual('2026-12-07');
  });
});

describe('GIVEN the database connection cut as the second of the two writes of a snooze is sent', () => {
  const dbName = `t_snooze_cut_${Date.now().toString(36)}`;
  let proxy: TcpProxy;
  let cutConnection: mongoose.Connection;
  let direct: mongoose.Connection;

  beforeAll(async () => {
    const uri = inject('mongoUri');
    proxy = await startTcpProxy(hostOf(uri));
    cutConnection = await connectDatabase(proxy.uri(uri), dbName);
    direct = await connectDatabase(uri, dbName);
  });
  afterAll(async () => {
    await direct?.dropDatabase().catch(() => undefined);
    await direct?.close();
    await cutConnection?.close(true).catch(() => undefined);
    await proxy?.close();
  });

  it("THEN Maria's App Home (read on a connection of its own) lists and counts the same deliverables: the snoozed one in neither", async () => {
    const cut = await buildApp(cutConnection, { now: NOW, timezone: 'UTC' });
    const info = await cut.services.workspaces.ensure('console', 'console');
    const { collaboration } = await seedCollaboration(cut, { id: info.id, timezone: info.timezone }, { name: 'Ana Lima', title: 'Winter box', ownerId: 'maria' });
    const items = [];
    for (let i = 0; i < 12; i += 1) items.push(await cut.services.content.addPlanned(collaboration, 'reel', `2026-11-${String(10 + i)}`, 'UTC'));
    const first = `deliverable:${String(items[0]!._id)}`;

    // The update commands of a snooze, as the driver sends them (BSON: `update: "<collection>"` first).
    const update = (collection: string) => Buffer.concat([Buffer.from('\x02update\x00', 'latin1'), Buffer.from(new Uint32Array([collection.length + 1]).buffer), Buffer.from(`${collection}\x00`, 'latin1')]);
    let writes = 0;
    proxy.cutOnWrite((chunk) => (chunk.includes(update('contents')) || chunk.includes(update('snoozes')) ? (writes += 1) === 2 : false));
    const answer = await runConsole(cut.router, [`influencer snooze item:${first}`], 'maria');
    expect([writes, answer.includes('Snoozed until')]).toEqual([2, false]);

    const reader = await buildApp(direct, { now: NOW, timezone: 'UTC' });
    const home = await runConsole(reader.router, ['irm home'], 'maria');
    expect(home).not.toContain(`item:${first}`);
    expect(home).toContain('Deliverables due within 3 days or overdue (11)');
    expect(home).toContain('And 3 more');
    expect(items.slice(1, 9).map((item) => home.includes(`item:deliverable:${String(item._id)}`))).toEqual(Array(8).fill(true));
  });
});
