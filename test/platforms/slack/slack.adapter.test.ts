import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands';
import { ALREADY_SUBMITTED } from '../../../src/platforms/command-router';
import type { SlackAdapter } from '../../../src/platforms/slack/slack.adapter';
import { buildApp, type silentLogger } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import type { RecordedRequest, RecordingApi } from '../../helpers/recording-api';
import { slackRequests, type SlackRequests } from '../../helpers/slack-requests';
import { answerPosts, SLACK_SIGNING_SECRET as SIGNING_SECRET, startSlackApp, type SlackApp } from '../../helpers/slack-app';

const { connection } = useTestDatabase();

let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let slack: SlackAdapter;
let baseUrl: string;
let as: SlackRequests;

/** Every log line, so tests can check what reaches info level. */
const logs: Array<{ level: string; obj: object; msg?: string }> = [];
const logWaiters: Array<{ msg: string; resolve: () => void }> = [];
const recordingLogger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [
    level,
    (obj: object, msg?: string) => {
      logs.push({ level, obj, msg });
      for (const waiter of logWaiters.filter((w) => w.msg === msg)) waiter.resolve();
    },
  ]),
) as unknown as typeof silentLogger;
const logged = (msg: string) =>
  logs.some((l) => l.msg === msg) ? Promise.resolve() : new Promise<void>((resolve) => logWaiters.push({ msg, resolve }));

beforeAll(async () => {
  app = await buildApp(connection);
  platform = await startSlackApp(app.router, connection, { logger: recordingLogger });
  ({ api, slack, as } = platform);
  answerPosts(api);
  baseUrl = `http://127.0.0.1:${slack.listeningPort()}`;
});

afterAll(async () => {
  await platform?.stop();
});

/** Runs a slash command and returns what was posted to its response_url. */
async function slash(text: string, opts: Parameters<SlackRequests['command']>[2] = {}) {
  const sent = await as.command('/influencer', text, opts);
  expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
  const answer = await api.waitFor(new URL(sent.responseUrl).pathname);
  return { ...sent, answer, body: answer.body as { response_type: string; text: string; blocks: any[]; replace_original?: boolean } };
}

const findRecord = (name: string) => app.models.influencers.findOne({ name }).lean();
const buttons = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);
const buttonLabelled = (blocks: any[], label: string) => {
  const found = buttons(blocks).find((b: any) => b.text.text === label);
  if (!found) throw new Error(`no button "${label}" in ${JSON.stringify(blocks)}`);
  return found;
};
const viewOpenedWith = (triggerId: string) => api.waitFor('/api/views.open', (r) => r.body.trigger_id === triggerId);

describe('GIVEN the Slack app in HTTP mode', () => {
  it('WHEN GET /healthz THEN 200 {"database":"up"}', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ database: 'up' });
  });

  it('WHEN a request carries a forged signature THEN 401 and nothing is stored', async () => {
    const sent = await as.command('/influencer', 'add "Eve Forged" @eve network:x', { sign: { secret: 'not-the-secret' } });
    expect(sent.response.status).toBe(401);
    const interaction = await as.click({ action_id: 'irm:run:0', value: 'influencer add "Eve Button"' }, { sign: { secret: 'nope' } });
    expect(interaction.response.status).toBe(401);
    expect(await app.models.influencers.countDocuments({ name: /^Eve/ })).toBe(0);
    expect(await app.models.workspaces.countDocuments({})).toBe(0);
  });

  it('WHEN a correctly signed request is older than 5 minutes THEN 401 and nothing is stored', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const sent = await as.command('/influencer', 'add "Eve Stale" @eve network:x', { sign: { timestamp: sixMinutesAgo } });
    expect(sent.response.status).toBe(401);
    expect(await app.models.influencers.countDocuments({ name: /^Eve/ })).toBe(0);
    expect(await app.models.workspaces.countDocuments({})).toBe(0);
  });
});

describe('GIVEN /influencer typed in Slack with arguments', () => {
  let zoeId = '';
  let card: Awaited<ReturnType<typeof slash>>;

  it('add: stores the record (escaped email and mentions read back) and answers privately', async () => {
    const { body } = await slash(
      'add "Zoë Tran" @Zoe.Creates network:instagram followers:12500 email:<mailto:zoe@example.com|zoe@example.com> birthday:1998-07-14 ' +
        'tags:beauty,skincare phone:"+1 555 0100" address:"1 Rue Example, Paris" preferences:"size M &amp; oat milk" owner:<@U0MARIA|maria>',
    );
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('Added Zoë Tran.');
    const zoe = await findRecord('Zoë Tran');
    expect(zoe).toMatchObject({
      handles: [{ network: 'instagram', handle: 'zoe.creates', followers: 12500 }],
      email: 'zoe@example.com',
      phone: '+1 555 0100',
      birthday: { month: 7, day: 14, year: 1998 },
      tags: ['beauty', 'skincare'],
      preferences: 'size M & oat milk',
      ownerId: 'U0MARIA',
      stage: 'prospect',
    });
    const workspace = await app.models.workspaces.findById(zoe!.workspaceId).lean();
    expect(workspace).toMatchObject({ platform: 'slack', externalId: 'T0TEAM' });
    zoeId = String(zoe!._id);
  });

  it('find: "zoe" finds "Zoë"', async () => {
    const { body } = await slash('find zoe');
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('Zoë Tran');
    expect(body.text).toContain(zoeId);
  });

  it('show: the private card has the personal details and one button per action', async () => {
    card = await slash('show @zoe.creates');
    const json = JSON.stringify(card.body.blocks);
    expect(card.body.response_type).toBe('ephemeral');
    expect(card.body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Zoë Tran', emoji: true } });
    for (const personal of ['zoe@example.com', '+1 555 0100', '1 Rue Example, Paris', '1998-07-14', 'oat milk']) expect(json).toContain(personal);
    expect(json).toContain('<@U0MARIA>');
    expect(buttons(card.body.blocks).map((b: any) => [b.action_id, b.text.text, b.value])).toEqual([
      ['irm:run:0', 'Log touchpoint', `influencer log ${zoeId}`],
      ['irm:run:1', 'Edit', `influencer edit ${zoeId}`],
      ['irm:run:2', 'Change stage', `influencer stage ${zoeId}`],
      ['irm:run:3', 'Timeline', `influencer show ${zoeId} touchpoints`],
      ['irm:run:4', 'Archive', `influencer archive ${zoeId}`],
      ['irm:run:5', 'Share in channel', `influencer show ${zoeId} share:yes`],
    ]);
  });

  it('"Share in channel" posts in the channel a card without email, phone, address, birth year or preferences', async () => {
    const clicked = await as.click(buttonLabelled(card.body.blocks, 'Share in channel'));
    expect(clicked.response).toEqual({ status: 200, text: '', json: undefined });
    const shared = await api.waitFor(new URL(clicked.responseUrl).pathname);
    expect(shared.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const everything = JSON.stringify(shared.body);
    expect(everything).toContain('Zoë Tran');
    expect(everything).toContain('zoe.creates');
    for (const personal of ['zoe@example.com', '+1 555', 'Rue Example', '1998', 'oat milk', 'Only you']) expect(everything).not.toContain(personal);
    expect(buttons(shared.body.blocks)).toEqual([]);
  });

  it('edit: key:value arguments change the record', async () => {
    const { body } = await slash(`edit ${zoeId} notes:"Loves the autumn box" timezone:Europe/Paris`);
    expect(body.text).toContain('Saved Zoë Tran: Timezone: (none) → Europe/Paris; Notes: (none) → Loves the autumn box.');
    expect(await findRecord('Zoë Tran')).toMatchObject({ notes: 'Loves the autumn box', timezone: 'Europe/Paris', email: 'zoe@example.com' });
  });

  it('log: stores a touchpoint and updates last contact', async () => {
    const { body } = await slash('log @zoe.creates gift Sent the autumn box');
    expect(body.text).toContain('Logged gift with Zoë Tran: Sent the autumn box');
    const zoe = await findRecord('Zoë Tran');
    expect(zoe?.lastContact).toMatchObject({ kind: 'gift', byId: 'U0ALICE' });
    expect(await app.models.touchpoints.find({ influencerId: zoe!._id }).lean()).toMatchObject([{ kind: 'gift', summary: 'Sent the autumn box', byId: 'U0ALICE' }]);
  });

  it('stage: moves the record', async () => {
    const { body } = await slash('stage "Zoë Tran" active');
    expect(body.text).toContain('Moved Zoë Tran from prospect to active.');
    expect((await findRecord('Zoë Tran'))?.stage).toBe('active');
  });

  it('list: shows the record with its stage', async () => {
    const { body } = await slash('list active');
    expect(body.text).toContain('1 active creator');
    expect(body.text).toContain('Zoë Tran');
  });

  it('archive, then restore through the Undo button', async () => {
    const archived = await slash('archive @zoe.creates');
    expect(archived.body.text).toContain('Archived Zoë Tran. Nothing was deleted.');
    expect((await findRecord('Zoë Tran'))?.archivedAt).toBeInstanceOf(Date);
    expect((await slash('list')).body.text).toContain('No creators yet');

    const clicked = await as.click(buttonLabelled(archived.body.blocks, 'Undo'));
    const restored = await api.waitFor(new URL(clicked.responseUrl).pathname);
    expect(restored.body).toMatchObject({ response_type: 'ephemeral', text: `Restored Zoë Tran.\n[Show card: influencer show ${zoeId}]` });
    expect((await findRecord('Zoë Tran'))?.archivedAt).toBeUndefined();
  });

  it('restore: typed, on a record that is not archived, explains so', async () => {
    const { body } = await slash(`restore ${zoeId}`);
    expect(body.text).toBe('Zoë Tran is not archived.');
  });

  it('help: every subcommand with an example', async () => {
    const { body } = await slash('help');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '/influencer', emoji: true } });
    for (const sub of ['add', 'find', 'show', 'edit', 'log', 'stage', 'archive', 'restore', 'list']) expect(body.text).toContain(`${sub} - `);
  });

  it.each(commands.map((c) => c.name))('every command is registered: /%s help answers', async (name) => {
    const sent = await as.command(`/${name}`, 'help');
    expect(sent.response.status).toBe(200);
    const answer = await api.waitFor(new URL(sent.responseUrl).pathname);
    expect(answer.body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `/${name}`, emoji: true } });
  });

  it('an org-wide install files the record under the enterprise', async () => {
    const user = { teamId: 'T0OTHER', enterpriseId: 'E0ACME', enterpriseInstall: true, userId: 'U0BOB', userName: 'bob' };
    const { body } = await slash('add "Org Creator" @org.creator network:tiktok', { user });
    expect(body.text).toContain('Added Org Creator.');
    const record = await findRecord('Org Creator');
    expect(await app.models.workspaces.findById(record!.workspaceId).lean()).toMatchObject({ platform: 'slack', externalId: 'E0ACME' });
  });
});

describe('GIVEN /influencer add with no arguments', () => {
  let opened: RecordedRequest;
  let responseUrl: string;

  beforeAll(async () => {
    const sent = await as.command('/influencer', 'add');
    // The ack is the whole HTTP answer: empty, before any work.
    expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
    responseUrl = sent.responseUrl;
    opened = await viewOpenedWith(sent.triggerId);
  });

  it('THEN a modal opens with the command trigger, one input per field, and where to answer', () => {
    const view = opened.body.view;
    expect(view).toMatchObject({ type: 'modal', callback_id: 'irm:form', title: { text: 'Add a creator' }, submit: { text: 'Add' } });
    expect(view.blocks.map((b: any) => b.block_id)).toEqual([
      'name', 'handles', 'email', 'birthday', 'tags', 'phone', 'address', 'timezone', 'preferences', 'owner', 'stage', 'source', 'notes',
    ]);
    expect(view.blocks[0]).toEqual({
      type: 'input',
      block_id: 'name',
      optional: false,
      label: { type: 'plain_text', text: 'Name', emoji: true },
      element: { type: 'plain_text_input', action_id: 'value' },
    });
    expect(view.blocks.find((b: any) => b.block_id === 'owner').element).toEqual({ type: 'users_select', action_id: 'value' });
    expect(view.blocks.find((b: any) => b.block_id === 'stage').element.initial_option).toEqual({
      text: { type: 'plain_text', text: 'prospect', emoji: true },
      value: 'prospect',
    });
    expect(JSON.parse(view.private_metadata)).toEqual({
      submit: { command: 'influencer', subcommand: 'add', args: {} },
      channel: 'C0GENERAL',
      response_url: responseUrl,
    });
  });

  it.each([
    ['a bad email', { name: 'Bad Email', email: 'not-an-email' }, { email: 'email must be an address like name@example.com' }],
    ['a date that does not exist', { name: 'Bad Date', birthday: '02-30' }, { birthday: 'birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998' }],
    ['no name', { name: '', email: 'maya@example.com' }, { name: 'name is required' }],
  ])('WHEN submitted with %s THEN the modal shows the error under its field and nothing is stored', async (_what, answers, errors) => {
    const before = await app.models.influencers.countDocuments({});
    const sent = await as.submit(opened.body.view, answers);
    expect(sent.response.status).toBe(200);
    expect(sent.response.json).toEqual({ response_action: 'errors', errors });
    expect(await app.models.influencers.countDocuments({})).toBe(before);
  });

  it('WHEN submitted with good values THEN the modal closes at once, the record is stored and the answer goes to the command response_url', async () => {
    const sent = await as.submit(opened.body.view, {
      name: 'Maya López',
      handles: 'tiktok @maya.makes 3000\ninstagram @maya 12000',
      email: 'Maya@Example.com',
      birthday: '03-02',
      owner: 'U0MARIA',
      stage: 'contacted',
      notes: '{"$gt": ""} stays text',
    });
    expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = await api.waitFor(new URL(responseUrl).pathname, (r) => r.body.text.includes('Maya López'));
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answer.body.text).toContain('Added Maya López.');
    expect(await findRecord('Maya López')).toMatchObject({
      handles: [
        { network: 'tiktok', handle: 'maya.makes', followers: 3000 },
        { network: 'instagram', handle: 'maya', followers: 12000 },
      ],
      email: 'maya@example.com',
      birthday: { month: 3, day: 2 },
      ownerId: 'U0MARIA',
      stage: 'contacted',
      notes: '{"$gt": ""} stays text',
    });
  });

  it('WHEN the same view is submitted twice (a double click, a redelivery) THEN it is stored once and the second is told so', async () => {
    const answers = { name: 'Noor Haddad', handles: 'instagram @noor.h' };
    const [first, second] = await Promise.all([as.submit(opened.body.view, answers, { viewId: 'V0TWICE' }), as.submit(opened.body.view, answers, { viewId: 'V0TWICE' })]);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    await api.waitFor(new URL(responseUrl).pathname, (r) => r.body.text.includes('Added Noor Haddad'));
    await api.waitFor(new URL(responseUrl).pathname, (r) => r.body.text === ALREADY_SUBMITTED);
    expect(await app.models.influencers.countDocuments({ name: 'Noor Haddad' })).toBe(1);
  });

  it('WHEN the same handle is submitted again THEN the refusal is answered with a button that opens the form again with what was typed', async () => {
    const sent = await as.submit(opened.body.view, { name: 'Maya Again', handles: 'tiktok @maya.makes', notes: 'met at the fair' });
    expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = await api.waitFor(new URL(responseUrl).pathname, (r) => r.body.text.includes('Maya Again') || r.body.text.includes('already belongs'));
    expect(answer.body.text).toMatch(/tiktok @maya\.makes already belongs to Maya López/);
    expect(await findRecord('Maya Again')).toBeNull();
    const reopen = buttonLabelled(answer.body.blocks, 'Open the form again');
    const clicked = await as.click(reopen);
    const again = await viewOpenedWith(clicked.triggerId);
    const initial = (id: string) => again.body.view.blocks.find((b: any) => b.block_id === id).element.initial_value;
    expect([again.body.view.title.text, initial('name'), initial('handles'), initial('notes')]).toEqual(['Add a creator', 'Maya Again', 'tiktok @maya.makes', 'met at the fair']);
  });
});

describe('GIVEN a card button that opens a form', () => {
  it('WHEN Edit is clicked and the modal submitted THEN the record changes and the answer goes to the button response_url', async () => {
    const card = await slash('show "Maya López"');
    const clicked = await as.click(buttonLabelled(card.body.blocks, 'Edit'));
    expect(clicked.response.status).toBe(200);
    const opened = await viewOpenedWith(clicked.triggerId);
    const view = opened.body.view;
    const maya = await findRecord('Maya López');
    expect(JSON.parse(view.private_metadata)).toEqual({
      submit: { command: 'influencer', subcommand: 'edit', args: { who: String(maya!._id) } },
      channel: 'C0GENERAL',
      response_url: clicked.responseUrl,
    });
    expect(view.blocks.find((b: any) => b.block_id === 'email').element.initial_value).toBe('maya@example.com');
    expect(view.blocks.find((b: any) => b.block_id === 'owner').element.initial_user).toBe('U0MARIA');

    const sent = await as.submit(view, { email: '', stage: 'negotiating', tags: 'food, travel' });
    expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = await api.waitFor(new URL(clicked.responseUrl).pathname);
    const after = await findRecord('Maya López');
    expect(after).toMatchObject({ stage: 'negotiating', tags: ['food', 'travel'], ownerId: 'U0MARIA' });
    expect(after?.email).toBeUndefined();
    expect(answer.body.text).toContain('Saved Maya López: Email: maya@example.com → (none); Tags: (none) → food, travel; Stage: contacted → negotiating.');
  });

  it('WHEN Log touchpoint is clicked THEN a modal without the "who" field opens; submitting logs it', async () => {
    const card = await slash('show "Maya López"');
    const clicked = await as.click(buttonLabelled(card.body.blocks, 'Log touchpoint'));
    const opened = await viewOpenedWith(clicked.triggerId);
    expect(opened.body.view.blocks.map((b: any) => [b.block_id, b.element.type])).toEqual([
      ['kind', 'static_select'],
      ['summary', 'plain_text_input'],
      ['date', 'datepicker'],
    ]);
    const sent = await as.submit(opened.body.view, { kind: 'call', summary: 'Planned the spring launch', date: '2026-11-20' });
    expect(sent.response.status).toBe(200);
    await api.waitFor(new URL(clicked.responseUrl).pathname);
    const maya = await findRecord('Maya López');
    expect(maya?.lastContact).toMatchObject({ kind: 'call', at: new Date('2026-11-20T12:00:00Z') });
  });
});

describe('GIVEN an answer that cannot use the response_url', () => {
  it('THEN it falls back to an ephemeral message in the channel', async () => {
    api.respond((r) => (r.path === '/response/expired' ? { status: 404, body: { ok: false, error: 'expired_url' } } : undefined));
    const card = await slash('show "Maya López"');
    const clicked = await as.click(buttonLabelled(card.body.blocks, 'Change stage'));
    const opened = await viewOpenedWith(clicked.triggerId);
    const meta = JSON.parse(opened.body.view.private_metadata);
    const view = { ...opened.body.view, private_metadata: JSON.stringify({ ...meta, response_url: `${api.url}/response/expired` }) };
    await as.submit(view, { stage: 'active' });
    const ephemeral = await api.waitFor('/api/chat.postEphemeral', (r) => String(r.body.text).includes('Maya López'));
    expect(ephemeral.body).toMatchObject({ channel: 'C0GENERAL', user: 'U0ALICE' });
    expect(ephemeral.body.text).toContain('Moved Maya López from negotiating to active.');
  });

  it('THEN a scheduled post goes out with chat.postMessage and returns its ts', async () => {
    const posted = await slack.postMessage('C0DIGEST', { kind: 'reply', visibility: 'channel', blocks: [{ type: 'text', text: 'Birthdays this week: <@U0MARIA>' }], notify: ['U0MARIA'] });
    expect(posted).toEqual({ ts: '1700000000.000900' });
    const request = await api.waitFor('/api/chat.postMessage', (r) => r.body.channel === 'C0DIGEST');
    expect(request.body.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Birthdays this week: <@U0MARIA>' } }]);
    expect(request.headers.authorization).toBe('Bearer xoxb-test-token');
  });
});

describe('GIVEN something fails on the way', () => {
  it('WHEN views.open is refused THEN the person is told to run the command again', async () => {
    api.respond((r) => (r.path === '/api/views.open' && r.body.trigger_id === 'trigger-expired' ? { body: { ok: false, error: 'expired_trigger_id' } } : undefined));
    const body = new URLSearchParams({
      team_id: 'T0TEAM', channel_id: 'C0GENERAL', user_id: 'U0ALICE', user_name: 'alice', command: '/influencer', text: 'add',
      is_enterprise_install: 'false', response_url: `${api.url}/response/open-failed`, trigger_id: 'trigger-expired',
    }).toString();
    expect((await as.post(body)).status).toBe(200);
    const answer = await api.waitFor('/response/open-failed');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: 'The form could not open (Slack allows 3 seconds). Please run the command again.' });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'views.open failed' }));
  });

  it('WHEN a modal comes back without readable metadata THEN it stays open with an explanation', async () => {
    const sent = await as.submit({ callback_id: 'irm:form', private_metadata: 'not json', blocks: [{ type: 'input', block_id: 'name', element: { type: 'plain_text_input', action_id: 'value' } }] }, { name: 'X' });
    expect(sent.response.json).toEqual({ response_action: 'errors', errors: { name: 'This form has expired. Close it and run the command again.' } });
  });

  it('WHEN every way to answer fails THEN the failure is logged with a reference and the next request is served', async () => {
    api.respond((r) => (r.path === '/response/dead' ? { status: 500 } : undefined));
    api.respond((r) => (r.body?.channel === 'C0DEAD' || r.body?.channel === 'U0DEAD' ? { body: { ok: false, error: 'channel_not_found' } } : undefined));
    const body = new URLSearchParams({
      team_id: 'T0TEAM', channel_id: 'C0DEAD', user_id: 'U0DEAD', command: '/influencer', text: 'help',
      is_enterprise_install: 'false', response_url: `${api.url}/response/dead`, trigger_id: 'trigger-dead',
    }).toString();
    expect((await as.post(body)).status).toBe(200);
    // The apology goes the same three ways; the last of them is a DM to the person.
    await api.waitFor('/api/chat.postMessage', (r) => r.body.channel === 'U0DEAD' && String(r.body.text).startsWith('Sorry'));
    await logged('could not send the apology');
    expect(logs.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['slack request failed', 'could not send the apology']);
    expect(logs.find((l) => l.msg === 'slack request failed')?.obj).toMatchObject({ ref: expect.stringMatching(/^[0-9a-f]{8}$/), source: 'slash_command', subcommand: 'help' });
    expect((await slash('find zoe')).body.text).toContain('Zoë Tran');
  });

  it('THEN nothing logged at info level or above carries personal data', () => {
    const visible = JSON.stringify(logs.filter((l) => l.level !== 'debug'));
    expect(visible).toContain('slack command');
    for (const personal of ['zoe@example.com', '555 0100', 'Rue Example', '1998', 'oat milk', 'Zoë', 'Maya']) expect(visible).not.toContain(personal);
  });
});

describe('GIVEN manifest.yml', () => {
  const manifest = readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8');

  it('declares every command with escaping, interactivity and the scopes used', () => {
    for (const command of commands) {
      expect(manifest).toMatch(new RegExp(`- command: /${command.name}\\n\\s+url: https://YOUR-HOST/slack/events\\n\\s+description: .+\\n\\s+usage_hint: .+\\n\\s+should_escape: true`));
    }
    expect(manifest).toMatch(/interactivity:\n(\s+#.*\n)*\s+is_enabled: true\n\s+request_url: https:\/\/YOUR-HOST\/slack\/events/);
    for (const scope of ['commands', 'chat:write', 'users:read', 'usergroups:read', 'channels:history', 'groups:history']) expect(manifest).toContain(`- ${scope} `);
    expect(manifest).toMatch(/socket_mode_enabled: false/);
  });

  it('declares every message action as a message shortcut, and the options load URL its typeahead asks', () => {
    const actions = commands.flatMap((command) => command.messageActions ?? []);
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(manifest).toContain(`    - name: ${action.title}\n      type: message\n      callback_id: ${action.id}\n      description: ${action.description}\n`);
    }
    expect(manifest).toMatch(/\n\s+message_menu_options_url: https:\/\/YOUR-HOST\/slack\/events\n/);
  });
});

describe('GIVEN payment managers set to a Slack user group', () => {
  it('WHEN a member and a non-member mark a payment paid THEN usergroups.users.list decides', async () => {
    const admin = { platform: 'slack' as const, workspaceExternalId: 'T0TEAM', actor: { id: 'U0ALICE', isAdmin: async () => true } };
    const say = (command: string, line: string) => app.router.handle(admin, app.router.parseText(command, line));
    await say('influencer', 'add "Group Test" @group.test network:instagram');
    await say('collab', 'new @group.test "Group launch" type:review goal:awareness');
    await say('payment', 'add "Group launch" 300 USD 2026-12-01');
    await say('irm', 'settings managers:<!subteam^S0FINANCE|@finance>');
    api.respond((r) =>
      r.path === '/api/usergroups.users.list' && r.body.usergroup === 'S0FINANCE' ? { body: { ok: true, users: ['U0FIN'] } } : undefined,
    );
    const workspace = await app.services.workspaces.ensure('slack', 'T0TEAM');
    const payment = await app.models.payments.findOne({ workspaceId: workspace.id }).lean();
    const id = String(payment!._id);

    const bob = slackRequests({ url: baseUrl, signingSecret: SIGNING_SECRET, responseBase: `${api.url}/bob`, user: { teamId: 'T0TEAM', userId: 'U0BOB' } });
    const refused = await bob.command('/payment', `paid ${id}`);
    expect(JSON.stringify((await api.waitFor(new URL(refused.responseUrl).pathname)).body)).toContain('payment managers');
    expect(await app.models.payments.findById(id).lean()).toMatchObject({ status: 'scheduled' });

    const fin = slackRequests({ url: baseUrl, signingSecret: SIGNING_SECRET, responseBase: `${api.url}/fin`, user: { teamId: 'T0TEAM', userId: 'U0FIN' } });
    const accepted = await fin.command('/payment', `paid ${id}`);
    await api.waitFor(new URL(accepted.responseUrl).pathname);
    expect(await app.models.payments.findById(id).lean()).toMatchObject({ status: 'paid' });
    expect(api.to('/api/usergroups.users.list').map((r) => r.body.usergroup)).toContain('S0FINANCE');
  });
});
