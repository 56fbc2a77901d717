import type { ChartPanel, DashboardView, Panel, StatTile, TablePanel } from '../view-model.ts';
import { Chart } from './charts.ts';
import { formatValue } from './format.ts';

const base = document.body.dataset.base ?? '/ui';
const charts = new Map<string, Chart>();

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderTile(container: HTMLElement, tile: StatTile): void {
  let node = container.querySelector<HTMLElement>(`[data-id="${tile.id}"]`);
  if (!node) {
    node = element('div', 'tile');
    node.dataset.id = tile.id;
    node.append(element('div', 'label', tile.label), element('div', 'value'), element('div', 'note'));
    container.append(node);
  }
  node.dataset.state = tile.state;
  node.dataset.value = tile.value === null ? '' : String(tile.value);
  node.querySelector('.value')!.textContent = formatValue(tile.value, tile.unit);
  node.querySelector('.note')!.textContent = tile.note ?? '';
}

/** The largest value a panel shows: what a glance (or a test) checks for "is there data". */
function largest(panel: Panel): number {
  if (panel.kind === 'table') return panel.rows.length;
  let max = 0;
  for (const series of panel.data.series)
    for (const value of series.values) if (value !== null && value > max) max = value;
  return max;
}

function renderTable(body: HTMLElement, panel: TablePanel): void {
  const table = element('table');
  const head = element('tr');
  for (const column of panel.columns) head.append(element('th', undefined, column));
  table.append(element('thead'), element('tbody'));
  table.tHead!.append(head);
  for (const row of panel.rows) {
    const tr = element('tr');
    for (const cell of row) {
      const td = element(
        'td',
        typeof cell === 'number' ? 'number' : undefined,
        typeof cell === 'number' ? cell.toLocaleString('en') : cell,
      );
      if (/^(OK|WARN|ERR|STALL|STOP|REWIND|UNKNOWN)$/.test(String(cell))) td.dataset.status = String(cell);
      tr.append(td);
    }
    table.tBodies[0]!.append(tr);
  }
  body.replaceChildren(table);
}

function renderPanel(container: HTMLElement, panel: Panel): void {
  let node = container.querySelector<HTMLElement>(`section[data-id="${panel.id}"]`);
  if (!node) {
    node = element('section', `panel ${panel.kind}${panel.wide ? ' wide' : ''}`);
    node.dataset.id = panel.id;
    const title = element('h2', undefined, panel.title);
    title.title = panel.description;
    node.append(title, element('div', 'message'), element('div', 'body'));
    container.append(node);
  }
  node.dataset.state = panel.state;
  node.dataset.max = String(largest(panel));
  node.querySelector('.message')!.textContent = panel.message ?? '';
  const body = node.querySelector<HTMLElement>('.body')!;
  if (panel.kind === 'table') {
    renderTable(body, panel);
    return;
  }
  let chart = charts.get(panel.id);
  if (!chart) charts.set(panel.id, (chart = new Chart(body)));
  chart.update(panel as ChartPanel);
}

function render(view: DashboardView): void {
  const stats = document.getElementById('stats')!;
  for (const tile of view.stats) renderTile(stats, tile);
  const panels = document.getElementById('panels')!;
  for (const panel of view.panels) renderPanel(panels, panel);
  document.getElementById('updated')!.textContent = `updated ${new Date(view.at).toLocaleTimeString()}`;
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
}

function setConnection(text: string, state: 'live' | 'reconnecting'): void {
  const node = document.getElementById('connection')!;
  node.textContent = text;
  node.dataset.state = state;
}

/** Server-sent events: one full view per refresh; the browser reconnects by itself after a drop. */
const events = new EventSource(`${base}/api/events`);
events.addEventListener('message', (event: MessageEvent<string>) => {
  const view = JSON.parse(event.data) as DashboardView;
  setConnection(`live · every ${view.intervalMs / 1000} s`, 'live');
  render(view);
});
events.addEventListener('error', () => setConnection('reconnecting…', 'reconnecting'));
