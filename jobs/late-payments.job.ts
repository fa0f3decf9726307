import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezonePlugin from 'dayjs/plugin/timezone.js';
import { actions, button, context, defineJob, header, mention, para, reply, type Block, type Reply } from '../src/core';
import { formatMoney, formatMoneyList, sumByCurrency } from '../src/domain/collaboration/collaboration-rules';
import { daysUntilDue, shouldMentionOwner } from '../src/domain/payment/payment-rules';
import type { PaymentView } from '../src/domain/payment/payment.service';

dayjs.extend(utc);
dayjs.extend(timezonePlugin);

/** Slack allows 50 blocks a message; each payment takes two (line + Mark paid). */
export const MAX_LISTED = 20;

type Late = PaymentView & { daysLate: number };

/**
 * Daily at the workspace's posting time, in its payments channel: what is late (with days late)
 * and what falls due within the warning window, each with a "Mark paid" button. The owner is pinged
 * on the first late day, at 7 and 14 days, then weekly; otherwise named without a ping. Creator
 * names and amounts only: no email, phone, address or birthday. Silent on a day with nothing to say.
 */
export default defineJob({
  name: 'late-payments',
  description: 'Payments due soon and payments overdue, in the payments channel, at the posting time.',
  channel: 'payments',
  schedule: { kind: 'daily', at: 'posting-time' },
  async run(workspace, _period, ctx) {
    const { late, dueSoon } = await ctx.services.payments.dueAndLate(
      { id: workspace.id, timezone: workspace.timezone, warnBeforeDueDays: workspace.settings.warnBeforeDueDays },
      ctx.now,
    );
    if (late.length === 0 && dueSoon.length === 0) return [];
    return [{ channel: 'payments', reply: latePaymentsPost(late, dueSoon, { now: ctx.now, timezone: workspace.timezone, warnDays: workspace.settings.warnBeforeDueDays }) }];
  },
});

export function latePaymentsPost(late: readonly Late[], dueSoon: readonly PaymentView[], options: { now: Date; timezone: string; warnDays: number }): Reply {
  const { now, timezone, warnDays } = options;
  const day = (at: Date) => dayjs(at).tz(timezone).format('MMM D');
  const title = [late.length ? `${late.length} late` : '', dueSoon.length ? `${dueSoon.length} due soon` : ''].filter(Boolean).join(', ');
  const blocks: Block[] = [header(`Payments: ${title}`)];
  let listed = 0;
  const item = (payment: PaymentView, when: string, owner: string) => {
    if (listed >= MAX_LISTED) return;
    listed += 1;
    blocks.push(
      para(`• *${payment.influencerName}* · ${payment.collaborationTitle} · ${formatMoney(payment)} · ${when} · owner ${owner}`),
      actions(button('Mark paid', `payment paid ${String(payment._id)}`, 'primary')),
    );
  };
  if (late.length) {
    blocks.push(para(`*Late* · ${formatMoneyList(sumByCurrency(late))}`));
    for (const payment of late) {
      const owner = shouldMentionOwner(payment.daysLate) ? mention(payment.ownerId) : quiet(payment.ownerId);
      item(payment, `due ${day(payment.dueAt)} · *${payment.daysLate} day${payment.daysLate === 1 ? '' : 's'} late*`, owner);
    }
  }
  if (dueSoon.length) {
    blocks.push(para(`*Due within ${warnDays} day${warnDays === 1 ? '' : 's'}* · ${formatMoneyList(sumByCurrency(dueSoon))}`));
    for (const payment of dueSoon) item(payment, dueIn(daysUntilDue(payment, now, timezone), day(payment.dueAt)), quiet(payment.ownerId));
  }
  const hidden = late.length + dueSoon.length - listed;
  blocks.push(
    context(
      `${hidden > 0 ? `And ${hidden} more: \`/payment list\`. ` : ''}Totals are per currency. Only payment managers can mark payments paid.`,
    ),
  );
  return reply(blocks, 'channel');
}

const dueIn = (days: number, on: string): string => (days === 0 ? `due today (${on})` : days === 1 ? `due tomorrow (${on})` : `due in ${days} days (${on})`);

/** Names the owner without pinging them (a `<@id>` mention notifies on Slack and Discord). */
const quiet = (userId: string): string => `@${userId}`;
