import { z } from 'zod';
import { isTimezone } from '../core/schema';

/** The environment contract (DESIGN.md). Nothing else reads process.env. */
const blank = (v: unknown) => (v === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

/** 32 bytes written as 64 hex characters, or as base64 (standard or URL-safe, padding optional). */
const decodeKey = (value: string): Buffer | undefined => {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes : undefined;
};
const KEY_ACCEPTED = 'must be 32 random bytes written as 64 hex characters or as base64 (e.g. the output of openssl rand -hex 32)';
const encryptionKey = z
  .string()
  .refine((value) => decodeKey(value) !== undefined, KEY_ACCEPTED)
  .transform((value) => decodeKey(value)!);

const envSchema = z
  .object({
    MONGODB_URI: opt(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')),
    SLACK_BOT_TOKEN: opt(z.string().regex(/^xox[bp]-/, 'must be a bot token starting with xoxb-')),
    SLACK_SIGNING_SECRET: opt(z.string().min(8, 'must be the signing secret from the app\'s Basic Information page')),
    SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-')),
    SLACK_CLIENT_ID: opt(z.string().regex(/^\d+\.\d+$/, 'must be the Client ID from the app\'s Basic Information page, like 1234567890.1234567890')),
    SLACK_CLIENT_SECRET: opt(z.string().min(8, 'must be the Client Secret from the app\'s Basic Information page')),
    SLACK_STATE_SECRET: opt(z.string().min(16, 'must be a random secret of at least 16 characters (e.g. the output of openssl rand -hex 32)')),
    /** Seals each workspace's Slack tokens at rest (OAuth install). */
    TOKEN_ENCRYPTION_KEY: opt(encryptionKey),
    /** Rotation: a second key the stored tokens may be sealed with (read with either); they are resealed under TOKEN_ENCRYPTION_KEY on start. */
    TOKEN_ENCRYPTION_KEY_PREVIOUS: opt(encryptionKey),
    SLACK_API_URL: opt(z.url({ error: 'must be a URL like https://slack.com/api/' })),
    DISCORD_TOKEN: opt(z.string().min(20, 'must be the bot token from the Discord developer portal')),
    DISCORD_CLIENT_ID: opt(z.string().regex(/^\d{17,20}$/, 'must be the application id (a number of 17 to 20 digits)')),
    DISCORD_GUILD_ID: opt(z.string().regex(/^\d{17,20}$/, 'must be a server id (a number of 17 to 20 digits)')),
    DISCORD_API_URL: opt(z.url({ error: 'must be a URL like https://discord.com/api' })),
    PORT: z.preprocess(blank, z.coerce.number({ error: 'must be a port number from 0 to 65535' }).int('must be a port number from 0 to 65535').min(0, 'must be a port number from 0 to 65535').max(65535, 'must be a port number from 0 to 65535').default(3000)),
    TZ_DEFAULT: z.preprocess(blank, z.string().refine(isTimezone, 'must be an IANA timezone like Europe/Paris').default('UTC')),
    /** Unset: info, or warn on the console where stdout is the conversation. */
    LOG_LEVEL: opt(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])),
    DATA_DIR: z.preprocess(blank, z.string().default('.data')),
    /** Workspaces whose scheduled jobs one replica runs at once. Unset: the scheduler's default (8). */
    SCHEDULER_CONCURRENCY: opt(
      z.coerce.number({ error: 'must be a whole number from 1 to 64' }).int('must be a whole number from 1 to 64').min(1, 'must be a whole number from 1 to 64').max(64, 'must be a whole number from 1 to 64'),
    ),
  })

/** Variables that only make sense together: [when this is set, this is required]. */
const REQUIRED_TOGETHER = [
  ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'],
  ['SLACK_CLIENT_ID', 'SLACK_SIGNING_SECRET'],
  ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET'],
  ['SLACK_CLIENT_ID', 'SLACK_STATE_SECRET'],
  ['SLACK_CLIENT_SECRET', 'SLACK_CLIENT_ID'],
  ['SLACK_STATE_SECRET', 'SLACK_CLIENT_ID'],
  ['TOKEN_ENCRYPTION_KEY_PREVIOUS', 'TOKEN_ENCRYPTION_KEY'],
  ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID'],
  ['DISCORD_CLIENT_ID', 'DISCORD_TOKEN'],
] as const;

export type Env = z.output<typeof envSchema>;

export class ConfigError extends Error {}

/** Parses the environment; one error naming every bad or missing variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `  ${String(issue.path[0])}: ${issue.message}`);
  for (const [when, required] of REQUIRED_TOGETHER) {
    if (source[when] && !source[required]) problems.push(`  ${required}: is required when ${when} is set`);
  }
  // One workspace (a bot token) or many (OAuth install, tokens in MongoDB): one of the two.
  for (const when of ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const) {
    if (source[when] && !source.SLACK_BOT_TOKEN && !source.SLACK_CLIENT_ID) {
      problems.push(`  SLACK_BOT_TOKEN: is required when ${when} is set (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install in many workspaces)`);
    }
  }
  // Tokens of many workspaces in the database: never in the clear.
  if (source.SLACK_CLIENT_ID && !source.TOKEN_ENCRYPTION_KEY) {
    problems.push(`  TOKEN_ENCRYPTION_KEY: is required when SLACK_CLIENT_ID is set (the OAuth install keeps each workspace's tokens in MongoDB encrypted with it); it ${KEY_ACCEPTED}`);
  }
  if (source.SLACK_BOT_TOKEN && source.SLACK_CLIENT_ID) {
    problems.push('  SLACK_CLIENT_ID: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID with its secrets (many workspaces through the OAuth install), not both');
  }
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new ConfigError(`Configuration problems:\n${problems.join('\n')}\nSee .env.example for every variable.`);
}

export const slackEnabled = (env: Env) => Boolean((env.SLACK_BOT_TOKEN || slackOAuthEnabled(env)) && env.SLACK_SIGNING_SECRET);
/** Many workspaces: Slack's OAuth install, tokens per workspace in MongoDB. */
export const slackOAuthEnabled = (env: Env) => Boolean(env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET);
export const discordEnabled = (env: Env) => Boolean(env.DISCORD_TOKEN && env.DISCORD_CLIENT_ID);
