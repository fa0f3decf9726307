import { z } from 'zod';
import { cadence } from './nurture.schema';
import {
  NETWORKS,
  STAGES,
  TOUCHPOINT_KINDS,
  clearable,
  didYouMean,
  email,
  count,
  dateOf,
  isCalendarDate,
  keptOrChanged,
  parseCount,
  parseDate,
  oneOf,
  optional,
  phone,
  requiredText,
  tagList,
  textField,
  timezone,
  userRef,
  type Network,
} from '../src/core';

/** Zod pieces for the influencer record, shared by add, edit and the forms. */

export const network = oneOf('network', NETWORKS);
export const stage = oneOf('stage', STAGES);
export const touchpointKind = oneOf('kind', TOUCHPOINT_KINDS);

const HANDLE = /^@?[\p{L}\p{N}._-]{1,100}$/u;

export const handle = z
  .string()
  .trim()
  .regex(HANDLE, 'handle must look like @zoe.creates (letters, digits, dots, dashes, underscores)');

/** One per line or comma: `instagram @zoe.creates 12500`. */
export const handleList = z
  .string()
  .max(2000, 'handles are at most 2000 characters')
  .transform((value, ctx) => {
    const entries: Array<{ network: Network; handle: string; followers?: number }> = [];
    for (const line of value.split(/[\n,;]+/).map((l) => l.trim()).filter(Boolean)) {
      const [net, name, ...rest] = line.split(/[\s:]+/);
      const followers = rest.length ? rest.join(' ') : undefined;
      const parsedNetwork = network.safeParse(net);
      const parsedHandle = handle.safeParse(name);
      const parsedCount = followers === undefined ? undefined : parseCount(followers);
      if (!parsedNetwork.success || !parsedHandle.success || (parsedCount !== undefined && !parsedCount.ok)) {
        ctx.addIssue({
          code: 'custom',
          message: `handles: "${line}" should read like "instagram @zoe.creates 12500" or "tiktok @zoe 1.2M" (network: ${NETWORKS.join(', ')}).${parsedNetwork.success ? '' : didYouMean(net, NETWORKS)}`.replace(/\.$/, ''),
        });
        return z.NEVER;
      }
      entries.push({ network: parsedNetwork.data, handle: parsedHandle.data, ...(parsedCount?.ok ? { followers: parsedCount.value } : {}) });
    }
    return entries;
  });

const BIRTHDAY_FORMS = 'birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998';

/** How a birthday is read, stated in the help: `12-03` has two readings, and the bot takes one. */
export const BIRTHDAY_RULE = 'Birthdays: month first with a dash, so 12-03 is December 3 (1998-12-03 with the year), or in words: Dec 3, 3 December 1998.';

/** `07-14`, `1998-07-14`, `Jul 14`, `14 July 1998`: the year is optional; 29 February is a birthday too. */
export const birthday = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const fail = () => {
      ctx.addIssue({ code: 'custom', message: BIRTHDAY_FORMS });
      return z.NEVER;
    };
    const monthDay = /^(\d{1,2})-(\d{1,2})$/.exec(value);
    // Without a year the day must exist in some year: a leap year is the widest.
    if (monthDay) return validBirthday(Number(monthDay[1]), Number(monthDay[2])) ?? fail();
    if (/^(feb(ruary)?\s+29(th)?|29(th)?\s+feb(ruary)?)$/i.test(value)) return { month: 2, day: 29 };
    const parsed = parseDate(value);
    if (!parsed.ok) return fail();
    if (parsed.value.kind === 'month-day') return { month: parsed.value.month, day: parsed.value.day };
    if (parsed.value.kind !== 'date') return fail();
    const [year, month, day] = parsed.value.date.split('-').map(Number) as [number, number, number];
    return year <= 2100 ? { month, day, year } : fail();
  });

/** A day of some year: 2000 is a leap year, so 29 February is one. */
function validBirthday(month: number, day: number): { month: number; day: number } | undefined {
  return isCalendarDate(dateOf(2000, month, day)) ? { month, day } : undefined;
}

const requireNetworkWithHandle = (quoteHint: boolean) => (value: { name?: string | null; handle?: string; network?: string; followers?: number }, ctx: z.RefinementCtx) => {
  if (value.handle && !value.network) {
    // `add Ana Lima`: a second word without `@` is more likely the rest of a name than a handle.
    const message = value.handle.startsWith('@') || !quoteHint
      ? `network is needed with a handle: one of ${NETWORKS.join(', ')}`
      : `"${value.handle}" is read as a handle: a name of several words goes in "quotes", like /influencer add "${value.name ?? ''} ${value.handle}"; a handle needs network: one of ${NETWORKS.join(', ')}`;
    ctx.addIssue({ code: 'custom', path: ['network'], message });
  }
  if (value.followers !== undefined && !value.handle) {
    ctx.addIssue({ code: 'custom', path: ['followers'], message: 'followers goes with a handle, like @zoe.creates network:instagram followers:12500' });
  }
};

export const singleHandleFields = {
  handle: optional(handle),
  network: optional(network),
  followers: optional(count('followers')),
};

export const addInput = z
  .object({
    name: requiredText('name'),
    ...singleHandleFields,
    handles: optional(handleList),
    email: optional(email),
    phone: optional(phone),
    address: optional(textField('address', 1000)),
    birthday: optional(birthday),
    timezone: optional(timezone),
    tags: optional(tagList),
    preferences: optional(textField('preferences', 2000)),
    owner: optional(userRef),
    stage: optional(stage),
    source: optional(textField('source', 500)),
    notes: optional(textField('notes')),
  })
  .superRefine(requireNetworkWithHandle(true));

/** Blank clears a field, absent keeps it. */
export const editInput = z
  .object({
    who: requiredText('who'),
    name: keptOrChanged('name', requiredText('name')),
    ...singleHandleFields,
    handles: clearable(handleList),
    email: clearable(email),
    phone: clearable(phone),
    address: clearable(textField('address', 1000)),
    birthday: clearable(birthday),
    timezone: clearable(timezone),
    tags: clearable(tagList),
    preferences: clearable(textField('preferences', 2000)),
    owner: keptOrChanged('owner', userRef),
    stage: keptOrChanged('stage', stage),
    source: clearable(textField('source', 500)),
    notes: clearable(textField('notes')),
    cadence: clearable(cadence),
  })
  .superRefine(requireNetworkWithHandle(false));

