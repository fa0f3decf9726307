import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import type { DiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import { APPLICATION_ID, GUILD_A, buttonClick, callbackPath, dispatch, slashCommand } from '../helpers/discord-interactions';
import { answerWebhooks, startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * `/irm import` as Slack and Discord deliver the file: a modal's file_input (files.info, then the
 * private download) and a slash command's attachment option (the CDN URL). Both served locally.
 */

const CSV = 'Name,Instagram,Email\nSlack Zoe,@slack.zoe,zoe@slack.example.com\nNo Mail,@no.mail,nope\n';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slackApp: SlackApp;
let discordApp: DiscordApp;
let api: RecordingApi;
let discord: DiscordAdapter;
let as: SlackRequests;

beforeAll(async () => {
  app = await buildApp(connection);
  slackApp = await startSlackApp(app.router, connection, { health: async () => ({ status: 200, body: {} }) });
  ({ api, as } = slackApp);
  api.respond((r) =>
    r.path.startsWith('/api/files.info')
      ? { body: { ok: true, file: { id: r.body?.file ?? 'F0CSV00001', name: 'team.csv', size: CSV.length, url_private_download: `${api.url}/files-pri/T0TEAM-F0CSV00001/download/team.csv` } } }
      : undefined,
  );
  api.respond((r) => (r.path.startsWith('/files-pri/') ? (r.headers.authorization === 'Bearer xoxb-test-token' ? { text: CSV } : { status: 403, text: 'forbidden' }) : undefined));
  api.respond((r) => (r.path.startsWith('/cdn/') ? { text: CSV.replace(/Slack Zoe/, 'Discord Zoe').replace(/slack\./g, 'discord.') } : undefined));
  answerWebhooks(api);
  discordApp = await startDiscordApp(app.router, { api });
  ({ discord } = discordApp);
});

afterAll(async () => {
  await discordApp?.stop();
  await slackApp?.stop();
});

const namesIn = async (platform: 'slack' | 'discord', externalId: string) => {
  const ws = await app.services.workspaces.ensure(platform, externalId);
  return (await app.models.influencers.find({ workspaceId: new Types.ObjectId(ws.id) }).sort({ nameKey: 1 }).lean()).map((c) => [c.name, c.email]);
};

describe('/irm import on Slack', () => {
  it('GIVEN /irm import WHEN the modal is submitted with a CSV THEN the file is fetched with the bot token, previewed privately, and Import applies it', async () => {
    const sent = await as.command('/irm', 'import');
    const opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const view = opened.body.view;
    expect(view.blocks).toEqual([
      {
        type: 'input',
        block_id: 'file',
        label: { type: 'plain_text', text: 'CSV file', emoji: true },
        element: { type: 'file_input', action_id: expect.any(String), filetypes: ['csv'], max_files: 1 },
        hint: { type: 'plain_text', text: 'First row: column names such as name, instagram, instagram followers, email, tags, stage.', emoji: true },
        optional: false,
      },
    ]);
    // A file input's state as Slack sends it: the picked files.
    const seen = api.requests.length;
    const payload = {
      type: 'view_submission',
      team: { id: 'T0TEAM', domain: 'acme' },
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0TEAM' },
      api_app_id: 'A0APP',
      token: 'legacy',
      trigger_id: 'trigger-file',
      view: { ...view, id: 'V0VIEW', team_id: 'T0TEAM', state: { values: { file: { [view.blocks[0].element.action_id]: { type: 'file_input', files: [{ id: 'F0CSV00001', name: 'team.csv' }] } } } } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const res = await as.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(res.status).toBe(200);
    const preview = await api.waitFor('/response/', (r) => api.requests.indexOf(r) >= seen && String(r.body?.text).includes('Import preview'));
    expect(api.to('/api/files.info').at(-1)!.body.file).toBe('F0CSV00001');
    expect(preview.body.response_type).toBe('ephemeral');
    expect(preview.body.text).toContain('team.csv: 2 rows · 1 new · 0 to update · 0 unchanged · 1 refused');
    expect(preview.body.text).toContain('row 3, column Email: email must be an address like name@example.com');
    const button = preview.body.blocks.flatMap((b: any) => (b.type === 'actions' ? b.elements : [])).find((e: any) => e.text.text === 'Import 1 row');
    const clicked = await as.click(button);
    const done = await api.waitFor(new URL(clicked.responseUrl).pathname);
    expect(done.body.text).toContain('team.csv: 2 rows · 1 added');
    expect(await namesIn('slack', 'T0TEAM')).toEqual([['Slack Zoe', 'zoe@slack.example.com']]);
  });

  it('GIVEN /irm import with text after it THEN it says to pick the file in the form', async () => {
    const sent = await as.command('/irm', 'import creators.csv');
    const answer = await api.waitFor(new URL(sent.responseUrl).pathname);
    expect(answer.body.text).toBe('file: on Slack, run `/irm import` with nothing after it: it opens a form where you pick the CSV file.');
  });

  it('GIVEN /irm import with a file id typed after it THEN that file is never fetched (it could be anyone\'s)', async () => {
    const fetchedBefore = api.to('/api/files.info').length;
    const sent = await as.command('/irm', 'import F0CSV00001');
    const answer = await api.waitFor(new URL(sent.responseUrl).pathname);
    expect(answer.body.text).toBe('file: on Slack, run `/irm import` with nothing after it: it opens a form where you pick the CSV file.');
    expect(api.to('/api/files.info').length).toBe(fetchedBefore);
  });
});

describe('/irm import on Discord', () => {
  it('GIVEN the slash command with an attachment THEN the file is read from its URL and previewed; Import applies it', async () => {
    const d = slashCommand('import', [{ name: 'file', type: 11, value: '1700000000000000001' }], {}, 'irm');
    d.data.resolved = {
      attachments: {
        '1700000000000000001': { id: '1700000000000000001', filename: 'guild.csv', size: CSV.length, url: `${api.url}/cdn/guild.csv`, proxy_url: `${api.url}/cdn/guild.csv`, content_type: 'text/csv' },
      },
    };
    dispatch(discord.client, d);
    const callback = (await api.waitFor(callbackPath(d))).body;
    const data = callback.type === 5 ? (await api.waitFor(`/webhooks/${APPLICATION_ID}/${d.token}/messages/@original`)).body : callback.data;
    const text = JSON.stringify(data);
    expect(text).toContain('guild.csv**: 2 rows · 1 new · 0 to update · 0 unchanged · 1 refused');
    expect(data.flags & 64).toBe(64);
    const importButton = (data.components ?? []).flatMap((row: any) => row.components).find((c: any) => c.label === 'Import 1 row');
    expect(await namesIn('discord', GUILD_A)).toEqual([]);
    const click = buttonClick(importButton.custom_id);
    dispatch(discord.client, click);
    const clicked = (await api.waitFor(callbackPath(click))).body;
    const after = clicked.type === 5 || clicked.type === 6 ? (await api.waitFor(`/webhooks/${APPLICATION_ID}/${click.token}`)).body : clicked.data;
    expect(JSON.stringify(after)).toContain('2 rows · 1 added');
    expect(await namesIn('discord', GUILD_A)).toEqual([['Discord Zoe', 'zoe@discord.example.com']]);
  });

  it('GIVEN the registered commands THEN /irm import has an attachment option', async () => {
    const { buildDiscordCommands } = await import('../../src/platforms/discord/discord-options');
    const { commands } = await import('../../commands');
    const irm = buildDiscordCommands(commands).find((c) => c.name === 'irm')!;
    const importOption = irm.options!.find((o) => o.name === 'import') as { options?: Array<{ name: string; type: number; required?: boolean }> };
    expect(importOption.options?.find((o) => o.name === 'file')).toMatchObject({ name: 'file', type: 11, required: false });
  });
});
