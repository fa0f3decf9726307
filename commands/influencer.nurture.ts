import { z } from 'zod';
import {
  DATE_FORMS,
  UserFacingError,
  dateArg,
  dayOf,
  formatShortDate,
  literal,
  optional,
  parseDate,
  reply,
  para,
  context,
  requiredText,
  subcommand,
  text,
  todayOf,
  wholeNumber,
} from '../src/core';
import { MAX_CADENCE_DAYS, SNOOZE_DAYS, snoozeUntil } from '../src/domain/nurture/nurture-rules';
import type { ItemAction } from '../src/domain/nurture/nurture.service';
import { namesOneCreator } from './names-one';

/** `/influencer remind`, `snooze` and `done`: follow-ups, and the digest's, nudges' and App Home's item buttons. */

/**
 * `remind @zoe in 5 days Ask for the draft`: typed as text, the date is the longest run of leading
 * words (up to four) that reads as a date, the rest is the note; Discord sends `date` and `note` as
 * their own options. The date is then read by the one date argument schema.
 */
function splitDate(date: string, note: string): { date: string; note: string } {
  if (parseDate(date).ok) return { date, note };
  const words = [date, ...note.split(/\s+/).filter(Boolean)];
  for (let n = Math.min(4, words.length - 1); n >= 1; n -= 1) {
    const candidate = words.slice(0, n).join(' ');
    // The note is what follows the date's words, as typed (its spaces kept).
    if (parseDate(candidate).ok) return { date: candidate, note: unquoted(note.replace(new RegExp(`^(?:\\s*\\S+){${n - 1}}\\s*`), '')) };
  }
  return { date, note };
}

/** `Dec 12 "Send the box"`: a note that is one quoted span after the date words loses its quotes, as a whole quoted note does. */
const unquoted = (note: string): string => /^"([^"]*)"$|^“([^“”]*)”$/.exec(note)?.slice(1).find((inner) => inner !== undefined) ?? note;

const remindDate = dateArg('date');
const remindNote = requiredText('note', 1000);

/** An item key from a button (`birthday:<id>:2026-11-30`), or a follow-up's id typed by hand. */
const itemRef = z
  .string({ error: 'item must be an item reference from a digest button, or a follow-up id' })
  .trim()
  .max(100, 'item must be an item reference from a digest button, or a follow-up id')
  .transform((value) => (/^[a-f0-9]{24}$/i.test(value) ? `follow-up:${value.toLowerCase()}` : value));

function refusal(result: Exclude<ItemAction, { ok: true }>): UserFacingError {
  switch (result.error) {
    case 'unknown-item':
      return new UserFacingError('That is not an item of the digest, the nudges or App Home. Use the buttons there, or a follow-up id.', { item: 'unknown' });
    case 'not-found':
      return new UserFacingError('No such item in this workspace (it may have been removed).', { item: 'not found' });
    case 'already-done':
      return new UserFacingError(
        result.kind === 'follow-up' ? 'That follow-up is already done.' : 'That is already done: it left the digest, the nudges and App Home (the next one still shows).',
        { item: 'already done' },
      );
    case 'not-due':
      return new UserFacingError(`Nothing to put aside: ${notDue(result)}`, { item: 'no longer due' });
  }
}

/** Why the item a button named is not in the lists any more, in words. */
function notDue({ why, creator = 'the creator', day }: Extract<ItemAction, { error: 'not-due' }>): string {
  const name = `*${literal(creator)}*`;
  const on = day ? formatShortDate(day) : '';
  switch (why) {
    case 'archived':
      return `${name} is archived, so their reminders left the digest, the nudges and App Home.`;
    case 'no-cadence':
      return `no cadence applies to ${name} now, so there is no reminder to reach out.`;
    case 'new-interval':
      return `that reminder is no longer due. The last touchpoint with ${name} is now on ${on}, and the next reminder counts from it.`;
    case 'no-birthday':
      return `${name} has no birthday recorded now.`;
    case 'birthday-changed':
      return `${name}'s birthday was changed since; the next one is on ${on}.`;
    case 'birthday-passed':
      return `${name}'s birthday on ${on} has passed, so it left the lists.`;
    case 'published':
      return 'that deliverable is published, so it left the lists.';
    case 'cancelled':
      return 'that deliverable was cancelled, so it left the lists.';
  }
}

export const remind = subcommand({
  decidesDays: true,
  description: 'Set a one-off follow-up: it is in your nudges and the daily digest from that day until done or snoozed.',
  positional: ['who', 'date', 'note'],
  restIsLastPositional: 'text',
  namesOne: namesOneCreator(),
  // The note is required everywhere (Discord marks it so); typed as text, the words after the date's first are the note until splitDate moves the date's own back.
  input: z.object({
    who: requiredText('who'),
    date: requiredText('date', 200).describe('When: in 5 days, tomorrow, Dec 12 or 2026-12-12'),
    note: requiredText('note', 1000).describe('What to follow up on'),
  }),
  examples: ['/influencer remind @zoe.creates in 5 days Ask for the first draft', '/influencer remind "Zoë Tran" Dec 12 Send the holiday box'],
  async run(input, ctx) {
    const typed = splitDate(input.date, input.note);
    const date = remindDate.safeParse(typed.date);
    if (!date.success) throw new UserFacingError(date.error.issues[0]!.message, { date: 'not a date' });
    const note = remindNote.safeParse(typed.note);
    if (!note.success) throw new UserFacingError(`${note.error.issues[0]!.message}: what to follow up on, after the date`, { note: 'required' });
    const who = input.who;
    const day = dayOf(date.data, ctx);
    const today = todayOf(ctx);
    if (day < today) throw new UserFacingError(`date ${day} has passed: a follow-up is set for today or later (${DATE_FORMS}).`, { date: 'in the past' });
    const creator = await ctx.services.influencers.resolve(ctx.workspace.id, who);
    const followUp = await ctx.services.nurture.remind(ctx.workspace.id, creator._id, { dueDay: day, note: note.data }, ctx.actor.id);
    return reply([
      para(`Follow-up set for ${formatShortDate(day, { year: day.slice(0, 4) !== today.slice(0, 4) })} with *${literal(creator.name)}*: ${literal(note.data)}`),
      context(`You get it in your nudges from that day until it is done. \`/influencer done ${String(followUp._id)}\` closes it.`),
    ]);
  },
});

export const snooze = subcommand({
  decidesDays: true,
  description: 'Put an item of the digest, the nudges or App Home aside for some days (7 unless said).',
  positional: ['item', 'days'],
  input: z.object({
    item: itemRef,
    days: optional(wholeNumber('days', { min: 1, max: MAX_CADENCE_DAYS, minMessage: 'days is at least 1', maxMessage: `days is at most ${MAX_CADENCE_DAYS}` })),
  }),
  examples: ['/influencer snooze 65f0c0ffee0000000000aaaa', '/influencer snooze 65f0c0ffee0000000000aaaa 14'],
  async run({ item, days = SNOOZE_DAYS }, ctx) {
    const until = snoozeUntil(todayOf(ctx), days);
    const result = await ctx.services.nurture.snooze(ctx.workspace, item, until, ctx.actor.id);
    if (!result.ok) throw refusal(result);
    // Snoozed twice, the later day holds: a shorter snooze is not taken as a request to bring it back sooner.
    const back = result.until ?? until;
    return text(back > until ? `Already snoozed until ${formatShortDate(back)}, later than that: it comes back then.` : `Snoozed until ${formatShortDate(until)}: it comes back that day.`);
  },
});

export const done = subcommand({
  // Whether a birthday has passed, and the day a relationship's reminder counts from, follow the timezone.
  decidesDays: true,
  description: 'Mark an item done: a follow-up is closed; a birthday, relationship, deliverable or win leaves the lists (the next one still shows).',
  positional: ['item'],
  input: z.object({ item: itemRef }),
  examples: ['/influencer done 65f0c0ffee0000000000aaaa'],
  async run({ item }, ctx) {
    const result = await ctx.services.nurture.done(ctx.workspace, item, ctx.actor.id);
    if (!result.ok) throw refusal(result);
    return text(result.ref.kind === 'follow-up' ? 'Follow-up done.' : 'Done: it leaves the digest, the nudges and App Home.');
  },
});
