import { z } from 'zod';
import {
  COLLAB_TYPES,
  CONTENT_TYPES,
  GOALS,
  PAYMENT_SCHEDULES,
  CONTENT_CADENCES,
  clearable,
  dateArg,
  keptOrChanged,
  didYouMean,
  wholeNumber,
  oneOf,
  optional,
  requiredText,
  textField,
  userRef,
  type ContentType,
} from '../src/core';
import { contentTypeOf } from '../src/core';
import { isHttpUrl } from '../src/domain/content/content-links';
import type { ExpectedContent } from '../src/domain/content/checklist-rules';
import { currencyCode, moneyText, refineMoney } from './money.schema';

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

export const reportingDay = wholeNumber('reporting-day', { min: 1, max: 28, range: 'reporting-day is a day of the month from 1 to 28' });

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
    expect: optional(expectedContent.describe('Content expected, like "post 2, story 4, video 1" (each month, or once: see content)')),
    content: optional(
      oneOf('content', CONTENT_CADENCES).describe('once: the content is due one time; monthly: every month (default: once with schedule:once, else monthly)'),
    ),
    fee: optional(moneyText('fee').describe('Fixed fee, like 1500, 1,499.99 or €1,500 (per month for monthly)')),
    currency: optional(currencyCode.describe('ISO currency code, like EUR (default: the workspace currency)')),
    schedule: optional(schedule),
    net: optional(wholeNumber('net', { unit: 'days', example: '30', max: 365, maxMessage: 'net is at most 365 days' }).describe('Payment terms: paid within this many days (default 30)')),
    start: optional(dateArg('start').describe('First day, like 2026-12-01 or Dec 1 (default: today)')),
    end: optional(dateArg('end').describe('Last day, like 2027-05-31 (default: ongoing)')),
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
    if (value.start?.kind === 'date' && value.end?.kind === 'date' && value.end.date < value.start.date) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end (${value.end.date}) is before start (${value.start.date})` });
    }
    if (value['product-only'] && value.fee) {
      ctx.addIssue({ code: 'custom', path: ['fee'], message: 'fee and product-only:yes do not go together: a product-only collaboration has no fee' });
    }
    if ((value.schedule === 'monthly' || value.schedule === 'per-deliverable') && value.fee === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fee'], message: `fee is needed with schedule:${value.schedule}, like fee:1500 currency:EUR` });
    }
  });

/**
 * `/collab edit`: absent keeps a field, blank or `-` clears an optional one (net days back to 30,
 * the reporting day back to the 1st, content per month to none, end to ongoing). The order is the
 * Discord options' and the form's: what is corrected most first.
 */
export const editInput = z
  .object({
    collab: collabRef,
    title: keptOrChanged('title', requiredText('title', 200).describe('Title or campaign')),
    expect: clearable(expectedContent.describe('Content expected, like "post 2, story 4"; - for none')),
    content: keptOrChanged('content', oneOf('content', CONTENT_CADENCES).describe('once: the content is due one time; monthly: every month')),
    fee: clearable(moneyText('fee').describe('Fixed fee, like 1500 or €1,500 (per month for monthly); - for none')),
    currency: keptOrChanged('currency', currencyCode.describe('ISO currency code, like EUR: give the fee in it too')),
    end: clearable(dateArg('end').describe('Last day, like 2027-05-31; - for ongoing')),
    schedule: clearable(schedule),
    net: clearable(wholeNumber('net', { unit: 'days', example: '30', max: 365, maxMessage: 'net is at most 365 days' }).describe('Paid within this many days; - for 30')),
    start: keptOrChanged('start', dateArg('start').describe('First day, like 2026-12-01')),
    type: keptOrChanged('type', collabType),
    goal: keptOrChanged('goal', goal),
    commission: clearable(percent('commission').describe('Commission on sales, in percent; - for none')),
    'product-only': clearable(yesNo('product-only').describe('Paid in product only, no fee')),
    code: clearable(discountCode.describe('Discount code, like ZOE15; - for none')),
    link: clearable(httpUrl('link').describe('Tracking link, https://...; - for none')),
    'reporting-day': clearable(reportingDay.describe('Day of the month (1-28) to review results; - for the 1st')),
    owner: keptOrChanged('owner', userRef),
  })
  .superRefine((value, ctx) => {
    if (value.start?.kind === 'date' && value.end?.kind === 'date' && value.end.date < value.start.date) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: `end (${value.end.date}) is before start (${value.start.date})` });
    }
    if (value['product-only'] && value.fee) {
      ctx.addIssue({ code: 'custom', path: ['fee'], message: 'fee and product-only:yes do not go together: a product-only collaboration has no fee' });
    }
    // With the currency given (the form always gives it) the fee is read here, so a modal shows its error inline.
    refineMoney('fee', 'currency')(value, ctx);
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
    due: optional(dateArg('due')),
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
  view: optional(oneOf('view', ['card', 'history'] as const)),
  month: optional(month.describe('One month, like 2026-11: its delivered vs expected, the results of what was published in it and what it committed')),
  page: optional(wholeNumber('page', { min: 1, minMessage: 'page starts at 1' }).describe('With history: older changes, ten a page')),
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
