import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { answerWebhooks, startDiscordApp, type DiscordApp } from '../../helpers/discord-app';
import { GUILD_A, OptionType, USER_MARIA, callbackPath, dispatch, slashCommand, webhookPath } from '../../helpers/discord-interactions';
import { multipart } from '../../helpers/multipart';
import type { RecordedRequest } from '../../helpers/recording-api';

/**
 * Discord refuses an upload over the server's limit (10 MB without boosts; the interaction's
 * `attachment_size_limit` says), counted on the whole request. A CSV export over it arrives in
 * parts within the limit, each with the header row, instead of an upload that fails.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: DiscordApp;

beforeAll(async () => {
  app = await buildApp(connection);
  // Answered at once (no deferral), whatever the machine's load: the files ride on the first response.
  platform = await startDiscordApp(app.router, { deferAfterMs: 60_000 });
  answerWebhooks(platform.api);
  const workspace = await app.services.workspaces.ensure('discord', GUILD_A);
  for (let i = 0; i < 12; i += 1) {
    await app.services.influencers.add(
      workspace.id,
      // A note over two lines, with quotes and a comma: the CSV quotes it, and a part never cuts inside it.
      { name: `Creator ${String(i).padStart(2, '0')}`, handles: [{ network: 'instagram', handle: `creator.${i}` }], tags: ['beauty'], ownerId: USER_MARIA, stage: 'active', notes: `Met at "VidCon", ${i}\nsecond line` },
      USER_MARIA,
    );
  }
});

afterAll(async () => {
  await platform.stop();
});

const partsOf = (request: RecordedRequest) => {
  const parts = multipart(request.bytes, String(request.headers['content-type']).split('boundary=')[1]!);
  const json = JSON.parse(parts.find((p) => p.disposition.includes('name="payload_json"'))!.body.toString('utf8'));
  // The interaction callback wraps the message in `data`; a follow-up is the message.
  const payload = (json.data ?? json) as { flags?: number; embeds?: Array<{ description?: string }> };
  const files = parts.filter((p) => p.disposition.includes('filename=')).map((p) => ({ name: /filename="([^"]+)"/.exec(p.disposition)![1]!, bytes: p.body }));
  return { payload, files };
};

async function exportCreators(limit: number) {
  const d = slashCommand('export', [{ name: 'what', type: OptionType.String, value: 'creators' }], {}, 'irm');
  d.attachment_size_limit = limit;
  dispatch(platform.discord.client, d);
  const first = partsOf(await platform.api.waitFor(callbackPath(d)));
  const total = Number(/-part-\d+-of-(\d+)\.csv$/.exec(first.files[0]?.name ?? '')?.[1] ?? 1);
  const followUps = [];
  for (let k = 2; k <= total; k += 1) {
    followUps.push(partsOf(await platform.api.waitFor(webhookPath(d), (r) => r.method === 'POST' && r.bytes.includes(`-part-${k}-of-${total}.csv`))));
  }
  return { first, followUps };
}

describe('/irm export on Discord, against the upload limit', () => {
  it('GIVEN an export within the limit THEN it is one file; GIVEN a limit the same export exceeds THEN it comes in parts within the limit, each with the header, which together are the file', async () => {
    const whole = (await exportCreators(10 * 1024 * 1024)).first;
    expect(whole.files.map((f) => f.name)).toEqual(['creators-2026-11-23.csv']);
    const file = whole.files[0]!.bytes;
    const lines = file.toString('utf8').split('\n');
    const header = `${lines[0]}\n`;

    const limit = Math.floor(file.length / 2.5);
    const { first, followUps } = await exportCreators(limit);
    const parts = [first.files[0]!, ...followUps.map((f) => f.files[0]!)];
    const n = parts.length;
    expect({
      said: first.payload.embeds?.[0]?.description?.split('\n').at(-1),
      names: parts.map((p) => p.name),
      withinLimit: parts.every((p) => p.bytes.length <= limit),
      headed: parts.every((p) => p.bytes.toString('utf8').startsWith(header)),
      joined: Buffer.concat([Buffer.from(header), ...parts.map((p) => p.bytes.subarray(Buffer.byteLength(header)))]).equals(file),
      followUpsPrivate: followUps.map((f) => f.payload.flags),
    }).toEqual({
      said: `**creators-2026-11-23.csv** is ${Math.ceil(file.length / 1024)} KB; Discord accepts ${Math.ceil(limit / 1024)} KB per message in this server, the message itself included: it comes in ${n} parts, each starting with the header row.`,
      names: Array.from({ length: n }, (_, i) => `creators-2026-11-23-part-${i + 1}-of-${n}.csv`),
      withinLimit: true,
      headed: true,
      joined: true,
      followUpsPrivate: Array.from({ length: n - 1 }, () => 64),
    });
    expect(n).toBeGreaterThanOrEqual(3);
  });
});
