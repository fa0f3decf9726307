import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { addCreator } from '../helpers/nurture';

/** Cadences, health and nudge preferences as people type them (Slack text arguments through the real router). */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TEAM = 'T0NURTURE';
const TZ = 'Europe/Paris';

const slackUser = (id: string, admin: boolean, team = TEAM): Caller => ({ platform: 'slack', workspaceExternalId: team, actor: { id, isAdmin: async () => admin } });
const admin = slackUser('U0ADMIN', true);
const member = slackUser('U0MARIA', false);

async function say(caller: Caller, line: string) {
  const [command, ...rest] = line.split(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(command!, rest.join(' ')));
  const answer = outcome.answer as Reply;
  return { visibility: answer.visibility, text: outcome.answer.kind === 'reply' ? toPlainText(answer) : `FORM ${outcome.answer.title}` };
}

async function workspace(team = TEAM) {
  const info = await app.services.workspaces.ensure('slack', team);
  return app.services.workspaces.updateSettings(info.id, { timezone: TZ });
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T08:00:00Z', timezone: TZ });
});

describe('/irm settings cadence:', () => {
  it('GIVEN the defaults THEN the settings card lists every stage', async () => {
    await workspace();
    expect((await say(member, 'irm settings')).text).toContain(
      'Cadences (ideal/maximum days between touchpoints): contacted 10/21 · negotiating 5/10 · active 21/45 · ambassador 14/30 · none: prospect, paused, ended',
    );
  });

  it('GIVEN an admin WHEN they set active=30/60 and prospect=none THEN saved, shown, and read back; other stages keep their defaults', async () => {
    const ws = await workspace();
    const { text } = await say(admin, 'irm settings cadence:active=30/60,ambassador=none');
    expect(text).toContain('Saved: cadence.');
    expect(text).toContain('contacted 10/21 · negotiating 5/10 · active 30/60 (set here) · none: prospect, ambassador (set here), paused, ended');
    expect((await app.services.workspaces.settings(ws.id)).settings.cadences).toEqual({ active: { ideal: 30, max: 60 }, ambassador: null });
    await say(admin, 'irm settings cadence:ambassador=14/30');
    expect((await app.services.workspaces.settings(ws.id)).settings.cadences).toEqual({ active: { ideal: 30, max: 60 }, ambassador: { ideal: 14, max: 30 } });
  });

  it.each([
    ['cadence:active=45/21', 'cadence for active needs the maximum at least as long as the ideal, like 21/45'],
    ['cadence:friends=21/45', 'cadence "friends=21/45" must read stage=ideal/maximum, like active=21/45, with a stage among prospect, contacted, negotiating, active, ambassador, paused, ended'],
    ['cadence:active=0/5', 'cadence for active needs an ideal interval of at least 1 day, like 21/45'],
    ['cadence:active=21/999', 'cadence for active is at most 365 days'],
    ['cadence:active=21', 'cadence for active must be two whole numbers of days, ideal/maximum, like 21/45, or "none"'],
  ])('GIVEN %s THEN refused naming the field: %s', async (typed, message) => {
    const ws = await workspace();
    const before = (await app.services.workspaces.settings(ws.id)).settings.cadences;
    expect((await say(admin, `irm settings ${typed}`)).text).toContain(message);
    expect((await app.services.workspaces.settings(ws.id)).settings.cadences).toEqual(before);
  });

  it('GIVEN a member THEN they cannot change cadences', async () => {
    expect((await say(member, 'irm settings cadence:active=1/2')).text).toContain('only workspace admins');
  });
});

describe('/influencer edit cadence: and the card', () => {
  it("GIVEN a creator WHEN their own cadence is set THEN the card shows it, the history records it, and cadence:none clears it", async () => {
    const ws = await workspace('T0CARD');
    const caller = slackUser('U0MARIA', false, 'T0CARD');
    await addCreator(app, ws, { name: 'Zoë Tran', contactedDaysAgo: 30 });
    const saved = await say(caller, 'influencer edit "Zoë Tran" cadence:7/14');
    expect(saved.text).toContain('Saved *Zoë Tran*: Cadence: (none) → 7/14'.replace(/\*/g, ''));
    const card = (await say(caller, 'influencer show "Zoë Tran"')).text;
    expect(card).toContain('Cadence: 7/14 days (own)');
    expect(card).toContain('Health: 0 - 16 days past the maximum interval');
    await say(caller, 'influencer edit "Zoë Tran" cadence:none');
    const after = (await say(caller, 'influencer show "Zoë Tran"')).text;
    expect(after).toContain('Cadence: 21/45 days (active)');
    expect(after).toContain('Health: 81 - 9 days past the ideal interval');
    expect((await say(caller, 'influencer edit "Zoë Tran" cadence:10/5')).text).toContain('cadence needs the maximum at least as long as the ideal, like 21/45');
  });
});

describe('/influencer list sort:health', () => {
  it('GIVEN three creators THEN the worst health first, with the score and its reason, paged like the list', async () => {
    const ws = await workspace('T0LIST');
    const caller = slackUser('U0MARIA', false, 'T0LIST');
    await addCreator(app, ws, { name: 'Fine', contactedDaysAgo: 2 });
    await addCreator(app, ws, { name: 'Quiet', contactedDaysAgo: 50 });
    await addCreator(app, ws, { name: 'Drifting', contactedDaysAgo: 30 });
    const { text } = await say(caller, 'influencer list sort:health');
    const lines = text.split('\n').filter((line) => line.startsWith('•'));
    expect(lines.map((line) => line.split(' · id ')[0])).toEqual([
      '• Quiet · active · @U0MARIA · health 44 - 5 days past the maximum interval',
      '• Drifting · active · @U0MARIA · health 81 - 9 days past the ideal interval',
      '• Fine · active · @U0MARIA · health 100 - in touch; next touchpoint within 19 days',
    ]);
    expect(text).toContain('3 creators, worst health first · page 1 of 1');
    expect((await say(caller, 'influencer list sort:mood')).text).toContain('sort must be one of: name, health');
  });
});

describe('/irm me nudges:', () => {
  it('GIVEN a person WHEN they turn nudges off and on THEN it is saved for them only', async () => {
    const ws = await workspace('T0ME');
    const maria = slackUser('U0MARIA', false, 'T0ME');
    expect((await say(maria, 'irm me')).text).toContain('Private nudges: on');
    expect((await say(maria, 'irm me nudges:off')).text).toContain('Saved: nudges off.\nPrivate nudges: off');
    expect([...(await app.services.nurture.nudgesOff(ws.id))]).toEqual(['U0MARIA']);
    expect((await say(slackUser('U0LI', false, 'T0ME'), 'irm me')).text).toContain('Private nudges: on');
    expect((await say(maria, 'irm me nudges:maybe')).text).toContain('nudges must be one of: on, off');
    await say(maria, 'irm me nudges:on');
    expect([...(await app.services.nurture.nudgesOff(ws.id))]).toEqual([]);
  });
});
