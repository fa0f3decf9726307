import { beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { toPlainText, type Reply } from '../../../src/core';
import { migrate } from '../../../src/domain/services';
import { searchFields, searchKeysFor, searchPlan } from '../../../src/domain/influencer/influencer-search';
import { fold } from '../../../src/domain/fold';
import type { Caller } from '../../../src/platforms/command-router';
import { buildApp, consoleCaller } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

async function say(caller: Caller, line: string) {
  const [command, ...rest] = line.split(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(command!, rest.join(' ')));
  if (outcome.answer.kind !== 'reply') throw new Error(`expected a reply to ${line}`);
  const answer = outcome.answer as Reply;
  const buttons = answer.blocks.flatMap((block) => (block.type === 'actions' ? block.buttons.map((b) => `${b.label}: ${b.line}`) : []));
  return { text: toPlainText(answer), buttons };
}

/** The creator names of a find answer, in the order shown. */
const names = (text: string) => [...text.matchAll(/^• \*?([^*·]+?)\*? ·/gm)].map((m) => m[1]!.trim());

beforeAll(async () => {
  app = await buildApp(connection);
});

describe('search keys', () => {
  it('GIVEN a creator THEN every word and handle prefix, tag prefix, whole handle and stage is a key', () => {
    expect(searchKeysFor({ name: 'Zoë Tran', handles: [{ handle: 'zo.cr' }], tags: ['spa'], stage: 'active' }).sort()).toEqual(
      ['w:z', 'w:zo', 'w:zoe', 'w:t', 'w:tr', 'w:tra', 'w:tran', 'h:zo.cr', 'w:zo.', 'w:zo.c', 'w:zo.cr', 'w:c', 'w:cr', 't:s', 't:sp', 't:spa', 's:active'].sort(),
    );
  });

  it('GIVEN a word longer than 32 characters THEN its prefixes stop at 32, and a longer typed word is cut the same way', () => {
    const long = 'a'.repeat(40);
    const keys = searchKeysFor({ name: long, handles: [], tags: [], stage: 'prospect' });
    expect(keys).toContain(`w:${'a'.repeat(32)}`);
    expect(keys).not.toContain(`w:${'a'.repeat(33)}`);
    expect(JSON.stringify(searchPlan(long)!.match)).toContain(`w:${'a'.repeat(32)}"`);
  });

  it('GIVEN nothing searchable typed THEN there is no plan', () => {
    expect(searchPlan('  @ ')).toBeUndefined();
  });
});

describe('/influencer find', () => {
  const team = consoleCaller('team-search', 'sara');

  beforeAll(async () => {
    for (const line of [
      'influencer add "Zoë Tran" @zoe.creates network:instagram tags:skincare,beauty stage:active',
      'influencer add "Bo Zoe" @bo network:x',
      'influencer add "Zoey Park" @zpark network:tiktok',
      'influencer add "Zoe" @zoe.solo network:youtube',
      'influencer add "Xavier Quinn" @zoe network:twitch',
      'influencer add "Tag Only" @tagonly network:x tags:zoe-fans',
      'influencer add "Gone Zoe" @gone network:x',
    ]) {
      expect((await say(team, line)).text).toContain('Added');
    }
    await say(team, 'influencer archive @gone');
  });

  it('GIVEN ranks THEN exact handle, exact name, name prefix, word prefix, then tag; archived creators are left out', async () => {
    const { text } = await say(team, 'influencer find zoe');
    expect(text.split('\n')[0]).toBe('6 creators match "zoe":');
    expect(names(text)).toEqual(['Xavier Quinn', 'Zoe', 'Zoë Tran', 'Zoey Park', 'Bo Zoe', 'Tag Only']);
  });

  it.each([
    ['ZOË TRAN', 'Zoë Tran'],
    ['tran', 'Zoë Tran'],
    ['@zoe.cr', 'Zoë Tran'],
    ['creates', 'Zoë Tran'],
    ['skincare', 'Zoë Tran'],
    ['skin', 'Zoë Tran'],
    ['zoe tr', 'Zoë Tran'],
    ['tran zoë', 'Zoë Tran'],
    ['zoe skincare', 'Zoë Tran'],
    ['active', 'Zoë Tran'],
  ])('GIVEN "%s" THEN it finds %s alone', async (query, name) => {
    expect(names((await say(team, `influencer find ${query}`)).text)).toEqual([name]);
  });

  it('GIVEN a part of a word that is not its start, or a hostile query THEN nothing matches', async () => {
    expect((await say(team, 'influencer find ran')).text).toBe('No creator matches "ran".');
    expect((await say(team, 'influencer find .*')).text).toBe('No creator matches ".*".');
    expect((await say(team, 'influencer find {"$gt":""}')).text).toBe('No creator matches "{"$gt":""}".');
  });

  it('GIVEN 37 matches THEN the best 10, the total, and page:2 up to the last page, with buttons', async () => {
    const many = consoleCaller('team-many', 'mo');
    for (let i = 1; i <= 37; i++) await say(many, `influencer add "Pat ${String(i).padStart(2, '0')}"`);
    const first = await say(many, 'influencer find pat');
    expect(first.text.split('\n')[0]).toBe('best 10 of 37 creators match "pat" · page 1 of 4:');
    expect(names(first.text)).toEqual(Array.from({ length: 10 }, (_, i) => `Pat ${String(i + 1).padStart(2, '0')}`));
    expect(first.buttons).toEqual(['Next: influencer find pat page:2']);
    expect(first.text).toContain('/influencer find pat page:2` shows the next 10.');

    const second = await say(many, 'influencer find pat page:2');
    expect(second.text.split('\n')[0]).toBe('11-20 of 37 creators match "pat" · page 2 of 4:');
    expect(names(second.text)).toEqual(Array.from({ length: 10 }, (_, i) => `Pat ${i + 11}`));
    expect(second.buttons).toEqual(['Previous: influencer find pat page:1', 'Next: influencer find pat page:3']);

    const last = await say(many, 'influencer find pat page:4');
    expect(names(last.text)).toEqual(['Pat 31', 'Pat 32', 'Pat 33', 'Pat 34', 'Pat 35', 'Pat 36', 'Pat 37']);
    expect(last.buttons).toEqual(['Previous: influencer find pat page:3']);
    expect((await say(many, 'influencer find pat page:5')).text).toContain('Page 5 is past the last one: the last is page 4.');
    expect((await say(many, 'influencer find pat page:11')).text).toBe('page is at most 10: add a word to narrow the search');
  });

  it('GIVEN more matches than are ranked THEN the first 100 by name are ranked and paged, the answer says there are more, and an exact handle or name still comes first', async () => {
    const crowd = consoleCaller('team-crowd', 'cy');
    const workspace = await app.services.workspaces.ensure('console', 'team-crowd');
    const wsId = new Types.ObjectId(workspace.id);
    const record = (name: string, handle: string) => ({
      workspaceId: wsId, name, nameKey: fold(name), handles: [{ network: 'x', handle }], tags: [], ownerId: 'cy', stage: 'prospect',
      ...searchFields({ name, handles: [{ handle }], tags: [], stage: 'prospect' }),
    });
    // 104 "Ann Lee <i>", one exact handle @lee and one creator named just "Lee" that sort after all of them by name.
    await app.models.influencers.collection.insertMany([
      ...Array.from({ length: 104 }, (_, i) => record(`Ann Lee ${String(i).padStart(3, '0')}`, `ann${i}`)),
      record('Zed Lee', 'lee'),
      record('Lee', 'leeofficial'),
    ]);
    const ann = (from: number, count: number) => Array.from({ length: count }, (_, i) => `Ann Lee ${String(from + i).padStart(3, '0')}`);
    const first = await say(crowd, 'influencer find lee');
    expect(first.text.split('\n')[0]).toBe('best 10 of more than 100 creators match "lee" · page 1 of 10:');
    expect(names(first.text)).toEqual(['Zed Lee', 'Lee', ...ann(0, 8)]);
    expect(first.text).toContain('More than 100 match: the first 100 by name are ranked. Add a word to narrow the search.');
    const second = await say(crowd, 'influencer find lee page:2');
    expect(names(second.text)).toEqual(ann(8, 10));
    const last = await say(crowd, 'influencer find lee page:10');
    expect(last.text.split('\n')[0]).toBe('91-100 of more than 100 creators match "lee" · page 10 of 10:');
    expect(names(last.text)).toEqual(ann(88, 10));
    expect(last.buttons).toEqual(['Previous: influencer find lee page:9']);
    // Narrower, it is found and ranked first (exact handle).
    expect(names((await say(crowd, 'influencer find zed')).text)).toEqual(['Zed Lee']);
  });

  it('GIVEN an edit of the name, handles, tags or stage THEN find follows at once', async () => {
    const edits = consoleCaller('team-edits', 'ed');
    await say(edits, 'influencer add "Mira Sol" @msol network:x tags:yoga');
    await say(edits, 'influencer edit @msol name:"Nova Sol" tags:pilates handles:"x @nsol"');
    await say(edits, 'influencer stage @nsol paused');
    expect((await say(edits, 'influencer find mira')).text).toBe('No creator matches "mira".');
    expect((await say(edits, 'influencer find yoga')).text).toBe('No creator matches "yoga".');
    expect((await say(edits, 'influencer find msol')).text).toBe('No creator matches "msol".');
    for (const query of ['nova', 'pilates', 'paused', '@nsol']) expect(names((await say(edits, `influencer find ${query}`)).text)).toEqual(['Nova Sol']);
  });

  it('GIVEN a creator forgotten with a replacement name THEN no search key of the old name or handles is left', async () => {
    const gone = consoleCaller('team-forget', 'fay');
    await say(gone, 'influencer add "Hazel Wren" @hazel.w network:x tags:vegan');
    const record = await app.services.influencers.resolve((await app.services.workspaces.ensure('console', 'team-forget')).id, '@hazel.w');
    await app.services.influencers.forget(record, { replacementName: 'Creator 7' }, 'fay');
    const stored = await app.models.influencers.collection.findOne({ _id: record._id });
    expect([...(stored!.searchKeys as string[])].sort()).toEqual(
      searchKeysFor({ name: 'Creator 7', handles: [], tags: ['vegan'], stage: 'prospect' }).sort(),
    );
  });

  it('GIVEN a partial name to show THEN it resolves through the same search', async () => {
    expect((await say(team, 'influencer show zoey')).text).toContain('== Zoey Park ==');
  });
});

describe('the search-keys migration at start', () => {
  it('GIVEN creators and collaborations as the previous version wrote them THEN it adds their keys once, drops searchText, and find works', async () => {
    const workspace = await app.services.workspaces.ensure('console', 'team-old');
    const wsId = new Types.ObjectId(workspace.id);
    const raw = app.models.influencers.collection;
    const at = new Date('2026-01-01T00:00:00Z');
    // Exactly what InfluencerService.add stored before this change: searchText, no searchKeys.
    await raw.insertMany([
      { workspaceId: wsId, name: 'Léa Old', handles: [{ network: 'instagram', handle: 'lea.old' }], handleKeys: [`${workspace.id}/instagram:lea.old`], tags: ['travel'], ownerId: 'U1', stage: 'prospect', searchText: 'lea old @lea.old travel prospect', nameKey: 'lea old', createdAt: at, updatedAt: at, __v: 0 },
      { workspaceId: wsId, name: 'Max Old', handles: [], tags: [], ownerId: 'U1', stage: 'active', searchText: 'max old active', nameKey: 'max old', createdAt: at, updatedAt: at, __v: 0 },
    ]);
    const old = consoleCaller('team-old', 'olga');
    expect((await say(old, 'influencer find lea')).text).toBe('No creator matches "lea".');

    // And a collaboration as CollaborationService.create stored it before title keys: titleKey alone.
    const lea = await raw.findOne({ workspaceId: wsId, nameKey: 'lea old' });
    await app.models.collaborations.collection.insertOne({
      workspaceId: wsId, influencerId: lea!._id, title: 'Spring Éclat', titleKey: 'spring eclat', type: 'review', goal: 'image', ownerId: 'U1',
      start: at, brief: {}, expectedPerMonth: [], compensation: {}, reportingDay: 1, status: 'active', createdAt: at, updatedAt: at, __v: 0,
    });
    expect(await app.services.collaborations.suggest(workspace.id, 'ecl', 25)).toEqual([]);

    const before = await raw.countDocuments({ searchVersion: { $exists: false } });
    const migrated = await migrate(app.services);
    expect(migrated).toMatchObject({ searchKeys: before, titleKeys: 1, recentTouchpoints: 0 });
    expect((await app.services.collaborations.suggest(workspace.id, 'ecl', 25)).map((c) => [c.title, c.influencerName])).toEqual([['Spring Éclat', 'Léa Old']]);
    expect(await raw.countDocuments({ searchText: { $exists: true } })).toBe(0);
    expect(await raw.countDocuments({ workspaceId: wsId, searchKeys: 'w:lea' })).toBe(1);
    for (const query of ['lea', '@lea.old', 'travel', 'old']) {
      const { text } = await say(old, `influencer find ${query}`);
      expect(names(text), `${query}: ${text}`).toContain('Léa Old');
    }

    // Again (a restart, or a second replica): nothing to do.
    expect(await migrate(app.services)).toEqual({ searchKeys: 0, titleKeys: 0, recentTouchpoints: 0, reachOut: 0, contentOwners: 0, creatorOwners: 0, cancelCodes: 0, autoLabels: 0, deliverableSnoozes: 0 });
  });
});
