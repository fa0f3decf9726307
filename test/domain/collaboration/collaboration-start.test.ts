import type { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CollaborationInput } from '../../../src/domain/collaboration/collaboration.service';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';

/** Starting a collaboration is the use-case's work; the collaboration service only stores it. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;

const input = (title: string, over: Partial<CollaborationInput> = {}): CollaborationInput => ({
  title,
  type: 'review',
  goal: 'sales',
  ownerId: 'maria',
  start: new Date('2026-10-01T00:00:00Z'),
  brief: {},
  expectedPerMonth: [{ type: 'post', count: 1 }],
  compensation: { currency: 'EUR', feeMinor: 100_000, schedule: 'once', netDays: 30 },
  ...over,
});

async function prospect(name: string) {
  const workspace = await app.services.workspaces.ensure('console', 'start');
  const influencer = await app.services.influencers.add(workspace.id, { name, handles: [], tags: [], ownerId: 'maria', stage: 'prospect' }, 'maria');
  return { workspace, influencer };
}

const historyOf = async (id: Types.ObjectId) => (await app.models.changes.find({ $or: [{ entityId: id }, { about: id }] }).sort({ _id: 1 }).lean()).map((c) => `${c.entity}:${c.action}`);

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z' });
});

describe('CollaborationStart.start', () => {
  it('GIVEN a prospect and a start last month THEN the collaboration is stored, both months planned, the creator moved to active, then its payment planned, in that order', async () => {
    const { workspace, influencer } = await prospect('Zoë Tran');
    const started = await app.services.collaborationStart.start(workspace, influencer, input('Autumn review'), 'maria', app.clock());

    expect(started.planned.map((item) => [item.month, item.type, item.status])).toEqual([
      ['2026-10', 'post', 'planned'],
      ['2026-11', 'post', 'planned'],
    ]);
    expect(started.stage).toEqual({ from: 'prospect', to: 'active' });
    expect(started.payments && 'created' in started.payments ? started.payments.created.map((p) => [p.amountMinor, p.currency]) : started.payments).toEqual([[100_000, 'EUR']]);
    expect((await app.models.influencers.findById(influencer._id).lean())!.stage).toBe('active');
    const paymentIds = (await app.models.payments.find({ collaborationId: started.collaboration._id }).lean()).map((p) => p._id);
    const order = (await app.models.changes.find({ $or: [{ entityId: { $in: [started.collaboration._id, influencer._id, ...paymentIds] } }] }).sort({ _id: 1 }).lean()).map(
      (c) => `${c.entity}:${c.action}`,
    );
    expect(order).toEqual(['influencer:create', 'collaboration:create', 'influencer:stage', 'payment:schedule']);
  });

  it('GIVEN an end before the start THEN it is refused before anything is written: no collaboration, no checklist, the stage and history unchanged', async () => {
    const { workspace, influencer } = await prospect('Ana Souza');
    const before = await Promise.all([app.models.collaborations.countDocuments(), app.models.contents.countDocuments(), app.models.payments.countDocuments()]);
    await expect(
      app.services.collaborationStart.start(workspace, influencer, input('Backwards', { end: new Date('2026-09-01T00:00:00Z') }), 'maria', app.clock()),
    ).rejects.toMatchObject({ code: 'collaboration.invalid', params: { problems: [{ code: 'end-before-start', field: 'end', start: '2026-10-01', end: '2026-09-01' }] } });
    expect(await Promise.all([app.models.collaborations.countDocuments(), app.models.contents.countDocuments(), app.models.payments.countDocuments()])).toEqual(before);
    expect((await app.models.influencers.findById(influencer._id).lean())!.stage).toBe('prospect');
    expect(await historyOf(influencer._id)).toEqual(['influencer:create']);
  });
});

describe('CollaborationService.create', () => {
  it('GIVEN a collaboration stored through the service alone THEN only it and its create record are written: no checklist, no payment, the stage unchanged', async () => {
    const { workspace, influencer } = await prospect('Lee Park');
    const stored = await app.services.collaborations.create(workspace, influencer, input('Stored only'), 'maria');
    expect(stored.title).toBe('Stored only');
    expect(await app.models.contents.countDocuments({ collaborationId: stored._id })).toBe(0);
    expect(await app.models.payments.countDocuments({ collaborationId: stored._id })).toBe(0);
    expect((await app.models.influencers.findById(influencer._id).lean())!.stage).toBe('prospect');
    expect(await historyOf(stored._id)).toEqual(['collaboration:create']);
  });
});
