import { formatShortDate, localDay } from '../src/core';
import { context, defineJob, literal, para, reply, type Reply } from '../src/core';
import { formatMoney } from '../src/domain/money';
import { BATCH_SIZE } from '../src/domain/batches';
import type { PaymentView } from '../src/domain/payment/payment-views';
import { paidFor, payee } from '../commands/payment.view';
import { paymentFor } from '../commands/payment-label';


/** Lines listed in the post; the rest are counted and pointed to `/payment list`. */
export const MAX_LISTED = 20;

/** Who the schedule's payments are recorded as created by. */
export const SCHEDULER_ACTOR = 'scheduler';

/**
 * On the 1st at the posting time: extends every active collaboration's payment schedule from its
 * terms, so ongoing monthly terms always have their next reporting days planned (three months
 * ahead) and per-deliverable terms have a payment for every published piece. Idempotent by
 * schedule key: a catch-up or a second replica plans nothing twice, and edited, paid or cancelled
 * payments are never touched. Runs whether or not a payments channel is set (the payments matter
 * either way) and says what it planned there when one is. Creator names and amounts only.
 */
export default defineJob({
  name: 'payment-schedules',
  description: "Plans each active collaboration's next payments from its terms, on the 1st at the posting time.",
  schedule: { kind: 'monthly', at: 'posting-time' },
  plans: true,
  // A thousand collaborations a batch: about 5 round trips per batch (extendSchedules).
  batchSize: BATCH_SIZE,
  async run(workspace, _period, ctx) {
    const { count, created } = await ctx.services.paymentPlanning.extendSchedules({ id: workspace.id, timezone: workspace.timezone }, SCHEDULER_ACTOR, ctx.now, MAX_LISTED);
    if (count === 0) return [];
    return [{ channel: 'payments', reply: plannedPaymentsPost(created, count, workspace.timezone) }];
  },
});

/** `first`: the earliest planned payments by due day (at most MAX_LISTED are listed); `count`: all of them. */
export function plannedPaymentsPost(first: readonly PaymentView[], count: number, timezone: string): Reply {
  const day = (at: Date) => formatShortDate(localDay(at, timezone), { year: true });
  const lines = first
    .slice(0, MAX_LISTED)
    .map((p) => `• *${literal(payee(p))}* · ${literal(paidFor(p))}${paymentFor(p) ? ` (${paymentFor(p)})` : ''} · ${formatMoney(p)} · due ${day(p.dueAt)}`);
  const hidden = count - lines.length;
  return reply(
    [
      para(`Planned ${count} payment${count === 1 ? '' : 's'} from collaboration terms:`),
      para(lines.join('\n')),
      context(`${hidden > 0 ? `And ${hidden} more. ` : ''}\`/payment list\` shows everything due; each is announced here again before its due date.`),
    ],
    'channel',
  );
}
