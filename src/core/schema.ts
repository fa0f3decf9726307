import { z } from 'zod';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import { didYouMean } from './suggest';

dayjs.extend(customParseFormat);

/**
 * Schema pieces shared by every command. Inputs arrive as strings (Slack, console, forms) or
 * typed values (Discord options); an empty string means "not given", so forms can leave fields blank.
 * A lone `-` is blank too: Discord cannot send an empty option, and the console form reads it so.
 */
export const isBlank = (value: unknown): boolean => value === null || (typeof value === 'string' && (value.trim() === '' || value.trim() === '-'));

const blankToUndefined = (value: unknown) => (isBlank(value) ? undefined : value);

/** Optional: blank is "not given". */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** For edits: blank or `-` means "clear this field" (null); absent means "leave as is" (undefined). */
export const clearable = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === undefined ? undefined : (blankToUndefined(value) ?? null)), schema.nullable().optional());

/** For edits of a field a record cannot lack (name, owner, stage): absent keeps it; blank or `-` is refused naming it. */
export const keptOrChanged = <T extends z.ZodType>(label: string, schema: T) =>
  z.preprocess((value, ctx) => {
    if (value !== undefined && isBlank(value)) {
      ctx.addIssue({ code: 'custom', message: `${label} is required: it cannot be cleared` });
      return z.NEVER;
    }
    return value;
  }, schema.optional());

export const MAX_TEXT = 5000;

/**
 * `<@U123>`, `<!here>`, `<!subteam^S1>`, `<#C1>`: stored text later shown in a channel post
 * would ping people. Mentions come only from the bot's own `mention()`.
 */
const MENTION_SYNTAX = /<[@#!]/;
const noMentions = (value: string) => !MENTION_SYNTAX.test(value);
const mentionMessage = (label: string) => `${label} cannot contain mentions or @here/@channel codes: write names as plain text`;

export const textField = (label: string, max = MAX_TEXT) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} is at most ${max} characters`)
    .refine(noMentions, mentionMessage(label));

export const requiredText = (label: string, max = 200) =>
  z.preprocess(
    (value) => (value === undefined || value === null || (typeof value === 'string' && value.trim() === '-') ? '' : value),
    z
      .string({ error: `${label} must be text` })
      .trim()
      .min(1, `${label} is required`)
      .max(max, `${label} is at most ${max} characters`)
      .refine(noMentions, mentionMessage(label)),
  );

/**
 * A count: typed as digits (`12500`, `12,500`, `12_500`; not `1e3` or `0x10`) or a Discord integer.
 * A leading `-` is read only to say "cannot be negative".
 */
export const wholeNumber = (label: string, bounds: { min?: number; max?: number; minMessage?: string; maxMessage?: string } = {}) => {
  const format = `${label} must be a whole number, like 12500`;
  const min = bounds.min ?? 0;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d{1,3}([,_]?\d{3})*\s*$|^\s*-?\d+\s*$/.test(value) ? Number(value.replace(/[\s,_]/g, '')) : value),
    z
      .number({ error: format })
      .int(format)
      .min(min, bounds.minMessage ?? `${label} cannot be negative`)
      .max(bounds.max ?? Number.MAX_SAFE_INTEGER, bounds.maxMessage ?? `${label} is too large`),
  );
};

export const oneOf = <const T extends readonly [string, ...string[]]>(label: string, values: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/[\s_]+/g, '-') : value),
    z.enum(values, { error: (issue) => `${label} must be one of: ${values.join(', ')}.${didYouMean(issue.input, values)}`.replace(/\.$/, '') }),
  );

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email is at most 254 characters')
  .pipe(z.email({ error: 'email must be an address like name@example.com' }));

export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{5,30}$/, 'phone must be digits, spaces, dashes or brackets, optionally starting with +, like +1 555 0100');

/** YYYY-MM-DD, a real calendar date. */
export const isoDate = (label: string) =>
  z
    .string({ error: `${label} must be a date like 2026-07-14` })
    .trim()
    .refine((value) => dayjs(value, 'YYYY-MM-DD', true).isValid(), `${label} must be a date like 2026-07-14`);

export const timezone = z
  .string()
  .trim()
  .refine((value) => isTimezone(value), 'timezone must be an IANA name like Europe/Paris or America/New_York');

export function isTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

/** `a, b ,c` or `a b` -> ['a', 'b', 'c'], lower-cased, without `#`, unique. */
export const tagList = z
  .string()
  .max(1000, 'tags are at most 1000 characters')
  .transform((value) => [
    ...new Set(
      value
        .split(/[,\s]+/)
        .map((tag) => tag.replace(/^#/, '').trim().toLowerCase())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(50, 'each tag is at most 50 characters')).max(30, 'at most 30 tags'));

/** A platform user: `<@U123>`, `<@U123|maria>`, `<@!123>`, `@U123` or a bare id. */
export const userRef = z
  .string()
  .trim()
  .transform((value) => value.replace(/^<@!?([^>|]+)(\|[^>]*)?>$/, '$1').replace(/^@/, ''))
  .pipe(z.string().regex(/^[\w.-]{1,64}$/, 'owner must be a user mention like @maria'));
