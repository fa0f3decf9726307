import type { OnTimeRate } from '../src/domain/payment/payment-rules';

/** Words for payment figures the domain returns as data. */

/** `33% (1 of 3)`: the share of payments paid on or before their due day (an unpaid late one counts against it). */
export const describeOnTimeRate = (rate: OnTimeRate): string =>
  rate.rate === undefined ? 'no payment due yet' : `${Math.round(rate.rate * 100)}% (${rate.onTime} of ${rate.counted})`;
