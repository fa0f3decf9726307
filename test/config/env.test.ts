import { describe, expect, it } from 'vitest';
import { ConfigError, discordEnabled, loadEnv, slackEnabled, slackOAuthEnabled } from '../../src/config/env';

describe('environment contract', () => {
  it('GIVEN nothing set THEN defaults give the console surface on the embedded database', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, TZ_DEFAULT: 'UTC', DATA_DIR: '.data' });
    expect(env.MONGODB_URI).toBeUndefined();
    expect(slackEnabled(env)).toBe(false);
    expect(discordEnabled(env)).toBe(false);
  });

  it('GIVEN several bad variables THEN one message names each of them', () => {
    let message = '';
    try {
      loadEnv({ MONGODB_URI: 'postgres://x', SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'eighty', TZ_DEFAULT: 'Mars/Olympus' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('MONGODB_URI: must start with mongodb:// or mongodb+srv://');
    expect(message).toContain('SLACK_SIGNING_SECRET: is required when SLACK_BOT_TOKEN is set');
    expect(message).toContain('PORT:');
    expect(message).toContain('TZ_DEFAULT: must be an IANA timezone like Europe/Paris');
  });

  it('GIVEN SCHEDULER_CONCURRENCY THEN a whole number from 1 to 64 is taken, anything else is refused by name', () => {
    expect([loadEnv({ SCHEDULER_CONCURRENCY: '16' }).SCHEDULER_CONCURRENCY, loadEnv({ SCHEDULER_CONCURRENCY: '' }).SCHEDULER_CONCURRENCY]).toEqual([16, undefined]);
    for (const value of ['0', '65', '2.5', 'eight', '-1']) {
      expect(() => loadEnv({ SCHEDULER_CONCURRENCY: value })).toThrow('SCHEDULER_CONCURRENCY: must be a whole number from 1 to 64');
    }
  });

  it('GIVEN Slack and Discord credentials THEN both surfaces are enabled', () => {
    const env = loadEnv({
      SLACK_BOT_TOKEN: 'xoxb-123',
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      DISCORD_TOKEN: 'x'.repeat(60),
      DISCORD_CLIENT_ID: '123456789012345678',
    });
    expect(slackEnabled(env)).toBe(true);
    expect(discordEnabled(env)).toBe(true);
  });

  it('GIVEN the OAuth variables THEN Slack is enabled for many workspaces without a bot token', () => {
    const env = loadEnv({ SLACK_CLIENT_ID: '1234567890.987654321', SLACK_CLIENT_SECRET: 'client-secret-1', SLACK_STATE_SECRET: 's'.repeat(32), SLACK_SIGNING_SECRET: 'abcdef0123456789', TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32) });
    expect([slackEnabled(env), slackOAuthEnabled(env), env.TOKEN_ENCRYPTION_KEY]).toEqual([true, true, Buffer.alloc(32, 0xab)]);
  });

  it('GIVEN TOKEN_ENCRYPTION_KEY as 64 hex characters or as base64 (standard or URL-safe) THEN it is the 32 bytes; anything else is refused naming what is accepted', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 8 + 3));
    const read = (value: string) => {
      try {
        return loadEnv({ TOKEN_ENCRYPTION_KEY: value }).TOKEN_ENCRYPTION_KEY;
      } catch (error) {
        return (error as Error).message.split('\n')[1];
      }
    };
    expect([key.toString('hex'), key.toString('hex').toUpperCase(), key.toString('base64'), key.toString('base64url')].map(read)).toEqual([key, key, key, key]);
    const refused = '  TOKEN_ENCRYPTION_KEY: must be 32 random bytes written as 64 hex characters or as base64 (e.g. the output of openssl rand -hex 32)';
    expect(['short', 'ab'.repeat(31), Buffer.alloc(24).toString('base64'), Buffer.alloc(33).toString('base64'), 'é'.repeat(64)].map(read)).toEqual([refused, refused, refused, refused, refused]);
    expect(read('')).toBeUndefined();
  });

  it('GIVEN the OAuth install without TOKEN_ENCRYPTION_KEY, or a previous key alone THEN the start is refused: tokens are never stored in the clear', () => {
    const problems = (source: Record<string, string>) => {
      try {
        loadEnv(source);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ SLACK_CLIENT_ID: '1234567890.987654321', SLACK_CLIENT_SECRET: 'client-secret-1', SLACK_STATE_SECRET: 's'.repeat(32), SLACK_SIGNING_SECRET: 'abcdef0123456789' })).toBe(
      'Configuration problems:\n' +
        "  TOKEN_ENCRYPTION_KEY: is required when SLACK_CLIENT_ID is set (the OAuth install keeps each workspace's tokens in MongoDB encrypted with it); it must be 32 random bytes written as 64 hex characters or as base64 (e.g. the output of openssl rand -hex 32)\n" +
        'See .env.example for every variable.',
    );
    expect(problems({ TOKEN_ENCRYPTION_KEY_PREVIOUS: 'cd'.repeat(32) })).toBe(
      'Configuration problems:\n  TOKEN_ENCRYPTION_KEY: is required when TOKEN_ENCRYPTION_KEY_PREVIOUS is set\nSee .env.example for every variable.',
    );
  });

  it('GIVEN half the OAuth variables, or OAuth and a bot token together THEN one message names each problem', () => {
    const problems = (source: Record<string, string>) => {
      try {
        loadEnv(source);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ SLACK_CLIENT_ID: '1234567890.987654321', SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_STATE_SECRET: 'short', TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32) })).toBe(
      'Configuration problems:\n' +
        '  SLACK_STATE_SECRET: must be a random secret of at least 16 characters (e.g. the output of openssl rand -hex 32)\n' +
        '  SLACK_CLIENT_SECRET: is required when SLACK_CLIENT_ID is set\n' +
        'See .env.example for every variable.',
    );
    expect(
      problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CLIENT_ID: '1234567890.987654321', SLACK_CLIENT_SECRET: 'client-secret-1', SLACK_STATE_SECRET: 's'.repeat(32), SLACK_SIGNING_SECRET: 'abcdef0123456789', TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32) }),
    ).toBe(
      'Configuration problems:\n' +
        '  SLACK_CLIENT_ID: set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID with its secrets (many workspaces through the OAuth install), not both\n' +
        'See .env.example for every variable.',
    );
    expect(problems({ SLACK_SIGNING_SECRET: 'abcdef0123456789' })).toContain(
      'SLACK_BOT_TOKEN: is required when SLACK_SIGNING_SECRET is set (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install in many workspaces)',
    );
  });
});
