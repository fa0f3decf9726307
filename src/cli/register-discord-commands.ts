import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REST, Routes } from 'discord.js';
import { commands as allCommands } from '../../commands';
import { ConfigError, loadEnv } from '../config/env';
import type { CommandDefinition } from '../core';
import { buildDiscordCommands, buildMessageCommands } from '../platforms/discord/discord-options';

/**
 * `npm run discord:register`: puts the slash commands generated from the zod schemas on
 * Discord. With DISCORD_GUILD_ID they go to that one server and show up at once (development);
 * without, they are global.
 */

export interface RegisterOptions {
  token: string;
  clientId: string;
  guildId?: string;
  /** REST base, e.g. `https://discord.com/api`; tests point it at a local server. */
  apiUrl?: string;
  commands?: readonly CommandDefinition[];
}

export interface Registered {
  route: string;
  /** The slash commands. */
  names: string[];
  /** The message context-menu commands. */
  messageMenu: string[];
}

/** One bulk overwrite: commands that are no longer defined disappear from Discord too. Slash commands, then the message menu's entries. */
export async function registerDiscordCommands(options: RegisterOptions): Promise<Registered> {
  const defined = options.commands ?? allCommands;
  const slash = buildDiscordCommands(defined);
  const menu = buildMessageCommands(defined);
  const body = [...slash, ...menu];
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.clientId, options.guildId)
    : Routes.applicationCommands(options.clientId);
  await rest.put(route, { body });
  return { route, names: slash.map((command) => command.name), messageMenu: menu.map((command) => command.name) };
}

async function main(): Promise<number> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (!env.DISCORD_TOKEN || !env.DISCORD_CLIENT_ID) {
    const missing = [!env.DISCORD_TOKEN && 'DISCORD_TOKEN', !env.DISCORD_CLIENT_ID && 'DISCORD_CLIENT_ID'].filter(Boolean);
    process.stderr.write(
      `Cannot register Discord commands: set ${missing.join(' and ')} (the bot token and the application id from the Discord developer portal). ` +
        'Optionally set DISCORD_GUILD_ID to register to one server for development.\n',
    );
    return 1;
  }
  const { route, names, messageMenu } = await registerDiscordCommands({
    token: env.DISCORD_TOKEN,
    clientId: env.DISCORD_CLIENT_ID,
    guildId: env.DISCORD_GUILD_ID,
    apiUrl: env.DISCORD_API_URL,
  });
  const where = env.DISCORD_GUILD_ID ? `server ${env.DISCORD_GUILD_ID}` : 'every server (global commands can take up to an hour to appear)';
  const menu = messageMenu.length ? ` and the message menu's ${messageMenu.map((m) => `"${m}"`).join(', ')}` : '';
  process.stdout.write(`Registered /${names.join(', /')}${menu} for ${where} (PUT ${route}).\n`);
  return 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Registering Discord commands failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
