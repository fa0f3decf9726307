import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
  type APITextInputComponent,
} from 'discord.js';
import type { Block, Button, Form, FormField, Logger, Reply } from '../../core';

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
export const MAX_MODAL_TITLE_LENGTH = 45;
export const MAX_MODAL_TEXT_INPUTS = 5;
export const MAX_TEXT_INPUT_LABEL_LENGTH = 45;
export const MAX_TEXT_INPUT_PLACEHOLDER_LENGTH = 100;
export const MAX_TEXT_INPUT_VALUE_LENGTH = 4000;

/** Button custom ids carry the command line to run; modal custom ids carry what to submit. */
export const RUN_PREFIX = 'run:';
export const FORM_PREFIX = 'form:';

/** Discord refuses empty field names and values; a zero-width space stands in for "no text". */
const BLANK = '\u200b';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** 64 (ephemeral) for private replies. */
  flags: number;
  allowed_mentions: APIAllowedMentions;
}

export interface RenderOptions {
  /** Told about buttons that cannot be rendered (custom id over 100 characters). */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * One embed: the first header is its title, text its description, fields inline fields and
 * trailing context its footer. Text before the header is the message content (the "Added Zoë."
 * lead line); context between fields becomes a full-width separator field, so "only you can
 * see the details below" stays above those details. A reply of plain text is plain content.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage {
  const isPrivate = reply.visibility === 'private';
  const base = {
    flags: isPrivate ? MessageFlags.Ephemeral : 0,
    // Private answers never ping; channel posts may ping a user they name, never roles or @everyone.
    allowed_mentions: (isPrivate ? { parse: [] } : { parse: ['users'] }) as APIAllowedMentions,
  };
  const components = renderButtons(reply.blocks, options);
  const isPlainText = reply.blocks.every((block) => block.type === 'text' || block.type === 'divider' || block.type === 'actions');

  if (isPlainText) {
    const content = reply.blocks
      .filter((block): block is Extract<Block, { type: 'text' }> => block.type === 'text')
      .map((block) => toDiscordMarkdown(block.text))
      .join('\n\n');
    if (content.length === 0) return { content: BLANK, embeds: [], components, ...base };
    if (content.length <= MAX_CONTENT_LENGTH) return { content, embeds: [], components, ...base };
    // Too long for content: an embed description holds twice as much.
    return { embeds: [{ description: clip(content, MAX_EMBED_DESCRIPTION_LENGTH) }], components, ...base };
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
        if (title === undefined) title = block.text;
        else if (inFields) embedFields.push({ name: clip(block.text, MAX_EMBED_FIELD_NAME_LENGTH), value: BLANK, inline: false });
        else description.push(`**${block.text}**`);
        break;
      case 'text':
        if (headerAt > index) lead.push(toDiscordMarkdown(block.text));
        else if (inFields) embedFields.push({ name: BLANK, value: clip(toDiscordMarkdown(block.text), MAX_EMBED_FIELD_VALUE_LENGTH), inline: false });
        else description.push(toDiscordMarkdown(block.text));
        break;
      case 'fields':
        for (const field of block.fields) {
          embedFields.push({
            name: clip(field.label, MAX_EMBED_FIELD_NAME_LENGTH) || BLANK,
            value: clip(toDiscordMarkdown(field.value), MAX_EMBED_FIELD_VALUE_LENGTH) || BLANK,
            inline: true,
          });
        }
        break;
      case 'context':
        if (index > lastContentAt) footer.push(block.text);
        else if (inFields) embedFields.push({ name: BLANK, value: clip(`*${block.text}*`, MAX_EMBED_FIELD_VALUE_LENGTH), inline: false });
        else description.push(`*${block.text}*`);
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
  if (footer.length > 0) embed.footer = { text: clip(toFooterText(footer.join('\n')), MAX_EMBED_FOOTER_LENGTH) };
  fitEmbedTotal(embed);

  const content = lead.join('\n\n');
  return {
    ...(content ? { content: clip(content, MAX_CONTENT_LENGTH) } : {}),
    embeds: [embed],
    components,
    ...base,
  };
}

function renderButtons(blocks: readonly Block[], options: RenderOptions): ButtonRow[] {
  const rows: ButtonRow[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    const buttons: APIButtonComponentWithCustomId[] = [];
    for (const button of block.buttons) {
      const customId = `${RUN_PREFIX}${button.line}`;
      if (customId.length > MAX_CUSTOM_ID_LENGTH) {
        options.logger?.warn({ label: button.label, length: customId.length }, 'discord: button dropped, its command line is over 100 characters');
        continue;
      }
      // Discord refuses a message whose components repeat a custom id.
      if (seen.has(customId)) continue;
      seen.add(customId);
      buttons.push({
        type: ComponentType.Button,
        style: buttonStyle(button),
        label: clip(button.label, MAX_BUTTON_LABEL_LENGTH),
        custom_id: customId,
      });
    }
    for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW) {
      rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + MAX_BUTTONS_PER_ROW) });
    }
  }
  if (rows.length > MAX_ACTION_ROWS) {
    options.logger?.warn({ rows: rows.length }, 'discord: buttons beyond five rows dropped');
  }
  return rows.slice(0, MAX_ACTION_ROWS);
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
export function encodeFormId(submit: Form['submit']): string | undefined {
  const args = Object.entries(submit.args).map(([key, value]) => `${key}:${encodeURIComponent(value)}`);
  const id = `${FORM_PREFIX}${[submit.command, submit.subcommand, ...args].join(' ')}`;
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
export function renderModal(form: Form): APIModalInteractionResponseCallbackData {
  const customId = encodeFormId(form.submit);
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
