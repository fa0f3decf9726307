import { DATE_RULE } from '../../src/core';
import { BIRTHDAY_RULE } from '../../commands/influencer.schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  app = await buildApp(connection);
});

const discord: Caller = { platform: 'discord', workspaceExternalId: '1100000000000000001', actor: { id: '1500000000000000001', isAdmin: async () => false } };
const help = async (caller: Caller, line: string) => toPlainText((await app.router.handle(caller, app.router.parseText('influencer', line))).answer as Reply);

describe('GIVEN help asked on Discord', () => {
  it('WHEN one subcommand THEN usage and examples name every option as Discord takes them', async () => {
    expect(await help(discord, 'help add')).toBe(
      [
        '== /influencer add ==',
        'Add a creator. With no arguments, opens a form.',
        'Usage: `/influencer add then the options name, handle, network, followers, handles, email, phone, address, birthday, timezone, tags, preferences, owner, stage, source, notes`',
        'Examples:',
        '   `/influencer add`',
        '   `/influencer add name:Zoë Tran handle:@zoe.creates network:instagram followers:12500 email:zoe@example.com birthday:07-14 tags:beauty,skincare`',
        DATE_RULE,
        BIRTHDAY_RULE,
        'Where the subcommand has a form, run it with no options to open the form. An option set to `-` clears that field in edits.',
      ].join('\n'),
    );
  });

  it('WHEN the same help on Slack or the console THEN positional words and key:value, as typed there', async () => {
    const text = await help(consoleCaller(), 'help add');
    expect(text).toContain('`/influencer add "Zoë Tran" @zoe.creates network:instagram followers:12500 email:zoe@example.com birthday:07-14 tags:beauty,skincare`');
    expect(text).toContain('Put values with spaces in "quotes".');
  });

  it('WHEN the whole command THEN no example keeps a positional word', async () => {
    const text = await help(discord, 'help');
    const examples = text.split('\n').filter((line) => line.startsWith('   `/influencer '));
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) expect(example).toMatch(/^ {3}`\/influencer [a-z]+( [a-z-]+:[^`]*)?`$/);
    expect(text).toContain('After /influencer <subcommand>, Discord lists its options and says what each accepts.');
  });
});
