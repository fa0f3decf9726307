import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply, type Upload } from '../../../src/core';
import { migrate } from '../../../src/domain/services';
import { buildApp, consoleCaller } from '../../helpers/app';
import { runConsole } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/database';

/**
 * A published item carries its creator's owner (`creatorOwnerId`): App Home reads one person's
 * wins by it. Written by `/content log`, moved by `/influencer edit owner:` and by an import that
 * changes the owner, filled on older items by the start-up migration.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  // Monday 23 November 2026, 11:00 in Paris.
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
});

const say = (user: string, ...lines: string[]) => runConsole(app.router, lines, user);
const WIN = "🎉 Zoë Tran's post of Nov 21: 500 engagements, 5x their usual · https://www.instagram.com/p/win3/";
const ownersOf = async () =>
  (await app.models.contents.find({ url: /instagram\.com\/p\// }).sort({ url: 1 }).lean()).map((item) => [item.url, item.ownerId, item.creatorOwnerId]);

describe('the creator owner on published items', () => {
  it("GIVEN Maria's creator with a win WHEN `/influencer edit owner:` hands her to Sam THEN Sam's App Home lists the win and Maria's no longer does", async () => {
    await say(
      'maria',
      'influencer add "Zoë Tran" @zoe.creates network:instagram stage:active',
      'collab new @zoe.creates "Spring launch" type:review goal:awareness expect:"post 4" fee:1500 currency:EUR net:0',
      'content log "Spring launch" https://www.instagram.com/p/old1/ type:post published:2026-10-01',
      'content log "Spring launch" https://www.instagram.com/p/old2/ type:post published:2026-10-20',
      'content log "Spring launch" https://www.instagram.com/p/win3/ type:post published:2026-11-21',
      'content metrics https://www.instagram.com/p/old1/ likes:100',
      'content metrics https://www.instagram.com/p/old2/ likes:100',
      'content metrics https://www.instagram.com/p/win3/ likes:450 comments:50',
    );
    // Written as it was logged: the creator's owner (here also the collaboration's).
    expect(await ownersOf()).toEqual([
      ['https://www.instagram.com/p/old1/', 'maria', 'maria'],
      ['https://www.instagram.com/p/old2/', 'maria', 'maria'],
      ['https://www.instagram.com/p/win3/', 'maria', 'maria'],
    ]);
    expect(await say('maria', 'irm home')).toContain(WIN);
    expect(await say('U0SAM', 'irm home')).not.toContain("Zoë Tran's post");

    expect(await say('maria', 'influencer edit @zoe.creates owner:@U0SAM')).toContain('Saved');
    // The collaboration stays Maria's (its deliverables too); the creator's wins go to Sam.
    expect(await ownersOf()).toEqual([
      ['https://www.instagram.com/p/old1/', 'maria', 'U0SAM'],
      ['https://www.instagram.com/p/old2/', 'maria', 'U0SAM'],
      ['https://www.instagram.com/p/win3/', 'maria', 'U0SAM'],
    ]);
    expect(await say('U0SAM', 'irm home')).toContain(WIN);
    expect(await say('maria', 'irm home')).not.toContain("Zoë Tran's post");
  });

  it('GIVEN an import whose Owner column names someone else THEN the creator\'s published items follow', async () => {
    const team = consoleCaller('creator-owner-import', 'maria');
    const ws = await app.services.workspaces.ensure('console', 'creator-owner-import');
    await app.router.handle(team, app.router.parseText('influencer', 'add "Li Wei" @li.wei network:instagram'));
    await app.router.handle(team, app.router.parseText('collab', 'new @li.wei "Tea time" type:review goal:awareness expect:"post 1" fee:500 currency:EUR net:0'));
    await app.router.handle(team, app.router.parseText('content', 'log "Tea time" https://www.instagram.com/p/tea1/ type:post'));
    const file: Upload = { name: 'owners.csv', bytes: new TextEncoder().encode('Name,Instagram,Owner\nLi Wei,@li.wei,U0ANA\n') };
    const preview = toPlainText((await app.router.handle(team, { command: 'irm', subcommand: 'import', args: { file } })).answer as Reply);
    const apply = /irm import apply:([a-f0-9]{24})/.exec(preview)![1]!;
    await app.router.handle(team, { command: 'irm', subcommand: 'import', args: { apply } });

    const items = await app.models.contents.find({ workspaceId: new Types.ObjectId(ws.id) }).lean();
    expect(items.map((item) => [item.url, item.status, item.creatorOwnerId])).toEqual([['https://www.instagram.com/p/tea1/', 'published', 'U0ANA']]);
  });

  it('GIVEN published items stored before they carried their creator\'s owner WHEN the app starts THEN the migration writes it once, and a planned item is left as it is', async () => {
    const ws = await app.services.workspaces.ensure('console', 'creator-owner-migration');
    const wsId = new Types.ObjectId(ws.id);
    const creator = await app.services.influencers.add(ws.id, { name: 'Ana Souza', handles: [], tags: [], ownerId: 'U0ANA', stage: 'active' }, 'tester');
    const base = { workspaceId: wsId, collaborationId: new Types.ObjectId(), influencerId: creator._id, ownerId: 'U0COLLAB', type: 'post', month: '2026-11' };
    await app.models.contents.collection.insertMany([
      { ...base, status: 'published', publishedAt: new Date('2026-11-20T10:00:00Z'), url: 'https://example.com/a' },
      { ...base, status: 'published', publishedAt: new Date('2026-11-21T10:00:00Z'), url: 'https://example.com/b' },
      { ...base, status: 'planned', dueAt: new Date('2026-11-30T22:59:59Z') },
      // A creator that is gone: left as it is.
      { ...base, influencerId: new Types.ObjectId(), status: 'published', publishedAt: new Date('2026-11-21T10:00:00Z'), url: 'https://example.com/c' },
    ]);

    expect(await migrate(app.services)).toMatchObject({ creatorOwners: 2 });
    expect(await migrate(app.services)).toMatchObject({ creatorOwners: 0 });
    const items = await app.models.contents.find({ workspaceId: wsId }).sort({ url: 1, status: 1 }).lean();
    expect(items.map((item) => [item.url ?? null, item.status, item.creatorOwnerId ?? null])).toEqual([
      [null, 'planned', null],
      ['https://example.com/a', 'published', 'U0ANA'],
      ['https://example.com/b', 'published', 'U0ANA'],
      ['https://example.com/c', 'published', null],
    ]);
  });
});
