import { describe, expect, it } from 'vitest';
import { goalChartSvg, renderGoalChart, type GoalChartInput } from '../../src/chart/goal-chart';
import { decodePng, differingPixels, hasColour, inkShare } from '../helpers/png';

const months = ['Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov'];
const input: GoalChartInput = {
  title: 'November 2026: each collaboration against its goal',
  panels: [
    {
      title: 'Awareness: reach',
      bars: [
        { label: 'Zoë Tran · Barrier Repair launch', value: 120_000 },
        { label: 'Ana Lima', value: 80_000 },
      ],
      trend: { labels: months, values: [null, 20_000, 50_000, 90_000, 150_000, 200_000] },
    },
    {
      title: 'Image: engagement',
      bars: [{ label: 'Bo', value: 4_200 }],
      trend: { labels: months, values: [0, 0, 1_000, 2_000, 3_000, 4_200] },
    },
  ],
};

describe('goal chart', () => {
  it('GIVEN two goals THEN the PNG is two columns wide, drawn, and shows both goal colours', () => {
    const png = decodePng(renderGoalChart(input));
    expect({ width: png.width, height: png.height }).toEqual({ width: 840, height: 680 });
    expect(inkShare(png)).toBeGreaterThan(0.03);
    expect(hasColour(png, [0x4f, 0x6f, 0xdf])).toBe(true);
    expect(hasColour(png, [0xd9, 0x82, 0x2b])).toBe(true);
    expect(hasColour(png, [0x2f, 0x9e, 0x6f])).toBe(false);
  });

  it('GIVEN other figures THEN the picture differs; GIVEN the same THEN it is the same', () => {
    const a = decodePng(renderGoalChart(input));
    const same = decodePng(renderGoalChart(input));
    const changed = decodePng(
      renderGoalChart({ ...input, panels: [{ ...input.panels[0]!, bars: [{ label: 'Ana Lima', value: 10 }] }, input.panels[1]!] }),
    );
    expect(differingPixels(a, same)).toBe(0);
    expect(differingPixels(a, changed)).toBeGreaterThan(1_000);
  });

  it('GIVEN names and a title THEN they are drawn as text (the SVG carries them for resvg to set in type)', () => {
    const svg = goalChartSvg(input);
    expect(svg).toContain('Awareness: reach');
    expect(svg).toContain('Zoë Tran · Ba…');
    expect(svg).toContain('120k');
  });

  it('GIVEN no panels THEN it still draws the title on a blank grid', () => {
    const png = decodePng(renderGoalChart({ title: 'Nothing yet', panels: [] }));
    expect({ width: png.width, height: png.height }).toEqual({ width: 600, height: 680 });
    expect(inkShare(png)).toBeGreaterThan(0);
  });
});
