import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, item, button, literal, para, reply } from '../../../src/core';
import type { SlackAdapter } from '../../../src/platforms/slack/slack.adapter';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import type { RecordingApi } from '../../helpers/recording-api';
import type { SlackRequests } from '../../helpers/slack-requests';
import { answerPosts, answerUploads, startSlackApp, type SlackApp } from '../../helpers/slack-app';

const { connection } = useTestDatabase();

let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let slack: SlackAdapter;
let as: SlackRequests;

beforeAll(async () => {
  app = await buildApp(connection);
  platform = await startSlackApp(app.router, connection);
  ({ api, slack, as } = platform);
  answerPosts(api);
  api.respond((r) => (r.path === '/api/conversations.open' ? { body: { ok: true, channel: { id: `D0${String(r.body.users)}` } } } : undefined));
  answerUploads(api);
});

afterAll(async () => {
  await platform?.stop();
});

describe('GIVEN a post addressed to one person', () => {
  it('WHEN posted THEN the DM is opened with conversations.open and the message goes there', async () => {
    api.reset();
    const sent = await slack.poster({ userId: 'U0MARIA' }, reply([para(`Zoë's birthday is on Friday; her sizes: ${literal('M <tall>')}.`)]));
    expect(sent).toEqual({ id: '1700000000.000900' });
    expect(api.requests.map((r) => r.path)).toEqual(['/api/conversations.open', '/api/chat.postMessage']);
    expect(api.requests[0]!.body).toEqual({ users: 'U0MARIA' });
    expect(api.requests[1]!.body.channel).toBe('D0U0MARIA');
    expect(api.requests[1]!.body.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: "Zoë's birthday is on Friday; her sizes: M &lt;tall&gt;." } }]);
  });
});

describe('GIVEN a post with files', () => {
  it('WHEN posted THEN each file goes through the external upload flow and is shared in the channel', async () => {
    api.reset();
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]);
    await slack.poster(
      { channelId: 'C0DIGEST' },
      { ...reply([para('November in one chart.')], 'channel'), files: [file('chart.png', 'image/png', bytes), file('report.csv', 'text/csv', 'a,b\n')] },
    );
    expect(api.requests.map((r) => r.path)).toEqual([
      '/api/chat.postMessage',
      '/api/files.getUploadURLExternal',
      '/upload/chart.png',
      '/api/files.getUploadURLExternal',
      '/upload/report.csv',
      '/api/files.completeUploadExternal',
    ]);
    expect(api.requests[1]!.body).toEqual({ filename: 'chart.png', length: '7' });
    expect([...api.requests[2]!.bytes]).toEqual([...bytes]);
    expect(api.requests[2]!.headers['content-type']).toBe('image/png');
    expect(api.requests[4]!.raw).toBe('a,b\n');
    expect(api.requests[5]!.body).toEqual({
      files: [
        { id: 'F07', title: 'chart.png' },
        { id: 'F04', title: 'report.csv' },
      ],
      channel_id: 'C0DIGEST',
    });
  });

  it('WHEN the upload fails after the message went out THEN the post still counts as sent (never posted twice)', async () => {
    api.reset();
    api.respond((r) => (r.path === '/upload/broken.csv' ? { status: 500, body: 'no' } : undefined));
    const sent = await slack.poster({ channelId: 'C0DIGEST' }, { ...reply([para('Export')], 'channel'), files: [file('broken.csv', 'text/csv', 'x')] });
    expect(sent).toEqual({ id: '1700000000.000900' });
    expect(api.to('/api/files.completeUploadExternal')).toEqual([]);
  });
});

describe('GIVEN a message with an item whose actions are an overflow menu', () => {
  it('WHEN a person picks one THEN its line runs as if typed', async () => {
    api.reset();
    const { responseUrl } = await as.choose({ action_id: 'irm:run:0' }, 'influencer help');
    const answer = await api.waitFor(new URL(responseUrl).pathname);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toContain('/influencer');
  });

  it('WHEN rendered with two actions THEN the overflow the person picks from carries both lines', async () => {
    api.reset();
    await slack.poster({ channelId: 'C0X' }, reply([item('Zoë', 'Zoë', button('Help', 'influencer help'), button('List', 'influencer list'))], 'channel'));
    const [posted] = api.to('/api/chat.postMessage');
    expect(posted!.body.blocks[0].accessory.options.map((o: { value: string }) => o.value)).toEqual(['influencer help', 'influencer list']);
  });
});
