import uPlot from 'uplot';
import type { ChartPanel } from '../view-model.ts';
import { axisIncrs, byteAxisLabels } from './axis.ts';
import { formatValue } from './format.ts';

const palette = [
  '#3b82f6',
  '#f97316',
  '#10b981',
  '#e11d48',
  '#8b5cf6',
  '#eab308',
  '#06b6d4',
  '#84cc16',
  '#ec4899',
  '#64748b',
];

const wholeSteps = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8,
];

/** One uPlot chart in a panel; rebuilt when the set of series changes, otherwise only fed new data. */
export class Chart {
  #plot: uPlot | undefined;
  #labels = '';
  readonly #host: HTMLElement;

  constructor(host: HTMLElement) {
    this.#host = host;
    new ResizeObserver(() => this.#plot?.setSize(this.#size())).observe(host);
  }

  #size(): { width: number; height: number } {
    return { width: Math.max(200, this.#host.clientWidth), height: 190 };
  }

  update(panel: ChartPanel): void {
    const labels = panel.data.series.map((s) => s.label).join('\u0000');
    const data = [panel.data.times, ...panel.data.series.map((s) => s.values)] as uPlot.AlignedData;
    if (this.#plot && labels === this.#labels) {
      this.#plot.setData(data);
      return;
    }
    this.#plot?.destroy();
    this.#labels = labels;
    const unit = panel.unit;
    this.#plot = new uPlot(
      {
        ...this.#size(),
        cursor: { drag: { x: false, y: false } },
        legend: { live: true },
        scales: { y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        axes: [
          { stroke: '#94a3b8', grid: { stroke: '#1e293b' }, ticks: { stroke: '#334155' } },
          {
            stroke: '#94a3b8',
            grid: { stroke: '#1e293b' },
            ticks: { stroke: '#334155' },
            size: 70,
            // Counts (lag, replicas) step by whole numbers; the axis never shows 0.2 of a replica.
            ...(unit === 'count' ? { incrs: wholeSteps } : {}),
            ...(axisIncrs(unit) ? { incrs: axisIncrs(unit) } : {}),
            values: (_u, splits) =>
              unit === 'bytes' || unit === 'bytes-per-second'
                ? byteAxisLabels(splits, unit)
                : splits.map((v) => formatValue(v, unit)),
          },
        ],
        series: [
          {},
          ...panel.data.series.map((s, i) => ({
            label: s.label,
            stroke: palette[i % palette.length],
            width: 2,
            spanGaps: false,
            points: { show: panel.data.times.length < 3 },
            value: (_u: uPlot, v: number | null) => formatValue(v, unit),
          })),
        ],
      },
      data,
      this.#host,
    );
  }
}
