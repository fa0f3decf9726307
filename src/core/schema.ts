import { z } from 'zod';
import { formatLongDate, parseDate, type DateInput } from './calendar';
import { formatCount, parseCount } from './count';
import { didYouMean } from './suggest';

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
 * A bounded whole number typed as digits (`30`, `12,500`; not `1e3`, `0x10` or `30.0`) or a Discord
 * integer: days, pages, settings. Counts of people and views use `count` instead.
 * A leading `-` is read only to say "cannot be negative". `range` replaces every message.
 */
export const wholeNumber = (
  label: string,
  bounds: { min?: number; max?: number; minMessage?: string; maxMessage?: string; example?: string; unit?: string; range?: string } = {},
) => {
  const format = bounds.range ?? `${label} must be a whole number${bounds.unit ? ` of ${bounds.unit}` : ''}, like ${bounds.example ?? '12500'}`;
  const min = bounds.min ?? 0;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*-?\d{1,3}([,_]?\d{3})*\s*$|^\s*-?\d+\s*$/.test(value) ? Number(value.replace(/[\s,_]/g, '')) : value),
    z
      .number({ error: format })
      .int(format)
      .min(min, bounds.range ?? bounds.minMessage ?? (min === 0 ? `${label} cannot be negative` : `${label} is at least ${min}`))
      .max(bounds.max ?? Number.MAX_SAFE_INTEGER, bounds.range ?? bounds.maxMessage ?? `${label} is too large`),
  );
};

/**
 * A count as cards print it: `15000`, `15,000`, `18k`, `1.2M` (followers and every metric). Text on
 * every surface, so Discord users can type `18k` too; a typed number is accepted as well.
 */
export const count = (label: string) =>
  z.union([z.number(), z.string().max(30, `${label} is at most 30 characters`)], { error: countMessage(label) }).transform((value, ctx) => {
    const parsed = parseCount(value);
    if (parsed.ok) return parsed.value;
    const error = parsed.error;
    const message =
      error.code === 'negative'
        ? `${label} cannot be negative`
        : error.code === 'too-large'
          ? `${label} is too large`
          : error.code === 'not-whole'
            ? `${label} must be a whole number: ${String(value).trim()} is not (like 15000, 15,000, 18k or 1.2M)`
            : error.code === 'ambiguous'
              ? `${label}: "${String(value).trim()}" could be ${error.readings[0]} or ${formatCount(error.readings[1])}: type ${formatCount(error.readings[1])} or ${error.readings[1] / 1000}k`
              : countMessage(label);
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });

const countMessage = (label: string) => `${label} must be a count like 15000, 15,000, 18k or 1.2M`;

/** What every date argument accepts, for messages and help. */
export const DATE_FORMS = '2026-11-28, Nov 28, 28 November 2026, today or in 3 days';

/**
 * The one date argument: `2026-11-28`, `today`, `yesterday`, `tomorrow`, `in 3 days`, `Nov 28`,
 * `28 Nov`, `28 November 2026`, `30/11/2026`. Refuses impossible days (`2026-02-30`) and numeric
 * days whose day and month could swap (`10/11/2026`), naming both readings. The output is resolved
 * against the workspace's today with `dayOf(input, ctx)` (src/core/command.ts) in the command.
 */
export const dateArg = (label: string) =>
  z
    .string({ error: `${label} must be a date like ${DATE_FORMS}` })
    .max(40, `${label} must be a date like ${DATE_FORMS}`)
    .transform((value, ctx): DateInput => {
      const parsed = parseDate(value);
      if (parsed.ok) return parsed.value;
      const error = parsed.error;
      const message =
        error.code === 'ambiguous'
          ? `${label}: "${value.trim()}" could be ${formatLongDate(error.readings[0])} or ${formatLongDate(error.readings[1])}: type ${error.readings[0]} or ${error.readings[1]}`
          : error.code === 'impossible'
            ? `${label}: "${error.text}" is not a day on the calendar`
            : error.code === 'out-of-range'
              ? `${label} must be a year between 1900 and 2200`
              : `${label} must be a date like ${DATE_FORMS}`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });

/** What an instant argument accepts, for messages and help. */
export const INSTANT_FORMS = '2026-11-20T09:30:00Z or 2026-11-20T10:30:00+01:00';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A moment with its zone (ISO 8601): when something happened to the minute, as a message shortcut knows it. */
export const instantArg = (label: string) =>
  z
    .string({ error: `${label} must be a moment like ${INSTANT_FORMS}` })
    .trim()
    .max(40, `${label} must be a moment like ${INSTANT_FORMS}`)
    .transform((value, ctx): Date => {
      const at = new Date(value);
      if (INSTANT.test(value) && !Number.isNaN(at.getTime())) return at;
      ctx.addIssue({ code: 'custom', message: `${label} must be a moment like ${INSTANT_FORMS}` });
      return z.NEVER;
    });

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

/**
 * Marks a schema whose value is a channel id, so Discord offers a channel picker for it (Slack and
 * the console still take `#name`, `<#C123>` or an id as text). Stored in zod's metadata.
 */
export const channelPicker = <T extends z.ZodType>(schema: T): T => schema.meta({ picker: 'channel' }) as T;
export const isChannelPicker = (schema: z.ZodType): boolean => z.globalRegistry.get(schema)?.picker === 'channel';

/** A file a person attached: a Slack file input, a Discord attachment, a path typed on the console. */
export interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** Files larger than this are refused before they are read (a spreadsheet of 10,000 creators is about 3 MB). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * The argument schema for a file. Platforms recognise it (as discord-options recognises userRef)
 * and hand the router a way to fetch what the person attached; the schema then sees the bytes.
 */
export const upload = z.custom<Upload>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Upload).name === 'string' && (value as Upload).bytes instanceof Uint8Array,
  { error: 'file must be a file you attach' },
);

const PROBE_UPLOAD: Upload = { name: 'probe.csv', bytes: new Uint8Array() };
/** Whether an argument's schema takes a file (`upload`, possibly optional). */
export const takesUpload = (schema: z.ZodType): boolean => schema.safeParse(PROBE_UPLOAD).success && !schema.safeParse('probe.csv').success;
