import { z } from 'zod';
import {
  NETWORKS,
  STAGES,
  TOUCHPOINT_KINDS,
  clearable,
  didYouMean,
  email,
  keptOrChanged,
  isoDate,
  oneOf,
  optional,
  phone,
  requiredText,
  tagList,
  textField,
  timezone,
  userRef,
  wholeNumber,
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
      const [net, name, count] = line.split(/[\s:]+/);
      const parsedNetwork = network.safeParse(net);
      const parsedHandle = handle.safeParse(name);
      const followers = count === undefined ? undefined : Number(count.replace(/[_,.]/g, ''));
      if (!parsedNetwork.success || !parsedHandle.success || (followers !== undefined && !(Number.isInteger(followers) && followers >= 0))) {
        ctx.addIssue({
          code: 'custom',
          message: `handles: "${line}" should read like "instagram @zoe.creates 12500" (network: ${NETWORKS.join(', ')}).${parsedNetwork.success ? '' : didYouMean(net, NETWORKS)}`.replace(/\.$/, ''),
        });
        return z.NEVER;
      }
      entries.push({ network: parsedNetwork.data, handle: parsedHandle.data, ...(followers !== undefined ? { followers } : {}) });
    }
    return entries;
  });

/** `07-14` or `1998-07-14`: the year is optional. */
export const birthday = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const match = /^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$/.exec(value);
    const [year, month, day] = match ? [match[1], match[2], match[3]].map((v) => (v ? Number(v) : undefined)) : [];
    const leapSafeYear = year ?? 2000;
    const date = new Date(Date.UTC(leapSafeYear, (month ?? 0) - 1, day ?? 0));
    const valid =
      match && month && day && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && (year === undefined || (year >= 1900 && year <= 2100));
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: 'birthday must be MM-DD or YYYY-MM-DD, like 07-14 or 1998-07-14' });
      return z.NEVER;
    }
    return { month: month!, day: day!, ...(year ? { year } : {}) };
  });

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
  followers: optional(wholeNumber('followers')),
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
  })
  .superRefine(requireNetworkWithHandle(false));

