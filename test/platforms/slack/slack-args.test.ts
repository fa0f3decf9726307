import { describe, expect, it, vi } from 'vitest';
import { commands, explain } from '../../../commands';
import { CommandRouter } from '../../../src/platforms/command-router';
import {
  identityFromCommand,
  identityFromInteraction,
  slackCaller,
  slashCommandInvocation,
  unescapeSlackText,
  workspaceExternalId,
} from '../../../src/platforms/slack/slack-args';
import { fakeClock, silentLogger } from '../../helpers/app';

// parseText needs only the command definitions; nothing here runs a command.
const router = new CommandRouter(commands, { explain, services: {} as never, clock: fakeClock('2026-11-23T10:00:00Z'), logger: silentLogger });

describe('unescapeSlackText', () => {
  it.each([
    ['email:<mailto:zoe@example.com|zoe@example.com>', 'email:zoe@example.com'],
    ['owner:<@U0MARIA|maria>', 'owner:<@U0MARIA>'],
    ['<@U0MARIA>', '<@U0MARIA>'],
    ['link:<https://zoe.example/kit|zoe.example/kit>', 'link:zoe.example/kit'],
    ['link:<https://zoe.example/kit>', 'link:https://zoe.example/kit'],
    ['digest:<#C0DIGEST|digest>', 'digest:<#C0DIGEST>'],
    ['<!here> stays', '<!here> stays'],
    ['notes:"M &amp; S &lt;3 &gt; all"', 'notes:"M & S <3 > all"'],
    ['&amp;lt; is literal', '&lt; is literal'],
  ])('%s -> %s', (escaped, typed) => {
    expect(unescapeSlackText(escaped)).toBe(typed);
  });
});

describe('slashCommandInvocation', () => {
  it('GIVEN an escaped /influencer add THEN named arguments as typed', () => {
    expect(
      slashCommandInvocation(router, {
        command: '/influencer',
        text: 'add “Zoë Tran” @zoe.creates network:instagram email:<mailto:zoe@example.com|zoe@example.com> owner:<@U0MARIA|maria>',
      }),
    ).toEqual({
      command: 'influencer',
      subcommand: 'add',
      args: { name: 'Zoë Tran', handle: '@zoe.creates', network: 'instagram', email: 'zoe@example.com', owner: '<@U0MARIA>' },
    });
  });

  it('GIVEN no text THEN help', () => {
    expect(slashCommandInvocation(router, { command: '/influencer', text: '' })).toEqual({ command: 'influencer', subcommand: 'help', args: {} });
  });
});

describe('the caller', () => {
  it('GIVEN a team install THEN the workspace is the team', () => {
    const identity = identityFromCommand({ command: '/influencer', user_id: 'U1', team_id: 'T1', enterprise_id: 'E1', is_enterprise_install: 'false' });
    expect(workspaceExternalId(identity)).toBe('T1');
  });

  it('GIVEN an org-wide install THEN the workspace is the enterprise, from commands and interactions alike', () => {
    expect(workspaceExternalId(identityFromCommand({ command: '/influencer', user_id: 'U1', team_id: 'T1', enterprise_id: 'E1', is_enterprise_install: 'true' }))).toBe('E1');
    expect(
      workspaceExternalId(identityFromInteraction({ user: { id: 'U1', team_id: 'T1' }, team: null, enterprise: { id: 'E1' }, is_enterprise_install: true })),
    ).toBe('E1');
    expect(workspaceExternalId(identityFromInteraction({ user: { id: 'U1', team_id: 'T1' }, team: { id: 'T1' }, enterprise: null, is_enterprise_install: false }))).toBe(
      'T1',
    );
  });

  it('GIVEN a caller THEN isAdmin asks users.info once, only when asked, and admin or owner counts', async () => {
    const lookup = vi.fn(async () => ({ is_admin: false, is_owner: true }));
    const caller = slackCaller({ teamId: 'T1', isEnterpriseInstall: false, userId: 'U1', userName: 'alice' }, lookup);
    expect(caller).toMatchObject({ platform: 'slack', workspaceExternalId: 'T1', actor: { id: 'U1', displayName: 'alice' } });
    expect(lookup).not.toHaveBeenCalled();
    expect(await caller.actor.isAdmin()).toBe(true);
    expect(await caller.actor.isAdmin()).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith('U1');
  });

  it('GIVEN users.info fails THEN the person is not treated as an admin', async () => {
    const caller = slackCaller({ teamId: 'T1', isEnterpriseInstall: false, userId: 'U1' }, async () => {
      throw new Error('ratelimited');
    });
    expect(await caller.actor.isAdmin()).toBe(false);
  });
});
