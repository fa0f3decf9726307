import { describe, expect, it } from 'vitest';
import { ConfigError, discordEnabled, loadEnv, slackEnabled } from '../../src/config/env';

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
});
