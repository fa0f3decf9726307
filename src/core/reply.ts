/**
 * The neutral reply model. Commands and jobs answer with these plain trees; each platform
 * has one pure renderer that turns them into Block Kit, Discord payloads or plain text.
 */

/** A button re-enters the bot as if the user had typed `line` (e.g. `influencer archive 65f0...`). */
export interface Button {
  label: string;
  line: string;
  style?: 'primary' | 'danger';
}

/**
 * One line with its own actions (a payment with "Mark paid", a creator with "Log touchpoint").
 * Slack puts the buttons beside the line; Discord, which cannot, labels each button with `label`
 * (or, when there are too many, offers a menu naming each item).
 */
export interface ItemBlock {
  type: 'item';
  /** The line, markdown-lite like a text block. */
  text: string;
  /** A short plain name of the item (`Zoë Tran · $500`), shown on controls away from the line. */
  label: string;
  buttons: Button[];
}

/**
 * Text is markdown-lite: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, `<@userId>` mentions.
 * Anything a person typed (names, titles, notes, tags) goes in wrapped with {@link literal}, so
 * every renderer shows it exactly as typed: never as markup, a link or a mention.
 */
export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; buttons: Button[] }
  | ItemBlock;

/** A file sent with a reply or post: a chart, a CSV export. */
export interface Attachment {
  /** The file name people see and save as (`payments-2026-11.csv`); path separators are not allowed. */
  name: string;
  /** `text/csv`, `image/png`, ... */
  mimeType: string;
  bytes: Uint8Array;
}

export interface Reply {
  kind: 'reply';
  /** `private`: only the person who asked sees it (ephemeral). `channel`: everyone in the channel. */
  visibility: 'private' | 'channel';
  blocks: Block[];
  /** Files delivered with the message (Slack: uploaded next to it; Discord: attachments; console: saved and their path printed). */
  files?: Attachment[];
  /**
   * Platform user ids this message notifies (an owner of a late payment). Only they are pinged,
   * and only in a channel post: never roles, `@everyone` or `@here`, never from a private answer.
   * Discord pings only from a message's content, so they are named there as well as where the text names them.
   */
  notify?: string[];
  /**
   * Messages sent right after this one, each on its own with its own visibility, files and limits
   * (a preview of several scheduled posts shows each as it would be posted). Slack: each through the
   * response_url as a new message; Discord: an interaction follow-up each (ephemeral when private);
   * console: printed in turn. App Home shows only the first.
   */
  more?: Reply[];
}

/** `file`: an attached file (Slack file input; the console asks for a path). Discord modals have none: such a form is not offered there. */
export type FieldKind = 'text' | 'multiline' | 'select' | 'date' | 'number' | 'user' | 'file';

export interface FormField {
  /** The argument name the value is submitted as; the zod schema validates it. */
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  initial?: string;
  /** What a typeahead shows for `initial` (its value is an id): Slack's selected option needs a text. */
  initialLabel?: string;
  options?: Array<{ value: string; label: string }>;
  /**
   * Offer what the command suggests for this argument while it is typed (Slack: a typeahead
   * select answered by the command's `suggest`). Surfaces without one keep a text input, whose
   * value is resolved like a typed argument.
   */
  suggest?: boolean;
}

/** A form asks for the fields, then runs `submit` with the answers merged into its args. */
export interface Form {
  kind: 'form';
  title: string;
  submitLabel: string;
  /** Ordered by importance: platforms with a field limit (Discord: 5) keep the first ones. */
  fields: FormField[];
  submit: { command: string; subcommand: string; args: Record<string, string> };
}

export type Answer = Reply | Form;

/** Select options whose labels are their values (stages, kinds, types). */
export const selectOptions = (values: readonly string[]): Array<{ value: string; label: string }> =>
  values.map((value) => ({ value, label: value }));

export const reply = (blocks: Block[], visibility: Reply['visibility'] = 'private'): Reply => ({
  kind: 'reply',
  visibility,
  blocks,
});

export const text = (value: string, visibility: Reply['visibility'] = 'private'): Reply =>
  reply([{ type: 'text', text: value }], visibility);

export const header = (value: string): Block => ({ type: 'header', text: value });
export const para = (value: string): Block => ({ type: 'text', text: value });
export const context = (value: string): Block => ({ type: 'context', text: value });
export const divider = (): Block => ({ type: 'divider' });
export const fields = (entries: Array<[label: string, value: string | undefined | null]>): Block => ({
  type: 'fields',
  fields: entries
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .map(([label, value]) => ({ label, value })),
});
export const actions = (...buttons: Button[]): Block => ({ type: 'actions', buttons });
/**
 * A line with its own buttons: `item(`• ${literal(name)} · $500`, `${name} · $500`, button('Mark paid', 'payment paid 65f0…'))`.
 * `label` is plain text (no markup, no `literal`): it is what a Discord button or menu says the control is about.
 */
export const item = (text: string, label: string, ...buttons: Button[]): ItemBlock => ({ type: 'item', text, label, buttons });
/** A file to send with a reply: `{ ...reply, files: [file('report.csv', 'text/csv', bytes)] }`. */
export const file = (name: string, mimeType: string, bytes: Uint8Array | string): Attachment => ({
  name,
  mimeType,
  bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
});
/** The same reply, notifying `userIds` (see {@link Reply.notify}). */
export const notifying = (answer: Reply, userIds: readonly string[]): Reply => ({ ...answer, notify: [...new Set(userIds)] });
export const button = (label: string, line: string, style?: Button['style']): Button =>
  style ? { label, line, style } : { label, line };
/** Previous / Next for page `page` of `pages`; from past the end, Previous goes to the last page. */
export const pageButtons = (page: number, pages: number, line: (page: number) => string): Button[] => [
  ...(page > 1 ? [button('Previous', line(Math.min(page, pages + 1) - 1))] : []),
  ...(page < pages ? [button('Next', line(page + 1))] : []),
];

/** `page:9` of a list of 1 page: says the page is past the last one and names the last. */
export const pastLastPage = (page: number, pages: number): string => `Page ${page} is past the last one: the last is page ${pages}.`;
/** The footer's page: `page 2 of 3`, or `3 pages` when the page asked is past the last. */
export const pageOf = (page: number, pages: number): string => (page > pages ? `${pages} page${pages === 1 ? '' : 's'}` : `page ${page} of ${pages}`);

/** Mentions are written `<@id>` in reply text: Slack and Discord both render that form. To ping, also list the id in {@link Reply.notify}. */
export const mention = (userId: string): string => `<@${userId}>`;

/*
 * User-supplied text travels inside reply strings between two private-use characters, so the
 * builders stay plain template strings (`*${literal(name)}* joined`) and each renderer can find
 * and escape exactly what a person typed. Typed input cannot forge the marks: `literal` drops them.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKS = /[\uE000-\uE003]/g;
const LITERAL = /\uE000([^\uE000-\uE003]*)\uE001/g;

/** Marks text a person typed (a name, a title, a tag): renderers show it as typed, never as markup, a link or a mention. */
export const literal = (value: string | number): string => `${OPEN}${String(value).replace(MARKS, '')}${CLOSE}`;

/**
 * Renders marked text: `markup` sees the text with each literal span replaced by an inert
 * placeholder (so `*${literal(x)}*` still pairs up), then each span comes back through `escape`.
 */
export function renderMarked(text: string, markup: (value: string) => string, escape: (value: string) => string): string {
  const spans: string[] = [];
  const withPlaceholders = text.replace(/[\uE002\uE003]/g, '').replace(LITERAL, (_all, inner: string) => `\uE002${spans.push(inner) - 1}\uE003`).replace(/[\uE000\uE001]/g, '');
  return markup(withPlaceholders).replace(/\uE002(\d+)\uE003/g, (_all, index: string) => escape(spans[Number(index)] ?? ''));
}

/** The text with the literal marks removed, for surfaces that show no markup at all (buttons, the console). */
export const unmark = (text: string): string => text.replace(MARKS, '');

/** How a surface shows text: `markup` for the bot's own words, `typed` for what people typed (see {@link literal}). */
export interface PlainTextOptions {
  markup?: (value: string) => string;
  typed?: (value: string) => string;
}

/** The plain-text fallback (Slack `text`, notifications, the console): markup dropped, typed text kept as typed. */
export function toPlainText(answer: Reply, options: PlainTextOptions = {}): string {
  const markup = options.markup ?? ((value: string) => value);
  const show = (value: string) => renderMarked(value, (own) => markup(stripMarkup(own)), options.typed ?? ((typed) => typed));
  const lines: string[] = [];
  for (const block of answer.blocks) {
    switch (block.type) {
      case 'header': {
        const title = show(block.text);
        lines.push(title.toUpperCase() === title ? title : `== ${title} ==`);
        break;
      }
      case 'text':
      case 'context':
        lines.push(show(block.text));
        break;
      case 'fields':
        for (const field of block.fields) lines.push(`${show(field.label)}: ${show(field.value)}`);
        break;
      case 'divider':
        lines.push('---');
        break;
      case 'actions':
        lines.push(buttonsText(block.buttons, show));
        break;
      case 'item':
        lines.push(block.buttons.length ? `${show(block.text)}  ${buttonsText(block.buttons, show)}` : show(block.text));
        break;
    }
  }
  return lines.join('\n');
}

const buttonsText = (buttons: readonly Button[], show: (value: string) => string) => buttons.map((b) => `[${show(b.label)}: ${b.line}]`).join('  ');

function stripMarkup(value: string): string {
  return value.replace(/<@([^>|]+)>/g, '@$1').replace(/\*([^*\n]+)\*/g, '$1');
}
