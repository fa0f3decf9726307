import { button, context, defineJob, formatShortDate, header, item, literal, localDay, mention, notifying, para, reply, type Block, type Reply } from '../src/core';
import { formatMoney, formatMoneyList } from '../src/domain/money';
import { daysUntilDue, lastOwnerPing, nextOwnerPing, shouldMentionOwner } from '../src/domain/payment/payment-rules';
import type { DueAndLate } from '../src/domain/payment/payment-reports';
import type { PaymentView } from '../src/domain/payment/payment-views';
import { paidFor, payee } from '../commands/payment.view';


/**
 * Payments listed in one post: each is one item (Slack: a section with its Mark paid button; Discord:
 * a button labelled with the payment, 20 fit in four rows of five). The rest are counted and pointed to.
 */
export const MAX_LISTED = 20;

type Late = DueAndLate['late']['items'][number];

/**
 * Daily at the workspace's posting time, in its payments channel: what is late (with days late)
 * and what falls due within the warning window, each with a "Mark paid" button. The owner is pinged
 * on the first late day, at 7 and 14 days, then weekly. Creator names and amounts only: no email,
 * phone, address or birthday. Silent on a day with nothing to say.
 *
 * Owners on other days: Slack and Discord render `<@id>` as the person's name, but in a channel post
 * that notifies them (Slack has no silent mention; Discord could suppress it per message, Slack
 * cannot), and a raw id (`@U0123`) reads as noise. So a late line says when the owner was pinged and
 * when they will be next (`owner pinged on day 1, next on day 7`), a due-soon line leaves the owner
 * out, and the footer says that `/payment list` names every owner privately (an ephemeral answer
 * renders the names and notifies nobody).
 */
export default defineJob({
  name: 'late-payments',
  description: 'Payments due soon and payments overdue, in the payments channel, at the posting time.',
  channel: 'payments',
  schedule: { kind: 'daily', at: 'posting-time' },
  async run(workspace, _period, ctx) {
    const open = await ctx.services.paymentReports.dueAndLate(
      { id: workspace.id, timezone: workspace.timezone, warnBeforeDueDays: workspace.settings.warnBeforeDueDays },
      ctx.now,
      MAX_LISTED,
    );
    if (open.late.count === 0 && open.dueSoon.count === 0) return [];
    return [{ channel: 'payments', reply: latePaymentsPost(open, { now: ctx.now, timezone: workspace.timezone, warnDays: workspace.settings.warnBeforeDueDays }) }];
  },
});

/** `late` and `dueSoon` carry their counts and totals; only their first items are listed. */
export function latePaymentsPost({ late, dueSoon }: DueAndLate, options: { now: Date; timezone: string; warnDays: number }): Reply {
  const { now, timezone, warnDays } = options;
  const day = (at: Date) => formatShortDate(localDay(at, timezone));
  const title = [late.count ? `${late.count} late` : '', dueSoon.count ? `${dueSoon.count} due soon` : ''].filter(Boolean).join(', ');
  const blocks: Block[] = [header(`Payments: ${title}`)];
  let listed = 0;
  let unnamed = false;
  const pinged: string[] = [];
  const line = (payment: PaymentView, when: string, owner: string | undefined) => {
    if (listed >= MAX_LISTED) return;
    listed += 1;
    if (!owner?.includes('<@')) unnamed = true;
    // Names and titles are typed by people: shown as typed, never as markup, a link or a mention.
    blocks.push(
      item(
        `• *${literal(payee(payment))}* · ${literal(paidFor(payment))} · ${formatMoney(payment)} · ${when}${owner ? ` · ${owner}` : ''}`,
        `${payee(payment)} · ${formatMoney(payment)} · ${day(payment.dueAt)}`,
        button('Mark paid', `payment paid ${String(payment._id)}`, 'primary'),
      ),
    );
  };
  if (late.count) {
    blocks.push(para(`*Late* · ${formatMoneyList(late.totals)}`));
    for (const payment of late.items) {
      const owner = lateOwner(payment);
      if (owner.includes('<@') && listed < MAX_LISTED) pinged.push(payment.ownerId);
      line(payment, `due ${day(payment.dueAt)} · *${payment.daysLate} day${payment.daysLate === 1 ? '' : 's'} late*`, owner);
    }
  }
  if (dueSoon.count) {
    blocks.push(para(`*Due within ${warnDays} day${warnDays === 1 ? '' : 's'}* · ${formatMoneyList(dueSoon.totals)}`));
    for (const payment of dueSoon.items) line(payment, dueIn(daysUntilDue(payment, now, timezone), day(payment.dueAt)), undefined);
  }
  const hidden = late.count + dueSoon.count - listed;
  blocks.push(
    context(
      [
        hidden > 0 ? `And ${hidden} more: \`/payment list\`.` : '',
        'Totals are per currency. Only payment managers can mark payments paid.',
        unnamed ? 'Owners are pinged on the first late day, at 7 and 14 days, then weekly; `/payment list` names each owner, only to you.' : '',
      ]
        .filter(Boolean)
        .join(' '),
    ),
  );
  // The owners mentioned on a ping day are notified (Discord pings only from content, and only them).
  const post = reply(blocks, 'channel');
  return pinged.length ? notifying(post, pinged) : post;
}

const dueIn = (days: number, on: string): string => (days === 0 ? `due today (${on})` : days === 1 ? `due tomorrow (${on})` : `due in ${days} days (${on})`);

/** On a ping day the owner is mentioned; on the others the line says when they were pinged and will be next, without the id. */
function lateOwner(payment: Late): string {
  if (shouldMentionOwner(payment.daysLate)) return `owner ${mention(payment.ownerId)}`;
  return `owner pinged on day ${lastOwnerPing(payment.daysLate) ?? 1}, next on day ${nextOwnerPing(payment.daysLate)}`;
}
