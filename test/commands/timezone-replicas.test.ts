import { beforeAll, describe, expect, it } from 'vitest';
import { localDay, startOfLocalDay } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller, say as sayAs } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/**
 * Two bot processes (two replicas) on one database, each with its own cached workspace. The
 * timezone is changed on one; the next command on the other that stores a day computed from
 * "today" stores it in the new zone, while its cache is still warm. Fake clocks, no sleeps;
 * payments read back from the database.
 */

const { connection } = useTestDatabase();
let replicaA: Awaited<ReturnType<typeof buildApp>>;
let replicaB: Awaited<ReturnType<typeof buildApp>>;
const team = consoleCaller('two-replicas', 'maria');
const KIRITIMATI = 'Pacific/Kiritimati'; // UTC+14: at 15:00 UTC on Nov 23 it is already Nov 24 there

const say = async (app: typeof replicaA, caller: Caller, line: string) => (await sayAs(app, caller, line)).text;

beforeAll(async () => {
  replicaA = await buildApp(connection, { now: '2026-11-23T15:00:00Z' });
  replicaB = await buildApp(connection, { now: '2026-11-23T15:00:00Z' });
  await say(replicaA, team, 'influencer add "Zoë Tran" @zoe.creates network:instagram');
  await say(replicaA, team, 'collab new @zoe.creates "Launch" type:review goal:awareness currency:USD');
});

describe('the timezone that decides a day is read fresh', () => {
  it('GIVEN replica A has the workspace cached in UTC WHEN replica B changes it to UTC+14 THEN the next day A stores from "today" is in the new zone', async () => {
    expect(await say(replicaA, team, 'payment add Launch 100 USD today label:before')).toContain('due 2026-11-23');
    // Both replicas have the workspace cached now.
    await say(replicaB, team, 'influencer show @zoe.creates');
    expect(await say(replicaB, team, `irm settings timezone:${KIRITIMATI}`)).toContain(KIRITIMATI);

    // A's cached copy still says UTC (formatting reads may use it), but the day it stores is decided fresh.
    expect((await replicaA.services.workspaces.ensure('console', 'two-replicas')).timezone).toBe('UTC');
    await say(replicaA, team, 'payment add Launch 200 USD today label:after');
    await say(replicaA, team, 'payment add Launch 300 USD "in 3 days" label:later');
    const stored = await replicaA.models.payments.find({ label: { $in: ['after', 'later'] } }).sort({ amountMinor: 1 }).lean();
    expect(stored.map((p) => [p.label, p.dueAt.toISOString(), localDay(p.dueAt, KIRITIMATI)])).toEqual([
      ['after', startOfLocalDay('2026-11-24', KIRITIMATI).toISOString(), '2026-11-24'],
      ['later', startOfLocalDay('2026-11-27', KIRITIMATI).toISOString(), '2026-11-27'],
    ]);
    // And its copy was renewed by that read.
    expect((await replicaA.services.workspaces.ensure('console', 'two-replicas')).timezone).toBe(KIRITIMATI);
  });
});

describe('the paid day a reopen keeps is read in the fresh timezone', () => {
  const other = consoleCaller('two-replicas-reopen', 'maria');

  it('GIVEN replica A has the workspace cached in UTC and a payment paid on 2026-11-20 WHEN replica B changes it to UTC+14 and A reopens the payment THEN the reply and its history say it was paid 2026-11-20', async () => {
    await say(replicaA, other, 'influencer add "Ivo Mar" @ivo.mar network:instagram');
    await say(replicaA, other, 'collab new @ivo.mar "Reopen" type:review goal:awareness currency:USD');
    await say(replicaA, other, 'payment add Reopen 100 USD 2026-11-30 label:paid-early');
    const id = String((await replicaA.models.payments.findOne({ label: 'paid-early' }).lean())!._id);
    expect(await say(replicaA, other, `payment paid ${id} 2026-11-20 INV-1`)).toContain('paid on 2026-11-20');
    // Both replicas have the workspace cached now; B moves it to UTC+14, where the paid day is kept.
    await say(replicaB, other, 'influencer show @ivo.mar');
    expect(await say(replicaB, other, `irm settings timezone:${KIRITIMATI}`)).toContain(KIRITIMATI);
    expect((await replicaA.services.workspaces.ensure('console', 'two-replicas-reopen')).timezone).toBe('UTC');

    // Read in A's cached UTC, the moved paidAt (noon on Nov 20 in UTC+14) would be Nov 19.
    const reopened = (await say(replicaA, other, `payment reopen ${id} Paid the wrong one`)).split('\n');
    expect([reopened[0], reopened[2]?.split(' · ')[1]]).toEqual(['Reopened $100.00 due 2026-11-30: scheduled again, due in 6 days. Reason: Paid the wrong one', 'was paid 2026-11-20 (ref INV-1)']);
    const reopen = (await replicaA.models.changes.findOne({ entityId: id, action: 'reopen' }).lean())!;
    expect(reopen.fields.find((f) => f.field === 'paidAt')).toEqual({ field: 'paidAt', from: '2026-11-20', to: null });
  });
});
