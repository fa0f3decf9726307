import { describe, expect, it } from 'vitest';
import { EFFICIENCY_LABEL, formatEfficiency } from '../../commands/cost.view';
import { efficiencies, efficiency } from '../../src/domain/collaboration/cost-rules';

const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const USD = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('cost view: efficiency figures as the cards print them', () => {
  it('GIVEN each goal THEN its figure is named and printed in the collaboration currency, or as a ratio for return', () => {
    const figures = [
      efficiency('awareness', [EUR(150000)], { impressions: 120000 }, 'EUR'),
      efficiency('image', [USD(80000)], { likes: 700, comments: 200, saves: 60, shares: 40, new_followers: 50 }, 'USD'),
      efficiency('sales', [EUR(124000)], { revenue: 240000 }, 'EUR'),
      efficiency('sales', [EUR(100000)], {}, 'EUR'),
    ];
    expect(figures.map((f) => `${EFFICIENCY_LABEL[f.kind]} ${formatEfficiency(f)}`)).toEqual([
      'cost per thousand impressions €12.50',
      'cost per engagement $0.80',
      'return (revenue / cost) 1.94×',
      'return (revenue / cost) 0.00×',
    ]);
  });

  it('GIVEN a figure not available (zero denominator, no cost for a return, costs in other currencies) THEN it prints "-"', () => {
    expect(
      [
        efficiency('awareness', [EUR(150000)], { impressions: 0 }, 'EUR'),
        efficiency('image', [EUR(150000)], {}, 'EUR'),
        efficiency('sales', [], { revenue: 500000 }, 'EUR'),
        efficiency('sales', [USD(100000)], { revenue: 300000 }, 'EUR'),
        efficiency('awareness', [EUR(100000), USD(100000)], { impressions: 1000 }, 'EUR'),
      ].map(formatEfficiency),
    ).toEqual(['-', '-', '-', '-', '-']);
  });

  it('GIVEN no cost at all for awareness THEN it prints a zero cost, not "-"', () => {
    expect(formatEfficiency(efficiency('awareness', [], { impressions: 1000 }, 'EUR'))).toBe('€0.00');
  });

  it('GIVEN a currency without minor units THEN the figure is rounded to whole units', () => {
    expect(formatEfficiency(efficiency('awareness', [{ amountMinor: 150000, currency: 'JPY' }], { impressions: 120000 }, 'JPY'))).toBe('¥1,250');
    expect(formatEfficiency(efficiency('image', [{ amountMinor: 1000, currency: 'JPY' }], { likes: 3 }, 'JPY'))).toBe('¥333');
  });

  it('GIVEN committed cost in two currencies THEN each prints in its own', () => {
    expect(efficiencies('image', [EUR(100), USD(4000)], { likes: 10 }, 'USD').map(formatEfficiency)).toEqual(['€0.10', '$4.00']);
    expect(efficiencies('awareness', [], { impressions: 10 }, 'USD').map(formatEfficiency)).toEqual(['-']);
  });
});
