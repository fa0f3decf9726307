import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let replica: Awaited<ReturnType<typeof buildApp>>;
const TEAM = 'T0TZ';
const admin: Caller = { platform: 'slack', workspaceExternalId: TEAM, actor: { id: 'U0ADMIN', isAdmin: async () => true } };

async function say(line: string, on = app) {
  const [command, ...rest] = line.split(' ');
  const outcome = await on.router.handle(admin, on.router.parseText(command!, rest.join(' ')));
  return outcome.answer.kind === 'reply' ? toPlainText(outcome.answer as Reply) : `FORM ${outcome.answer.title}`;
}

/** Every day a team reads, from the listings: payments, the checklist, the collaboration's dates. */
async function daysShown(on = app): Promise<string[]> {
  const payments = await say('payment list all', on);
  const checklist = await say('collab deliverable "Autumn box" month:2026-12', on);
  const brief = await say('collab brief "Autumn box"', on);
  return [
    ...payments
      .split('\n')
      .filter((line) => line.startsWith('•'))
      .map((line) => `${/€[\d,.]+/.exec(line)![0]} ${[...line.matchAll(/(due|paid) (\d{4}-\d{2}-\d{2})/g)].map((m) => `${m[1]} ${m[2]}`).join(' ')}`),
    ...[...checklist.matchAll(/due ([A-Z][a-z]{2} \d{1,2})/g)].map((m) => `checklist due ${m[1]}`),
    ...[...brief.matchAll(/(\w+ \d{1,2}, \d{4}) to (\w+ \d{1,2}, \d{4})/g)].map((m) => `runs ${m[1]} to ${m[2]}`),
  ];
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T15:00:00Z' });
  // Another replica on the same database, with its own services.
  replica = await buildApp(connection, { now: '2026-11-23T15:00:00Z' });
  await say('irm settings timezone:America/New_York currency:EUR');
  await say('influencer add "Ines Lau" @ines.lau network:instagram');
  await say('collab new @ines.lau "Autumn box" type:review goal:image expect:"post 2, story 1" currency:EUR start:2026-11-01 end:2027-01-31');
  await say('collab deliverable "Autumn box" add story due:2026-12-15 month:2026-12');
  await say('payment add "Autumn box" 150 EUR 2026-11-15');
  await say('payment add "Autumn box" 250 EUR 2026-12-01');
  const added = await say('payment add "Autumn box" 350 EUR 2026-11-20');
  await say(`payment paid ${/id ([a-f0-9]{24})/.exec(added)![1]} 2026-11-21 INV-7`);
});

describe('a timezone change moves no calendar day', () => {
  it('GIVEN due days, checklist days, start and end WHEN the timezone moves east, then west THEN every listing shows the same days', async () => {
    const before = await daysShown();
    expect(before).toEqual([
      '€250.00 due 2026-12-01',
      '€350.00 due 2026-11-20 paid 2026-11-21',
      '€150.00 due 2026-11-15',
      'checklist due Dec 15',
      'checklist due Nov 15',
      'checklist due Nov 30',
      'checklist due Nov 30',
      'runs November 1, 2026 to January 31, 2027',
    ]);
    for (const zone of ['Asia/Tokyo', 'Pacific/Honolulu', 'Europe/Paris', 'Pacific/Kiritimati']) {
      expect(await say(`irm settings timezone:${zone}`)).toContain('Saved: timezone.');
      expect([zone, ...(await daysShown())]).toEqual([zone, ...before]);
    }
    const workspace = await app.services.workspaces.ensure('slack', TEAM);
    expect((await app.models.workspaces.findById(workspace.id).lean())!.timezoneChange).toBeUndefined();
  });

  it('GIVEN a change WHEN the next command runs on the same replica THEN it decides today with the new zone', async () => {
    // 15:00 UTC on Nov 23 is already Nov 24 in Kiritimati (UTC+14) but still Nov 23 in Honolulu (UTC-10).
    await say('irm settings timezone:Pacific/Honolulu');
    await say('payment add "Autumn box" 99 EUR today');
    await say('irm settings timezone:Pacific/Kiritimati');
    await say('payment add "Autumn box" 98 EUR today');
    const list = await say('payment list all');
    expect(list).toMatch(/€99\.00 · due 2026-11-23/);
    expect(list).toMatch(/€98\.00 · due 2026-11-24/);
  });

  it('GIVEN a change cut short (the mark left behind) WHEN the bot starts THEN it is finished and nothing moves twice', async () => {
    const workspace = await app.services.workspaces.ensure('slack', TEAM);
    const before = await daysShown();
    // As a crash after the first write would leave it: the new zone and the mark, no record moved.
    await app.models.workspaces.updateOne({ _id: workspace.id }, { $set: { timezone: 'Europe/Paris', timezoneChange: { from: 'Pacific/Kiritimati', to: 'Europe/Paris' } } });
    expect(await replica.services.timezone.finishPending()).toBe(1);
    expect(await replica.services.timezone.finishPending()).toBe(0);
    // Read by the other process (as after a restart), which has no workspace remembered.
    expect(await daysShown(replica)).toEqual(before);
  });
});
