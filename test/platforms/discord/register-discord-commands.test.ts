import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands';
import { registerDiscordCommands } from '../../../src/cli/register-discord-commands';
import { buildDiscordCommands } from '../../../src/platforms/discord/discord-options';
import { APPLICATION_ID, GUILD_A } from '../../helpers/discord-interactions';
import { startRecordingApi, type RecordingApi } from '../../helpers/recording-api';

const TOKEN = 'test-bot-token.discord.local-recording-api';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let api: RecordingApi;
beforeAll(async () => {
  api = await startRecordingApi();
});
beforeEach(() => api.reset());
afterAll(() => api.close());

describe('registerDiscordCommands', () => {
  it('GIVEN a guild id WHEN registering THEN one PUT of every generated command to that guild', async () => {
    const result = await registerDiscordCommands({ token: TOKEN, clientId: APPLICATION_ID, guildId: GUILD_A, apiUrl: `${api.url}/api` });
    expect(result).toEqual({ route: `/applications/${APPLICATION_ID}/guilds/${GUILD_A}/commands`, names: commands.map((c) => c.name) });
    expect(api.requests).toHaveLength(1);
    const [put] = api.requests;
    expect(put!.method).toBe('PUT');
    expect(put!.path).toBe(`/api/v10/applications/${APPLICATION_ID}/guilds/${GUILD_A}/commands`);
    expect(put!.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(put!.body).toEqual(buildDiscordCommands(commands));
  });

  it('GIVEN no guild id WHEN registering THEN the global commands are replaced', async () => {
    await registerDiscordCommands({ token: TOKEN, clientId: APPLICATION_ID, apiUrl: `${api.url}/api` });
    const put = await api.waitFor(`/applications/${APPLICATION_ID}/commands`);
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(`/api/v10/applications/${APPLICATION_ID}/commands`);
  });
});

describe('npm run discord:register', () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/register-discord-commands.ts'],
        { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });

  it('GIVEN no Discord credentials WHEN run THEN it exits non-zero naming both variables', async () => {
    const { code, stderr } = await run({});
    expect(code).toBe(1);
    expect(stderr).toContain('set DISCORD_TOKEN and DISCORD_CLIENT_ID');
    expect(api.requests).toHaveLength(0);
  });

  it('GIVEN credentials and a guild WHEN run THEN it registers there and says so', async () => {
    const { code, stdout } = await run({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: APPLICATION_ID,
      DISCORD_GUILD_ID: GUILD_A,
      DISCORD_API_URL: `${api.url}/api`,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`Registered /influencer, /collab, /content, /payment, /irm for server ${GUILD_A}`);
    const put = await api.waitFor(`/applications/${APPLICATION_ID}/guilds/${GUILD_A}/commands`);
    expect(put.body).toEqual(buildDiscordCommands(commands));
  });
});
