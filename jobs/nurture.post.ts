import { button, context, formatShortDate, item, literal, mention, para, unmark, type Block, type Button, type ItemBlock } from '../src/core';
import type { BirthdayItem, CadenceItem, Creator, DeliverableItem, FollowUpItem, WinItem } from '../src/domain/nurture/nurture.service';
import { describeHealth } from '../commands/nurture.view';
import type { Health } from '../src/domain/nurture/nurture-rules';

/**
 * The item lines the daily digest, the nudges and App Home share: one line per item with its own
 * buttons (Log touchpoint / Snooze 7 days / Done). `personal` adds the shipping address and
 * preferences to birthdays: only ever in a message to one person.
 */

/** Item lines per section in one message; the rest are counted. */
export const MAX_PER_SECTION = 8;

/**
 * One message of the digest, the nudges or App Home lists at most this many items, and about this
 * many characters of them, so it reads whole with every item's actions on every surface: Discord
 * shows 4,096 characters of a message's text and offers an action on many items as a menu of at
 * most 25 of them (one menu per action, five a message); Slack takes 50 blocks a message.
 */
export const MAX_ITEMS_PER_MESSAGE = 25;
export const MAX_TEXT_PER_MESSAGE = 3_400;

/** A section of a nurture message: its item lines (in order) and how many there are in all. */
export interface Section {
  title: string;
  items: ItemBlock[];
  /** How many in all (more than `items` when they were read a page at a time). */
  total?: number;
  /** Said after "And N more." (where the rest are). */
  where?: string;
}

/**
 * The sections' blocks within one message's budget. Items are taken in turns, the first of every
 * section, then the second of every section..., up to MAX_PER_SECTION each, until the message holds
 * MAX_ITEMS_PER_MESSAGE items or MAX_TEXT_PER_MESSAGE characters (the first item of each section is
 * always shown). Each section says how many it holds in all and counts what it leaves out.
 */
export function sectionBlocks(sections: readonly Section[]): Block[] {
  const shown = sections.map(() => 0);
  const closed = sections.map((section) => section.items.length === 0);
  let items = 0;
  let chars = sections.reduce((sum, s) => sum + s.title.length + 8 + (s.where?.length ?? 0) + 16, 0);
  for (let round = 0; round < MAX_PER_SECTION && items < MAX_ITEMS_PER_MESSAGE; round += 1) {
    sections.forEach((section, i) => {
      const next = section.items[round];
      if (closed[i] || !next || items >= MAX_ITEMS_PER_MESSAGE) return void (closed[i] = true);
      const length = unmark(next.text).length + 2;
      if (round > 0 && chars + length > MAX_TEXT_PER_MESSAGE) return void (closed[i] = true);
      shown[i] = round + 1;
      items += 1;
      chars += length;
    });
  }
  return sections.flatMap((section, i): Block[] => {
    const total = section.total ?? section.items.length;
    if (total === 0) return [];
    const left = total - shown[i]!;
    return [para(`*${section.title}* (${total})`), ...section.items.slice(0, shown[i]), ...(left > 0 ? [context(`And ${left} more.${section.where ?? ''}`)] : [])];
  });
}

const when = (inDays: number, on: string) => (inDays === 0 ? 'today' : inDays === 1 ? `tomorrow (${formatShortDate(on)})` : `${formatShortDate(on)} (in ${inDays} days)`);
const name = (creator: Creator) => `*${literal(creator.name)}*`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const actionsFor = (creatorId: string, key: string, log = 'Log touchpoint'): Button[] => [
  button(log, `influencer log ${creatorId}`, 'primary'),
  button('Snooze 7 days', `influencer snooze item:${key}`),
  button('Done', `influencer done item:${key}`),
];

export function birthdayBlock(b: BirthdayItem, options: { owner: boolean; personal: boolean }): ItemBlock {
  const parts = [`🎂 ${name(b.creator)} · ${when(b.inDays, b.on)}`];
  if (options.owner) parts.push(`owner ${mention(b.creator.ownerId)}`);
  if (options.personal) {
    parts.push(b.creator.address ? `ship to: ${literal(b.creator.address.replace(/\n/g, ', '))}` : 'no shipping address on file');
    if (b.creator.preferences) parts.push(`preferences: ${literal(b.creator.preferences.replace(/\n/g, ' / '))}`);
  }
  const buttons = options.personal
    ? [button('Log gift', `influencer log ${b.creator.id} gift`, 'primary'), button('Snooze 7 days', `influencer snooze item:${b.key}`), button('Done', `influencer done item:${b.key}`)]
    : actionsFor(b.creator.id, b.key);
  return item(parts.join(' · '), `${b.creator.name} · birthday`, ...buttons);
}

export function cadenceBlock(c: CadenceItem, options: { owner: boolean; health?: Health }): ItemBlock {
  const silence = c.contacted ? `no touchpoint for ${plural(c.status.daysSince, 'day')}` : `not contacted in ${plural(c.status.daysSince, 'day')} since added`;
  const past = c.status.state === 'past-max' ? `${plural(c.status.daysPastMax, 'day')} past the maximum (${c.cadence.max})` : `${plural(c.status.daysPastIdeal, 'day')} past the ideal (${c.cadence.ideal})`;
  const parts = [`${name(c.creator)} · ${c.creator.stage} · ${silence}, ${past}`];
  if (options.health) parts.push(`health ${describeHealth(options.health)}`);
  if (options.owner) parts.push(`owner ${mention(c.creator.ownerId)}`);
  return item(parts.join(' · '), `${c.creator.name} · touchpoint`, ...actionsFor(c.creator.id, c.key));
}

export function followUpBlock(f: FollowUpItem, options: { owner: boolean; today: string }): ItemBlock {
  const due = f.dueDay === options.today ? 'due today' : `due ${formatShortDate(f.dueDay)}`;
  const parts = [`↩ ${name(f.creator)} · ${literal(f.note)} · ${due}`];
  if (options.owner) parts.push(`set by ${mention(f.ownerId)}`);
  return item(parts.join(' · '), `${f.creator.name} · follow-up`, ...actionsFor(f.creator.id, f.key));
}

export function deliverableBlock(d: DeliverableItem, options: { owner: boolean }): ItemBlock {
  const due = d.inDays < 0 ? `*${plural(-d.inDays, 'day')} overdue* (due ${formatShortDate(d.dueDay)})` : d.inDays === 0 ? 'due today' : `due ${formatShortDate(d.dueDay)} (in ${plural(d.inDays, 'day')})`;
  const parts = [`📦 ${name(d.creator)} · ${literal(d.collaborationTitle)} · ${d.type} · ${due}`];
  if (options.owner) parts.push(`owner ${mention(d.ownerId)}`);
  return item(parts.join(' · '), `${d.creator.name} · ${d.type}`, ...actionsFor(d.creator.id, d.key));
}

export function winBlock(w: WinItem): ItemBlock {
  const link = w.url ? ` · ${literal(w.url)}` : '';
  const text = `🎉 ${name(w.creator)}'s ${w.type} of ${formatShortDate(w.publishedDay)}: ${w.engagement.toLocaleString('en-US')} engagements, ${(Math.round(w.factor * 10) / 10).toString()}x their usual${link} · react, comment or repost, then log it`;
  return item(text, `${w.creator.name} · ${w.type}`, button('Log engagement', `influencer log ${w.creator.id} engagement`, 'primary'), button('Snooze 7 days', `influencer snooze item:${w.key}`), button('Done', `influencer done item:${w.key}`));
}
