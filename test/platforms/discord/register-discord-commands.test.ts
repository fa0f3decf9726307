import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands';
import { registerDiscordCommands } from '../../../src/cli/register-discord-commands';
import { buildDiscordCommands, buildMessageCommands } from '../../../src/platforms/discord/discord-options';
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
    expect(result).toEqual({ route: `/applications/${APPLICATION_ID}/guilds/${GUILD_A}/commands`, names: commands.map((c) => c.name), messageMenu: ['Log to influencer'] });
    expect(api.requests).toHaveLength(1);
    const [put] = api.requests;
    expect(put!.method).toBe('PUT');
    expect(put!.path).toBe(`/api/v10/applications/${APPLICATION_ID}/guilds/${GUILD_A}/commands`);
    expect(put!.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(put!.body).toEqual([...buildDiscordCommands(commands), ...buildMessageCommands(commands)]);
  });

  it('GIVEN no guild id WHEN registering THEN the global commands are replaced', async () => {
    await registerDiscordCommands({ token: TOKEN, clientId: APPLICATION_ID, apiUrl: `${api.url}/api` });
    const put = await api.waitFor(`/applications/${APPLICATION_ID}/commands`);
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(`/api/v10/applications/${APPLICATION_ID}/commands`);
  });
});

describe('the message context-menu commands', () => {
  it('GIVEN the message actions THEN each is a type-3 command named as the menu shows it (at most 32 characters), with no description or options, offered in servers', () => {
    expect(buildMessageCommands(commands)).toEqual([{ type: 3, name: 'Log to influencer', contexts: [0], integration_types: [0] }]);
  });

  it('GIVEN a title Discord would refuse THEN building fails naming it', () => {
    const long = { ...commands[0]!, messageActions: [{ id: 'x', title: 'Log this message to an influencer now', description: 'x', subcommand: 'log', args: () => ({}) }] };
    expect(() => buildMessageCommands([long])).toThrow('"Log this message to an influencer now" cannot be a Discord context-menu command name (1-32 characters, no surrounding spaces)');
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
    expect(stdout).toContain(`Registered /influencer, /collab, /content, /payment, /irm and the message menu's "Log to influencer" for server ${GUILD_A}`);
    const put = await api.waitFor(`/applications/${APPLICATION_ID}/guilds/${GUILD_A}/commands`);
    expect(put.body).toEqual([...buildDiscordCommands(commands), ...buildMessageCommands(commands)]);
  });
});
