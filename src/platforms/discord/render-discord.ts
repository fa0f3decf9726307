import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIStringSelectComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
  type APITextInputComponent,
} from 'discord.js';
import { renderMarked, unmark, type Block, type Button, type Form, type FormField, type ItemBlock, type Logger, type Reply } from '../../core';

/**
 * The neutral Reply and Form trees as Discord message and modal JSON. Pure: the adapter sends
 * what these return; tests compare them with exact `toEqual`.
 */

/** Discord's message, embed and component limits (developer docs, "Message", "Embed", "Components"). */
export const MAX_CONTENT_LENGTH = 2000;
export const MAX_EMBED_TITLE_LENGTH = 256;
export const MAX_EMBED_DESCRIPTION_LENGTH = 4096;
export const MAX_EMBED_FIELDS = 25;
export const MAX_EMBED_FIELD_NAME_LENGTH = 256;
export const MAX_EMBED_FIELD_VALUE_LENGTH = 1024;
export const MAX_EMBED_FOOTER_LENGTH = 2048;
/** Title, description, field names and values and footer of all embeds in one message together. */
export const MAX_EMBED_TOTAL_LENGTH = 6000;
export const MAX_BUTTONS_PER_ROW = 5;
export const MAX_ACTION_ROWS = 5;
export const MAX_BUTTON_LABEL_LENGTH = 80;
export const MAX_CUSTOM_ID_LENGTH = 100;
export const MAX_SELECT_OPTIONS = 25;
export const MAX_SELECT_OPTION_LABEL_LENGTH = 100;
export const MAX_SELECT_OPTION_VALUE_LENGTH = 100;
export const MAX_SELECT_PLACEHOLDER_LENGTH = 150;
/** `allowed_mentions.users` names at most 100 users. */
export const MAX_ALLOWED_MENTION_USERS = 100;
export const MAX_MODAL_TITLE_LENGTH = 45;
export const MAX_MODAL_TEXT_INPUTS = 5;
export const MAX_TEXT_INPUT_LABEL_LENGTH = 45;
export const MAX_TEXT_INPUT_PLACEHOLDER_LENGTH = 100;
export const MAX_TEXT_INPUT_VALUE_LENGTH = 4000;

/** Button custom ids carry the command line to run; modal custom ids carry what to submit. */
export const RUN_PREFIX = 'run:';
/** A select menu of items: each option's value is the command line to run for that item. */
export const PICK_PREFIX = 'pick:';
export const FORM_PREFIX = 'form:';

/**
 * A control in a direct message carries its server, which an interaction in a DM does not:
 * `@<guild id> <custom id>`. Only messages the bot sends to one person are scoped.
 */
const SCOPE = /^@(\d{17,20}) /;
export const scoped = (customId: string, scope: string | undefined): string => (scope ? `@${scope} ${customId}` : customId);
/** The server a scoped custom id names, and the custom id without it. */
export function readScope(customId: string): { scope?: string; id: string } {
  const match = SCOPE.exec(customId);
  return match ? { scope: match[1]!, id: customId.slice(match[0].length) } : { id: customId };
}

/** Discord refuses empty field names and values; a zero-width space stands in for "no text". */
const BLANK = '\u200b';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;
export type SelectRow = APIActionRowComponent<APIStringSelectComponent>;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: Array<ButtonRow | SelectRow>;
  /** 64 (ephemeral) for private replies. */
  flags: number;
  allowed_mentions: APIAllowedMentions;
  /** The reply's files, by index into `reply.files`; the adapter sends their bytes as multipart `files[n]`. */
  attachments?: Array<{ id: number; filename: string }>;
}

export interface RenderOptions {
  /** Told about buttons that cannot be rendered (custom id over 100 characters). */
  logger?: Pick<Logger, 'warn'>;
  /** The server the controls act in, for a message in a DM (see {@link scoped}). */
  scope?: string;
}

/**
 * One embed: the first header is its title, text its description, fields inline fields and
 * trailing context its footer. Text before the header is the message content (the "Added Zoë."
 * lead line); context between fields becomes a full-width separator field, so "only you can
 * see the details below" stays above those details. A reply of plain text is plain content.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage {
  const isPrivate = reply.visibility === 'private';
  // Only the people the reply notifies are pinged, and only by a channel post; never roles, @everyone or @here.
  const notify = isPrivate ? [] : [...new Set(reply.notify ?? [])].filter((id) => /^\d{1,25}$/.test(id)).slice(0, MAX_ALLOWED_MENTION_USERS);
  const pings = notify.map((id) => `<@${id}>`).join(' ');
  const base = {
    flags: isPrivate ? MessageFlags.Ephemeral : 0,
    allowed_mentions: (notify.length ? { parse: [], users: notify } : { parse: [] }) as APIAllowedMentions,
    ...(reply.files?.length ? { attachments: reply.files.map((file, id) => ({ id, filename: file.name })) } : {}),
  };
  const components = renderComponents(reply.blocks, options);
  const withPings = (content: string) => {
    const missing = notify.filter((id) => !content.includes(`<@${id}>`)).map((id) => `<@${id}>`);
    return missing.length ? (content ? `${missing.join(' ')} ${content}` : missing.join(' ')) : content;
  };
  const isPlainText = reply.blocks.every((block) => block.type === 'text' || block.type === 'item' || block.type === 'divider' || block.type === 'actions');

  if (isPlainText) {
    const content = withPings(
      reply.blocks
        .filter((block): block is Extract<Block, { type: 'text' | 'item' }> => block.type === 'text' || block.type === 'item')
        .map((block) => discordText(block.text))
        .join(reply.blocks.some((block) => block.type === 'item') ? '\n' : '\n\n'),
    );
    if (content.length === 0) return { content: BLANK, embeds: [], components, ...base };
    if (content.length <= MAX_CONTENT_LENGTH) return { content, embeds: [], components, ...base };
    // Too long for content: an embed description holds twice as much; the pings stay in content, where they notify.
    return { ...(pings ? { content: pings } : {}), embeds: [{ description: clip(content, MAX_EMBED_DESCRIPTION_LENGTH) }], components, ...base };
  }

  const headerAt = reply.blocks.findIndex((block) => block.type === 'header');
  const lead: string[] = [];
  const description: string[] = [];
  const footer: string[] = [];
  const embedFields: APIEmbedField[] = [];
  let title: string | undefined;
  const lastContentAt = findLastIndex(reply.blocks, (block) => block.type === 'text' || block.type === 'fields' || block.type === 'header');

  reply.blocks.forEach((block, index) => {
    const inFields = embedFields.length > 0;
    switch (block.type) {
      case 'header':
        if (title === undefined) title = discordText(block.text);
        else if (inFields) embedFields.push({ name: clip(discordText(block.text), MAX_EMBED_FIELD_NAME_LENGTH), value: BLANK, inline: false });
        else description.push(`**${discordText(block.text)}**`);
        break;
      case 'text':
      case 'item':
        if (headerAt > index) lead.push(discordText(block.text));
        else if (inFields) embedFields.push({ name: BLANK, value: clip(discordText(block.text), MAX_EMBED_FIELD_VALUE_LENGTH), inline: false });
        else description.push(discordText(block.text));
        break;
      case 'fields':
        for (const field of block.fields) {
          embedFields.push({
            name: clip(discordText(field.label), MAX_EMBED_FIELD_NAME_LENGTH) || BLANK,
            value: clip(discordText(field.value), MAX_EMBED_FIELD_VALUE_LENGTH) || BLANK,
            inline: true,
          });
        }
        break;
      case 'context':
        if (index > lastContentAt) footer.push(renderMarked(block.text, toFooterText, (typed) => typed));
        else if (inFields) embedFields.push({ name: BLANK, value: clip(`*${discordText(block.text)}*`, MAX_EMBED_FIELD_VALUE_LENGTH), inline: false });
        else description.push(`*${discordText(block.text)}*`);
        break;
      case 'divider':
      case 'actions':
        break;
    }
  });

  const embed: APIEmbed = {};
  if (title !== undefined) embed.title = clip(title, MAX_EMBED_TITLE_LENGTH);
  if (description.length > 0) embed.description = clip(description.join('\n\n'), MAX_EMBED_DESCRIPTION_LENGTH);
  if (embedFields.length > 0) embed.fields = limitFields(embedFields);
  if (footer.length > 0) embed.footer = { text: clip(footer.join('\n'), MAX_EMBED_FOOTER_LENGTH) };
  fitEmbedTotal(embed);

  const content = withPings(lead.join('\n\n'));
  return {
    ...(content ? { content: clip(content, MAX_CONTENT_LENGTH) } : {}),
    embeds: [embed],
    components,
    ...base,
  };
}

/**
 * Buttons of actions blocks in rows of five, then the items' controls in the rows left: a button
 * per item action labelled with the item (`Mark paid: Zoë Tran · $500`) when they fit, else one
 * select menu per action naming each item (25 a menu). Never more than five rows.
 */
function renderComponents(blocks: readonly Block[], options: RenderOptions): Array<ButtonRow | SelectRow> {
  const seen = new Set<string>();
  const toButton = (button: Button, label: string): APIButtonComponentWithCustomId | undefined => {
    const customId = scoped(`${RUN_PREFIX}${button.line}`, options.scope);
    if (customId.length > MAX_CUSTOM_ID_LENGTH) {
      options.logger?.warn({ length: customId.length }, 'discord: button dropped, its command line is over 100 characters');
      return undefined;
    }
    // Discord refuses a message whose components repeat a custom id.
    if (seen.has(customId)) return undefined;
    seen.add(customId);
    return { type: ComponentType.Button, style: buttonStyle(button), label: clip(unmark(label), MAX_BUTTON_LABEL_LENGTH), custom_id: customId };
  };
  const rows: Array<ButtonRow | SelectRow> = [];
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    rows.push(...toRows(block.buttons.map((button) => toButton(button, button.label))));
  }
  const items = blocks.filter((block): block is ItemBlock => block.type === 'item' && block.buttons.length > 0);
  const itemButtons = items.flatMap((item) => item.buttons.map((button) => ({ item, button })));
  const free = MAX_ACTION_ROWS - rows.length;
  if (itemButtons.length > 0 && itemButtons.length <= free * MAX_BUTTONS_PER_ROW) {
    rows.push(...toRows(itemButtons.map(({ item, button }) => toButton(button, `${button.label}: ${unmark(item.label)}`))));
  } else if (itemButtons.length > 0) {
    rows.push(...itemMenus(itemButtons, options.scope));
  }
  if (rows.length > MAX_ACTION_ROWS) {
    options.logger?.warn({ rows: rows.length }, 'discord: controls beyond five rows dropped');
  }
  return rows.slice(0, MAX_ACTION_ROWS);
}

function toRows(buttons: Array<APIButtonComponentWithCustomId | undefined>): ButtonRow[] {
  const kept = buttons.filter((button): button is APIButtonComponentWithCustomId => button !== undefined);
  const rows: ButtonRow[] = [];
  for (let i = 0; i < kept.length; i += MAX_BUTTONS_PER_ROW) rows.push({ type: ComponentType.ActionRow, components: kept.slice(i, i + MAX_BUTTONS_PER_ROW) });
  return rows;
}

/** One menu per action label (`Mark paid…`), each option an item; a line too long for an option value is left out. */
function itemMenus(itemButtons: Array<{ item: ItemBlock; button: Button }>, scope: string | undefined): SelectRow[] {
  const byLabel = new Map<string, Array<{ item: ItemBlock; button: Button }>>();
  for (const entry of itemButtons) {
    const label = unmark(entry.button.label);
    byLabel.set(label, [...(byLabel.get(label) ?? []), entry]);
  }
  const rows: SelectRow[] = [];
  for (const [label, entries] of byLabel) {
    const values = new Set<string>();
    const choices = entries.filter(({ button }) => {
      if (button.line.length > MAX_SELECT_OPTION_VALUE_LENGTH || values.has(button.line)) return false;
      values.add(button.line);
      return true;
    });
    for (let i = 0; i < choices.length; i += MAX_SELECT_OPTIONS) {
      const part = choices.slice(i, i + MAX_SELECT_OPTIONS);
      rows.push({
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: scoped(`${PICK_PREFIX}${rows.length}`, scope),
            placeholder: clip(`${label}…`, MAX_SELECT_PLACEHOLDER_LENGTH),
            min_values: 1,
            max_values: 1,
            options: part.map(({ item, button }) => ({ label: clip(unmark(item.label), MAX_SELECT_OPTION_LABEL_LENGTH) || BLANK, value: button.line })),
          },
        ],
      });
    }
  }
  return rows;
}

function buttonStyle(button: Button): ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger {
  if (button.style === 'primary') return ButtonStyle.Primary;
  if (button.style === 'danger') return ButtonStyle.Danger;
  return ButtonStyle.Secondary;
}

function limitFields(all: APIEmbedField[]): APIEmbedField[] {
  if (all.length <= MAX_EMBED_FIELDS) return all;
  const kept = all.slice(0, MAX_EMBED_FIELDS - 1);
  kept.push({ name: BLANK, value: `…and ${all.length - kept.length} more`, inline: false });
  return kept;
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Shortens the description, then drops fields from the end, until the embed fits in 6000 characters. */
function fitEmbedTotal(embed: APIEmbed): void {
  let excess = embedLength(embed) - MAX_EMBED_TOTAL_LENGTH;
  if (excess <= 0) return;
  if (embed.description) {
    const keep = Math.max(embed.description.length - excess, 1);
    embed.description = clip(embed.description, keep);
    excess = embedLength(embed) - MAX_EMBED_TOTAL_LENGTH;
  }
  while (excess > 0 && embed.fields && embed.fields.length > 0) {
    embed.fields.pop();
    excess = embedLength(embed) - MAX_EMBED_TOTAL_LENGTH;
  }
}

/**
 * The neutral text is Slack-flavoured (`*bold*`, `~strike~`); Discord reads `*x*` as italic.
 * Mentions (`<@id>`) are the same on both and pass through.
 */
export function toDiscordMarkdown(text: string): string {
  return text
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1**$2**')
    .replace(/(^|[^~\w])~(?=\S)([^~\n]*?\S)~(?![~\w])/g, '$1~~$2~~');
}

/**
 * Typed text shown as typed: markdown marks, masked links (`[x](url)`), headings and quotes are
 * backslash-escaped, `<` is escaped so no `<@id>`, `<#id>` or `<t:…>` comes alive, and `@everyone`
 * / `@here` get a zero-width joiner. A bare web link stays as typed: Discord reads it as a link
 * before any markdown, so a backslash in it would end up in the address.
 */
export function escapeDiscord(value: string): string {
  return value
    .split(BARE_URL)
    .map((part, i) => (i % 2 === 1 ? part : escapeMarkdown(part)))
    .join('');
}

/** Discord's own autolink rule: `http(s)://` up to a space or `<`, not ending in punctuation. */
const BARE_URL = /(https?:\/\/[^\s<]+[^<.,:;"')\]\s])/;

const escapeMarkdown = (value: string): string =>
  value
    .replace(/[\\*_~`|>#\-[\]()<]/g, '\\$&')
    .replace(/^(\s*\d+)\./gm, '$1\\.')
    .replace(/@(everyone|here)/gi, '@\u200b$1');

/** Reply text as Discord markdown: the bot's own markup converted, typed spans escaped. */
export const discordText = (value: string): string => renderMarked(value, toDiscordMarkdown, escapeDiscord);

/** Footers render neither markdown nor mentions: drop the marks, show mentions as `@id`. */
function toFooterText(text: string): string {
  return text
    .replace(/<@!?([^>|]+)>/g, '@$1')
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g, '$1$2');
}

export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(max - 1, 0))}…`;
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Modals

/** `form:influencer edit who:65f0…`: what to run with the answers. Values are URI-encoded, so spaces and colons survive. */
export function encodeFormId(submit: Form['submit'], scope?: string): string | undefined {
  const args = Object.entries(submit.args).map(([key, value]) => `${key}:${encodeURIComponent(value)}`);
  const id = scoped(`${FORM_PREFIX}${[submit.command, submit.subcommand, ...args].join(' ')}`, scope);
  return id.length <= MAX_CUSTOM_ID_LENGTH ? id : undefined;
}

export function decodeFormId(customId: string): Form['submit'] | undefined {
  if (!customId.startsWith(FORM_PREFIX)) return undefined;
  const [command, subcommand, ...pairs] = customId.slice(FORM_PREFIX.length).split(' ').filter(Boolean);
  if (!command || !subcommand) return undefined;
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const colon = pair.indexOf(':');
    if (colon <= 0) return undefined;
    try {
      args[pair.slice(0, colon)] = decodeURIComponent(pair.slice(colon + 1));
    } catch {
      return undefined;
    }
  }
  return { command, subcommand, args };
}

export class FormTooLargeError extends Error {
  constructor(readonly submit: Form['submit']) {
    super(`The form for /${submit.command} ${submit.subcommand} does not fit a Discord custom id of ${MAX_CUSTOM_ID_LENGTH} characters`);
    this.name = 'FormTooLargeError';
  }
}

/**
 * A modal of at most five text inputs: the first five fields (forms order them by importance;
 * the rest are typed options on the slash command). Selects become text inputs whose
 * placeholder lists the accepted values; the schema validates what is typed.
 */
export function renderModal(form: Form, options: Pick<RenderOptions, 'scope'> = {}): APIModalInteractionResponseCallbackData {
  const customId = encodeFormId(form.submit, options.scope);
  if (!customId) throw new FormTooLargeError(form.submit);
  return {
    custom_id: customId,
    title: clip(form.title, MAX_MODAL_TITLE_LENGTH),
    components: form.fields.slice(0, MAX_MODAL_TEXT_INPUTS).map((field) => ({
      type: ComponentType.ActionRow,
      components: [textInput(field)],
    })),
  };
}

function textInput(field: FormField): APITextInputComponent {
  const placeholder = placeholderFor(field);
  const value = field.initial ? clip(field.initial, MAX_TEXT_INPUT_VALUE_LENGTH) : undefined;
  return {
    type: ComponentType.TextInput,
    custom_id: field.name,
    label: clip(field.label, MAX_TEXT_INPUT_LABEL_LENGTH),
    style: field.kind === 'multiline' ? TextInputStyle.Paragraph : TextInputStyle.Short,
    // Discord makes text inputs required unless told otherwise.
    required: field.required ?? false,
    ...(placeholder ? { placeholder: clip(placeholder, MAX_TEXT_INPUT_PLACEHOLDER_LENGTH) } : {}),
    ...(value ? { value } : {}),
  };
}

function placeholderFor(field: FormField): string | undefined {
  if (field.kind === 'select' && field.options?.length) return acceptedValues(field.options.map((option) => option.value));
  if (field.placeholder) return field.placeholder;
  if (field.hint) return field.hint;
  if (field.kind === 'date') return 'YYYY-MM-DD';
  if (field.kind === 'user') return 'a user id';
  return undefined;
}

/** The accepted values in the most readable form that fits a placeholder. */
function acceptedValues(values: string[]): string {
  const candidates = [`One of: ${values.join(', ')}`, values.join(', '), values.join('/')];
  return candidates.find((candidate) => candidate.length <= MAX_TEXT_INPUT_PLACEHOLDER_LENGTH) ?? candidates[2]!;
}

/** A submitted modal's components (raw API or discord.js shape, action rows or labels) -> field name -> value. */
export function readModalValues(components: readonly unknown[]): Record<string, string> {
  const values: Record<string, string> = {};
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const item = node as { custom_id?: unknown; customId?: unknown; value?: unknown; components?: unknown; component?: unknown };
    const id = item.custom_id ?? item.customId;
    if (typeof id === 'string' && typeof item.value === 'string') values[id] = item.value;
    if (Array.isArray(item.components)) item.components.forEach(visit);
    if (item.component) visit(item.component);
  };
  components.forEach(visit);
  return values;
}
