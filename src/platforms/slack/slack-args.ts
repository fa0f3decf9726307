import type { Actor } from '../../core';
import type { Caller, CommandRouter, Invocation } from '../command-router';

/**
 * From raw Slack payloads to what the router takes: an Invocation with named arguments and a
 * Caller. Pure except for the lazy admin lookup, which goes through the injected `lookupUser`.
 */

/** The part of a slash command body this needs (form fields as Slack posts them). */
export interface SlashCommandBody {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  team_id: string;
  enterprise_id?: string;
  /** `"true"` / `"false"` in slash commands (form-encoded), a boolean in interaction payloads. */
  is_enterprise_install?: string | boolean;
}

/** The part of a block_actions or view_submission payload this needs. */
export interface InteractionBody {
  user: { id: string; name?: string; username?: string; team_id?: string };
  team?: { id: string } | null;
  enterprise?: { id: string } | null;
  is_enterprise_install?: boolean;
  view?: { team_id?: string; app_installed_team_id?: string };
}

/** Whose workspace: the enterprise for org-wide installs, else the team. */
export interface SlackIdentity {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  userId: string;
  userName?: string;
}

export type LookupUser = (userId: string) => Promise<{ is_admin?: boolean; is_owner?: boolean } | undefined>;

/** `/influencer add "Zoë" @zoe` -> the router's invocation for `influencer add`. */
export function slashCommandInvocation(router: Pick<CommandRouter, 'parseText'>, body: Pick<SlashCommandBody, 'command' | 'text'>): Invocation {
  return router.parseText(commandName(body.command), unescapeSlackText(body.text ?? ''));
}

/** `/influencer` -> `influencer`. */
export const commandName = (slashCommand: string): string => slashCommand.replace(/^\//, '').trim().toLowerCase();

/**
 * Slash command text arrives escaped (`should_escape: true`): `&amp;`/`&lt;`/`&gt;`, links as
 * `<https://x|x>`, emails as `<mailto:a@b.c|a@b.c>`, users as `<@U123|maria>`, channels as
 * `<#C123|general>`. Back to what the person typed, except that user and channel mentions stay
 * ids (`<@U123>`, `<#C123>`): names change, and the schemas' user and channel references read ids.
 */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (whole, inner: string) => {
      const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
      if (target.startsWith('@') || target.startsWith('#')) return `<${target}>`;
      if (/^(https?|mailto|tel):/i.test(target)) return label ?? target.replace(/^(mailto|tel):/i, '');
      return whole;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function identityFromCommand(body: SlashCommandBody): SlackIdentity {
  return {
    teamId: body.team_id,
    ...(body.enterprise_id ? { enterpriseId: body.enterprise_id } : {}),
    isEnterpriseInstall: body.is_enterprise_install === true || body.is_enterprise_install === 'true',
    userId: body.user_id,
    ...(body.user_name ? { userName: body.user_name } : {}),
  };
}

export function identityFromInteraction(body: InteractionBody): SlackIdentity {
  const teamId = body.view?.app_installed_team_id ?? body.team?.id ?? body.user.team_id ?? body.view?.team_id;
  const userName = body.user.username ?? body.user.name;
  return {
    ...(teamId ? { teamId } : {}),
    ...(body.enterprise?.id ? { enterpriseId: body.enterprise.id } : {}),
    isEnterpriseInstall: body.is_enterprise_install === true,
    userId: body.user.id,
    ...(userName ? { userName } : {}),
  };
}

/** The workspace key: an org-wide install is one workspace for every team in the enterprise. */
export function workspaceExternalId(identity: SlackIdentity): string {
  const id = identity.isEnterpriseInstall ? (identity.enterpriseId ?? identity.teamId) : (identity.teamId ?? identity.enterpriseId);
  if (!id) throw new Error('Slack payload names neither a team nor an enterprise');
  return id;
}

/** `isAdmin` costs a users.info call, so it is asked only when a command needs it, and once. */
/** The members of a Slack user group (usergroups.users.list); payment managers may be a group. */
export type GroupMembers = (groupId: string) => Promise<string[]>;

export function slackCaller(identity: SlackIdentity, lookupUser: LookupUser, groupMembers?: GroupMembers): Caller {
  let admin: Promise<boolean> | undefined;
  const actor: Actor = {
    id: identity.userId,
    ...(identity.userName ? { displayName: identity.userName } : {}),
    isAdmin: () =>
      (admin ??= lookupUser(identity.userId).then(
        (user) => Boolean(user?.is_admin || user?.is_owner),
        () => false,
      )),
    ...(groupMembers ? { memberOf: async (groupId: string) => (await groupMembers(groupId)).includes(identity.userId) } : {}),
  };
  return { platform: 'slack', workspaceExternalId: workspaceExternalId(identity), actor };
}

/**
 * A message's text as people read it, for logging it: Slack's escapes undone and its codes written
 * as names (`<@U1|maria>` -> `@maria`, `<#C1|general>` -> `#general`, `<!here>` -> `@here`,
 * `<https://x|label>` -> `label (https://x)`). No mention code survives, so the text can be stored
 * and shown again without pinging anyone.
 */
export function plainMessageText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_all, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!subteam^')) return label ?? '@group';
      if (target.startsWith('!date^')) return label ?? '';
      if (target.startsWith('!')) return `@${target.slice(1)}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A message's permalink as Slack builds it (`https://<domain>.slack.com/archives/<channel>/p<ts without the dot>`), when chat.getPermalink cannot answer. */
export const builtPermalink = (domain: string, channel: string, ts: string): string => `https://${domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;

/** A message ts (`1700000000.000100`, seconds and microseconds) as the moment it was sent. */
export const messageSentAt = (ts: string): Date => new Date(Math.floor(Number(ts) * 1000));
