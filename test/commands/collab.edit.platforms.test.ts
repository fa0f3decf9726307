import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { ADMIN_PERMISSIONS, OptionType, modalSubmit, slashCommand } from '../helpers/discord-interactions';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';
import { paymentFor } from '../../commands/payment-label';

/**
 * `/collab edit` as Slack and Discord deliver it: the prefilled form (a Slack modal; a Discord
 * modal of five inputs, the rest typed options), its submission, typed options, and who may
 * change the compensation terms (payment managers, here the workspace admins).
 */

const ADMIN = { teamId: 'T0TEAM', userId: 'U0ALICE', userName: 'alice' };
const MEMBER = { teamId: 'T0TEAM', userId: 'U0BOB', userName: 'bob' };
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let api: RecordingApi;
let slackApp: SlackApp;
let discord: DiscordApp;
let as: SlackRequests;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-10T10:00:00Z', timezone: 'UTC' });
  slackApp = await startSlackApp(app.router, connection, { user: ADMIN });
  ({ api, as } = slackApp);
  api.respond((r) =>
    r.path === '/api/users.info' ? { body: { ok: true, user: { id: r.body.user, is_admin: r.body.user === 'U0ALICE', is_owner: false } } } : undefined,
  );
  discord = await startDiscordApp(app.router, { api, deferAfterMs: 2500 });
});

afterAll(async () => {
  await discord?.stop();
  await slackApp?.stop();
});

async function slackAnswer(sent: { responseUrl: string }) {
  return (await api.waitFor(new URL(sent.responseUrl).pathname)).body as { text: string };
}

describe('on Slack', () => {
  let id = '';

  beforeAll(async () => {
    await slackAnswer(await as.command('/influencer', 'add "Ana Lima" @ana.lima network:tiktok'));
    const started = await slackAnswer(
      await as.command('/collab', 'new @ana.lima "Summer code" type:affiliate goal:sales expect:"post 2" fee:800 currency:EUR start:2026-11-01 end:2027-01-31 code:ANA15 commission:10 reporting-day:5 net:14'),
    );
    expect(started.text).toContain('Started Summer code with Ana Lima');
    id = String((await app.models.collaborations.findOne({ title: 'Summer code' }).lean())!._id);
  });

  it('GIVEN /collab edit <collab> THEN the modal opens prefilled; submitting a new fee and end saves exactly that and the payments follow', async () => {
    const sent = await as.command('/collab', 'edit "Summer code"');
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const initial = Object.fromEntries(
      opened.body.view.blocks
        .filter((b: any) => b.type === 'input')
        .map((b: any) => [b.block_id, b.element.initial_value ?? b.element.initial_option?.value ?? b.element.initial_user ?? b.element.initial_date ?? null]),
    );
    expect(initial).toEqual({
      title: 'Summer code',
      expect: 'post 2',
      fee: '800',
      currency: 'EUR',
      end: '2027-01-31',
      schedule: 'once',
      net: '14',
      start: '2026-11-01',
      type: 'affiliate',
      goal: 'sales',
      commission: '10',
      'product-only': 'no',
      code: 'ANA15',
      link: null,
      'reporting-day': '5',
      owner: 'U0ALICE',
      content: 'monthly',
    });

    const submitted = await as.submit(opened.body.view, { fee: '950', end: '2026-12-31' });
    expect(submitted.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = await slackAnswer(sent);
    expect(answer.text).toContain('Saved Summer code: End: 2027-01-31 → 2026-12-31; Fee: €800.00 → €950.00.');
    const saved = await app.models.collaborations.findById(id).lean();
    expect(saved?.end).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(saved?.compensation).toEqual({ feeMinor: 95000, currency: 'EUR', schedule: 'once', netDays: 14, commissionPct: 10, productOnly: false });
    const payments = await app.models.payments.find({ collaborationId: saved!._id }).lean();
    expect(payments.map((p) => [paymentFor(p), p.amountMinor, p.currency, p.status])).toEqual([['Fee', 95000, 'EUR', 'scheduled']]);
    expect((await app.models.changes.find({ entityId: saved!._id, action: 'edit' }).lean()).map((c) => c.fields)).toEqual([
      [
        { field: 'end', from: new Date('2027-01-31T00:00:00Z'), to: new Date('2026-12-31T00:00:00Z') },
        { field: 'fee', from: { amountMinor: 80000, currency: 'EUR' }, to: { amountMinor: 95000, currency: 'EUR' } },
      ],
    ]);
  });

  it('GIVEN the title cleared and a bad fee in the modal THEN both fields show their error inline and nothing is saved', async () => {
    const before = await app.models.collaborations.findById(id).lean();
    const sent = await as.command('/collab', 'edit "Summer code"');
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const submitted = await as.submit(opened.body.view, { title: '', fee: 'lots' });
    expect(submitted.response.json).toEqual({
      response_action: 'errors',
      errors: { title: 'title is required: it cannot be cleared', fee: 'fee must be an amount like 1500, 1,500.50, 1.500,50, €1,500 or 1500 EUR' },
    });
    // Read in the currency of the form: a yen amount for a euro fee.
    const again = await as.submit(opened.body.view, { fee: '¥5000' });
    expect(again.response.json).toEqual({
      response_action: 'errors',
      errors: { fee: 'fee: "¥" is not EUR. Give the amount in EUR, or change the currency' },
    });
    expect(await app.models.collaborations.findById(id).lean()).toEqual(before);
  });

  it('GIVEN a member who is not a payment manager THEN a new fee is refused and a new title is saved', async () => {
    const before = await app.models.payments.find({ collaborationId: (await app.models.collaborations.findById(id).lean())!._id }).lean();
    const refused = await slackAnswer(await as.command('/collab', `edit ${id} fee:2000`, { user: MEMBER }));
    expect(refused.text).toBe(
      'Sorry, only workspace admins (no payment managers are named yet) can change compensation terms or planned payments. Nothing was changed. Ask one of them, or an admin can change this with `/irm settings managers:@you`.',
    );
    expect((await app.models.collaborations.findById(id).lean())?.compensation?.feeMinor).toBe(95000);
    expect(await app.models.payments.find({ collaborationId: before[0]!.collaborationId }).lean()).toEqual(before);
    const saved = await slackAnswer(await as.command('/collab', `edit ${id} title:"Summer code 2027"`, { user: MEMBER }));
    expect(saved.text).toContain('Saved Summer code 2027: Title: Summer code → Summer code 2027.');
  });
});

describe('on Discord', () => {
  let id = '';
  const admin = { permissions: ADMIN_PERMISSIONS };

  const send = (d: Record<string, any>) => discord.send(d);

  beforeAll(async () => {
    await send(slashCommand('add', [
      { name: 'name', type: OptionType.String, value: 'Bo Park' },
      { name: 'handle', type: OptionType.String, value: '@bo.park' },
      { name: 'network', type: OptionType.String, value: 'youtube' },
    ]));
    const started = await send(
      slashCommand(
        'new',
        [
          { name: 'who', type: OptionType.String, value: '@bo.park' },
          { name: 'title', type: OptionType.String, value: 'Tech week' },
          { name: 'type', type: OptionType.String, value: 'review' },
          { name: 'goal', type: OptionType.String, value: 'awareness' },
          { name: 'expect', type: OptionType.String, value: 'video 1' },
          { name: 'fee', type: OptionType.String, value: '500' },
          { name: 'currency', type: OptionType.String, value: 'USD' },
          { name: 'schedule', type: OptionType.String, value: 'monthly' },
          { name: 'start', type: OptionType.String, value: '2026-11-01' },
        ],
        admin,
        'collab',
      ),
    );
    expect(JSON.stringify(started.data)).toContain('Started **Tech week**');
    id = String((await app.models.collaborations.findOne({ title: 'Tech week' }).lean())!._id);
  });

  it('GIVEN the bare /collab edit collab:<id> THEN the modal holds the five most corrected fields, prefilled; saving a new fee says what changed and names the other options', async () => {
    const modal = await send(slashCommand('edit', [{ name: 'collab', type: OptionType.String, value: id }], admin, 'collab'));
    expect(modal.type).toBe(9);
    expect(modal.data.custom_id).toBe(`form:collab edit collab:${id}`);
    const inputs = Object.fromEntries(modal.data.components.map((row: any) => [row.components[0].custom_id, row.components[0].value]));
    expect(inputs).toEqual({ title: 'Tech week', expect: 'video 1', fee: '500', currency: 'USD', end: undefined });

    const saved = await send(modalSubmit(modal.data.custom_id, { title: 'Tech week', expect: 'video 1, short 2', fee: '650', currency: 'USD', end: '' }, admin));
    const text = JSON.stringify(saved.data);
    expect(text).toContain('Saved **Tech week**: Content per month: 1 video → 1 video, 2 shorts; Fee: $500.00 → $650.00.');
    expect(text).toContain('More details (content, schedule, net, start, type, goal, commission, product-only, code, link, reporting-day, owner) are options of /collab edit.');
    const after = await app.models.collaborations.findById(id).lean();
    expect(after?.expectedPerMonth).toEqual([
      { type: 'video', count: 1 },
      { type: 'short', count: 2 },
    ]);
    const payments = await app.models.payments.find({ collaborationId: after!._id, status: 'scheduled' }).sort({ dueAt: 1 }).lean();
    expect(payments.map((p) => [paymentFor(p), p.amountMinor])).toEqual([
      ['Reporting November 2026', 65000],
      ['Reporting December 2026', 65000],
      ['Reporting January 2027', 65000],
      ['Reporting February 2027', 65000],
    ]);
    const shorts = await app.models.contents.find({ collaborationId: after!._id, type: 'short' }).sort({ dueAt: 1 }).lean();
    expect(shorts.map((c) => [c.month, c.dueAt?.toISOString(), c.status])).toEqual([
      ['2026-11', '2026-11-15T23:59:59.999Z', 'planned'],
      ['2026-11', '2026-11-30T23:59:59.999Z', 'planned'],
    ]);
  });

  it('GIVEN typed options, one of them - THEN they are saved, the cleared one is gone and the monthly payments move to the new reporting day', async () => {
    await app.models.collaborations.updateOne({ _id: id }, { $set: { discountCode: 'OLD10' } });
    const saved = await send(
      slashCommand(
        'edit',
        [
          { name: 'collab', type: OptionType.String, value: id },
          { name: 'code', type: OptionType.String, value: '-' },
          { name: 'goal', type: OptionType.String, value: 'Image' },
          { name: 'reporting-day', type: OptionType.Integer, value: 12 },
        ],
        admin,
        'collab',
      ),
    );
    expect(JSON.stringify(saved.data)).toContain('Saved **Tech week**: Goal: awareness → image; Discount code: OLD10 → (none); Reporting day: the 1st of each month → the 12th of each month.');
    const after = await app.models.collaborations.findById(id).lean();
    expect(after).toMatchObject({ goal: 'image', reportingDay: 12 });
    expect(after?.discountCode).toBeUndefined();
    const payments = await app.models.payments.find({ collaborationId: after!._id, status: 'scheduled' }).sort({ dueAt: 1 }).lean();
    expect(payments.map((p) => [paymentFor(p), p.amountMinor, p.dueAt.toISOString().slice(0, 10)])).toEqual([
      ['Reporting November 2026', 65000, '2026-12-12'],
      ['Reporting December 2026', 65000, '2027-01-11'],
      ['Reporting January 2027', 65000, '2027-02-11'],
      ['Reporting February 2027', 65000, '2027-03-14'],
    ]);
  });

  it('GIVEN a member without Manage Server and no payment managers THEN a new fee typed as an option is refused and nothing changes', async () => {
    const before = await app.models.collaborations.findById(id).lean();
    const refused = await send(
      slashCommand(
        'edit',
        [
          { name: 'collab', type: OptionType.String, value: id },
          { name: 'fee', type: OptionType.String, value: '9999' },
        ],
        {},
        'collab',
      ),
    );
    expect(refused.data.content).toContain('Sorry, only workspace admins (no payment managers are named yet) can change compensation terms or planned payments. Nothing was changed.');
    expect(await app.models.collaborations.findById(id).lean()).toEqual(before);
  });
});
