import { describe, expect, it } from 'vitest';
import { describeOnTimeRate } from '../../commands/payment.view';

describe('payment view: on-time rates as the creator card prints them', () => {
  it('GIVEN one of three counted payments paid on time THEN the share rounds to a whole percent with the counts', () => {
    expect(describeOnTimeRate({ onTime: 1, counted: 3, rate: 1 / 3 })).toBe('33% (1 of 3)');
  });

  it('GIVEN nothing due yet THEN there is no rate to print', () => {
    expect(describeOnTimeRate({ onTime: 0, counted: 0 })).toBe('no payment due yet');
  });
});
