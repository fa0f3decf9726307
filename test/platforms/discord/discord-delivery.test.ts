import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, file, item, literal, notifying, para, reply } from '../../../src/core';
import type { DiscordAdapter } from '../../../src/platforms/discord/discord.adapter';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { startDiscordApp, type DiscordApp } from '../../helpers/discord-app';
import { USER_MARIA, callbackPath, dispatch, selectPick } from '../../helpers/discord-interactions';
import { multipart } from '../../helpers/multipart';
import type { RecordingApi } from '../../helpers/recording-api';

const DM_CHANNEL = '1200000000000000555';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: DiscordApp;
let api: RecordingApi;
let adapter: DiscordAdapter;

beforeAll(async () => {
  app = await buildApp(connection);
  platform = await startDiscordApp(app.router);
  ({ api, discord: adapter } = platform);
  api.respond((req) => (req.path.endsWith('/users/@me/channels') ? { body: { id: DM_CHANNEL, type: 1, recipients: [{ id: String(req.body.recipient_id) }] } } : undefined));
  api.respond((req) => (/\/channels\/\d+\/messages$/.test(req.path) ? { body: { id: '1600000000000000999' } } : undefined));
});

afterAll(async () => {
  await platform.stop();
});

describe('GIVEN a post addressed to one person', () => {
  it('WHEN posted THEN their DM channel is opened and the message goes there, pinging nobody', async () => {
    api.reset();
    const sent = await adapter.poster({ userId: USER_MARIA }, reply([para(`Her sizes: ${literal('**M**')}`)]));
    expect(sent).toEqual({ id: '1600000000000000999' });
    expect(api.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/api/v10/users/@me/channels'],
      ['POST', `/api/v10/channels/${DM_CHANNEL}/messages`],
    ]);
    expect(api.requests[0]!.body).toEqual({ recipient_id: USER_MARIA });
    expect(api.requests[1]!.body).toEqual({ content: 'Her sizes: \\*\\*M\\*\\*', embeds: [], components: [], allowed_mentions: { parse: [] } });
  });
});

describe('GIVEN a channel post that notifies the owner', () => {
  it('WHEN posted THEN the owner is mentioned in content and allowed_mentions names exactly them', async () => {
    api.reset();
    await adapter.poster({ channelId: '1200000000000000777' }, notifying(reply([para(`Late: Zoë, owner <@${USER_MARIA}>`)], 'channel'), [USER_MARIA]));
    const [posted] = api.to('/channels/1200000000000000777/messages');
    expect(posted!.body).toEqual({ content: `Late: Zoë, owner <@${USER_MARIA}>`, embeds: [], components: [], allowed_mentions: { parse: [], users: [USER_MARIA] } });
  });
});

describe('GIVEN a post with a file', () => {
  it('WHEN posted THEN one multipart request carries the JSON payload and the file bytes as files[0]', async () => {
    api.reset();
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    await adapter.poster({ channelId: '1200000000000000777' }, { ...reply([para('November')], 'channel'), files: [file('chart.png', 'image/png', bytes)] });
    const [posted] = api.to('/channels/1200000000000000777/messages');
    expect(String(posted!.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const parts = multipart(posted!.bytes, String(posted!.headers['content-type']).split('boundary=')[1]!);
    expect(parts.map((p) => p.disposition).sort()).toEqual(['form-data; name="files[0]"; filename="chart.png"', 'form-data; name="payload_json"']);
    const payload = parts.find((p) => p.disposition.includes('payload_json'))!;
    const png = parts.find((p) => p.disposition.includes('files[0]'))!;
    expect(JSON.parse(payload.body.toString('utf8'))).toEqual({
      content: 'November',
      embeds: [],
      components: [],
      allowed_mentions: { parse: [] },
      attachments: [{ id: 0, filename: 'chart.png' }],
    });
    expect(png.type).toBe('image/png');
    expect([...png.body]).toEqual([...bytes]);
  });
});

describe('GIVEN a post with more items than buttons fit', () => {
  it('WHEN a person picks an item in the menu THEN its line runs as if typed', async () => {
    const many = reply(
      Array.from({ length: 30 }, (_, i) => item(`line ${i}`, `item ${i}`, button('Help', i === 3 ? 'influencer help' : `influencer show x${i}`))),
      'channel',
    );
    api.reset();
    await adapter.poster({ channelId: '1200000000000000778' }, many);
    const [posted] = api.to('/channels/1200000000000000778/messages');
    const menu = posted!.body.components[0].components[0];
    expect(menu.options[3]).toEqual({ label: 'item 3', value: 'influencer help' });

    const d = selectPick(menu.custom_id, ['influencer help']);
    dispatch(adapter.client, d);
    const callback = await api.waitFor(callbackPath(d));
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags).toBe(64);
    expect(JSON.stringify(callback.body.data)).toContain('/influencer');
  });
});
