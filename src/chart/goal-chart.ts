import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Registered once at load: echarts' own registry of the pieces this chart uses (keeps the import small).
echarts.use([BarChart, LineChart, GridComponent, TitleComponent, SVGRenderer]);

/**
 * The monthly digest's chart as a PNG, rendered in-process: echarts draws SVG server-side (pure
 * JavaScript, no DOM, no canvas) and resvg rasterises it (a Rust binary shipped inside its npm
 * package: no download step, no system libraries). Pure: the same input gives the same bytes.
 * The caller supplies every word; this module only lays the figures out.
 */

/** One goal's column: its figure per collaboration this month (top), and the workspace's six-month trend (bottom). */
export interface GoalPanel {
  /** `Awareness: reach`. */
  title: string;
  /** This month, one bar per collaboration, already ordered and cut to what should show. */
  bars: ReadonlyArray<{ label: string; value: number }>;
  /** Oldest first: `Jun`, `Jul`, ... and the goal figure summed over the goal's collaborations (null: no data that month). */
  trend: { labels: readonly string[]; values: ReadonlyArray<number | null> };
}

export interface GoalChartInput {
  title: string;
  panels: readonly GoalPanel[];
}

/** Bars shown per panel: more would make unreadable labels; the digest's text lists the rest. */
export const MAX_BARS = 10;
const COLUMN_WIDTH = 420;
const HEIGHT = 680;
const COLORS = ['#4f6fdf', '#d9822b', '#2f9e6f'];
const LABEL_CHARS = 14;

export function goalChartSvg(input: GoalChartInput): string {
  const panels = input.panels.length ? input.panels : [{ title: '', bars: [], trend: { labels: [], values: [] } }];
  const width = Math.max(600, COLUMN_WIDTH * panels.length);
  const columnWidth = width / panels.length;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, sans-serif' },
      title: [
        { text: input.title, left: 'center', top: 8, textStyle: { fontSize: 18 } },
        ...panels.flatMap((panel, i) => [
          { text: panel.title, left: columnWidth * i + 16, top: 44, textStyle: { fontSize: 14 } },
          { text: 'Six-month trend', left: columnWidth * i + 16, top: 376, textStyle: { fontSize: 12, fontWeight: 'normal' } },
        ]),
      ],
      grid: panels.flatMap((_, i) => [
        { left: columnWidth * i + 56, width: columnWidth - 80, top: 80, height: 200 },
        { left: columnWidth * i + 56, width: columnWidth - 80, top: 408, height: 220 },
      ]),
      xAxis: panels.flatMap((panel, i) => [
        {
          gridIndex: 2 * i,
          type: 'category',
          data: panel.bars.slice(0, MAX_BARS).map((bar) => shorten(bar.label)),
          axisLabel: { rotate: panel.bars.length > 3 ? 30 : 0, interval: 0, fontSize: 11 },
        },
        { gridIndex: 2 * i + 1, type: 'category', data: [...panel.trend.labels], axisLabel: { fontSize: 11 } },
      ]),
      yAxis: panels.flatMap((_, i) => [
        { gridIndex: 2 * i, type: 'value', axisLabel: { formatter: compact, fontSize: 11 } },
        { gridIndex: 2 * i + 1, type: 'value', axisLabel: { formatter: compact, fontSize: 11 } },
      ]),
      series: panels.flatMap((panel, i) => [
        {
          type: 'bar',
          xAxisIndex: 2 * i,
          yAxisIndex: 2 * i,
          data: panel.bars.slice(0, MAX_BARS).map((bar) => bar.value),
          itemStyle: { color: COLORS[i % COLORS.length] },
          label: { show: true, position: 'top', formatter: (p: { value: number }) => compact(p.value), fontSize: 10 },
        },
        {
          type: 'line',
          xAxisIndex: 2 * i + 1,
          yAxisIndex: 2 * i + 1,
          data: [...panel.trend.values],
          connectNulls: false,
          symbolSize: 7,
          lineStyle: { width: 3, color: COLORS[i % COLORS.length] },
          itemStyle: { color: COLORS[i % COLORS.length] },
        },
      ]),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG bytes. */
export function renderGoalChart(input: GoalChartInput): Buffer {
  const svg = goalChartSvg(input);
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
}

/** 1234567 -> `1.2M`, 12500 -> `12.5k`; small numbers as they are. */
function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
const trim = (value: number) => value.toFixed(1).replace(/\.0$/, '');

const shorten = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);
