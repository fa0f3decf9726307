import { z } from 'zod';
import { mention, userRef, type Platform } from '../src/core';
import { GROUP_PREFIX } from '../src/domain/workspace/payment-managers';

/**
 * The words of the payment managers setting: listed users, a Slack user group or a Discord role
 * (stored as `group:<id>`), or `admins`. Who may manage payments is decided in the domain
 * (src/domain/workspace/payment-managers.ts).
 */

/** `<!subteam^S0123|@finance>` (Slack user group), `<@&123…>` (Discord role), or a user like `<@U123>`. */
function parseManager(token: string): string | undefined {
  const slackGroup = /^<!subteam\^([A-Z0-9]+)(\|[^>]*)?>$/.exec(token);
  if (slackGroup) return `${GROUP_PREFIX}${slackGroup[1]}`;
  const discordRole = /^<@&(\d{17,20})>$/.exec(token);
  if (discordRole) return `${GROUP_PREFIX}${discordRole[1]}`;
  const user = userRef.safeParse(token);
  return user.success ? user.data : undefined;
}

/** `managers:@maria,@li`, a user group or role, or `admins` to leave it to the workspace admins. */
export const managerList = z
  .string()
  .trim()
  .max(2000, 'managers is at most 2000 characters')
  .transform((value, ctx) => {
    if (/^(admins|none)$/i.test(value)) return [];
    const managers: string[] = [];
    for (const token of value.split(/[,\s]+/).filter(Boolean)) {
      const parsed = parseManager(token);
      if (!parsed) {
        ctx.addIssue({
          code: 'custom',
          message: `managers: "${token}" is not a user, user group or role. Use @mentions, a Slack user group, a Discord role, or "admins".`,
        });
        return z.NEVER;
      }
      if (!managers.includes(parsed)) managers.push(parsed);
    }
    return managers;
  })
  .pipe(z.array(z.string()).max(50, 'at most 50 payment managers'));

export function describeManager(entry: string, platform: Platform): string {
  if (!entry.startsWith(GROUP_PREFIX)) return mention(entry);
  const id = entry.slice(GROUP_PREFIX.length);
  if (platform === 'slack') return `<!subteam^${id}>`;
  if (platform === 'discord') return `<@&${id}>`;
  return `group ${id}`;
}

export const describeManagers = (managers: readonly string[], platform: Platform): string =>
  managers.length ? managers.map((m) => describeManager(m, platform)).join(', ') : 'workspace admins';
