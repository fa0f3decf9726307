import { describe, expect, it } from 'vitest';
import { localDay } from '../../../src/core';
import { useTestDatabase } from '../../helpers/database';
import { freshWorkspace, seedCollaboration, useSchedulingApp } from '../../helpers/scheduler';

const { connection } = useTestDatabase();
const app = useSchedulingApp(connection, '2027-01-15T15:00:00Z');
const NY = 'America/New_York';

const workspace = (team = 'T-PAY', timezone = NY) => freshWorkspace(app, team, timezone);

describe('PaymentStates', () => {
  it('GIVEN another workspace THEN its payments are not found by id', async () => {
    const a = await workspace('T-A');
    const b = await workspace('T-B');
    const { collaboration } = await seedCollaboration(app, a);
    const payment = await app.services.paymentStates.add(a, { collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-10' }, 't');
    await expect(app.services.paymentStates.get(b.id, String(payment._id))).rejects.toMatchObject({ code: 'payment.not-found', params: { typed: String(payment._id) } });
    expect((await app.services.paymentReports.list(b, { filter: 'all', limit: 10 })).total).toBe(0);
  });

  it('GIVEN the workspace timezone changes THEN every due date stays on its local day', async () => {
    const ws = await workspace('T-MOVE', 'Europe/Paris');
    const { collaboration } = await seedCollaboration(app, ws);
    const payment = await app.services.paymentStates.add(ws, { collaboration, amountMinor: 1000, currency: 'USD', dueOn: '2027-01-20' }, 't');
    expect(await app.services.paymentStates.rebaseTimezone(ws.id, 'Europe/Paris', 'America/Los_Angeles')).toBe(1);
    const moved = await app.services.paymentStates.get(ws.id, String(payment._id));
    expect([localDay(moved.dueAt, 'America/Los_Angeles'), moved.dueAt.toISOString()]).toEqual(['2027-01-20', '2027-01-20T08:00:00.000Z']);
  });
});
