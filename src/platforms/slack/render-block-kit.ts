import type { ViewStateValue, types } from '@slack/bolt';
import { isCalendarDate, literal, renderMarked, toPlainText, unmark, type Block, type Button, type Form, type FormField, type ItemBlock, type Reply } from '../../core';

/**
 * The neutral Reply and Form trees as Slack Block Kit. Pure: the adapter sends what these
 * return; tests compare them with exact `toEqual`.
 */

/** Slack's Block Kit limits (api.slack.com reference: blocks, block elements, composition objects, views). */
export const MAX_SECTION_TEXT_LENGTH = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_LENGTH = 2000;
export const MAX_HEADER_LENGTH = 150;
/** A context block's mrkdwn element, like any text object, holds at most 3000 characters. */
export const MAX_CONTEXT_TEXT_LENGTH = 3000;
export const MAX_BUTTON_TEXT_LENGTH = 75;
export const MAX_BUTTON_VALUE_LENGTH = 2000;
export const MAX_ACTIONS_ELEMENTS = 25;
/** Messages take 50 blocks; modals and Home tabs 100. */
export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_MODAL_BLOCKS = 100;
export const MAX_MODAL_TITLE_LENGTH = 24;
export const MAX_MODAL_BUTTON_LENGTH = 24;
export const MAX_PRIVATE_METADATA_LENGTH = 3000;
export const MAX_INPUT_LABEL_LENGTH = 2000;
export const MAX_INPUT_HINT_LENGTH = 2000;
export const MAX_PLACEHOLDER_LENGTH = 150;
/** plain_text_input's max_length tops out at 3000, and a longer initial_value is refused. */
export const MAX_PLAIN_TEXT_INPUT_LENGTH = 3000;
export const MAX_SELECT_OPTIONS = 100;
/** An overflow menu holds 2 to 5 options. */
export const MAX_OVERFLOW_OPTIONS = 5;
export const MAX_OPTION_TEXT_LENGTH = 75;
export const MAX_OPTION_VALUE_LENGTH = 150;
/** A typeahead asks for options once this many characters are typed. */
export const MIN_SUGGEST_QUERY_LENGTH = 1;
/** chat.postMessage truncates `text` beyond this. */
export const MAX_MESSAGE_TEXT_LENGTH = 40000;

/** Every button runs its `line` through this action id prefix; the index keeps ids unique within a message. */
export const RUN_ACTION_PREFIX = 'irm:run:';
export const RUN_ACTION_PATTERN = /^irm:run:\d+$/;
/** The one modal callback: what to run travels in private_metadata. */
export const FORM_CALLBACK_ID = 'irm:form';
/** Each input block has one element; its action id is fixed so the block id alone names the field. */
export const INPUT_ACTION_ID = 'value';

const ELLIPSIS = '…';

export interface SlackMessage {
  /** Plain-text fallback: notifications, screen readers, clients without Block Kit. */
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * Slack notifies everyone a message mentions, and has no silent mention. So in a channel post a
 * mention of someone the reply does not notify (a shared card's owner) is shown as their name, as
 * plain typed text: `names` from users.info, else the id. Private answers notify nobody and keep them.
 */
export function silenceMentions(reply: Reply, names: ReadonlyMap<string, string> = new Map()): Reply {
  if (reply.visibility !== 'channel') return reply;
  const notify = new Set(reply.notify ?? []);
  const quiet = (text: string) =>
    outsideTyped(text, (own) => own.replace(/<@([A-Z0-9]+)>/g, (all, id: string) => (notify.has(id) ? all : literal(`@${names.get(id) ?? id}`))));
  const blocks = reply.blocks.map((block): Block => {
    switch (block.type) {
      case 'header':
      case 'text':
      case 'context':
        return { ...block, text: quiet(block.text) };
      case 'item':
        return { ...block, text: quiet(block.text) };
      case 'fields':
        return { ...block, fields: block.fields.map((f) => ({ label: quiet(f.label), value: quiet(f.value) })) };
      default:
        return block;
    }
  });
  return { ...reply, blocks };
}

/** The ids a channel post mentions without notifying them: whose names {@link silenceMentions} wants. */
export function silentMentionIds(reply: Reply): string[] {
  if (reply.visibility !== 'channel') return [];
  const notify = new Set(reply.notify ?? []);
  const ids = new Set<string>();
  outsideTyped(JSON.stringify(reply.blocks), (own) => {
    for (const match of own.matchAll(/<@([A-Z0-9]+)>/g)) if (!notify.has(match[1]!)) ids.add(match[1]!);
    return own;
  });
  return [...ids];
}

/** Applies `change` to the bot's own words only: text a person typed (a {@link literal} span) is never a mention. */
const outsideTyped = (text: string, change: (own: string) => string): string =>
  text
    .split(/(\uE000[^\uE000-\uE003]*\uE001)/)
    .map((part, i) => (i % 2 === 1 ? part : change(part)))
    .join('');

export function renderReply(answer: Reply, names?: ReadonlyMap<string, string>): SlackMessage {
  const reply = silenceMentions(answer, names);
  const blocks: types.KnownBlock[] = [];
  let buttonIndex = 0;
  for (const block of reply.blocks) {
    for (const rendered of renderBlock(block, () => buttonIndex++)) blocks.push(rendered);
  }
  if (blocks.length > MAX_MESSAGE_BLOCKS) {
    const hidden = blocks.length - (MAX_MESSAGE_BLOCKS - 1);
    blocks.splice(MAX_MESSAGE_BLOCKS - 1, hidden, contextBlock(`${hidden} more blocks not shown.`));
  }
  return { text: truncate(toPlainText(reply, { markup: escapeText, typed: escapeTyped }), MAX_MESSAGE_TEXT_LENGTH, true), blocks };
}

function renderBlock(block: Block, nextButtonIndex: () => number): types.KnownBlock[] {
  switch (block.type) {
    case 'header': {
      const text = unmark(block.text).trim();
      return text ? [{ type: 'header', text: { type: 'plain_text', text: truncate(text, MAX_HEADER_LENGTH), emoji: true } }] : [];
    }
    case 'text':
      return block.text.trim() ? [{ type: 'section', text: mrkdwn(block.text, MAX_SECTION_TEXT_LENGTH) }] : [];
    case 'context':
      return block.text.trim() ? [contextBlock(block.text)] : [];
    case 'divider':
      return [{ type: 'divider' }];
    case 'fields':
      return chunk(block.fields, MAX_SECTION_FIELDS).map((group) => ({
        type: 'section',
        fields: group.map((field) => mrkdwnTruncated(`*${slackText(field.label)}*\n${slackText(field.value)}`, MAX_SECTION_FIELD_LENGTH)),
      }));
    case 'item':
      return renderItem(block, nextButtonIndex);
    case 'actions': {
      // A line too long for a button value cannot be run back, so the button is left out rather than cut.
      const buttons = block.buttons.filter((b) => b.line.length <= MAX_BUTTON_VALUE_LENGTH);
      return chunk(buttons, MAX_ACTIONS_ELEMENTS).map((group) => ({
        type: 'actions',
        elements: group.map((b) => renderButton(b, nextButtonIndex())),
      }));
    }
  }
}

/**
 * A section whose accessory is the item's button, or an overflow menu of its buttons when it has
 * several. Lines too long for an overflow option value fall back to an actions block under the line.
 */
function renderItem(block: ItemBlock, nextButtonIndex: () => number): types.KnownBlock[] {
  const section: types.SectionBlock = { type: 'section', text: mrkdwn(block.text.trim() || unmark(block.label), MAX_SECTION_TEXT_LENGTH) };
  const buttons = block.buttons.filter((b) => b.line.length <= MAX_BUTTON_VALUE_LENGTH);
  if (buttons.length === 0) return [section];
  if (buttons.length === 1) return [{ ...section, accessory: renderButton(buttons[0]!, nextButtonIndex()) }];
  if (buttons.length <= MAX_OVERFLOW_OPTIONS && buttons.every((b) => b.line.length <= MAX_OPTION_VALUE_LENGTH)) {
    const overflow: types.Overflow = {
      type: 'overflow',
      action_id: `${RUN_ACTION_PREFIX}${nextButtonIndex()}`,
      options: buttons.map((b) => ({ text: plain(b.label, MAX_OPTION_TEXT_LENGTH), value: b.line })),
    };
    return [{ ...section, accessory: overflow }];
  }
  return [section, ...renderBlock({ type: 'actions', buttons }, nextButtonIndex)];
}

function renderButton(b: Button, index: number): types.Button {
  return {
    type: 'button',
    action_id: `${RUN_ACTION_PREFIX}${index}`,
    text: plain(b.label, MAX_BUTTON_TEXT_LENGTH),
    value: b.line,
    ...(b.style ? { style: b.style } : {}),
  };
}

const contextBlock = (text: string): types.ContextBlock => ({ type: 'context', elements: [mrkdwn(text, MAX_CONTEXT_TEXT_LENGTH)] });

/**
 * A modal for the form. Block ids are the field names, so `response_action: errors` can be keyed
 * by argument name. A field whose current value is longer than Slack lets an input hold is left
 * out (with a note) instead of being cut: submitting a cut value would silently lose the rest.
 */
export function renderModal(form: Form, privateMetadata: string): types.ModalView {
  if (privateMetadata.length > MAX_PRIVATE_METADATA_LENGTH) {
    throw new RangeError(`private_metadata is ${privateMetadata.length} characters; Slack accepts ${MAX_PRIVATE_METADATA_LENGTH}`);
  }
  const blocks: types.KnownBlock[] = form.fields.map((field) =>
    tooLongToEdit(field)
      ? contextBlock(`*${escapeText(field.label)}* is longer than a Slack form can hold; change it with \`/${form.submit.command} ${form.submit.subcommand} … ${field.name}:"…"\`.`)
      : inputBlock(field),
  );
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    title: plain(form.title, MAX_MODAL_TITLE_LENGTH),
    submit: plain(form.submitLabel, MAX_MODAL_BUTTON_LENGTH),
    close: plain('Cancel', MAX_MODAL_BUTTON_LENGTH),
    private_metadata: privateMetadata,
    blocks: blocks.slice(0, MAX_MODAL_BLOCKS),
  };
}

const tooLongToEdit = (field: FormField) =>
  (field.kind === 'text' || field.kind === 'multiline') && (field.initial?.length ?? 0) > MAX_PLAIN_TEXT_INPUT_LENGTH;

function inputBlock(field: FormField): types.InputBlock {
  return {
    type: 'input',
    block_id: field.name,
    optional: !field.required,
    label: plain(field.label, MAX_INPUT_LABEL_LENGTH),
    ...(field.hint ? { hint: plain(field.hint, MAX_INPUT_HINT_LENGTH) } : {}),
    element: inputElement(field),
  };
}

function inputElement(field: FormField): types.InputBlockElement {
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, MAX_PLACEHOLDER_LENGTH) } : {};
  const initial = field.initial?.trim() ? field.initial : undefined;
  switch (field.kind) {
    case 'select': {
      const options = (field.options ?? [])
        .filter((o) => o.value.length <= MAX_OPTION_VALUE_LENGTH)
        .slice(0, MAX_SELECT_OPTIONS)
        .map((o) => ({ text: plain(o.label, MAX_OPTION_TEXT_LENGTH), value: o.value }));
      if (options.length === 0) break;
      const selected = options.find((o) => o.value === initial);
      return { type: 'static_select', action_id: INPUT_ACTION_ID, options, ...(selected ? { initial_option: selected } : {}), ...placeholder };
    }
    case 'date':
      return { type: 'datepicker', action_id: INPUT_ACTION_ID, ...(initial && isCalendarDate(initial) ? { initial_date: initial } : {}), ...placeholder };
    case 'number':
      return {
        type: 'number_input',
        action_id: INPUT_ACTION_ID,
        is_decimal_allowed: false,
        ...(initial && /^-?\d+$/.test(initial.trim()) ? { initial_value: initial.trim() } : {}),
        ...placeholder,
      };
    case 'user': {
      const user = initial?.replace(/^<@([^>|]+)(?:\|[^>]*)?>$/, '$1').replace(/^@/, '');
      return { type: 'users_select', action_id: INPUT_ACTION_ID, ...(user && /^[UW][A-Z0-9]+$/.test(user) ? { initial_user: user } : {}), ...placeholder };
    }
    case 'file':
      return { type: 'file_input', action_id: INPUT_ACTION_ID, filetypes: ['csv'], max_files: 1 };
    case 'text':
      // A typeahead: Slack asks the options load URL as the person types (block_suggestion).
      if (field.suggest) {
        // A form shown again keeps what was picked (its label when known, else the value itself).
        const picked = initial && initial.length <= MAX_OPTION_VALUE_LENGTH ? { initial_option: { text: plain(field.initialLabel?.trim() || initial, MAX_OPTION_TEXT_LENGTH), value: initial } } : {};
        return { type: 'external_select', action_id: INPUT_ACTION_ID, min_query_length: MIN_SUGGEST_QUERY_LENGTH, ...picked, ...placeholder };
      }
      break;
    case 'multiline':
      break;
  }
  return {
    type: 'plain_text_input',
    action_id: INPUT_ACTION_ID,
    ...(field.kind === 'multiline' ? { multiline: true } : {}),
    ...(initial ? { initial_value: initial } : {}),
    ...placeholder,
  };
}

/**
 * The submitted values by block id (= argument name). A cleared field is `''`: forms that edit
 * treat blank as "clear", forms that add treat it as "not given".
 */
export function readViewValues(values: Record<string, Record<string, ViewStateValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const state = actions[INPUT_ACTION_ID] ?? Object.values(actions)[0];
    if (state) out[blockId] = stateValue(state);
  }
  return out;
}

/** The texts of the options picked in typeaheads (external selects), by block id: what a form shown again displays for their values. */
export function readViewLabels(values: Record<string, Record<string, ViewStateValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const state = actions[INPUT_ACTION_ID] ?? Object.values(actions)[0];
    const text = state?.type === 'external_select' ? state.selected_option?.text?.text : undefined;
    if (text) out[blockId] = text;
  }
  return out;
}

function stateValue(state: ViewStateValue): string {
  switch (state.type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return state.selected_option?.value ?? '';
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return (state.selected_options ?? []).map((o) => o.value).join(',');
    case 'datepicker':
      return state.selected_date ?? '';
    case 'timepicker':
      return state.selected_time ?? '';
    case 'users_select':
      return state.selected_user ?? '';
    case 'multi_users_select':
      return (state.selected_users ?? []).join(',');
    case 'conversations_select':
      return state.selected_conversation ?? '';
    case 'channels_select':
      return state.selected_channel ?? '';
    case 'file_input':
      return state.files?.[0]?.id ?? '';
    default:
      return state.value ?? '';
  }
}

/**
 * `response_action: errors` for a refused submission. Slack shows errors only under blocks that
 * exist, so messages for other arguments (or a refusal without field messages) go under the first block.
 */
export function viewErrors(blockIds: readonly string[], fieldErrors: Record<string, string>, fallbackMessage: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const [field, message] of Object.entries(fieldErrors)) {
    if (blockIds.includes(field)) errors[field] = message;
    else elsewhere.push(`${field}: ${message}`);
  }
  const first = blockIds[0];
  if (first && (elsewhere.length > 0 || Object.keys(errors).length === 0)) {
    // Nothing landed on a block: the whole message says more than "handle: already taken".
    const extra = Object.keys(errors).length === 0 ? fallbackMessage : elsewhere.join('\n');
    errors[first] = errors[first] ? `${errors[first]}\n${extra}` : extra;
  }
  return errors;
}

/**
 * `&`, `<` and `>` are control characters in mrkdwn. User and channel mentions (`<@U123>`,
 * `<#C123>`) stay mentions; anything else in angle brackets (`<!channel>`, `<https://…|…>`) is
 * shown as typed, so stored text can neither ping everyone nor disguise a link.
 */
export function escapeText(value: string): string {
  return value
    .split(/(<(?:[@#]|!subteam\^)[A-Za-z0-9._-]+(?:\|[^<>]*)?>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
}

/** Typed text shows as typed: `&`, `<` and `>` all escaped, so not even `<@U123>` is a mention. */
export const escapeTyped = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Reply text as mrkdwn: the bot's own markup through {@link escapeText}, typed spans fully escaped. */
export const slackText = (value: string): string => renderMarked(value, escapeText, escapeTyped);

const mrkdwn = (value: string, max: number): types.MrkdwnElement => mrkdwnTruncated(slackText(value), max);

function mrkdwnTruncated(escaped: string, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(escaped, max, true) };
}

const plain = (value: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: truncate(unmark(value), max), emoji: true });

/** Cuts to `max` characters with an ellipsis; in mrkdwn, never through an escape (`&amp;`) or a mention. */
export function truncate(value: string, max: number, markup = false): string {
  if (value.length <= max) return value;
  let cut = value.slice(0, max - ELLIPSIS.length);
  if (markup) cut = cut.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, '');
  // Do not leave half of a surrogate pair (emoji) before the ellipsis.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
