import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands';
import { jobs } from '../../jobs';
import { periodFor, toPlainText, type Answer, type Form, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import * as discord from '../../src/platforms/discord/render-discord';
import * as slack from '../../src/platforms/slack/render-block-kit';
import { buildApp, silentLogger } from '../helpers/app';
import { seedCollaboration } from '../helpers/scheduler';
import { useTestDatabase } from '../helpers/database';

/**
 * One contract for every surface: every reply and form the commands give for every example in
 * their help (and bare, and for help), and every post the jobs make, rendered for Slack, Discord
 * and the console, each checked against that platform's limits. Data includes hostile text.
 */
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const produced: Array<{ source: string; answer: Answer }> = [];

const NASTY = '[Pay here](https://evil.example) **x** <@U0EVIL> <!channel> @everyone `y` ' + 'Zoë 🎉 '.repeat(40);
/** Imported text (an import or a service writes it, no command's mention guard): in every free-text field of a creator, a collaboration, a payment. */
const HOSTILE = '[Pay here](https://evil.example) **bold** <@123456789012345678> <@U0EVIL> <!channel> @everyone `y`';

const callers: Caller[] = [
  { platform: 'console', workspaceExternalId: 'contract', actor: { id: 'maria', isAdmin: async () => true } },
  { platform: 'discord', workspaceExternalId: '1100000000000000042', actor: { id: '1500000000000000001', isAdmin: async () => true, memberOf: async () => false } },
];

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  // Straight through the services (as an import would write it): a hostile name and title, and more late payments than one post lists.
  for (const caller of callers) {
    const workspace = await app.services.workspaces.ensure(caller.platform, caller.workspaceExternalId);
    const { collaboration } = await seedCollaboration(app, workspace, { name: `Noah ${NASTY.slice(0, 60)}`, title: NASTY.slice(0, 120), ownerId: caller.actor.id });
    for (let i = 0; i < 30; i++) {
      await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 10_000 + i, currency: i % 2 ? 'EUR' : 'USD', dueOn: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}` }, caller.actor.id);
    }
  }
  for (const caller of callers) {
    const workspace = await app.services.workspaces.ensure(caller.platform, caller.workspaceExternalId);
    const ownerId = caller.actor.id;
    const creator = await app.services.influencers.add(
      workspace.id,
      { name: `Hostile ${HOSTILE}`, handles: [{ network: 'instagram', handle: 'hostile_creator_' }], tags: [HOSTILE.slice(0, 30), 'x_y_'], ownerId, stage: 'active', email: 'h@example.com', preferences: HOSTILE, source: HOSTILE, notes: HOSTILE },
      ownerId,
    );
    await app.services.influencers.logTouchpoint(creator, { kind: 'note', summary: HOSTILE }, ownerId);
    await app.services.nurture.remind(workspace.id, creator._id, { dueDay: '2026-11-23', note: HOSTILE }, ownerId);
    const { collaboration } = await app.services.collaborationStart.start(
      workspace,
      creator,
      {
        title: `Deal ${HOSTILE}`,
        type: 'review',
        goal: 'sales',
        ownerId,
        start: new Date('2026-11-01T00:00:00Z'),
        brief: { guidelines: HOSTILE, keyMessages: HOSTILE, callToAction: HOSTILE, mustMention: HOSTILE, mustAvoid: HOSTILE },
        expectedPerMonth: [{ type: 'post', count: 1 }],
        compensation: { feeMinor: 50_000, currency: 'EUR', schedule: 'once', netDays: 5 },
        discountCode: HOSTILE.slice(0, 20),
      },
      ownerId,
      app.clock(),
    );
    const labelled = await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 7_000, currency: 'EUR', dueOn: '2026-11-02', label: HOSTILE }, ownerId);
    const paid = await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 8_000, currency: 'EUR', dueOn: '2026-11-03', label: HOSTILE }, ownerId);
    await app.services.paymentStates.markPaid(workspace, paid, { paidAt: new Date('2026-11-04T10:00:00Z'), reference: HOSTILE }, ownerId);
    await app.services.paymentStates.cancel(await app.services.paymentStates.add(workspace, { collaboration, amountMinor: 9_000, currency: 'EUR', dueOn: '2026-11-04', label: HOSTILE }, ownerId), HOSTILE, ownerId);
    const { collaboration: closed } = await app.services.collaborationStart.start(
      workspace,
      creator,
      { title: `Closed ${HOSTILE}`, type: 'gifting', goal: 'image', ownerId, start: new Date('2026-10-01T00:00:00Z'), brief: {}, expectedPerMonth: [], compensation: { currency: 'EUR' } },
      ownerId,
      app.clock(),
    );
    await app.services.collaborations.close(closed, 'cancelled', HOSTILE, ownerId);
    await app.services.content.log(collaboration, { url: 'https://www.instagram.com/p/hostile_post_/', type: 'post', published: '2026-11-10' }, workspace.timezone);
    hostileIds.push({ platform: caller.platform, creator: String(creator._id), collaboration: String(collaboration._id), payment: String(labelled._id) });
  }
  for (const caller of callers) {
    const run = async (command: string, line: string, source: string) => {
      const { answer } = await app.router.handle(caller, app.router.parseText(command, line));
      produced.push({ source: `${caller.platform}: ${source}`, answer });
      // Further messages of the same answer (a preview of several posts) are each held to the limits on their own.
      if (answer.kind === 'reply') (answer.more ?? []).forEach((more, i) => produced.push({ source: `${caller.platform}: ${source} (message ${i + 2})`, answer: more }));
    };
    // Hostile data first, so lists and cards show it.
    await run('influencer', `add "${NASTY}" @nasty network:instagram notes:"${'n'.repeat(1900)}" tags:"${'t'.repeat(40)}"`, 'hostile add');
    for (let i = 0; i < 30; i++) await run('influencer', `add "Creator ${i}" @creator${i} network:tiktok`, 'bulk add');
    for (const command of commands) {
      await run(command.name, 'help', `/${command.name} help`);
      for (const [name, sub] of Object.entries(command.subcommands)) {
        await run(command.name, `${name} --help`, `/${command.name} ${name} --help`);
        await run(command.name, name, `/${command.name} ${name} (bare)`);
        for (const example of sub.examples) await run(command.name, example.replace(/^\/\S+\s*/, ''), example);
      }
    }
    await run('collab', `new @nasty "${NASTY.slice(0, 150)}" type:review goal:sales fee:100 currency:EUR`, 'hostile collab');
    for (let i = 0; i < 25; i++) await run('payment', `add "Spring launch" ${100 + i} USD 2026-11-${String(1 + (i % 20)).padStart(2, '0')}`, 'bulk payment');
    await run('payment', 'list late', 'payment list late');
    await run('influencer', 'list', 'influencer list');
    await run('influencer', 'show @nasty', 'hostile card');
    await run('influencer', 'find noah', 'hostile find');
    await run('collab', 'list', 'hostile collab list');
    await run('payment', 'list all', 'hostile payment list');
    const ids = hostileIds.find((h) => h.platform === caller.platform)!;
    for (const line of [
      `show ${ids.creator}`,
      `show ${ids.creator} share:yes`,
      `show ${ids.creator} touchpoints`,
      `show ${ids.creator} history`,
      `find hostile`,
      `list active`,
      `stage ${ids.creator} ambassador`,
      `log ${ids.creator} note Sent the box`,
      `remind ${ids.creator} 2026-12-01 call back`,
      `archive ${ids.creator}`,
      `restore ${ids.creator}`,
      `edit ${ids.creator} source:"Found at a fair"`,
    ]) await run('influencer', line, `hostile: influencer ${line}`);
    for (const line of [`show ${ids.collaboration}`, `brief ${ids.collaboration}`, `deliverable ${ids.collaboration}`, `deliverable ${ids.collaboration} add story`, 'list all', `list all ${ids.creator}`]) {
      await run('collab', line, `hostile: collab ${line}`);
    }
    for (const line of [`list ${ids.collaboration}`, `list ${ids.creator}`, `log ${ids.collaboration} https://www.tiktok.com/@hostile/video/1`]) await run('content', line, `hostile: content ${line}`);
    for (const line of ['list all', 'list late', `paid ${ids.payment}`, `reopen ${ids.payment} typo`, `edit ${ids.payment} amount:75`, `show ${ids.payment}`]) await run('payment', line, `hostile: payment ${line}`);
    for (const line of ['report 2026-11', `report 2026-11 ${ids.creator}`, 'home', 'me', 'digest now']) await run('irm', line, `hostile: irm ${line}`);
  }
  const now = new Date('2026-12-01T09:30:00Z');
  const workspaces = await app.services.workspaces.forScheduling(['console', 'discord']);
  for (const workspace of workspaces) {
    for (const job of jobs) {
      const posts = await job.run(workspace, periodFor(job.schedule, now, workspace.timezone, workspace.settings.postingTime), { services: app.services, now, logger: silentLogger });
      for (const post of posts) produced.push({ source: `job ${job.name} (${workspace.platform})`, answer: { ...post.reply, visibility: 'user' in post ? 'private' : 'channel' } });
    }
  }
}, 300_000);

const MARKS = /[\uE000-\uE003]/;
const hostileIds: Array<{ platform: string; creator: string; collaboration: string; payment: string }> = [];

function slackViolations(reply: Reply): string[] {
  const out: string[] = [];
  const message = slack.renderReply(reply);
  if (message.blocks.length > slack.MAX_MESSAGE_BLOCKS) out.push(`${message.blocks.length} blocks`);
  if (message.text.length > slack.MAX_MESSAGE_TEXT_LENGTH) out.push('text too long');
  const actionIds = new Set<string>();
  const element = (el: any) => {
    if (el.action_id) {
      if (actionIds.has(el.action_id)) out.push(`repeated action_id ${el.action_id}`);
      actionIds.add(el.action_id);
    }
    if (el.type === 'button') {
      if (el.text.text.length > slack.MAX_BUTTON_TEXT_LENGTH) out.push('button text');
      if ((el.value ?? '').length > slack.MAX_BUTTON_VALUE_LENGTH) out.push('button value');
    }
    if (el.type === 'overflow') {
      if (el.options.length < 2 || el.options.length > slack.MAX_OVERFLOW_OPTIONS) out.push('overflow options');
      for (const o of el.options) if (o.value.length > slack.MAX_OPTION_VALUE_LENGTH || o.text.text.length > slack.MAX_OPTION_TEXT_LENGTH) out.push('overflow option');
    }
  };
  for (const block of message.blocks as any[]) {
    if (block.type === 'header' && block.text.text.length > slack.MAX_HEADER_LENGTH) out.push('header');
    if (block.type === 'section') {
      if (block.text && (block.text.text.length > slack.MAX_SECTION_TEXT_LENGTH || block.text.text.trim() === '')) out.push('section text');
      if (block.fields && (block.fields.length > slack.MAX_SECTION_FIELDS || block.fields.some((f: any) => f.text.length > slack.MAX_SECTION_FIELD_LENGTH))) out.push('fields');
      if (block.accessory) element(block.accessory);
    }
    if (block.type === 'context' && block.elements.some((e: any) => e.text.length > slack.MAX_CONTEXT_TEXT_LENGTH)) out.push('context');
    if (block.type === 'actions') {
      if (block.elements.length > slack.MAX_ACTIONS_ELEMENTS) out.push('actions');
      block.elements.forEach(element);
    }
  }
  if (MARKS.test(JSON.stringify(message))) out.push('literal marks left');
  return out;
}

function discordViolations(reply: Reply): string[] {
  const out: string[] = [];
  const message = discord.renderReply(reply);
  if ((message.content ?? '').length > discord.MAX_CONTENT_LENGTH) out.push('content');
  if (!message.content && message.embeds.length === 0) out.push('empty message');
  for (const embed of message.embeds) {
    const total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    if (total > discord.MAX_EMBED_TOTAL_LENGTH) out.push(`embed total ${total}`);
    if ((embed.title?.length ?? 0) > discord.MAX_EMBED_TITLE_LENGTH) out.push('embed title');
    if ((embed.description?.length ?? 0) > discord.MAX_EMBED_DESCRIPTION_LENGTH) out.push('embed description');
    if ((embed.fields?.length ?? 0) > discord.MAX_EMBED_FIELDS) out.push('embed fields');
    for (const f of embed.fields ?? []) {
      if (!f.name || !f.value) out.push('empty field');
      if (f.name.length > discord.MAX_EMBED_FIELD_NAME_LENGTH || f.value.length > discord.MAX_EMBED_FIELD_VALUE_LENGTH) out.push('field length');
    }
  }
  if (message.components.length > discord.MAX_ACTION_ROWS) out.push('rows');
  const ids = new Set<string>();
  for (const row of message.components as any[]) {
    const select = row.components.some((c: any) => c.type === 3);
    if (select ? row.components.length !== 1 : row.components.length > discord.MAX_BUTTONS_PER_ROW) out.push('row size');
    for (const c of row.components) {
      if (c.custom_id.length > discord.MAX_CUSTOM_ID_LENGTH) out.push('custom_id');
      if (ids.has(c.custom_id)) out.push(`repeated custom_id ${c.custom_id}`);
      ids.add(c.custom_id);
      if (c.type === 2 && (!c.label || c.label.length > discord.MAX_BUTTON_LABEL_LENGTH)) out.push('button label');
      if (c.type === 3) {
        if (c.options.length > discord.MAX_SELECT_OPTIONS) out.push('select options');
        for (const o of c.options) if (o.label.length > discord.MAX_SELECT_OPTION_LABEL_LENGTH || o.value.length > discord.MAX_SELECT_OPTION_VALUE_LENGTH) out.push('select option');
      }
    }
  }
  // Pings only the users the reply notifies, never roles, @everyone or @here.
  const mentions = message.allowed_mentions as { parse: string[]; users?: string[] };
  if (mentions.parse.length > 0) out.push(`allowed_mentions.parse ${mentions.parse.join(',')}`);
  if (reply.visibility === 'private' && mentions.users?.length) out.push('private reply pings');
  if (MARKS.test(JSON.stringify(message))) out.push('literal marks left');
  return out;
}

function formViolations(form: Form): string[] {
  const out: string[] = [];
  const modal = slack.renderModal(form, JSON.stringify({ submit: form.submit }));
  if (modal.blocks.length > slack.MAX_MODAL_BLOCKS) out.push('slack modal blocks');
  if ((modal.title as any).text.length > slack.MAX_MODAL_TITLE_LENGTH) out.push('slack modal title');
  try {
    const d = discord.renderModal(form);
    if (d.components.length > discord.MAX_MODAL_TEXT_INPUTS) out.push('discord modal inputs');
    if (d.title.length > discord.MAX_MODAL_TITLE_LENGTH) out.push('discord modal title');
    for (const row of d.components as any[]) for (const input of row.components) if (input.label.length > discord.MAX_TEXT_INPUT_LABEL_LENGTH) out.push('discord input label');
  } catch (error) {
    if (!(error instanceof discord.FormTooLargeError)) throw error;
  }
  return out;
}

describe('the reply contract: everything commands and jobs produce, on every platform', () => {
  it('GIVEN the whole run THEN it produced replies, forms and job posts, with hostile data among them', () => {
    const kinds = new Set(produced.map((p) => (p.source.startsWith('job') ? 'job' : p.answer.kind)));
    expect([...kinds].sort()).toEqual(['form', 'job', 'reply']);
    expect(produced.length).toBeGreaterThan(200);
  });

  it('THEN every reply fits Slack, Discord and the console, and every form both modals', () => {
    const violations: string[] = [];
    for (const { source, answer } of produced) {
      if (answer.kind === 'form') {
        for (const v of formViolations(answer)) violations.push(`${source}: ${v}`);
        continue;
      }
      for (const v of slackViolations(answer)) violations.push(`${source} on Slack: ${v}`);
      for (const v of discordViolations(answer)) violations.push(`${source} on Discord: ${v}`);
      const plain = toPlainText(answer);
      if (!plain.trim() || MARKS.test(plain) || /undefined|\[object Object\]/.test(plain)) violations.push(`${source} on the console: ${plain.slice(0, 80)}`);
    }
    expect(violations).toEqual([]);
  });

  it('GIVEN imported text in every free-text field THEN no reply or post shows it as a mention on Slack, or as markup, a link or a mention on Discord', () => {
    const hostile = produced.filter((p) => p.answer.kind === 'reply' && JSON.stringify(p.answer).includes('**bold**'));
    expect(hostile.length).toBeGreaterThan(60);
    const live: string[] = [];
    for (const { source, answer } of hostile) {
      const reply = answer as Reply;
      // Slack: mentions and links live only in mrkdwn and the notification text.
      const message = slack.renderReply(reply);
      const mrkdwn: string[] = [message.text];
      JSON.stringify(message.blocks, (key, value) => {
        if (value && typeof value === 'object' && value.type === 'mrkdwn') mrkdwn.push(value.text);
        return value;
      });
      for (const text of mrkdwn) for (const raw of ['<@123456789012345678>', '<@U0EVIL>', '<!channel>']) if (text.includes(raw)) live.push(`${source} on Slack: ${raw}`);
      // Discord: content, titles, descriptions and fields render markdown (footers and button labels do not).
      const { content, embeds } = discord.renderReply(reply);
      const rendered = [content ?? '', ...embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].join('\n');
      for (const raw of [/\[Pay here\]\(/, /(^|[^\\])\*\*bold/, /(^|[^\\])<@123456789012345678>/, /(^|[^\\])<@U0EVIL>/, /@everyone/, /(^|[^\\])`y/, /(^|[^\\])_creator_/]) {
        if (raw.test(rendered)) live.push(`${source} on Discord: ${raw}`);
      }
    }
    expect([...new Set(live)]).toEqual([]);
  });

  it('THEN hostile names never become a link, markup or a live mention on Discord', () => {
    const hostile = produced.filter((p) => p.answer.kind === 'reply' && JSON.stringify(p.answer).includes('Pay here'));
    expect(hostile.length).toBeGreaterThan(0);
    const live = hostile
      .filter((p) => {
        // Where Discord renders markdown and mentions: content and embeds (button and menu labels are plain text).
        const { content, embeds } = discord.renderReply(p.answer as Reply);
        const rendered = JSON.stringify({ content, embeds });
        return rendered.includes('[Pay here](https://evil.example)') || /[^\\]<@U0EVIL>/.test(rendered);
      })
      .map((p) => p.source);
    expect(live).toEqual([]);
  });
});
