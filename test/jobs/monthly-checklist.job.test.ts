import { describe, expect, it } from 'vitest';
import monthlyChecklist from '../../jobs/monthly-checklist.job';
import type { JobWorkspace } from '../../src/core';

const workspace: JobWorkspace = {
  id: '65f0c0ffee0000000000cccc',
  platform: 'slack',
  externalId: 'T1',
  timezone: 'Europe/Paris',
  currency: 'EUR',
  settings: { channels: {}, warnBeforeDueDays: 3, postingTime: '09:00', paymentManagers: [], staleAfterDays: 30, cadences: {} },
};
const now = new Date('2026-12-01T08:00:00Z');
const period = { kind: 'monthly' as const, key: '2026-12', startsAt: now, endsAt: now, runAt: now };

function services(result: { collaborations: number; planned: number }) {
  const asked: unknown[] = [];
  return { asked, services: { collaborations: { planMonth: async (...args: unknown[]) => (asked.push(args), result) } } as never };
}

describe('the monthly-checklist job', () => {
  it('GIVEN items were planned THEN it plans the period month and posts nothing (the monthly digest is what the team sees)', async () => {
    const { asked, services: s } = services({ collaborations: 2, planned: 5 });
    const posts = await monthlyChecklist.run(workspace, period, { services: s, now, logger: console });
    expect(asked).toEqual([[{ id: workspace.id, timezone: 'Europe/Paris' }, '2026-12']]);
    expect(posts).toEqual([]);
  });

  it('GIVEN nothing new to plan THEN no post; and it runs without a digest channel (monthly, on the 1st)', async () => {
    const { services: s } = services({ collaborations: 3, planned: 0 });
    expect(await monthlyChecklist.run(workspace, period, { services: s, now, logger: console })).toEqual([]);
    expect([monthlyChecklist.channel, monthlyChecklist.schedule]).toEqual([undefined, { kind: 'monthly', at: 'posting-time' }]);
  });
});
