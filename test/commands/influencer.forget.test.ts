import { beforeAll, describe, expect, it } from 'vitest';
import { literal, toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller, say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/** `/influencer forget`: personal data gone from every collection, money and the fact kept. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const admin = consoleCaller('forget-ws', 'ada');
const member: Caller = { ...admin, actor: { id: 'mo', isAdmin: async () => false } };

const say = (caller: Caller, line: string) => sayAs(app, caller, line);

/** Every document of every collection of this test's database, as JSON. */
async function everything(): Promise<string> {
  const db = connection.db!;
  const dump: unknown[] = [];
  for (const { name } of await db.listCollections().toArray()) dump.push(name, await db.collection(name).find({}).toArray());
  return JSON.stringify(dump);
}

const PERSONAL = {
  email: 'zoe.private@example.com',
  phone: '+33 6 12 34 56 78',
  address: '12 Rue des Lilas, 75011 Paris',
  preferences: 'Size S, allergic to hazelnuts',
  notes: 'Met her at VidCon Lisbon',
  timezone: 'Europe/Lisbon',
};

async function addZoe(name: string, handle: string) {
  await say(
    admin,
    `influencer add "${name}" @${handle} network:instagram followers:12500 email:${PERSONAL.email} phone:"${PERSONAL.phone}" address:"${PERSONAL.address}" ` +
      `birthday:1994-07-14 timezone:${PERSONAL.timezone} preferences:"${PERSONAL.preferences}" notes:"${PERSONAL.notes}" tags:beauty`,
  );
  await say(admin, `influencer edit @${handle} email:old.${PERSONAL.email} notes:"Earlier note: lives on Rua Augusta"`);
  await say(admin, `influencer edit @${handle} email:${PERSONAL.email} notes:"${PERSONAL.notes}"`);
  await say(admin, `influencer log @${handle} call Talked about her sister's wedding in Porto`);
  await say(admin, `influencer log @${handle} gift Sent the autumn box to her flat`);
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z' });
  await addZoe('Zoë Tran', 'zoe.creates');
  await say(admin, 'influencer remind @zoe.creates 2026-12-01 Bring the gluten-free cake to her flat');
  await say(admin, 'collab new @zoe.creates "Spring launch" type:sponsored-post goal:awareness fee:1500 currency:EUR net:14');
  await addZoe('Keep Name', 'keep.name');
});

describe('/influencer forget', () => {
  it('GIVEN a member who is not an admin THEN nothing is erased and they are told why', async () => {
    const { text } = await say(member, 'influencer forget @zoe.creates confirm:yes');
    expect(text).toBe("Sorry, only workspace admins (Slack admins and owners, Discord members with Manage Server) can erase a creator's personal data. Nothing was erased.");
    expect((await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())?.email).toBe(PERSONAL.email);
  });

  it('GIVEN an admin THEN it first asks for confirmation with a button, and erases nothing yet', async () => {
    const { answer } = await say(admin, 'influencer forget @zoe.creates');
    const zoe = (await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!;
    expect(answer).toEqual({
      kind: 'reply',
      visibility: 'private',
      blocks: [
        {
          type: 'text',
          text:
            `This erases *${literal('Zoë Tran')}*'s email, phone, address, birthday, timezone, preferences, notes, every touchpoint summary and follow-up note, and these values in the change history, and the name and handles, for good. ` +
            'Payments keep their amounts; the record is archived. Nothing has been erased yet.',
        },
        { type: 'actions', buttons: [{ label: 'Erase personal data', line: `influencer forget ${String(zoe._id)} keep-name:no confirm:yes`, style: 'danger' }] },
      ],
    });
    expect(zoe.email).toBe(PERSONAL.email);
  });

  it('GIVEN the confirmation THEN no personal value is left in any collection, payments keep their amounts and the history says who and when', async () => {
    const zoe = (await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!;
    const before = await app.models.payments.find({ influencerId: zoe._id }).lean();
    expect(before.map((p) => p.amountMinor)).toEqual([150_000]);
    const button = `influencer forget ${String(zoe._id)} keep-name:no confirm:yes`;
    const { text } = await say(admin, button);
    const newName = `Forgotten creator ${String(zoe._id).slice(-6)}`;
    expect(text).toBe(
      `Erased the personal data of the creator now called *${newName}* (email, phone, address, birthday, timezone, preferences, notes, name, handles; 2 touchpoint summaries; 3 history entries). The record is archived; its history says who erased it and when.`.replace(/\*/g, ''),
    );

    const all = await everything();
    // Keep Name's values are the same strings, so this search is about Zoë's documents only.
    const zoeDocs = JSON.stringify([
      await app.models.influencers.find({ _id: zoe._id }).lean(),
      await app.models.touchpoints.find({ influencerId: zoe._id }).lean(),
      await app.models.changes.find({ entityId: zoe._id }).lean(),
      await app.models.collaborations.find({ influencerId: zoe._id }).lean(),
      await app.models.payments.find({ influencerId: zoe._id }).lean(),
    ]);
    for (const value of [...Object.values(PERSONAL), 'old.zoe.private', 'Rua Augusta', 'wedding in Porto', 'autumn box', 'Zoë', 'zoe tran', 'zoe.creates', '"year":1994']) {
      expect({ value, found: zoeDocs.includes(value) }).toEqual({ value, found: false });
    }
    // Across every collection, only the other creator (who was not forgotten) still has them.
    for (const value of ['Zoë', 'zoe tran', 'zoe.creates', 'gluten-free cake']) expect({ value, found: all.includes(value) }).toEqual({ value, found: false });

    const after = (await app.models.influencers.findById(zoe._id).lean())!;
    expect({ name: after.name, handles: after.handles, tags: after.tags, archived: Boolean(after.archivedAt), stage: after.stage }).toEqual({
      name: newName,
      handles: [],
      tags: ['beauty'],
      archived: true,
      stage: 'active',
    });
    expect((await app.models.payments.find({ influencerId: zoe._id }).lean()).map((p) => [p.amountMinor, p.currency, p.status])).toEqual([[150_000, 'EUR', 'scheduled']]);
    expect((await app.models.touchpoints.find({ influencerId: zoe._id }).sort({ at: 1 }).lean()).map((t) => [t.kind, t.summary])).toEqual([
      ['call', '(erased)'],
      ['gift', '(erased)'],
    ]);
    const last = (await app.models.changes.find({ entityId: zoe._id }).sort({ at: -1, _id: -1 }).limit(1).lean())[0]!;
    expect({ action: last.action, actorId: last.actorId, at: last.at }).toEqual({ action: 'forget', actorId: 'ada', at: new Date('2026-11-23T10:00:00Z') });
    expect((await say(admin, `influencer show ${String(zoe._id)} history`)).text).toContain(
      '• 2026-11-23 10:00 · @ada erased the personal data · Email: (erased) → (none); Phone: (erased) → (none); Shipping address: (erased) → (none); Birthday: (erased) → (none); Timezone: (erased) → (none); Preferences: (erased) → (none); Notes: (erased) → (none); Name: (erased) → ' +
        newName,
    );
  });

  it('GIVEN keep-name:yes THEN the name and handles stay and every other personal value goes', async () => {
    const keep = (await app.models.influencers.findOne({ name: 'Keep Name' }).lean())!;
    // An import preview waiting for its button holds the same values: it is dropped too.
    const pending = await app.router.handle(admin, {
      command: 'irm',
      subcommand: 'import',
      args: { file: { name: 'c.csv', bytes: new TextEncoder().encode(`name,email,phone\nKeep Name,${PERSONAL.email},"${PERSONAL.phone}"`) } },
    });
    expect(toPlainText(pending.answer as Reply)).toContain('c.csv: 1 row');
    const confirm = await say(admin, 'influencer forget @keep.name keep-name:yes');
    expect(confirm.text).toContain('Erase personal data: influencer forget ' + String(keep._id) + ' keep-name:yes confirm:yes');
    const { text } = await say(admin, `influencer forget ${String(keep._id)} keep-name:yes confirm:yes`);
    expect(text).toBe(
      'Erased the personal data of Keep Name (email, phone, address, birthday, timezone, preferences, notes; 2 touchpoint summaries; 3 history entries). The record is archived; its history says who erased it and when.',
    );
    const all = await everything();
    for (const value of [...Object.values(PERSONAL), 'old.zoe.private', 'Rua Augusta', 'wedding in Porto', 'autumn box', '"year":1994']) {
      expect({ value, found: all.includes(value) }).toEqual({ value, found: false });
    }
    const after = (await app.models.influencers.findById(keep._id).lean())!;
    expect({ name: after.name, handles: after.handles.map((h) => h.handle) }).toEqual({ name: 'Keep Name', handles: ['keep.name'] });
  });

  it('GIVEN another workspace names the record THEN it finds nothing to erase', async () => {
    const keep = (await app.models.influencers.findOne({ name: 'Keep Name' }).lean())!;
    const { text } = await say(consoleCaller('other-ws', 'eve'), `influencer forget ${String(keep._id)} confirm:yes`);
    expect(text).toContain(`No creator matches "${String(keep._id)}"`);
  });
});
