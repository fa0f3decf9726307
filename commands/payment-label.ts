import { formatMonth, literal } from '../src/core';
import type { AutoLabel } from '../src/domain/payment/payment-rules';

/** What a payment is for, in words: every list, card, post and export that names a payment reads it here. */

/** The bot's name for a payment it planned (its `autoLabel`), in words: `Reporting February 2027`, `Deliverable published 2026-11-23`. */
export function autoLabelWords(label: AutoLabel): string {
  const month = (on: string | null | undefined) => (on && /^\d{4}-\d{2}$/.test(on) ? ` ${formatMonth(on)}` : '');
  switch (label.kind) {
    case 'fee':
      return 'Fee';
    case 'reporting':
      return `Reporting${month(label.on)}`;
    case 'deliverable':
      return `Deliverable published${label.on ? ` ${label.on}` : ''}`;
    case 'commission':
      return `Commission${month(label.on)}`;
  }
}

/**
 * What a payment is for: the label a person typed (printed by `typed`: whole, or cut in a list
 * line, given the longest it may be), else the bot's name for it; undefined when neither. A typed
 * label wins everywhere; cleared, the bot's name shows again.
 */
export function paymentFor(
  payment: { label?: string | null; autoLabel?: AutoLabel | null },
  typed: (value: string, max: number) => string = literal,
  max = Infinity,
): string | undefined {
  if (payment.label != null && payment.label !== '') return typed(payment.label, max);
  return payment.autoLabel ? autoLabelWords(payment.autoLabel) : undefined;
}
