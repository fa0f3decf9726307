import { createHash, randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  Client,
  DiscordAPIError,
  ComponentType,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type APIGuildMember,
  type RawFile,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { argumentNames, MAX_UPLOAD_BYTES, UserFacingError, type Upload, type Answer, type Attachment, type Destination, type Form, type Logger, type PostMark, type Poster, type RawArgs, type Reply } from '../../core';
import type { Caller, CommandRouter, Invocation, Outcome } from '../command-router';
import { AUTOCOMPLETE_OPTIONS, MAX_CHOICES, MAX_CHOICE_NAME_LENGTH, argumentNameFor } from './discord-options';
import {
  FormTooLargeError,
  MAX_ACTION_ROWS,
  MAX_CUSTOM_ID_LENGTH,
  MAX_MODAL_TEXT_INPUTS,
  PICK_PREFIX,
  RUN_PREFIX,
  clip,
  decodeFormId,
  readModalValues,
  readScope,
  renderModal,
  renderReply,
  scoped,
  type ButtonRow,
  type DiscordMessage,
} from './render-discord';
import { DEFAULT_ATTACHMENT_LIMIT, fitToLimit } from './discord-files';

/** Discord wants a first response within 3 s; past this, we defer and finish with an edit. */
export const DEFER_AFTER_MS = 2000;
/** Autocomplete cannot be deferred: an answer after this is dropped in favour of no suggestions. */
export const AUTOCOMPLETE_BUDGET_MS = 2000;
/** What a refused form's "Fix the form" button reopens: the typed answers, kept this long, this many at most. */
export const DRAFT_TTL_MS = 15 * 60_000;
export const MAX_DRAFTS = 500;
export const REOPEN_PREFIX = 'reopen:';

export interface DiscordAdapterOptions {
  router: Pick<CommandRouter, 'command' | 'parseText' | 'handle' | 'suggest' | 'messageInvocation'>;
  token: string;
  clientId: string;
  /** The development server commands are registered to (see `npm run discord:register`); informational here. */
  guildId?: string;
  /** REST base, e.g. `https://discord.com/api`; tests point it at a local server. */
  apiUrl?: string;
  logger: Logger;
  deferAfterMs?: number;
}

export interface DiscordAdapter {
  client: Client;
  start(): Promise<void>;
  /** Stops taking interactions, waits for those in flight, then closes the gateway connection. */
  stop(): Promise<void>;
  /**
   * A channel post (digests, nudges): never ephemeral; pings only the users in `reply.notify`; the
   * reply's files as multipart attachments. With `mark`, it carries a nonce derived from it and
   * `enforce_nonce`: sent again within Discord's window (a few minutes), the earlier message is
   * returned instead of a new one.
   */
  postMessage(channelId: string, reply: Reply, mark?: PostMark): Promise<{ id: string }>;
  /** The message an earlier attempt posted with `mark` at about `since`, if one is in the channel. */
  findPost(channelId: string, mark: PostMark, since: Date): Promise<{ id: string } | undefined>;
  /** The scheduler's poster: postMessage and findPost; a post to a person goes to (and is looked for in) their DM channel. */
  poster: Poster;
}

/**
 * Discord drops a message whose nonce (with `enforce_nonce`) it saw from the same author "in the
 * past few minutes"; we count on 2. Past it, a lost post is looked for by time (see findPost).
 */
export const NONCE_WINDOW_MS = 2 * 60_000;
/** A REST call gives up after this, and is never retried by the client: a retried post could post twice. */
export const DISCORD_REST_TIMEOUT_MS = 15_000;
const FIND_SKEW_MS = 30_000;
const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * At most 25 characters, as Discord requires: a digest of the run key and index, and for the further
 * messages of one post (the parts of a file over the upload limit) of their number, so a retry within
 * Discord's nonce window gets each of them back instead of sending it again.
 */
export const nonceFor = (mark: PostMark, message = 0): string =>
  createHash('sha256').update(`${mark.run}#${mark.index}${message ? `#${message}` : ''}`).digest('base64url').slice(0, 25);

const DM_REFUSAL = 'I keep each server\'s creators separately, so I only work inside a server. Run the command in a channel there.';
const STOPPING = 'I am restarting. Try again in a few seconds.';
const OTHER_SERVER = 'This control belongs to another server. Use it there.';
const NOT_A_MEMBER = 'You are not a member of the server this message is about (any more), so I cannot act there for you.';

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { router, logger } = options;
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // No client retries: a post that timed out may have gone out, and the scheduler decides what to do about it.
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 0, timeout: DISCORD_REST_TIMEOUT_MS },
    allowedMentions: { parse: [] },
  });
  // Set here as well as by login(), so REST calls (postMessage, tests) work before the gateway is up.
  client.rest.setToken(options.token);

  const inFlight = new Set<Promise<void>>();
  /**
   * Answers of refused modal submissions, by key, until their button reopens the form (a custom id
   * holds 100 characters: the typed answers cannot travel in it). Kept in this process only: a
   * click after a restart, after 15 minutes, or by someone else says the form expired.
   */
  const drafts = new Map<string, { submit: Form['submit']; values: Record<string, string>; userId: string; expiresAt: number }>();
  const reopenKeys = new WeakMap<Reply, string>();
  /** The server an interaction in a DM acts in (read from its control's scoped custom id), so its answers' controls carry it too. */
  const scopes = new WeakMap<Interaction, string>();
  const scopeOf = (interaction: Interaction): string | undefined => scopes.get(interaction);
  let stopping = false;

  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.InteractionCreate, (interaction) => {
    const work = dispatch(interaction).finally(() => inFlight.delete(work));
    inFlight.add(work);
  });

  async function dispatch(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) return await onAutocomplete(interaction);
      if (!interaction.isRepliable()) return;
      if (stopping) {
        await interaction.reply({ content: STOPPING, flags: MessageFlags.Ephemeral });
        return;
      }
      const caller = await callerOf(interaction);
      if (typeof caller === 'string') {
        await interaction.reply({ content: caller, flags: MessageFlags.Ephemeral });
        return;
      }
      if (interaction.isChatInputCommand()) await onChatInput(interaction, caller);
      else if (interaction.isMessageContextMenuCommand()) await onMessageMenu(interaction, caller);
      else if (interaction.isButton()) await onButton(interaction, caller);
      else if (interaction.isStringSelectMenu()) await onPick(interaction, caller);
      else if (interaction.isModalSubmit()) await onModalSubmit(interaction, caller);
    } catch (error) {
      await answerError(interaction, error);
    }
  }

  async function onChatInput(interaction: ChatInputCommandInteraction, caller: Caller) {
    const command = interaction.commandName;
    const subcommand = interaction.options.getSubcommand(false) ?? 'help';
    const sub = router.command(command)?.subcommands[subcommand];
    const args: RawArgs = {};
    const top = interaction.options.data.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
    for (const option of top?.options ?? []) {
      if (option.value === undefined || option.value === null) continue;
      // An attachment option's value is its id; the file itself comes resolved with the interaction.
      const value = option.attachment ? { url: option.attachment.url, name: option.attachment.name, size: option.attachment.size } : option.value;
      args[(sub && argumentNameFor(sub, option.name)) ?? option.name] = value;
    }
    logger.debug({ command, subcommand, guild: caller.workspaceExternalId }, 'discord command');
    await answer(interaction, router.handle(caller, { command, subcommand, args }));
  }

  /**
   * A message's Apps menu ("Log to influencer"): the message as plain text with its jump link and
   * the moment it was sent runs the entry's subcommand, whose form opens prefilled. Discord sends
   * the message's content with the interaction (no message-content intent needed for it).
   */
  async function onMessageMenu(interaction: MessageContextMenuCommandInteraction, caller: Caller) {
    const target = interaction.targetMessage;
    // The resolved message names no guild (discord.js would link it as a DM's): the interaction's is it.
    const link = `https://discord.com/channels/${caller.workspaceExternalId}/${target.channelId}/${target.id}`;
    const message = { text: plainMessageText(target), link, sentAt: target.createdAt };
    const invocation = router.messageInvocation(interaction.commandName, message);
    if (!invocation) {
      await interaction.reply({ content: 'This menu entry is out of date. Ask an admin to run npm run discord:register.', flags: MessageFlags.Ephemeral });
      return;
    }
    logger.debug({ command: invocation.command, subcommand: invocation.subcommand, guild: caller.workspaceExternalId }, 'discord message menu');
    await answer(interaction, router.handle(caller, invocation));
  }

  /**
   * Who is calling, in which server: the interaction's server; in a DM (a nudge's buttons, and the
   * forms and answers they lead to), the server its control names, once Discord confirms the person
   * pressing is a member there. Only the person a DM was sent to can press its controls. A string:
   * the refusal to answer with.
   */
  async function callerOf(interaction: RepliableInteraction): Promise<Caller | string> {
    const scope = 'customId' in interaction && typeof interaction.customId === 'string' ? readScope(interaction.customId).scope : undefined;
    if (interaction.inGuild()) return scope && scope !== interaction.guildId ? OTHER_SERVER : guildCaller(interaction);
    if (!scope) return DM_REFUSAL;
    let member: APIGuildMember;
    try {
      member = (await client.rest.get(Routes.guildMember(scope, interaction.user.id))) as APIGuildMember;
    } catch (error) {
      if (error instanceof DiscordAPIError && (error.status === 404 || error.status === 403)) return NOT_A_MEMBER;
      throw error;
    }
    scopes.set(interaction, scope);
    return {
      platform: 'discord',
      workspaceExternalId: scope,
      actor: {
        id: interaction.user.id,
        displayName: interaction.user.globalName ?? interaction.user.username,
        // A DM carries no permissions: what only admins may do is done in the server.
        isAdmin: async () => false,
        memberOf: async (roleId) => member.roles.includes(roleId),
      },
      readUpload: readAttachment,
    };
  }

  async function onButton(interaction: ButtonInteraction, caller: Caller) {
    const { id } = readScope(interaction.customId);
    if (id.startsWith(REOPEN_PREFIX)) return reopenForm(interaction, caller);
    if (!id.startsWith(RUN_PREFIX)) {
      await interaction.reply({ content: 'This button is out of date. Run the command again.', flags: MessageFlags.Ephemeral });
      return;
    }
    await runLine(interaction, caller, id.slice(RUN_PREFIX.length).trim());
  }

  /** An item menu: the chosen option's value is the line to run for that item. */
  async function onPick(interaction: StringSelectMenuInteraction, caller: Caller) {
    const line = readScope(interaction.customId).id.startsWith(PICK_PREFIX) ? interaction.values[0]?.trim() : undefined;
    if (!line) {
      await interaction.reply({ content: 'This menu is out of date. Run the command again.', flags: MessageFlags.Ephemeral });
      return;
    }
    await runLine(interaction, caller, line);
  }

  async function runLine(interaction: ButtonInteraction | StringSelectMenuInteraction, caller: Caller, line: string) {
    const space = line.indexOf(' ');
    const command = space === -1 ? line : line.slice(0, space);
    const invocation = router.parseText(command, space === -1 ? '' : line.slice(space + 1));
    logger.debug({ command, subcommand: invocation.subcommand, guild: caller.workspaceExternalId }, 'discord button');
    await answer(interaction, router.handle(caller, invocation));
  }

  async function onModalSubmit(interaction: ModalSubmitInteraction, caller: Caller) {
    const submit = decodeFormId(readScope(interaction.customId).id);
    if (!submit) {
      await interaction.reply({ content: 'This form is out of date. Run the command again.', flags: MessageFlags.Ephemeral });
      return;
    }
    const values = readModalValues(interaction.components);
    const invocation: Invocation = { ...submit, args: { ...submit.args, ...values }, submitted: true, once: `discord:${interaction.id}` };
    logger.debug({ command: submit.command, subcommand: submit.subcommand, guild: caller.workspaceExternalId }, 'discord form submitted');
    const work = router
      .handle(caller, invocation)
      .then((outcome) => (outcome.fieldErrors || outcome.databaseDown ? withReopenButton(outcome, submit, values, caller.actor.id) : withOptionsHint(outcome, invocation, Object.keys(values))));
    await answer(interaction, work);
  }

  /** Keeps what a form holds for its person (DRAFT_TTL_MS), for a button that opens it filled in; returns its key. */
  function keepDraft(submit: Form['submit'], values: Record<string, string>, userId: string): string {
    const now = Date.now();
    for (const [key, draft] of drafts) if (draft.expiresAt <= now || drafts.size >= MAX_DRAFTS) drafts.delete(key);
    const key = randomBytes(8).toString('hex');
    drafts.set(key, { submit, values, userId, expiresAt: now + DRAFT_TTL_MS });
    return key;
  }

  /** A refused submission, or one the database could not take: the answer, and a button that reopens the form with everything typed. */
  function withReopenButton(outcome: Outcome, submit: Form['submit'], values: Record<string, string>, userId: string): Outcome {
    if (outcome.answer.kind !== 'reply') return outcome;
    const key = keepDraft(submit, values, userId);
    const refusal: Reply = { ...outcome.answer };
    reopenKeys.set(refusal, key);
    return { ...outcome, answer: refusal };
  }

  /** The rendered answer, with the "Fix the form" button when it is a refused form's. */
  function rendered(answer: Reply, scope: string | undefined): DiscordMessage {
    const message = renderReply(answer, { logger, scope });
    const key = reopenKeys.get(answer);
    if (!key || message.components.length >= MAX_ACTION_ROWS) return message;
    const row: ButtonRow = {
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Fix the form', custom_id: scoped(`${REOPEN_PREFIX}${key}`, scope) }],
    };
    return { ...message, components: [...message.components, row] };
  }

  /** Opens the refused form again, each field showing what was typed. A modal must be the first response: no deferral here. */
  async function reopenForm(interaction: ButtonInteraction, caller: Caller) {
    const key = readScope(interaction.customId).id.slice(REOPEN_PREFIX.length);
    const draft = drafts.get(key);
    if (!draft || draft.expiresAt <= Date.now() || draft.userId !== caller.actor.id) {
      await interaction.reply({ content: 'This form has expired. Run the command again.', flags: MessageFlags.Ephemeral });
      return;
    }
    const { answer: form } = await router.handle(caller, { ...draft.submit, prefill: draft.values });
    // Not a form (the database still down): the draft stays for the next click.
    if (form.kind === 'form') drafts.delete(key);
    await deliver(interaction, form);
  }

  /**
   * A modal holds five inputs; the platform's way to reach the other fields is the slash
   * command's typed options. After a full modal is saved, say which ones, when the command
   * has an `edit` that takes them.
   */
  function withOptionsHint(outcome: Outcome, invocation: Invocation, inModal: string[]): Outcome {
    const { answer: reply } = outcome;
    if (outcome.fieldErrors || reply.kind !== 'reply' || inModal.length < MAX_MODAL_TEXT_INPUTS) return outcome;
    if (!reply.blocks.some((block) => block.type === 'header')) return outcome;
    const edit = router.command(invocation.command)?.subcommands.edit;
    if (!edit) return outcome;
    const record = edit.positional?.[0] ?? 'who';
    const others = argumentNames(edit).filter((name) => !inModal.includes(name) && !(name in invocation.args) && name !== record);
    if (others.length === 0) return outcome;
    const hint = `More details (${others.join(', ')}) are options of /${invocation.command} edit.`;
    return { ...outcome, answer: { ...reply, blocks: [...reply.blocks, { type: 'context', text: hint }] } };
  }

  async function onAutocomplete(interaction: AutocompleteInteraction) {
    const focused = interaction.options.getFocused(true);
    const guildId = interaction.guildId;
    if (stopping || !guildId || !AUTOCOMPLETE_OPTIONS.has(focused.name)) {
      await interaction.respond([]);
      return;
    }
    const caller: Caller = { platform: 'discord', workspaceExternalId: guildId, actor: { id: interaction.user.id, isAdmin: async () => false } };
    const subcommand = interaction.options.getSubcommand(false) ?? '';
    const suggested = router.suggest(caller, interaction.commandName, subcommand, focused.name, String(focused.value));
    const choices = await withTimeout(suggested, AUTOCOMPLETE_BUDGET_MS, []);
    await interaction.respond(choices.slice(0, MAX_CHOICES).map((c) => ({ name: clip(c.name, MAX_CHOICE_NAME_LENGTH) || '…', value: c.value })));
  }

  /** Answers at once when the work is quick; otherwise defers (ephemeral) and edits the answer in. */
  async function answer(interaction: RepliableInteraction, work: Promise<Outcome>) {
    // If we defer and the deferral itself fails, the work's own failure must not go unhandled.
    work.catch(() => undefined);
    const quick = await withTimeout(work.then((outcome) => outcome.answer), deferAfterMs, undefined);
    if (quick) return deliver(interaction, quick);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { answer: late } = await work;
    await deliverDeferred(interaction, late);
  }

  async function deliver(interaction: RepliableInteraction, answer: Answer) {
    if (answer.kind === 'form') {
      if (!('showModal' in interaction)) {
        await interaction.reply(openFormMessage(answer, scopeOf(interaction), interaction.user.id));
        return;
      }
      try {
        await interaction.showModal(renderModal(answer, { scope: scopeOf(interaction) }));
      } catch (error) {
        if (!(error instanceof FormTooLargeError)) throw error;
        await interaction.reply({ content: formUnavailable(answer), flags: MessageFlags.Ephemeral });
      }
      return;
    }
    const fitted = fitToLimit(answer, uploadLimit(interaction));
    await interaction.reply(toReplyOptions(rendered(fitted.answer, scopeOf(interaction)), fitted.files));
    await followUpFiles(interaction, fitted.more, fitted.answer.visibility);
    await followUps(interaction, answer);
  }

  /** Files that did not fit with an answer under Discord's upload limit (a CSV in parts): a follow-up per group. */
  async function followUpFiles(interaction: RepliableInteraction, groups: ReadonlyArray<readonly Attachment[]>, visibility: Reply['visibility']) {
    for (const files of groups) {
      await interaction.followUp({ files: files.map((file) => ({ attachment: Buffer.from(file.bytes), name: file.name })), ...(visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {}) });
    }
  }

  /** A reply's further messages (`Reply.more`): a follow-up each, ephemeral when private, its files fitted to the upload limit like the first's. */
  async function followUps(interaction: RepliableInteraction, answer: Reply) {
    for (const next of answer.more ?? []) {
      const fitted = fitToLimit(next, uploadLimit(interaction));
      await interaction.followUp(toReplyOptions(rendered(fitted.answer, scopeOf(interaction)), fitted.files));
      await followUpFiles(interaction, fitted.more, next.visibility);
    }
  }

  async function deliverDeferred(interaction: RepliableInteraction, answer: Answer) {
    if (answer.kind === 'form') {
      // A modal can only be the first response: offer a button whose click opens it.
      const { flags: _flags, ...message } = openFormMessage(answer, scopeOf(interaction), interaction.user.id);
      await interaction.editReply(message);
      return;
    }
    const fitted = fitToLimit(answer, uploadLimit(interaction));
    const { flags, ...message } = toReplyOptions(rendered(fitted.answer, scopeOf(interaction)), fitted.files);
    if (answer.visibility === 'private') {
      await interaction.editReply(message);
    } else {
      // The deferral was ephemeral; a channel answer goes out as a public follow-up.
      await interaction.editReply({ content: 'Posted in the channel.' });
      await interaction.followUp({ ...message, flags });
    }
    await followUpFiles(interaction, fitted.more, answer.visibility);
    await followUps(interaction, answer);
  }

  function openFormMessage(form: Form, scope: string | undefined, userId: string): InteractionReplyOptions & { flags: MessageFlags.Ephemeral } {
    // Prefilled text (a message's for "Log to influencer") does not fit in a button: kept as a draft
    // (DRAFT_TTL_MS), which the click opens like "Fix the form"; a form without any is its command line.
    const prefilled = Object.fromEntries(form.fields.flatMap((f) => (f.initial?.trim() && (f.kind === 'text' || f.kind === 'multiline') ? [[f.name, f.initial]] : [])));
    const line = [form.submit.command, form.submit.subcommand, ...Object.entries(form.submit.args).map(([k, v]) => `${k}:${quote(v)}`)].join(' ');
    const customId = scoped(Object.keys(prefilled).length > 0 ? `${REOPEN_PREFIX}${keepDraft(form.submit, prefilled, userId)}` : `${RUN_PREFIX}${line}`, scope);
    if (customId.length > MAX_CUSTOM_ID_LENGTH) return { content: formUnavailable(form), flags: MessageFlags.Ephemeral };
    return {
      content: `*${form.title}* needs a few details.`,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Open form', custom_id: customId }],
        },
      ],
      flags: MessageFlags.Ephemeral,
    };
  }

  async function answerError(interaction: Interaction, error: unknown) {
    const ref = randomBytes(4).toString('hex');
    logger.error({ err: error, ref, interaction: interaction.type, guild: interaction.guildId }, 'discord interaction failed');
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
        return;
      }
      if (!interaction.isRepliable()) return;
      const message = { content: `Sorry, something went wrong on our side. Reference: ${ref}`, flags: MessageFlags.Ephemeral } as const;
      // Deferred and not answered yet: the "thinking…" message itself becomes the apology.
      if (interaction.deferred && !interaction.replied) await interaction.editReply({ content: message.content, embeds: [], components: [] });
      else if (interaction.replied) await interaction.followUp(message);
      else await interaction.reply(message);
    } catch (secondError) {
      logger.warn({ err: secondError, ref }, 'discord: could not tell the user about the failure');
    }
  }

  const postMessage = (channelId: string, reply: Reply, mark?: PostMark) => send(channelId, { ...reply, visibility: 'channel' }, mark);

  /**
   * A message into a channel. A DM is sent as a private reply (it pings nobody), without the
   * ephemeral flag, its controls scoped to the server it is about (`scope`).
   */
  async function send(channelId: string, reply: Reply, mark?: PostMark, scope?: string) {
    // No interaction says this server's upload limit: Discord's floor, which every server and DM accepts.
    const fitted = fitToLimit(reply, DEFAULT_ATTACHMENT_LIMIT);
    const { flags: _flags, ...body } = renderReply({ ...fitted.answer, files: fitted.files }, { logger, scope });
    const nonce = (message: number) => (mark ? { nonce: nonceFor(mark, message), enforce_nonce: true } : {});
    const sent = (await client.rest.post(Routes.channelMessages(channelId), { body: { ...body, ...nonce(0) }, files: rawFiles(fitted.files) })) as { id: string };
    // The files that did not fit with it (a CSV in parts), a message per group right after, each with
    // a nonce of its own. Once the first message is out the post is made: a part that fails is logged
    // and named in a last message, never thrown, so no retry takes the first message for the whole
    // post (parts never sent) or sends parts of a recomputed file next to these (as Slack's files).
    const missing: string[] = [];
    for (const [i, files] of fitted.more.entries()) {
      const attachments = files.map((file, id) => ({ id, filename: file.name }));
      try {
        await client.rest.post(Routes.channelMessages(channelId), { body: { attachments, allowed_mentions: { parse: [] }, ...nonce(i + 1) }, files: rawFiles(files) });
      } catch (err) {
        logger.error({ err, channelId, message: sent.id, files: files.map((file) => file.name) }, 'discord: the post went out but a part of its files could not be sent');
        missing.push(...files.map((file) => `**${file.name}**`));
      }
    }
    if (missing.length > 0) {
      const content = `Discord did not take ${missing.join(', ')} of the message above, so ${missing.length === 1 ? 'it is' : 'they are'} missing here.`;
      await client.rest
        .post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] }, ...nonce(fitted.more.length + 1) } })
        .catch((err: unknown) => logger.error({ err, channelId, message: sent.id }, 'discord: could not say which parts of a post are missing'));
    }
    return { id: sent.id };
  }

  /** The bot's DM channel with a person (Discord returns the existing one when there is one). */
  async function directChannel(userId: string): Promise<string> {
    return ((await client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string }).id;
  }
  async function findPost(channelId: string, _mark: PostMark, since: Date) {
    // Discord keeps no nonce with a message. Within its nonce window, posting again with the same
    // nonce returns the earlier message, so "not found" is the right answer. Past it, a message of
    // ours (not an interaction answer) sent within the post's time window is taken for it: another
    // scheduled post in the same channel within that minute would be mistaken for it (a miss, never a duplicate).
    if (Date.now() - since.getTime() < NONCE_WINDOW_MS) return undefined;
    const from = since.getTime() - FIND_SKEW_MS;
    const to = since.getTime() + DISCORD_REST_TIMEOUT_MS + FIND_SKEW_MS;
    const after = ((BigInt(from) - DISCORD_EPOCH) << 22n).toString();
    const messages = (await client.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ after, limit: '100' }) })) as Array<{
      id: string;
      author?: { id: string };
      timestamp: string;
      interaction_metadata?: unknown;
      webhook_id?: string;
    }>;
    const self = client.user?.id ?? options.clientId;
    const ours = messages.find((m) => {
      const at = Date.parse(m.timestamp);
      return m.author?.id === self && !m.interaction_metadata && !m.webhook_id && at >= from && at <= to;
    });
    return ours ? { id: ours.id } : undefined;
  }

  return {
    client,
    async start() {
      await client.login(options.token);
      logger.info({ clientId: options.clientId, guild: options.guildId ?? 'all' }, 'discord connected');
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
    postMessage,
    findPost,
    poster: Object.assign(
      async (to: Destination, reply: Reply, mark?: PostMark) =>
        'channelId' in to ? postMessage(to.channelId, reply, mark) : send(await directChannel(to.userId), { ...reply, visibility: 'private' }, mark, to.workspaceExternalId),
      { find: async (to: Destination, mark: PostMark, since: Date) => findPost('channelId' in to ? to.channelId : await directChannel(to.userId), mark, since) },
    ),
  };
}

function guildCaller(interaction: RepliableInteraction<'raw' | 'cached'>): Caller {
  const permissions = interaction.memberPermissions;
  const roles = interaction.member.roles;
  return {
    platform: 'discord',
    workspaceExternalId: interaction.guildId,
    actor: {
      id: interaction.user.id,
      displayName: interaction.user.globalName ?? interaction.user.username,
      isAdmin: async () => permissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
      // Payment managers may be a role: the interaction carries the member's role ids.
      memberOf: async (roleId) => (Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId)),
    },
    readUpload: readAttachment,
  };
}

/**
 * A message's content as people read it, for logging it: mentions written as names (`<@1…>` ->
 * `@maria`, `<@&1…>` -> `@role`, `<#1…>` -> `#channel`), custom emoji as `:name:`. No mention
 * code survives, so the text can be stored and shown again without pinging anyone.
 */
export function plainMessageText(message: Pick<Message, 'content' | 'mentions'>): string {
  return message.content
    .replace(/<@!?(\d+)>/g, (_all, id: string) => {
      const user = message.mentions.users.get(id);
      return `@${user ? (user.globalName ?? user.username) : 'someone'}`;
    })
    .replace(/<@&(\d+)>/g, (_all, id: string) => `@${message.mentions.roles.get(id)?.name ?? 'role'}`)
    .replace(/<#(\d+)>/g, (_all, id: string) => {
      const channel = message.mentions.channels.get(id);
      return `#${channel && 'name' in channel && channel.name ? channel.name : 'channel'}`;
    })
    .replace(/<a?:(\w+):\d+>/g, ':$1:');
}

/** A slash command's attachment option: the file is on Discord's CDN, at the URL the interaction names. */
async function readAttachment(raw: unknown): Promise<Upload> {
  const attachment = raw as { url?: unknown; name?: unknown; size?: unknown };
  if (typeof attachment?.url !== 'string' || typeof attachment.name !== 'string') {
    throw new UserFacingError('file: attach the file with the command\'s file option.', { file: 'attach a file' });
  }
  if (typeof attachment.size === 'number' && attachment.size > MAX_UPLOAD_BYTES) {
    throw new UserFacingError(`file: ${attachment.name} is ${(attachment.size / 1048576).toFixed(1)} MB; at most ${MAX_UPLOAD_BYTES / 1048576} MB can be imported at once.`, { file: 'too large' });
  }
  const res = await fetch(attachment.url, { signal: AbortSignal.timeout(DISCORD_REST_TIMEOUT_MS) });
  if (!res.ok) throw new UserFacingError(`file: ${attachment.name} could not be downloaded from Discord (HTTP ${res.status}). Attach it again.`, { file: 'download failed' });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new UserFacingError(`file: ${attachment.name} is larger than ${MAX_UPLOAD_BYTES / 1048576} MB.`, { file: 'too large' });
  return { name: attachment.name, bytes };
}

/** The largest file this interaction may upload: what Discord says (it depends on the server's boosts), else its floor. */
function uploadLimit(interaction: RepliableInteraction): number {
  const limit = (interaction as { attachmentSizeLimit?: unknown }).attachmentSizeLimit;
  return typeof limit === 'number' && limit > 0 ? limit : DEFAULT_ATTACHMENT_LIMIT;
}

/** The files as multipart parts `files[n]`, matching the `attachments` ids the renderer wrote. */
function rawFiles(files: readonly Attachment[] | undefined): RawFile[] | undefined {
  return files?.length ? files.map((file, index) => ({ key: `files[${index}]`, name: file.name, data: Buffer.from(file.bytes), contentType: file.mimeType })) : undefined;
}

function toReplyOptions(message: DiscordMessage, files?: readonly Attachment[]): InteractionReplyOptions & { flags: number } {
  return {
    ...(files?.length ? { files: files.map((file) => ({ attachment: Buffer.from(file.bytes), name: file.name })) } : {}),
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowed_mentions as InteractionReplyOptions['allowedMentions'],
    flags: message.flags,
  } as InteractionReplyOptions & { flags: number };
}

function formUnavailable(form: Form): string {
  return `The form for /${form.submit.command} ${form.submit.subcommand} cannot open here. Use the command's options instead.`;
}

function quote(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

/** Resolves with the promise's value, or `fallback` once `ms` have passed, whichever is first. */
function withTimeout<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
