import { button, formatShortDate, item, literal, mention, type Block, type Button } from '../src/core';
import type { BirthdayItem, CadenceItem, Creator, DeliverableItem, FollowUpItem, WinItem } from '../src/domain/nurture/nurture.service';
import { describeHealth } from '../commands/nurture.view';
import type { Health } from '../src/domain/nurture/nurture-rules';

/**
 * The item lines the daily digest, the nudges and App Home share: one line per item with its own
 * buttons (Log touchpoint / Snooze 7 days / Done). `personal` adds the shipping address and
 * preferences to birthdays: only ever in a message to one person.
 */

const when = (inDays: number, on: string) => (inDays === 0 ? 'today' : inDays === 1 ? `tomorrow (${formatShortDate(on)})` : `${formatShortDate(on)} (in ${inDays} days)`);
const name = (creator: Creator) => `*${literal(creator.name)}*`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const actionsFor = (creatorId: string, key: string, log = 'Log touchpoint'): Button[] => [
  button(log, `influencer log ${creatorId}`, 'primary'),
  button('Snooze 7 days', `influencer snooze item:${key}`),
  button('Done', `influencer done item:${key}`),
];

export function birthdayBlock(b: BirthdayItem, options: { owner: boolean; personal: boolean }): Block {
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

export function cadenceBlock(c: CadenceItem, options: { owner: boolean; health?: Health }): Block {
  const silence = c.contacted ? `no touchpoint for ${plural(c.status.daysSince, 'day')}` : `not contacted in ${plural(c.status.daysSince, 'day')} since added`;
  const past = c.status.state === 'past-max' ? `${plural(c.status.daysPastMax, 'day')} past the maximum (${c.cadence.max})` : `${plural(c.status.daysPastIdeal, 'day')} past the ideal (${c.cadence.ideal})`;
  const parts = [`${name(c.creator)} · ${c.creator.stage} · ${silence}, ${past}`];
  if (options.health) parts.push(`health ${describeHealth(options.health)}`);
  if (options.owner) parts.push(`owner ${mention(c.creator.ownerId)}`);
  return item(parts.join(' · '), `${c.creator.name} · touchpoint`, ...actionsFor(c.creator.id, c.key));
}

export function followUpBlock(f: FollowUpItem, options: { owner: boolean; today: string }): Block {
  const due = f.dueDay === options.today ? 'due today' : `due ${formatShortDate(f.dueDay)}`;
  const parts = [`↩ ${name(f.creator)} · ${literal(f.note)} · ${due}`];
  if (options.owner) parts.push(`set by ${mention(f.ownerId)}`);
  return item(parts.join(' · '), `${f.creator.name} · follow-up`, ...actionsFor(f.creator.id, f.key));
}

export function deliverableBlock(d: DeliverableItem, options: { owner: boolean }): Block {
  const due = d.inDays < 0 ? `*${plural(-d.inDays, 'day')} overdue* (due ${formatShortDate(d.dueDay)})` : d.inDays === 0 ? 'due today' : `due ${formatShortDate(d.dueDay)} (in ${plural(d.inDays, 'day')})`;
  const parts = [`📦 ${name(d.creator)} · ${literal(d.collaborationTitle)} · ${d.type} · ${due}`];
  if (options.owner) parts.push(`owner ${mention(d.ownerId)}`);
  return item(parts.join(' · '), `${d.creator.name} · ${d.type}`, ...actionsFor(d.creator.id, d.key));
}

export function winBlock(w: WinItem): Block {
  const link = w.url ? ` · ${literal(w.url)}` : '';
  const text = `🎉 ${name(w.creator)}'s ${w.type} of ${formatShortDate(w.publishedDay)}: ${w.engagement.toLocaleString('en-US')} engagements, ${(Math.round(w.factor * 10) / 10).toString()}x their usual${link} · react, comment or repost, then log it`;
  return item(text, `${w.creator.name} · ${w.type}`, button('Log engagement', `influencer log ${w.creator.id} engagement`, 'primary'), button('Snooze 7 days', `influencer snooze item:${w.key}`), button('Done', `influencer done item:${w.key}`));
}
