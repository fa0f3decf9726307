import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJob, para, type Actor, type Attachment } from '../../../src/core';
import type { Caller } from '../../../src/platforms/command-router';
import { DEFAULT_ATTACHMENT_LIMIT } from '../../../src/platforms/discord/discord-files';
import { nonceFor } from '../../../src/platforms/discord/discord.adapter';
import { say } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { answerWebhooks, startDiscordApp, type DiscordApp } from '../../helpers/discord-app';
import { GUILD_A, GUILD_B, OptionType, callbackPath, dispatch, slashCommand, webhookPath } from '../../helpers/discord-interactions';
import { multipart } from '../../helpers/multipart';
import type { RecordedRequest } from '../../helpers/recording-api';
import { buildScheduler, useSchedulingApp } from '../../helpers/scheduler';

/**
 * Files on Discord beyond an interaction's first answer, fitted to the upload limit as an export
 * is (see discord-upload-limit.test.ts): a scheduled post into a channel (no interaction tells the
 * server's limit, so Discord's floor, 10 MB), and the further messages of an answer (`Reply.more`,
 * here a preview of every digest, the monthly one with its chart). Discord's limit is on the whole
 * request, so no message carries more than that, whatever its files. Read back from the multipart
 * bodies captured on the local REST server.
 */

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2026-11-23T09:00:00Z');
const CHANNEL = '1200000000000000321';
let platform: DiscordApp;

beforeAll(async () => {
  // Answered at once (no deferral), whatever the machine's load.
  platform = await startDiscordApp(app.router, { deferAfterMs: 60_000 });
  answerWebhooks(platform.api);
  platform.api.respond((r) => (r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path) ? { body: { id: `16000000000000${String(platform.api.requests.length).padStart(5, '0')}` } } : undefined));
});
afterAll(async () => {
  await platform?.stop();
});

/** A message as sent: its JSON payload, its files (multipart), and the request's size. */
const partsOf = (request: RecordedRequest) => {
  if (!String(request.headers['content-type']).startsWith('multipart/')) return { payload: request.body as { content?: string; nonce?: string; embeds?: Array<{ description?: string }> }, files: [], size: request.bytes.length };
  const parts = multipart(request.bytes, String(request.headers['content-type']).split('boundary=')[1]!);
  const json = JSON.parse(parts.find((p) => p.disposition.includes('name="payload_json"'))!.body.toString('utf8'));
  const payload = (json.data ?? json) as { content?: string; nonce?: string; embeds?: Array<{ description?: string }> };
  const files = parts.filter((p) => p.disposition.includes('filename=')).map((p) => ({ name: /filename="([^"]+)"/.exec(p.disposition)![1]!, bytes: p.body }));
  return { payload, files, size: request.bytes.length };
};

/** A CSV of about `bytes` bytes: a header row, then numbered rows. */
function bigCsv(name: string, bytes: number): Attachment {
  const rows = ['name,notes'];
  for (let i = 0, size = 11; size < bytes; i += 1) size += rows[rows.push(`Creator ${String(i).padStart(7, '0')},"Met at VidCon, table ${i % 97}"`) - 1]!.length + 1;
  return { name, mimeType: 'text/csv', bytes: new Uint8Array(Buffer.from(`${rows.join('\n')}\n`)) };
}

describe('Discord files beyond the first answer, against the upload limit', () => {
  it('GIVEN a scheduled post with a CSV and a picture each over 10 MB THEN the CSV comes in parts within the limit, a message each with a nonce of its own, the picture is named as left out, and the run records one post', async () => {
    const info = await app.services.workspaces.ensure('discord', GUILD_A);
    await app.services.workspaces.updateSettings(info.id, { timezone: 'UTC', channels: { digest: CHANNEL } });
    const csv = bigCsv('creators.csv', DEFAULT_ATTACHMENT_LIMIT + 512 * 1024);
    const picture: Attachment = { name: 'chart.png', mimeType: 'image/png', bytes: new Uint8Array(DEFAULT_ATTACHMENT_LIMIT + 1024) };
    const job = defineJob({
      name: 'export-post',
      description: 'posts an export',
      channel: 'digest',
      schedule: { kind: 'daily' },
      run: () => [{ channel: 'digest', reply: { kind: 'reply', blocks: [para('The export of the month')], visibility: 'channel', files: [csv, picture] } }],
    });
    const scheduler = await buildScheduler(connection, app, { posters: { discord: platform.discord.poster }, jobs: [job] });
    platform.api.reset();

    expect((await scheduler.runDue(app.clock())).map((r) => [r.outcome, r.posts])).toEqual([['posted', 1]]);
    const messages = platform.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${CHANNEL}/messages`)).map(partsOf);
    const header = 'name,notes\n';
    const run = `export-post:${info.id}:2026-11-23`;
    expect({
      text: messages[0]!.payload.content,
      names: messages.map((m) => m.files.map((f) => f.name)),
      withinLimit: messages.every((m) => m.size <= DEFAULT_ATTACHMENT_LIMIT),
      headed: messages.every((m) => m.files[0]!.bytes.toString('utf8').startsWith(header)),
      joined: Buffer.concat([Buffer.from(header), ...messages.map((m) => m.files[0]!.bytes.subarray(header.length))]).equals(Buffer.from(csv.bytes)),
      nonces: messages.map((m) => m.payload.nonce),
    }).toEqual({
      text:
        'The export of the month\n\n' +
        '**creators.csv** is 10.5 MB; Discord accepts 10 MB per message in this server, the message itself included: it comes in 2 parts, each starting with the header row.\n\n' +
        '**chart.png** is 10 MB; Discord accepts 10 MB per message in this server, the message itself included, so it is not attached. A server with more boosts accepts larger files.',
      names: [['creators-part-1-of-2.csv'], ['creators-part-2-of-2.csv']],
      withinLimit: true,
      headed: true,
      joined: true,
      nonces: [nonceFor({ run, index: 0 }), nonceFor({ run, index: 0 }, 1)],
    });
    expect(new Set(messages.map((m) => m.payload.nonce)).size).toBe(2);
    const entry = await connection.collection('job_runs').findOne({ _id: run as never });
    expect(entry).toMatchObject({ status: 'posted', posts: [{ index: 0, messageId: expect.any(String) }] });
  });

  it('GIVEN a scheduled post whose CSV comes in 3 parts WHEN Discord answers 500 to part 2 THEN part 3 still goes out, a last message names the missing part, and the run records one post, never retried', async () => {
    const info = await app.services.workspaces.ensure('discord', GUILD_A);
    await app.services.workspaces.updateSettings(info.id, { timezone: 'UTC', channels: { digest: CHANNEL } });
    const csv = bigCsv('roster.csv', 2 * DEFAULT_ATTACHMENT_LIMIT + 512 * 1024);
    const job = defineJob({
      name: 'roster-post',
      description: 'posts a roster',
      channel: 'digest',
      schedule: { kind: 'daily' },
      run: () => [{ channel: 'digest', reply: { kind: 'reply', blocks: [para('The roster')], visibility: 'channel', files: [csv] } }],
    });
    const scheduler = await buildScheduler(connection, app, { posters: { discord: platform.discord.poster }, jobs: [job] });
    platform.api.reset();
    platform.api.respond((r) => (r.method === 'POST' && r.bytes.includes('roster-part-2-of-3.csv') ? { status: 500, body: { message: 'Internal Server Error', code: 0 } } : undefined));

    expect((await scheduler.runDue(app.clock())).map((r) => [r.outcome, r.posts])).toEqual([['posted', 1]]);
    const messages = platform.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${CHANNEL}/messages`)).map(partsOf);
    const run = `roster-post:${info.id}:2026-11-23`;
    expect(messages.map((m) => [m.files.map((f) => f.name), m.payload.nonce])).toEqual([
      [['roster-part-1-of-3.csv'], nonceFor({ run, index: 0 })],
      [['roster-part-2-of-3.csv'], nonceFor({ run, index: 0 }, 1)],
      [['roster-part-3-of-3.csv'], nonceFor({ run, index: 0 }, 2)],
      [[], nonceFor({ run, index: 0 }, 3)],
    ]);
    expect(messages[3]!.payload.content).toEqual('Discord did not take **roster-part-2-of-3.csv** of the message above, so it is missing here.');
    expect(await connection.collection('job_runs').findOne({ _id: run as never })).toMatchObject({ status: 'posted', posts: [{ index: 0, messageId: expect.any(String) }] });
  });

  it('GIVEN a preview of every digest whose monthly one carries its chart WHEN the server takes less than the chart THEN that follow-up says the chart is not attached instead of failing', async () => {
    const caller: Caller = { platform: 'discord', workspaceExternalId: GUILD_B, actor: { id: 'U0MARIA', isAdmin: async () => true } satisfies Actor };
    for (const line of [
      'irm settings timezone:UTC digest:1200000000000000777 payments:1200000000000000778',
      'influencer add "Zoë Tran" @zoe.creates network:instagram',
      'collab new @zoe.creates "Barrier Repair launch" type:sponsored-post goal:awareness expect:"post 1" fee:1000 currency:EUR schedule:monthly start:2026-09-01',
      'content log "Barrier Repair launch" https://www.instagram.com/p/OCT1/ published:2026-10-10',
      'content metrics https://www.instagram.com/p/OCT1/ reach:8000 impressions:10000',
    ]) {
      expect((await say(app, caller, line)).refused ?? false).toBe(false);
    }
    platform.api.reset();
    const d = slashCommand('digest', [{ name: 'when', type: OptionType.String, value: 'now' }], { guildId: GUILD_B }, 'irm');
    d.attachment_size_limit = 4096;
    dispatch(platform.discord.client, d);
    await platform.api.waitFor(callbackPath(d));
    const monthly = partsOf(await platform.api.waitFor(webhookPath(d), (r) => r.method === 'POST' && r.bytes.includes('performance-2026-10.png')));
    expect(monthly.files).toEqual([]);
    expect(monthly.payload.embeds?.map((e) => e.description).join('\n')).toMatch(/\*\*performance-2026-10\.png\*\* is \d+ KB; Discord accepts 4 KB per message in this server, the message itself included, so it is not attached\./);
  });
});
