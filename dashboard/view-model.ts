import type { SeriesView } from './reducers/series.ts';

/** The page's data, built on the server and sent as is: the browser only draws it. */
export interface DashboardView {
  /** ms since 1970 of the tick this view shows. */
  at: number;
  intervalMs: number;
  stats: StatTile[];
  panels: Panel[];
}

/** ok: data to show; empty: the source answered but has nothing yet; error: the source failed; off: no source. */
export type PanelState = 'ok' | 'empty' | 'error' | 'off';

export type Unit = 'per-second' | 'percent' | 'count' | 'ms' | 'bytes-per-second' | 'bytes';

export interface StatTile {
  id: string;
  label: string;
  value: number | null;
  unit: Unit;
  state: PanelState;
  /** Shown under the value: the source's error or what the figure covers. */
  note?: string;
}

interface PanelBase {
  id: string;
  title: string;
  /** What the panel shows and where it comes from, as a tooltip. */
  description: string;
  state: PanelState;
  /** The empty state's text, or the source's error. */
  message?: string;
  /** Takes two grid columns (wide tables). */
  wide?: boolean;
}

export interface ChartPanel extends PanelBase {
  kind: 'chart';
  unit: Unit;
  data: SeriesView;
}

export interface TablePanel extends PanelBase {
  kind: 'table';
  columns: string[];
  rows: (string | number)[][];
}

export type Panel = ChartPanel | TablePanel;
