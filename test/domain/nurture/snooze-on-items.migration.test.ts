import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../../src/core';
import { migrate } from '../../../src/domain/services';
import { buildApp, consoleCaller } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { addCreator, publish } from '../../helpers/nurture';
import { seedCollaboration } from '../../helpers/scheduler';

/**
 * One person's App Home reads no snoozes: a snoozed or done birthday, follow-up and win say so on
 * the item, written with the snooze, and copied at start from the snoozes stored by the version
 * before. Monday 23 November 2026 in Paris.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const maria = consoleCaller('snoozes-on-items', 'U0MARIA');
const home = async () => toPlainText((await app.router.handle(maria, app.router.parseText('irm', 'home'))).answer as Reply);
const say = async (line: string) => toPlainText((await app.router.handle(maria, app.router.parseText('influencer', line))).answer as Reply);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
});

describe('snoozes recorded on the items App Home reads', () => {
  it('GIVEN a birthday, a follow-up and a win snoozed or done WHEN App Home is read THEN they are gone, and after the items lose the record the start-up migration puts it back, once', async () => {
    const info = await app.services.workspaces.ensure('console', 'snoozes-on-items');
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: 'Europe/Paris' });
    const mia = await addCreator(app, ws, { name: 'Mia Rossi', ownerId: 'U0MARIA', birthday: { month: 11, day: 25 }, contactedDaysAgo: 1 });
    const followUp = await app.services.nurture.remind(ws.id, mia._id, { dueDay: '2026-11-23', note: 'Ask for the draft' }, 'U0MARIA');
    const { influencer: zoe, collaboration } = await seedCollaboration(app, ws, { name: 'Zoë Tran', ownerId: 'U0MARIA' });
    await publish(app, ws, zoe, collaboration._id, { daysAgo: 30, likes: 100 });
    const win = await publish(app, ws, zoe, collaboration._id, { daysAgo: 2, likes: 400 });
    const before = await home();
    expect([before.includes('Mia Rossi · Nov 25 (in 2 days)'), before.includes('Ask for the draft'), before.includes("Zoë Tran's reel")]).toEqual([true, true, true]);

    expect(await say(`snooze item:birthday:${String(mia._id)}:2026-11-25`)).toContain('Snoozed');
    expect(await say(`snooze item:follow-up:${String(followUp._id)}`)).toContain('Snoozed');
    expect(await say(`done item:win:${String(win._id)}`)).toContain('Done');
    const quiet = await home();
    expect([quiet.includes('Mia Rossi · Nov 25 (in 2 days)'), quiet.includes('Ask for the draft'), quiet.includes("Zoë Tran's reel")]).toEqual([false, false, false]);
    const wsId = new Types.ObjectId(ws.id);
    const records = async () => [
      (await app.models.influencers.findById(mia._id).lean())!.birthdayHidden,
      (await app.models.followUps.findById(followUp._id).lean())!.hiddenUntil,
      (await app.models.contents.findById(win._id).lean())!.hiddenUntil,
    ];
    expect(await records()).toEqual([{ on: '2026-11-25', until: '2026-11-30' }, '2026-11-30', '9999-12-31']);

    // As the version before stored them: the snoozes only, nothing on the items.
    await app.models.influencers.collection.updateMany({ workspaceId: wsId }, { $unset: { birthdayHidden: '' } });
    await app.models.followUps.collection.updateMany({ workspaceId: wsId }, { $unset: { hiddenUntil: '' } });
    await app.models.contents.collection.updateMany({ workspaceId: wsId }, { $unset: { hiddenUntil: '' } });
    expect(await home()).toContain('Ask for the draft');
    expect(await migrate(app.services)).toMatchObject({ deliverableSnoozes: 3 });
    expect(await records()).toEqual([{ on: '2026-11-25', until: '2026-11-30' }, '2026-11-30', '9999-12-31']);
    expect(await home()).toEqual(quiet);
    expect(await migrate(app.services)).toMatchObject({ deliverableSnoozes: 0 });

    // A new birthday is not hidden by a snooze of the old one.
    expect(await say(`edit "Mia Rossi" birthday:11-26`)).toContain('Saved');
    expect(await home()).toContain('Mia Rossi · Nov 26 (in 3 days)');
  });

  it('GIVEN a birthday, a follow-up and a win snoozed for 14 days and their snooze records lost WHEN each is snoozed for 7 THEN the items keep the later day, the answer names it, the records are written again, and 8 days later App Home still leaves them out', async () => {
    const info = await app.services.workspaces.ensure('console', 'snoozes-longer');
    const ws = await app.services.workspaces.updateSettings(info.id, { timezone: 'Europe/Paris' });
    const bo = consoleCaller('snoozes-longer', 'U0MARIA');
    const sayBo = async (line: string) => toPlainText((await app.router.handle(bo, app.router.parseText('influencer', line))).answer as Reply);
    const homeBo = async () => toPlainText((await app.router.handle(bo, app.router.parseText('irm', 'home'))).answer as Reply);
    const mia = await addCreator(app, ws, { name: 'Mia Rossi', ownerId: 'U0MARIA', birthday: { month: 11, day: 25 }, contactedDaysAgo: 1 });
    const followUp = await app.services.nurture.remind(ws.id, mia._id, { dueDay: '2026-11-23', note: 'Ask for the draft' }, 'U0MARIA');
    const { influencer: zoe, collaboration } = await seedCollaboration(app, ws, { name: 'Zoë Tran', ownerId: 'U0MARIA' });
    await publish(app, ws, zoe, collaboration._id, { daysAgo: 30, likes: 100 });
    const win = await publish(app, ws, zoe, collaboration._id, { daysAgo: 2, likes: 400 });
    const keys = [`birthday:${String(mia._id)}:2026-11-25`, `follow-up:${String(followUp._id)}`, `win:${String(win._id)}`];
    for (const key of keys) expect(await sayBo(`snooze item:${key} days:14`)).toContain('Snoozed until Dec 7');
    const records = async () => [
      (await app.models.influencers.findById(mia._id).lean())!.birthdayHidden,
      (await app.models.followUps.findById(followUp._id).lean())!.hiddenUntil,
      (await app.models.contents.findById(win._id).lean())!.hiddenUntil,
    ];
    expect(await records()).toEqual([{ on: '2026-11-25', until: '2026-12-07' }, '2026-12-07', '2026-12-07']);

    // The items written, the snooze records not (a write cut between the two): a shorter snooze does not shorten the items.
    await app.models.snoozes.deleteMany({ workspaceId: new Types.ObjectId(ws.id) });
    for (const key of keys) expect(await sayBo(`snooze item:${key} days:7`)).toContain('Already snoozed until Dec 7, later than that: it comes back then.');
    expect(await records()).toEqual([{ on: '2026-11-25', until: '2026-12-07' }, '2026-12-07', '2026-12-07']);
    // The records lost are written again, with the day the items keep.
    const wsId = new Types.ObjectId(ws.id);
    expect(await Promise.all(keys.map(async (key) => (await app.models.snoozes.findOne({ workspaceId: wsId, key }).lean())?.until))).toEqual(['2026-12-07', '2026-12-07', '2026-12-07']);

    app.clock.set('2026-12-01T10:00:00Z');
    const later = await homeBo();
    app.clock.set('2026-11-23T10:00:00Z');
    expect([later.includes('Ask for the draft'), later.includes("Zoë Tran's reel")]).toEqual([false, false]);
  });
});
