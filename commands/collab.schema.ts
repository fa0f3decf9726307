import { z } from 'zod';
import {
  COLLAB_TYPES,
  CONTENT_TYPES,
  GOALS,
  PAYMENT_SCHEDULES,
  clearable,
  didYouMean,
  isoDate,
  oneOf,
  optional,
  requiredText,
  textField,
  userRef,
  type ContentType,
} from '../src/core';
import { contentTypeOf, isCurrency, isHttpUrl, parseDecimalAmount, type ExpectedContent } from '../src/domain/collaboration/collaboration-rules';

/** Zod pieces for collaborations and content, shared by the subcommands and their forms. */

export const collabType = oneOf('type', COLLAB_TYPES);
export const goal = oneOf('goal', GOALS);
export const schedule = oneOf('schedule', PAYMENT_SCHEDULES);

/** `post`, `Posts`, `stories`, `blog post`... -> a content type; anything else lists the accepted ones. */
export const contentType = (label: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? (contentTypeOf(value) ?? value.trim().toLowerCase()) : value),
    z.enum(CONTENT_TYPES, { error: (issue) => `${label} must be one of: ${CONTENT_TYPES.join(', ')}.${didYouMean(issue.input, CONTENT_TYPES)}`.replace(/\.$/, '') }),
  );

const MAX_PER_TYPE = 100;

/**
 * Expected content per month, one value that reads the same in Slack text, the console, a form
 * field and a Discord option: `post 2, story 4, video 1` (also `2 posts, 4 stories` or
 * `posts:2 stories:4`).
 */
export const expectedContent = z
  .string({ error: 'expect must be text like "post 2, story 4"' })
  .max(500, 'expect is at most 500 characters')
  .transform((value, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const tokens = value
      .toLowerCase()
      .replace(/blog[\s-]+posts?/g, 'blog')
      .match(/-?\d+(?:[.,]\d+)?|[\p{L}][\p{L}-]*/gu) ?? [];
    const counts = new Map<ContentType, number>();
    let count: number | undefined;
    let type: ContentType | undefined;
    for (const token of tokens) {
      if (token === 'x' || token === 'per' || token === 'month' || token === 'a') continue;
      if (/^-?\d/.test(token)) {
        const n = Number(token.replace(',', '.'));
        if (n < 0) return fail('expect: content counts cannot be negative');
        if (!Number.isInteger(n)) return fail(`expect: counts are whole numbers, "${token}" is not`);
        if (n > MAX_PER_TYPE) return fail(`expect: at most ${MAX_PER_TYPE} of a type per month`);
        if (count !== undefined) return fail(`expect should read like "post 2, story 4": two numbers in a row near "${token}"`);
        count = n;
      } else {
        const known = contentTypeOf(token);
        if (!known) return fail(`expect: "${token}" is not a content type; use ${CONTENT_TYPES.join(', ')}`);
        if (type !== undefined) return fail(`expect should read like "post 2, story 4": "${type}" has no number`);
        type = known;
      }
      if (count !== undefined && type !== undefined) {
        counts.set(type, (counts.get(type) ?? 0) + count);
        count = undefined;
        type = undefined;
      }
    }
    if (count !== undefined || type !== undefined) return fail('expect should read like "post 2, story 4": a content type and a number for each');
    return CONTENT_TYPES.filter((t) => (counts.get(t) ?? 0) > 0).map((t): ExpectedContent => ({ type: t, count: counts.get(t)! }));
  });

/**
 * An amount in major units (`1500`, `1499.99`, `1,500`), by the same rule as `/payment add`
 * (`parseDecimalAmount`); converted to minor units with its currency. A leading `-` is read only to
 * say "cannot be negative". Discord sends a typed number, which passes as it is.
 */
export const amount = (label: string) =>
  z.preprocess(
    (value) => {
      if (typeof value !== 'string') return value;
      const trimmed = value.trim();
      const negative = trimmed.startsWith('-');
      const parsed = parseDecimalAmount(negative ? trimmed.slice(1) : trimmed);
      return parsed === undefined ? value : negative ? -parsed : parsed;
    },
    z
      .number({ error: `${label} must be an amount like 1500 or 1499.99` })
      .min(0, `${label} cannot be negative`)
      .max(1_000_000_000, `${label} is too large`),
  );

/**
 * A count typed as plain digits (`30`, not `0x1e`, `3e1` or `30.0`); a leading `-` is read only to
 * say "cannot be negative". Discord sends a typed integer, which passes as it is. `range` replaces
 * every message (for a bounded value like a day of the month).
 */
export const digits = (
  label: string,
  options: { example?: string; unit?: string; min?: number; max?: number; range?: string; tooLarge?: string } = {},
) => {
  const format = `${label} must be a whole number${options.unit ? ` of ${options.unit}` : ''}, like ${options.example ?? '12500'}`;
  const min = options.min ?? 0;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value.trim()) : value),
    z
      .number({ error: options.range ?? format })
      .int(options.range ?? format)
      .min(min, options.range ?? (min === 0 ? `${label} cannot be negative` : `${label} is at least ${min}`))
      .max(options.max ?? Number.MAX_SAFE_INTEGER, options.range ?? options.tooLarge ?? `${label} is too large`),
  );
};

export const currency = z
  .string({ error: 'currency must be an ISO code like EUR, USD or GBP' })
  .trim()
  .toUpperCase()
  .refine(isCurrency, 'currency must be an ISO code like EUR, USD or GBP');

export const percent = (label: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().replace(/%$/, '') : value),
    z.coerce
      .number({ error: `${label} must be a percentage like 10 or 7.5` })
      .min(0, `${label} cannot be negative`)
      .max(100, `${label} is a percentage from 0 to 100`),
  );

const YES = ['yes', 'y', 'true', 'on', '1'];
const NO = ['no', 'n', 'false', 'off', '0'];

export const yesNo = (label: string) =>
  z.preprocess(
    (value) => {
      if (typeof value !== 'string') return value;
      const word = value.trim().toLowerCase();
      return YES.includes(word) ? true : NO.includes(word) ? false : value;
    },
    z.boolean({ error: `${label} must be yes or no` }),
  );

export const httpUrl = (label: string) =>
  z
    .string({ error: `${label} must be a web link starting with http:// or https://` })
    .trim()
    .max(2000, `${label} is at most 2000 characters`)
    .refine(isHttpUrl, `${label} must be a web link starting with http:// or https://`);

export const discountCode = z
  .string({ error: 'code must be text' })
  .trim()
  .max(50, 'code is at most 50 characters')
  .regex(/^[\p{L}\p{N}_-]+$/u, 'code must be letters, digits, dashes or underscores, like ZOE15');

export const reportingDay = digits('reporting-day', { min: 1, max: 28, range: 'reporting-day is a day of the month from 1 to 28' });

export const month = z
  .string({ error: 'month must be like 2026-11' })
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be like 2026-11');

/** `<collab>`: an id, a title, or a creator with one active collaboration. */
export const collabRef = requiredText('collab').describe('Collaboration: a title, a creator with one active collaboration, or an id');

/** The brief's text fields, by argument name. */
const briefText = {
  guidelines: textField('guidelines', 3000),
  'key-messages': textField('key-messages', 2000),
  cta: textField('cta', 500),
  'must-mention': textField('must-mention', 1000),
  'must-avoid': textField('must-avoid', 1000),
};

/** Argument name -> the stored brief field. */
export const BRIEF_ARGS = {
  guidelines: 'guidelines',
  'key-messages': 'keyMessages',
  cta: 'callToAction',
  'must-mention': 'mustMention',
  'must-avoid': 'mustAvoid',
} as const;

/**
 * `/collab new`: required first (Discord asks for those before any other option), then by
 * importance. The form asks in the same order.
 */
export const newInput = z
  .object({
    who: requiredText('who'),
    title: requiredText('title', 200).describe('Title or campaign, like "Spring launch"'),
    type: collabType,
    goal,
    expect: optional(expectedContent.describe('Content per month, like "post 2, story 4, video 1"')),
    fee: optional(amount('fee').describe('Fixed fee in the currency, like 1500 or 1499.99 (per month for monthly)')),
    currency: optional(currency.describe('ISO currency code, like EUR (default: the workspace currency)')),
    schedule: optional(schedule),
    net: optional(digits('net', { unit: 'days', example: '30', max: 365, tooLarge: 'net is at most 365 days' }).describe('Payment terms: paid within this many days (default 30)')),
    start: optional(isoDate('start').describe('First day, YYYY-MM-DD (default: today)')),
    end: optional(isoDate('end').describe('Last day, YYYY-MM-DD (default: ongoing)')),
    guidelines: optional(briefText.guidelines.describe('Brand guidelines: a link or text')),
    'key-messages': optional(briefText['key-messages']),
    cta: optional(briefText.cta.describe('Call to action, like "Shop with code ZOE15"')),
    'must-mention': optional(briefText['must-mention']),
    'must-avoid': optional(briefText['must-avoid']),
    code: optional(discountCode.describe('Discount code for the audience, like ZOE15')),
    link: optional(httpUrl('link').describe('Tracking link, https://...')),
    'reporting-day': optional(reportingDay.describe('Day of the month (1-28) to review results together')),
    commission: optional(percent('commission').describe('Commission on sales, in percent')),
    'product-only': optional(yesNo('product-only').describe('Paid in product only, no fee')),
    owner: optional(userRef),
  })
  .superRefine((value, ctx) => {
    if (value.start && value.end && value.end < value.start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end (${value.end}) is before start (${value.start})` });
    }
    if (value['product-only'] && value.fee) {
      ctx.addIssue({ code: 'custom', path: ['fee'], message: 'fee and product-only:yes do not go together: a product-only collaboration has no fee' });
    }
    if ((value.schedule === 'monthly' || value.schedule === 'per-deliverable') && value.fee === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fee'], message: `fee is needed with schedule:${value.schedule}, like fee:1500 currency:EUR` });
    }
  });

export const briefInput = z.object({
  collab: collabRef,
  action: optional(oneOf('action', ['show', 'edit', 'sent'] as const)),
  guidelines: clearable(briefText.guidelines),
  'key-messages': clearable(briefText['key-messages']),
  cta: clearable(briefText.cta),
  'must-mention': clearable(briefText['must-mention']),
  'must-avoid': clearable(briefText['must-avoid']),
});

export const deliverableInput = z
  .object({
    collab: collabRef,
    action: optional(oneOf('action', ['list', 'add', 'cancel'] as const)),
    item: optional(textField('item', 100).describe('add: a content type · cancel: a deliverable id or a type')),
    due: optional(isoDate('due')),
    month: optional(month.describe('Which month, like 2026-12 (default: this month)')),
  })
  .superRefine((value, ctx) => {
    if (value.action === 'add' && !(value.item && contentTypeOf(value.item))) {
      ctx.addIssue({ code: 'custom', path: ['item'], message: `item must be the content type to add: ${CONTENT_TYPES.join(', ')}` });
    }
    if (value.action === 'cancel' && !value.item) {
      ctx.addIssue({ code: 'custom', path: ['item'], message: 'item is needed: a deliverable id, or a content type to cancel the last one planned this month' });
    }
  });

export const showInput = z.object({
  collab: collabRef,
  month: optional(month.describe('One month, like 2026-11: its delivered vs expected, the results of what was published in it and what it committed')),
});

export const closeInput = z.object({
  collab: collabRef,
  status: optional(oneOf('status', ['completed', 'cancelled'] as const)),
  reason: optional(textField('reason', 500)),
});

export const listInput = z.object({
  status: optional(
    z.preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
      z.enum(['active', 'all', 'completed', 'cancelled'], {
        error: 'status must be one of: active, all, completed, cancelled. To list one creator\'s: /collab list all "Zoë Tran"',
      }),
    ),
  ),
  who: optional(textField('who', 200)),
});
