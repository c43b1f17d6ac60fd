/**
 * Charts rendered on the server as SVG strings with Apache ECharts' server-side rendering
 * (https://echarts.apache.org/handbook/en/how-to/cross-platform/server/): no browser code, the
 * page works without JavaScript and prints. Animation is off (SSR renders one frame).
 * Shared by the coverage and reliability pages; each chart is followed on its page by a table of
 * the same figures (the accessible and printable form).
 *
 * Rendering costs ~10-20 ms a chart, so results are kept in a small cache keyed by the chart's
 * options: a chart is a pure function of its data.
 */
import * as echarts from "echarts";

export interface LineSeries {
  name: string;
  /** One value per category; null leaves a gap (no data that month). */
  data: Array<number | null>;
}

export interface LineChartOptions {
  /** Accessible title (also the SVG's <title>). */
  title: string;
  /** X-axis labels, e.g. months "2026-01". */
  categories: string[];
  series: LineSeries[];
  /** Value axis: "percent" shows fractions 0..1 as 0-100 %, "minutes" as minutes. */
  unit?: "percent" | "minutes" | "count";
  width?: number;
  height?: number;
}

const CACHE_MAX = 200;
const cache = new Map<string, string>();

const PALETTE = ["#2c6fbb", "#e46c0a", "#1c6b3c", "#9b2c1f", "#6b7785"];

/**
 * A line chart as an SVG string (width x height px, default 640 x 260), with a legend when there
 * is more than one series. Fractions are drawn as percentages when `unit` is "percent".
 * @throws when a series' length differs from the categories'.
 */
export function lineChartSvg(options: LineChartOptions): string {
  const { title, categories, series, unit = "count", width = 640, height = 260 } = options;
  for (const s of series) {
    if (s.data.length !== categories.length) {
      throw new Error(`Chart "${title}": series "${s.name}" has ${s.data.length} values for ${categories.length} categories.`);
    }
  }
  const key = JSON.stringify([title, categories, series, unit, width, height]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;

  const scale = unit === "percent" ? 100 : 1;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      aria: { enabled: true, label: { description: title } },
      title: { text: title, left: 0, textStyle: { fontSize: 13, fontWeight: 600 } },
      legend: series.length > 1 ? { top: 0, right: 0, textStyle: { fontSize: 11 } } : undefined,
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: categories, axisLabel: { fontSize: 10 } },
      yAxis: {
        type: "value",
        min: unit === "percent" ? 0 : undefined,
        max: unit === "percent" ? 100 : undefined,
        axisLabel: { fontSize: 10, formatter: unit === "percent" ? "{value} %" : unit === "minutes" ? "{value} min" : "{value}" },
      },
      series: series.map((s) => ({
        type: "line",
        name: s.name,
        connectNulls: false,
        symbolSize: 5,
        data: s.data.map((v) => (v === null ? null : Math.round(v * scale * 100) / 100)),
      })),
    });
    const svg = chart.renderToSVGString();
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, svg);
    return svg;
  } finally {
    chart.dispose();
  }
}
