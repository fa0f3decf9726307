import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import { addCreator } from '../../helpers/nurture';
import { startDiscordApp, type DiscordApp } from '../../helpers/discord-app';
import { GUILD_A, USER_MARIA, buttonClick, messageMenu, modalSubmit, snowflakeAt, webhookPath } from '../../helpers/discord-interactions';
import type { Caller, CommandRouter, Invocation } from '../../../src/platforms/command-router';

/**
 * "Log to influencer" from a message's Apps menu, through the real discord.js client: a raw type-3
 * interaction with the resolved message, the modal it opens, the submission, and the touchpoint
 * read back from the database.
 */

const SENT = '2026-11-20T09:30:00.000Z';
const MESSAGE_ID = snowflakeAt(SENT, 7);
const LINK = `https://discord.com/channels/${GUILD_A}/1200000000000000001/${MESSAGE_ID}`;
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: DiscordApp;
let zoeId: string;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z' });
  platform = await startDiscordApp(app.router);
  const ws = await app.services.workspaces.ensure('discord', GUILD_A);
  zoeId = String((await addCreator(app, { id: ws.id, timezone: 'UTC' }, { name: 'Zoë Tran', handle: 'zoe.creates' }))._id);
  await addCreator(app, { id: ws.id, timezone: 'UTC' }, { name: 'Zoë Martin', handle: 'zoe.martin' });
});
afterAll(async () => {
  await platform?.stop();
});

const send = (d: Record<string, any>) => platform.send(d);

const inputs = (modal: any) => Object.fromEntries(modal.components.map((row: any) => [row.components[0].custom_id, row.components[0].value ?? null]));

describe('Discord message context-menu command "Log to influencer"', () => {
  it('GIVEN a message WHEN "Log to influencer" is picked and the form submitted THEN a touchpoint dated when the message was sent, with its jump link', async () => {
    const opened = await send(messageMenu('Log to influencer', { id: MESSAGE_ID, content: 'Hi <@1500000000000000001>, loved the brief <:heart:1700000000000000001>', mentions: [{ id: USER_MARIA, username: 'maria', global_name: 'Maria' }] }));
    expect(opened.type).toBe(9);
    const summary = `Hi @Maria, loved the brief :heart:\n${LINK}`;
    expect(inputs(opened.data)).toEqual({ who: null, kind: null, summary });
    expect(opened.data.custom_id).toBe('form:influencer log at:2026-11-20T09%3A30%3A00.000Z');

    const saved = await send(modalSubmit(opened.data.custom_id, { who: '@zoe.creates', kind: 'reply', summary }));
    expect(saved.type).toBe(4);
    expect(saved.data.content).toMatch(/^Logged reply with \*\*Zoë Tran\*\* on 2026-11-20: Hi @Maria/);

    const touchpoints = await app.models.touchpoints.find({ influencerId: zoeId }, { _id: 0, kind: 1, summary: 1, at: 1, byId: 1 }).lean();
    expect(touchpoints).toEqual([{ kind: 'reply', summary, at: new Date(SENT), byId: USER_MARIA }]);
  });

  it('GIVEN slow work WHEN the answer is deferred THEN its "Open form" button opens the form with the message still in the summary', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const router = {
      command: (name: string) => app.router.command(name),
      parseText: (command: string, line: string) => app.router.parseText(command, line),
      suggest: (...args: Parameters<CommandRouter['suggest']>) => app.router.suggest(...args),
      messageInvocation: (...args: Parameters<CommandRouter['messageInvocation']>) => app.router.messageInvocation(...args),
      handle: async (caller: Caller, invocation: Invocation) => {
        await gate;
        return app.router.handle(caller, invocation);
      },
    } as unknown as CommandRouter;
    const slow = await startDiscordApp(router, { deferAfterMs: 5 });
    try {
      const d = messageMenu('Log to influencer', { id: snowflakeAt(SENT, 10), content: 'Loved the unboxing video' });
      expect((await slow.send(d)).type).toBe(5);
      release();
      const edit = await slow.api.waitFor(`${webhookPath(d)}/messages/%40original`);
      const button = edit.body.components[0].components[0];
      expect([button.label, button.custom_id.startsWith('reopen:')]).toEqual(['Open form', true]);
      const opened = await slow.send(buttonClick(button.custom_id));
      expect(opened.type).toBe(9);
      expect(inputs(opened.data)).toEqual({ who: null, kind: null, summary: `Loved the unboxing video\nhttps://discord.com/channels/${GUILD_A}/1200000000000000001/${snowflakeAt(SENT, 10)}` });
      expect(opened.data.custom_id).toBe('form:influencer log at:2026-11-20T09%3A30%3A00.000Z');
    } finally {
      await slow.stop();
    }
  });

  it('GIVEN a name that matches two creators WHEN submitted THEN both are named and nothing is logged; a misspelt one gets a did-you-mean', async () => {
    const opened = await send(messageMenu('Log to influencer', { id: snowflakeAt(SENT, 8), content: 'second message' }));
    const before = await app.models.touchpoints.countDocuments();

    const ambiguous = await send(modalSubmit(opened.data.custom_id, { who: 'Zoë', kind: 'reply', summary: 'second message' }));
    const refusal = JSON.stringify(ambiguous.data);
    expect(refusal).toContain('Zoë Tran');
    expect(refusal).toContain('Zoë Martin');

    const misspelt = await send(modalSubmit(opened.data.custom_id, { who: 'Zoë Trann', kind: 'reply', summary: 'second message' }));
    expect(JSON.stringify(misspelt.data)).toContain('Zoë Tran');
    expect(await app.models.touchpoints.countDocuments()).toBe(before);
  });

  it('GIVEN a menu entry this bot no longer has THEN it says to register the commands again', async () => {
    const answer = await send(messageMenu('Log to somewhere', { id: snowflakeAt(SENT, 9), content: 'x' }));
    expect(answer).toEqual({ type: 4, data: expect.objectContaining({ content: 'This menu entry is out of date. Ask an admin to run npm run discord:register.', flags: 64 }) });
  });
});
