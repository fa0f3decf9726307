import { describe, expect, it } from 'vitest';
import { count, formatCompactCount, parseCount } from '../../src/core';

describe('counts read the way cards print them', () => {
  it.each([
    ['15000', 15000],
    ['15,000', 15000],
    ['15 000', 15000],
    ['1,200,000', 1_200_000],
    ['18k', 18000],
    ['18K', 18000],
    ['1.2M', 1_200_000],
    ['2.5k', 2500],
    ['3B', 3_000_000_000],
    ['0', 0],
  ])('GIVEN "%s" THEN %d', (typed, value) => {
    expect(parseCount(typed)).toEqual({ ok: true, value });
  });

  it.each([
    ['1.200', { code: 'ambiguous', readings: [1.2, 1200] }],
    ['1.5', { code: 'not-whole', value: 1.5 }],
    ['1.2345k', { code: 'not-whole', value: 1234.5 }],
    ['-5', { code: 'negative' }],
    ['1e3', { code: 'unreadable' }],
    ['0x10', { code: 'unreadable' }],
    ['12,00', { code: 'unreadable' }],
    ['', { code: 'empty' }],
    ['99999999999999999999', { code: 'too-large' }],
  ])('GIVEN "%s" THEN it is refused with %j', (typed, error) => {
    expect(parseCount(typed)).toEqual({ ok: false, error });
  });

  it('GIVEN counts THEN cards print them compact, and what they print reads back the same', () => {
    const printed = [1200, 48_000, 1_200_000, 999_999].map(formatCompactCount);
    expect(printed).toEqual(['1,200', '48k', '1.2M', '1M']);
    expect(printed.slice(0, 3).map((text) => count('followers').parse(text))).toEqual([1200, 48_000, 1_200_000]);
  });

  it('GIVEN the count schema THEN its messages name the field and what is accepted', () => {
    const message = (value: unknown) => count('reach').safeParse(value).error?.issues[0]?.message;
    expect([message('lots'), message('1.200'), message('-3'), message(12.5)]).toEqual([
      'reach must be a count like 15000, 15,000, 18k or 1.2M',
      'reach: "1.200" could be 1.2 or 1,200: type 1,200 or 1.2k',
      'reach cannot be negative',
      'reach must be a whole number: 12.5 is not (like 15000, 15,000, 18k or 1.2M)',
    ]);
  });
});
