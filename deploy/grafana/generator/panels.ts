import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  MappingType,
  type DataSourceRef,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** What every panel here has: a title, a description of what it reads, one data source, queries. */
export interface PanelSpec {
  title: string;
  description: string;
  datasource: DataSourceRef;
  targets: cog.Builder<cog.Dataquery>[];
  unit: string;
  width?: number;
  height?: number;
}

/** The builder methods every panel kind has, each returning the builder. */
interface CommonPanelBuilder {
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: DataSourceRef): this;
  targets(targets: cog.Builder<cog.Dataquery>[]): this;
  unit(unit: string): this;
  span(width: number): this;
  height(height: number): this;
}

/** A panel of any kind with the spec's common settings; full width and 8 high unless the spec says. */
function fromSpec<P extends CommonPanelBuilder>(
  panel: P,
  spec: PanelSpec,
  size = { width: 12, height: 8 },
): P {
  return panel
    .title(spec.title)
    .description(spec.description)
    .datasource(spec.datasource)
    .targets(spec.targets)
    .unit(spec.unit)
    .span(spec.width ?? size.width)
    .height(spec.height ?? size.height);
}

const legend = () =>
  new VizLegendOptionsBuilder()
    .displayMode(LegendDisplayMode.List)
    .placement(LegendPlacement.Bottom)
    .showLegend(true)
    .calcs([]);

export function timeseries(spec: PanelSpec & { stacked?: boolean }): TimeseriesPanel {
  const panel = fromSpec(new TimeseriesPanel(), spec)
    .legend(legend())
    .lineWidth(2)
    .fillOpacity(spec.stacked ? 30 : 10);
  return spec.stacked ? panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal)) : panel;
}

export function stat(spec: PanelSpec & { calc?: string }): StatPanel {
  return fromSpec(new StatPanel(), spec, { width: 6, height: 4 }).reduceOptions(
    new ReduceDataOptionsBuilder().calcs([spec.calc ?? 'lastNotNull']),
  );
}

export function barGauge(spec: PanelSpec): BarGaugePanel {
  return fromSpec(new BarGaugePanel(), spec).reduceOptions(
    new ReduceDataOptionsBuilder().values(true).calcs([]),
  );
}

/** Status history of a value that encodes a state, with each value shown as its name and color. */
export function stateTimeline(
  spec: PanelSpec & { states: { value: number; text: string; color: string }[] },
): StateTimelinePanel {
  const mappings: ValueMapping[] = [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(
        spec.states.map((state, index) => [
          String(state.value),
          { text: state.text, color: state.color, index },
        ]),
      ),
    },
  ];
  return fromSpec(new StateTimelinePanel(), spec).mappings(mappings);
}
