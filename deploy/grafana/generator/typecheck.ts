import { join } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../../system/config.ts';

/** Panel types the dashboards use, with the SDK module that holds their Options and FieldConfig. */
const panelModules: Record<string, { module: string; fieldConfig: boolean }> = {
  timeseries: { module: 'timeseries', fieldConfig: true },
  stat: { module: 'stat', fieldConfig: false },
  bargauge: { module: 'bargauge', fieldConfig: false },
  'state-timeline': { module: 'statetimeline', fieldConfig: true },
};

const targetTypes: Record<string, string> = {
  prometheus: 'JsonOf<prometheus.dataquery>',
  influxdb: 'JsonOf<InfluxFluxQuery>',
};

interface PanelJson {
  type: string;
  targets?: { datasource?: { type?: string } }[];
  panels?: PanelJson[];
}

/**
 * TypeScript source that assigns a dashboard's JSON to the SDK's Dashboard type, then each panel
 * to its plugin's Options and FieldConfig, and each query to its data source's query type.
 * Object literals get TypeScript's excess-property checks: an unknown or misspelled key fails.
 */
export function dashboardCheckSource(name: string, json: string): string {
  const dashboard = JSON.parse(json) as { panels?: PanelJson[] };
  const panels = (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const lines = [`export const dashboard_${name}: JsonOf<dashboard.Dashboard> = ${json};`];
  panels.forEach((panel, index) => {
    const id = `${name}_${index}`;
    if (panel.type === 'row') {
      lines.push(`export const panel_${id}: JsonOf<dashboard.RowPanel> = ${JSON.stringify(panel)};`);
      return;
    }
    const plugin = panelModules[panel.type];
    if (!plugin) {
      lines.push(
        `export const panel_${id}: never = ${JSON.stringify(panel.type)}; // panel type without SDK types`,
      );
      return;
    }
    const custom = plugin.fieldConfig ? ` & { custom?: JsonOf<${plugin.module}.FieldConfig> }` : '';
    const { targets = [], ...rest } = panel;
    lines.push(
      `export const panel_${id}: Omit<JsonOf<dashboard.Panel>, 'options' | 'fieldConfig' | 'targets'> & { options?: JsonOf<${plugin.module}.Options>; fieldConfig?: { defaults: JsonOf<dashboard.FieldConfig>${custom}; overrides: JsonOf<dashboard.FieldConfigSource['overrides']> } } = ${JSON.stringify(rest)};`,
    );
    targets.forEach((target, t) => {
      const type = targetTypes[target.datasource?.type ?? ''] ?? 'never';
      lines.push(`export const target_${id}_${t}: ${type} = ${JSON.stringify(target)};`);
    });
  });
  return lines.join('\n');
}

const header = [
  "import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';",
  "import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';",
  ...[...new Set(Object.values(panelModules).map((p) => p.module))].map(
    (module) => `import type * as ${module} from '@grafana/grafana-foundation-sdk/${module}';`,
  ),
  "import type { InfluxFluxQuery } from './queries.ts';",
  "import type { JsonOf } from './json-of.ts';",
].join('\n');

/** Type-checks dashboard JSON files against the SDK; returns TypeScript's messages (none = valid). */
export function typecheckDashboards(files: { name: string; json: string }[]): string[] {
  const virtualPath = join(projectRoot, 'deploy', 'grafana', 'generator', '__dashboards_check__.ts');
  const source = [
    header,
    ...files.map((file) => dashboardCheckSource(file.name.replace(/\W/g, '_'), file.json)),
  ].join('\n');
  const configFile = ts.readConfigFile(join(projectRoot, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, projectRoot);
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, createNew) =>
    fileName === virtualPath
      ? ts.createSourceFile(fileName, source, language)
      : getSourceFile(fileName, language, onError, createNew);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === virtualPath || fileExists(fileName);
  const program = ts.createProgram([virtualPath], { ...options, noEmit: true }, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(virtualPath)).map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return text;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const context = diagnostic.file.text.split('\n')[line]?.slice(0, 80) ?? '';
    return `${text}\n    at: ${context}`;
  });
}
