import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordAdapter } from '../../src/platforms/discord/discord.adapter';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { startDiscordApp, type DiscordApp } from '../helpers/discord-app';
import { OptionType, buttonClick, callbackPath, dispatch, slashCommand } from '../helpers/discord-interactions';
import type { RecordingApi } from '../helpers/recording-api';

/** Touchpoints read back (card and paged timeline) and archived creators kept out of the way. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: DiscordApp;
let api: RecordingApi;
let discord: DiscordAdapter;
let zoeId = '';

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T23:30:00Z', timezone: 'Europe/Paris' });
  platform = await startDiscordApp(app.router, { deferAfterMs: 2500 });
  ({ api, discord } = platform);
  const lines = ['influencer add "Zoë Tran" @zoe.creates network:instagram'];
  for (let day = 1; day <= 12; day += 1) lines.push(`influencer log @zoe.creates note Note number ${day} date:2026-11-${String(day).padStart(2, '0')}`);
  lines.push('influencer log @zoe.creates gift Sent the autumn box');
  await runConsole(app.router, lines);
  zoeId = String((await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean())!._id);
});

afterAll(async () => {
  await platform?.stop();
});

describe('touchpoints read back', () => {
  it('GIVEN 13 touchpoints THEN the card shows the last three, newest first, on Paris days', async () => {
    const out = await runConsole(app.router, ['influencer show @zoe.creates']);
    // 23:30 UTC is already the 24th in Paris (UTC+1).
    expect(out).toContain(
      'Recent touchpoints: 2026-11-24 · gift · @maria · Sent the autumn box\n2026-11-12 · note · @maria · Note number 12\n2026-11-11 · note · @maria · Note number 11',
    );
    expect(out).toContain(`[Timeline: influencer show ${zoeId} touchpoints]`);
  });

  it('GIVEN `show <who> touchpoints` THEN ten a page with the count, and page 2 has the rest', async () => {
    const first = await runConsole(app.router, ['influencer show zoë tran touchpoints']);
    expect(first).toContain('== Zoë Tran: touchpoints ==\n• 2026-11-24 · gift · @maria · Sent the autumn box\n• 2026-11-12 · note · @maria · Note number 12');
    expect(first).toContain('• 2026-11-04 · note · @maria · Note number 4\n13 touchpoints · page 1 of 2 · newest first · days in Europe/Paris');
    expect(first).toContain(`[Next: influencer show ${zoeId} touchpoints page:2]`);
    const second = await runConsole(app.router, [`influencer show ${zoeId} touchpoints page:2`]);
    expect(second).toContain('• 2026-11-03 · note · @maria · Note number 3\n• 2026-11-02 · note · @maria · Note number 2\n• 2026-11-01 · note · @maria · Note number 1\n13 touchpoints · page 2 of 2');
    expect(second).toContain(`[Previous: influencer show ${zoeId} touchpoints page:1]`);
  });

  it('GIVEN the Timeline button clicked on Discord THEN the timeline comes back in an embed', async () => {
    const add = slashCommand('add', [
      { name: 'name', type: OptionType.String, value: 'Ana Lima' },
      { name: 'handle', type: OptionType.String, value: '@ana.lima' },
      { name: 'network', type: OptionType.String, value: 'tiktok' },
    ]);
    dispatch(discord.client, add);
    await api.waitFor(callbackPath(add));
    const log = slashCommand('log', [
      { name: 'who', type: OptionType.String, value: '@ana.lima' },
      { name: 'kind', type: OptionType.String, value: 'call' },
      { name: 'summary', type: OptionType.String, value: 'Talked rates' },
    ]);
    dispatch(discord.client, log);
    await api.waitFor(callbackPath(log));
    const ana = await app.models.influencers.findOne({ name: 'Ana Lima' }).lean();
    const click = buttonClick(`run:influencer show ${String(ana!._id)} touchpoints`);
    dispatch(discord.client, click);
    const body = (await api.waitFor(callbackPath(click))).body as any;
    expect(body.data.embeds[0].title).toBe('Ana Lima: touchpoints');
    expect(body.data.embeds[0].description).toMatch(/^• 2026-11-24 · call · <@\d+> · Talked rates$/);
  });
});

describe('a touchpoint logged late', () => {
  it('GIVEN a touchpoint dated before the last three THEN the card keeps the newest three and last contact stays', async () => {
    const out = await runConsole(app.router, ['influencer log @zoe.creates call Old call date:2026-11-05', 'influencer show @zoe.creates']);
    expect(out).toContain('Last contact: today - gift, by @maria');
    expect(out).toContain('Recent touchpoints: 2026-11-24 · gift · @maria · Sent the autumn box\n2026-11-12 · note · @maria · Note number 12\n2026-11-11 · note · @maria · Note number 11');
    expect(await runConsole(app.router, ['influencer show @zoe.creates touchpoints'])).toContain(
      '• 2026-11-05 · call · @maria · Old call\n• 2026-11-05 · note · @maria · Note number 5\n14 touchpoints · page 1 of 2',
    );
  });
});

describe('archived creators', () => {
  beforeAll(async () => {
    await runConsole(app.router, ['influencer add "Zoë Martin" @zoe.martin network:tiktok', 'influencer archive @zoe.martin']);
  });

  it('GIVEN an archived namesake THEN `zoe` still names only the active creator for log, and show labels the candidates', async () => {
    const out = await runConsole(app.router, ['influencer log "zoë martin" note hi', 'influencer show zoë']);
    const martin = String((await app.models.influencers.findOne({ name: 'Zoë Martin' }).lean())!._id);
    expect(out).toContain(`"zoë martin" is archived:\n• Zoë Martin (@zoe.martin) (archived) · id ${martin}`);
    expect(out).toContain(`Several creators match "zoë". Say which one:\n• Zoë Martin (@zoe.martin) (archived) · id ${martin}\n• Zoë Tran (@zoe.creates) · id ${zoeId}`);
    expect(await app.models.touchpoints.countDocuments({ influencerId: (await app.models.influencers.findOne({ name: 'Zoë Martin' }).lean())!._id })).toBe(0);
    // Not archived: one creator, so the log goes to Zoë Tran.
    expect(await runConsole(app.router, ['influencer log zoë note only one'])).toContain('Logged note with Zoë Tran: only one');
  });

  it('GIVEN `influencer list archived` THEN only the archived are listed; the plain list leaves them out', async () => {
    const out = await runConsole(app.router, ['influencer list archived', 'influencer list']);
    expect(out).toContain('1 archived creator · page 1 of 1\n• Zoë Martin (archived) · @zoe.martin · prospect');
    expect(out).toContain('Archived creators are not listed: `/influencer list archived` shows them.');
    expect(out).not.toMatch(/creators? · page 1 of 1\n(• .*\n)*• Zoë Martin · @zoe.martin/);
  });

  it('GIVEN the archived card THEN it offers Restore and Timeline, not Edit or Log', async () => {
    const out = await runConsole(app.router, ['influencer show @zoe.martin']);
    const martin = String((await app.models.influencers.findOne({ name: 'Zoë Martin' }).lean())!._id);
    expect(out).toContain(`[Restore: influencer restore ${martin}]  [Timeline: influencer show ${martin} touchpoints]\nArchived 2026-11-24: \`/influencer restore ${martin}\` brings them back.`);
    expect(out).not.toContain(`influencer edit ${martin}`);
  });

  it("GIVEN an archived creator's handle added again THEN it says archived and how to restore", async () => {
    const martin = String((await app.models.influencers.findOne({ name: 'Zoë Martin' }).lean())!._id);
    const out = await runConsole(app.router, ['influencer add "Z M" @zoe.martin network:tiktok']);
    expect(out).toContain(`tiktok @zoe.martin already belongs to Zoë Martin (@zoe.martin) (archived) · id ${martin}. \`/influencer restore ${martin}\` brings them back.`);
    expect(await app.models.influencers.countDocuments({ name: 'Z M' })).toBe(0);
  });

  it('GIVEN restore by name THEN the archived creator is found and comes back', async () => {
    expect(await runConsole(app.router, ['influencer restore zoë martin'])).toContain('Restored Zoë Martin.');
    expect((await app.models.influencers.findOne({ name: 'Zoë Martin' }).lean())?.archivedAt).toBeUndefined();
  });
});
