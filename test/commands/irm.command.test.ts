import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { seedCollaboration } from '../helpers/scheduler';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const TEAM = 'T0IRM';

const slackUser = (id: string, admin: boolean): Caller => ({ platform: 'slack', workspaceExternalId: TEAM, actor: { id, isAdmin: async () => admin } });
const admin = slackUser('U0ADMIN', true);
const member = slackUser('U0MEMBER', false);

async function say(caller: Caller, line: string) {
  const [command, ...rest] = line.split(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(command!, rest.join(' ')));
  const answer = outcome.answer as Reply;
  return { ...outcome, visibility: answer.visibility, text: outcome.answer.kind === 'reply' ? toPlainText(answer) : `FORM ${outcome.answer.title}` };
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T15:00:00Z' });
});

describe('/irm settings', () => {
  it('GIVEN a new workspace THEN the defaults are shown', async () => {
    const { text, visibility } = await say(member, 'irm settings');
    expect(visibility).toBe('private');
    for (const line of [
      'Timezone: UTC',
      'Currency: USD',
      'Payments channel: not set',
      'Warn before a payment is due: 3 days',
      'Posting time: 09:00 (UTC)',
      'Payment managers: workspace admins',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('GIVEN channels set on Slack WHEN an admin types clear:digest,nudges THEN both are unset in the database, payments stays', async () => {
    await say(admin, 'irm settings digest:<#C0DIG|digest> payments:<#C0PAYS|payments> nudges:#C0NUDGES');
    expect((await say(admin, 'irm settings clear:digest,nudges')).text).toContain('Saved: clear.');
    const workspace = await app.services.workspaces.ensure('slack', TEAM);
    expect((await app.services.workspaces.settings(workspace.id)).settings.channels).toEqual({ payments: 'C0PAYS' });
    await say(admin, 'irm settings clear:payments');
  });

  it('GIVEN a member WHEN they change a setting THEN a polite refusal and nothing changes', async () => {
    expect((await say(member, 'irm settings warn_days:10')).text).toContain('Sorry, only workspace admins (Slack admins and owners, Discord members with Manage Server) can change settings. Nothing was changed');
    const workspace = await app.services.workspaces.ensure('slack', TEAM);
    expect((await app.services.workspaces.settings(workspace.id)).settings.warnBeforeDueDays).toBe(3);
  });

  it('GIVEN an admin WHEN they change everything at once THEN it is saved, shown, and the cached workspace is refreshed', async () => {
    const before = await app.services.workspaces.ensure('slack', TEAM);
    expect(before.timezone).toBe('UTC');
    const { text } = await say(
      admin,
      'irm settings timezone:America/New_York currency:eur payments:<#C0PAY|payments> digest:#C0DIGEST nudges:C0NUDGE warn_days:5 posting_time:08:30 managers:<@U0FIN|fin>,<!subteam^S0FINANCE|@finance>',
    );
    expect(text).toContain('Saved: timezone, currency, digest, payments, nudges, warn days, posting time, managers.');
    for (const line of [
      'Timezone: America/New_York',
      'Currency: EUR',
      'Digest channel: <#C0DIGEST>',
      'Payments channel: <#C0PAY>',
      'Nudges channel: <#C0NUDGE>',
      'Warn before a payment is due: 5 days',
      'Posting time: 08:30 (America/New_York)',
      'Payment managers: @U0FIN, <!subteam^S0FINANCE>',
    ]) {
      expect(text).toContain(line);
    }
    const after = await app.services.workspaces.ensure('slack', TEAM);
    expect([after.timezone, after.currency]).toEqual(['America/New_York', 'EUR']);
    expect((await app.services.workspaces.settings(after.id)).settings).toEqual({
      channels: { digest: 'C0DIGEST', payments: 'C0PAY', nudges: 'C0NUDGE' },
      warnBeforeDueDays: 5,
      postingTime: '08:30',
      paymentManagers: ['U0FIN', 'group:S0FINANCE'],
      staleAfterDays: 30,
      reportingDay: 1,
      cadences: {},
    });
  });

  it('GIVEN none and admins THEN a channel is unset and payments go back to the admins', async () => {
    const { text } = await say(admin, 'irm settings nudges:none managers:admins');
    expect(text).toContain('Nudges channel: not set');
    expect(text).toContain('Payment managers: workspace admins');
  });

  it.each([
    ['irm settings posting_time:9am', 'posting_time must be a 24-hour time like 09:00'],
    ['irm settings warn_days:-1', 'warn_days cannot be negative'],
    ['irm settings warn_days:90', 'warn_days is at most 60'],
    ['irm settings warn_days:1.5', 'warn_days must be a whole number of days, like 5'],
    ['irm settings reporting_day:2.5', 'reporting_day must be a whole number, like 15'],
    ['irm settings timezone:Mars/Olympus', 'timezone must be an IANA name'],
    ['irm settings currency:EURO', 'currency must be an ISO code'],
    ['irm settings payments:"#no spaces please"', 'payments must be a channel like #payments'],
    ['irm settings managers:"@maria ???"', 'managers: "???" is not a user, user group or role'],
    ['irm settings colour:blue', 'Unknown argument colour'],
  ])('GIVEN %s THEN it is refused with %s and nothing changes', async (line, message) => {
    const workspace = await app.services.workspaces.ensure('slack', TEAM);
    const before = await app.services.workspaces.settings(workspace.id);
    expect((await say(admin, line)).text).toContain(message);
    expect(await app.services.workspaces.settings(workspace.id)).toEqual(before);
  });
});

describe('/irm digest now', () => {
  it('GIVEN nothing due THEN it says the channel stays quiet', async () => {
    expect((await say(member, 'irm digest now late-payments')).text).toContain('Nothing to post right now from late-payments');
  });

  it('GIVEN a late payment THEN a private preview, and with post a channel message', async () => {
    const workspace = await app.services.workspaces.settings((await app.services.workspaces.ensure('slack', TEAM)).id);
    const { collaboration } = await seedCollaboration(app, workspace, { ownerId: 'U0MARIA' });
    await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 150_000, currency: 'USD', dueOn: '2026-11-16' }, 'tester');

    const preview = await say(member, 'irm digest now late-payments');
    expect(preview.visibility).toBe('private');
    expect(preview.text).toContain('Payments: 1 late');
    expect(preview.text).toContain('$1,500.00 · due Nov 16 · 7 days late · owner @U0MARIA');
    expect(preview.text).toContain('Preview: only you can see this. `/irm digest now late-payments post` posts it here');

    const posted = await say(member, 'irm digest now post');
    expect(posted.visibility).toBe('channel');
    expect(posted.text).not.toContain('Preview');
    // A preview or an on-demand post never uses up the scheduled run.
    expect(await connection.collection('job_runs').countDocuments()).toBe(0);
  });

  it('GIVEN an unknown job THEN the known ones are named', async () => {
    expect((await say(member, 'irm digest now birthdays')).text).toContain('No job called "birthdays". Jobs you can run now: late-payments, monthly-digest, daily-digest, nudges.');
    expect((await say(member, 'irm digest later')).text).toContain('when must be one of: now');
  });
});

describe('/irm digest now with a planning job', () => {
  it('GIVEN payment-schedules WHEN run now THEN it is refused and nothing is planned, so the scheduled run still announces its payments', async () => {
    const workspace = await app.services.workspaces.settings((await app.services.workspaces.ensure('slack', TEAM)).id);
    await seedCollaboration(app, workspace, { ownerId: 'U0MARIA' });
    const payments = await connection.collection('payments').countDocuments();
    const answer = await say(member, 'irm digest now payment-schedules');
    expect(answer.text).toContain('payment-schedules plans records and runs only on its schedule');
    expect(answer.text).toContain('Jobs you can run now: late-payments, monthly-digest, daily-digest, nudges.');
    expect(await connection.collection('payments').countDocuments()).toBe(payments);
  });
});

describe('/irm on the console, end to end', () => {
  it('GIVEN the console THEN settings are shown and changed as typed', async () => {
    const printed = await runConsole(app.router, ['irm settings', 'irm settings payments:#payments warn_days:2 posting_time:10:15', 'irm help']);
    expect(printed).toContain('Payment managers: workspace admins');
    expect(printed).toContain('Saved: payments, warn days, posting time.');
    expect(printed).toContain('Payments channel: #payments');
    expect(printed).toContain('Warn before a payment is due: 2 days');
    expect(printed).toContain('Posting time: 10:15 (UTC)');
    expect(printed).toContain('/irm digest now late-payments post');
  });
});
