/**
 * The bot scopes the OAuth install asks for: exactly `oauth_config.scopes.bot` of manifest.yml
 * (test/platforms/slack/slack.oauth.test.ts holds the two together: a scope added to the
 * manifest is added here too, or workspaces installed through OAuth lack it).
 */
export const SLACK_BOT_SCOPES = [
  'commands',
  'chat:write',
  'users:read',
  'usergroups:read',
  'channels:history',
  'groups:history',
  'im:write',
  'im:history',
  'files:write',
  'files:read',
] as const;
