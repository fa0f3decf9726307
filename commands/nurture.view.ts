import { STAGES, localDay, type CadenceSettings, type Stage } from '../src/core';
import type { Influencer } from '../src/domain/influencer/influencer.service';
import {
  cadenceFor,
  cadenceStatus,
  deliverableCounts,
  engagementTrend,
  healthScore,
  publishedEngagement,
  type Cadence,
  type ContentFacts,
  type Health,
  type HealthReason,
} from '../src/domain/nurture/nurture-rules';
import type { OnTimeRate } from '../src/domain/payment/payment-rules';

/** Words for nurturing: health, cadences and the items of the digest, the nudges and App Home. */

/** `21/45` (ideal/maximum days), or `none`: as `cadence:` is typed. */
export const formatCadence = (cadence: Cadence | null): string => (cadence ? `${cadence.ideal}/${cadence.max}` : 'none');

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function describeReason(reason: HealthReason): string {
  switch (reason.code) {
    case 'past-max':
      return `${plural(reason.days, 'day')} past the maximum interval`;
    case 'past-ideal':
      return `${plural(reason.days, 'day')} past the ideal interval`;
    case 'deliverables-late':
      return `${plural(reason.count, 'deliverable')} delivered late`;
    case 'deliverables-overdue':
      return `${plural(reason.count, 'deliverable')} overdue`;
    case 'payments-late':
      return `${plural(reason.count, 'payment')} late`;
    case 'payments-overdue':
      return `${plural(reason.count, 'payment')} unpaid past due`;
    case 'engagement-down':
      return `engagement down ${reason.percent}% on the usual`;
    case 'engagement-up':
      return `engagement up ${reason.percent}% on the usual`;
    case 'in-touch':
      return reason.daysLeft === 0 ? 'in touch; next touchpoint due today' : `in touch; next touchpoint within ${plural(reason.daysLeft, 'day')}`;
    case 'on-time':
      return 'deliverables and payments on time';
    case 'no-history':
      return 'nothing to go on yet';
  }
}

/** `62 - 9 days past the ideal interval; 1 deliverable overdue` (the two biggest reasons). */
export const describeHealth = (health: Health): string => `${health.score} - ${health.reasons.slice(0, 2).map(describeReason).join('; ')}`;

/** `21/45 days (active)`, `7/14 days (own)`, or `none (prospect)`. */
export function describeCadence(stage: Stage, workspace: CadenceSettings | undefined, own: Cadence | null | undefined): string {
  const applies = cadenceFor(stage, workspace, own);
  const whose = own && applies === own ? 'own' : `${stage}${workspace && stage in workspace ? ', workspace setting' : ''}`;
  return applies ? `${formatCadence(applies)} days (${whose})` : `none (${whose})`;
}

/** A creator's health from what their card already read: the record, all their content and their payments' on-time rate. */
export function cardHealth(
  record: Pick<Influencer, 'stage' | 'cadence' | 'lastContact' | 'createdAt'>,
  content: readonly ContentFacts[],
  payments: OnTimeRate | undefined,
  workspace: { timezone: string; cadences?: CadenceSettings },
  now: Date,
): Health {
  const own = record.cadence?.ideal && record.cadence.max ? { ideal: record.cadence.ideal, max: record.cadence.max } : null;
  const applies = cadenceFor(record.stage as Stage, workspace.cadences, own);
  const since = localDay(record.lastContact?.at ?? record.createdAt, workspace.timezone);
  const trend = engagementTrend(publishedEngagement(content));
  return healthScore({
    ...(applies ? { cadence: { ...applies, ...cadenceStatus(applies, since, localDay(now, workspace.timezone)) } } : {}),
    deliverables: deliverableCounts(content, now),
    payments: payments ? { onTime: payments.onTime, late: payments.counted - payments.onTime, overdue: 0 } : { onTime: 0, late: 0, overdue: 0 },
    ...(trend === undefined ? {} : { engagementTrend: trend }),
  });
}

/** `contacted 10/21 · ... · active 30/60 (set here) · ... · none: prospect, paused, ended`. */
export function describeCadences(workspace: CadenceSettings): string {
  const set: string[] = [];
  const none: string[] = [];
  for (const stage of STAGES) {
    const applies = cadenceFor(stage, workspace);
    const mark = stage in workspace ? ' (set here)' : '';
    if (applies) set.push(`${stage} ${formatCadence(applies)}${mark}`);
    else none.push(`${stage}${mark}`);
  }
  return [...set, ...(none.length ? [`none: ${none.join(', ')}`] : [])].join(' · ');
}
