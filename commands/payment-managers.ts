import { z } from 'zod';
import { UserFacingError, mention, userRef, type CommandContext, type Platform } from '../src/core';

/**
 * Who may mark payments paid, cancel or change them: listed users, a Slack user group or a Discord
 * role (stored as `group:<id>`), or, while the list is empty, the workspace admins.
 */

const GROUP_PREFIX = 'group:';

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

/** Read fresh on every call: access follows a settings change at once, on every replica. */
export async function mayManagePayments(ctx: CommandContext): Promise<{ allowed: boolean; managers: string[] }> {
  const { settings } = await ctx.services.workspaces.settings(ctx.workspace.id);
  const managers = settings.paymentManagers;
  if (managers.length === 0) return { allowed: await ctx.actor.isAdmin(), managers };
  if (managers.includes(ctx.actor.id)) return { allowed: true, managers };
  for (const entry of managers) {
    if (entry.startsWith(GROUP_PREFIX) && (await ctx.actor.memberOf?.(entry.slice(GROUP_PREFIX.length)))) return { allowed: true, managers };
  }
  return { allowed: false, managers };
}

/** Throws a polite, private refusal unless the actor may manage payments. */
export async function requirePaymentManager(ctx: CommandContext, what: string): Promise<void> {
  const { allowed, managers } = await mayManagePayments(ctx);
  if (allowed) return;
  const who =
    managers.length === 0
      ? 'workspace admins (no payment managers are named yet)'
      : `the payment managers: ${describeManagers(managers, ctx.workspace.platform)}`;
  throw new UserFacingError(
    `Sorry, only ${who} can ${what}. Nothing was changed. Ask one of them, or an admin can change this with \`/irm settings managers:@you\`.`,
  );
}
