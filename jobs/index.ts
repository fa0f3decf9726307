import type { JobDefinition } from '../src/core';
import dailyDigest from './daily-digest.job';
import latePayments from './late-payments.job';
import monthlyChecklist from './monthly-checklist.job';
import monthlyDigest from './monthly-digest.job';
import nudges from './nudges.job';
import paymentSchedules from './payment-schedules.job';

/** Every scheduled job. Explicit, so the list is typed and greppable. */
export const jobs: JobDefinition[] = [latePayments, monthlyChecklist, paymentSchedules, monthlyDigest, dailyDigest, nudges];
