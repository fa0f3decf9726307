import {
  actions,
  button,
  context,
  fields,
  header,
  literal,
  mention,
  reply,
  type Block,
  type CommandContext,
  type Reply,
  formatShortDate,
  type Stage,
  localDay,
} from '../src/core';
import { nextBirthday } from '../src/domain/influencer/influencer-rules';
import { describeDaysAgo, describeDaysAway, formatBirthday, handleLine } from './influencer.view';
import { listedProgress } from './collab.view';
import type { ListedCollaboration } from '../src/domain/collaboration/collaboration.service';
import type { Influencer, TouchpointEntry } from '../src/domain/influencer/influencer.service';
import type { Cadence, Health } from '../src/domain/nurture/nurture-rules';
import { describeCadence, describeHealth } from './nurture.view';
import type { OnTimeRate } from '../src/domain/payment/payment-rules';
import { describeOnTimeRate } from './payment.view';

/**
 * The influencer card. `private` is the asker's own view, with personal data and buttons;
 * `channel` is the shareable version without email, phone, address, birthday year or preferences.
 */
export function influencerCard(
  record: Influencer,
  ctx: CommandContext,
  audience: 'private' | 'channel',
  lead?: string,
  /** Active collaborations with this month's progress (CollaborationService.forCard). */
  collaborations: readonly ListedCollaboration[] = [],
  /** Paid on or before the due day: this creator's payments and the workspace's (PaymentReports.onTimeRates). */
  onTime?: { creator: OnTimeRate; workspace: OnTimeRate },
  /** Relationship health, where the card read what it needs (`/influencer show`). */
  health?: Health,
): Reply {
  // The last touchpoints, newest first, in the private view only: summaries are the team's notes.
  const touchpoints = (record.recentTouchpoints ?? []) as readonly TouchpointEntry[];
  const id = String(record._id);
  const tz = ctx.workspace.timezone;
  const blocks: Block[] = [];
  if (lead) blocks.push({ type: 'text', text: lead });
  blocks.push(header(literal(record.name)));
  blocks.push(
    fields([
      ['Stage', record.archivedAt ? `${record.stage} (archived)` : record.stage],
      ['Owner', mention(record.ownerId)],
      ['Handles', record.handles.map(handleLine).join('\n')],
      ['Tags', record.tags.map(literal).join(', ')],
      [
        'Last contact',
        record.lastContact?.at
          ? `${describeDaysAgo(record.lastContact.at, ctx.now, tz)} - ${record.lastContact.kind}, by ${mention(record.lastContact.byId ?? '')}`
          : 'never',
      ],
      [
        'Next birthday',
        record.birthday?.month
          ? birthdayLine({ month: record.birthday.month, day: record.birthday.day! }, ctx.now, tz)
          : undefined,
      ],
      ['Health', health ? describeHealth(health) : undefined],
      ['Cadence', describeCadence(record.stage as Stage, ctx.workspace.cadences, record.cadence?.ideal ? (record.cadence as Cadence) : null)],
      ['Source', record.source && literal(record.source)],
      ['Payments on time', onTime ? `${describeOnTimeRate(onTime.creator)} · workspace: ${describeOnTimeRate(onTime.workspace)}` : undefined],
      ['Active collaborations', collaborations.map(({ collaboration: c, progress }) => `${literal(c.title)} (${c.goal}): ${listedProgress(c, progress)}`).join('\n')],
    ]),
  );
  if (audience === 'private') {
    const personal = fields([
      ['Email', record.email && literal(record.email)],
      ['Phone', record.phone && literal(record.phone)],
      ['Shipping address', record.address && literal(record.address)],
      ['Birthday', record.birthday?.year ? formatBirthday({ month: record.birthday.month!, day: record.birthday.day!, year: record.birthday.year }, true) : undefined],
      ['Timezone', record.timezone],
      ['Preferences', record.preferences && literal(record.preferences)],
      ['Notes', record.notes && literal(record.notes)],
    ]);
    if (touchpoints.length > 0) {
      blocks.push(fields([['Recent touchpoints', touchpoints.slice(0, RECENT_TOUCHPOINTS).map((t) => touchpointLine(t, tz)).join('\n')]]));
    }
    if (personal.type === 'fields' && personal.fields.length > 0) {
      blocks.push(context('Only you can see the details below.'), personal);
    }
    // An archived creator cannot be logged, edited or moved: the card offers what works.
    blocks.push(
      record.archivedAt
        ? actions(button('Restore', `influencer restore ${id}`, 'primary'), button('Timeline', `influencer show ${id} touchpoints`))
        : actions(
            button('Log touchpoint', `influencer log ${id}`, 'primary'),
            button('Edit', `influencer edit ${id}`),
            button('Change stage', `influencer stage ${id}`),
            button('Timeline', `influencer show ${id} touchpoints`),
            button('Archive', `influencer archive ${id}`, 'danger'),
            button('Share in channel', `influencer show ${id} share:yes`),
          ),
    );
  }
  if (record.archivedAt) blocks.push(context(`Archived ${localDay(record.archivedAt, tz)}: \`/influencer restore ${id}\` brings them back.`));
  blocks.push(context(`id ${id}`));
  return reply(blocks, audience);
}

/** `in 12 days (Nov 28)`; a 29 February birthday in a year without one: `in 90 days (Feb 28: born on Feb 29, celebrated on Feb 28 this year)`. */
function birthdayLine(birthday: { month: number; day: number }, now: Date, timezone: string): string {
  const next = nextBirthday(birthday, now, timezone);
  const when = describeDaysAway(next.days);
  return next.leapDayMoved
    ? `${when} (${formatShortDate(next.date)}: born on Feb 29, celebrated on Feb 28 in years without one)`
    : `${when} (${formatBirthday(birthday, false)})`;
}
const RECENT_TOUCHPOINTS = 3;

/** `2026-11-23 · gift · <@U1> · Sent the autumn box`: the day in the workspace's timezone. */
export const touchpointLine = (touchpoint: TouchpointEntry, timezone: string): string =>
  `${localDay(touchpoint.at, timezone)} · ${touchpoint.kind} · ${mention(touchpoint.byId)} · ${literal(touchpoint.summary.replace(/\n/g, ' / '))}`;
