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

export type Block =
  | { type: 'header'; text: string }
  /** Markdown-lite: `*bold*`, `_italic_`, `<@userId>` mentions, links as `<url|label>` are not used. */
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'context'; text: string }
  | { type: 'divider' }
  | { type: 'actions'; buttons: Button[] };

export interface Reply {
  kind: 'reply';
  /** `private`: only the person who asked sees it (ephemeral). `channel`: everyone in the channel. */
  visibility: 'private' | 'channel';
  blocks: Block[];
}

export type FieldKind = 'text' | 'multiline' | 'select' | 'date' | 'number' | 'user';

export interface FormField {
  /** The argument name the value is submitted as; the zod schema validates it. */
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  initial?: string;
  options?: Array<{ value: string; label: string }>;
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
export const button = (label: string, line: string, style?: Button['style']): Button =>
  style ? { label, line, style } : { label, line };

/** Mentions are written `<@id>` in reply text: Slack and Discord both render that form. */
export const mention = (userId: string): string => `<@${userId}>`;

/** The plain-text fallback (Slack `text`, notifications, the console). */
export function toPlainText(answer: Reply): string {
  const lines: string[] = [];
  for (const block of answer.blocks) {
    switch (block.type) {
      case 'header':
        lines.push(block.text.toUpperCase() === block.text ? block.text : `== ${block.text} ==`);
        break;
      case 'text':
      case 'context':
        lines.push(stripMarkup(block.text));
        break;
      case 'fields':
        for (const field of block.fields) lines.push(`${field.label}: ${stripMarkup(field.value)}`);
        break;
      case 'divider':
        lines.push('---');
        break;
      case 'actions':
        lines.push(block.buttons.map((b) => `[${b.label}: ${b.line}]`).join('  '));
        break;
    }
  }
  return lines.join('\n');
}

function stripMarkup(value: string): string {
  return value.replace(/<@([^>|]+)>/g, '@$1').replace(/\*([^*\n]+)\*/g, '$1');
}
