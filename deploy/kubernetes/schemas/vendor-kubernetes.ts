/**
 * Copies the Kubernetes JSON Schemas the generated manifests need out of the PyPI package
 * kubernetes-validate (Apache-2.0), pruned to the definitions those kinds reach, so that
 * validation needs no network. Run it again to move to another Kubernetes version:
 *
 *   pip download --no-deps -d /tmp/kv kubernetes-validate==1.37.0
 *   (cd /tmp/kv && unzip -q -o kubernetes_validate-1.37.0-py3-none-any.whl)
 *   npx tsx deploy/kubernetes/schemas/vendor-kubernetes.ts /tmp/kv v1.33.0-local-strict
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The kinds the generator emits, as kubernetes-validate names their schema files. */
export const vendoredKinds = [
  'namespace-v1',
  'configmap-v1',
  'service-v1',
  'serviceaccount-v1',
  'deployment-apps-v1',
  'statefulset-apps-v1',
  'networkpolicy-networking-v1',
] as const;

type Json = Record<string, unknown>;

/** Every `#/$defs/...` or `/api/_definitions.json#/$defs/...` name referenced below `node`. */
function referencedDefinitions(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) referencedDefinitions(item, found);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const match = /#\/\$defs\/(.+)$/.exec(value);
        if (match?.[1]) found.add(match[1]);
      } else {
        referencedDefinitions(value, found);
      }
    }
  }
  return found;
}

/** The definitions reachable from the given kind schemas, closed under $ref. */
export function pruneDefinitions(definitions: Record<string, Json>, roots: Json[]): Record<string, Json> {
  const keep = new Set<string>();
  const queue = [...roots.flatMap((root) => [...referencedDefinitions(root)])];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (keep.has(name)) continue;
    const definition = definitions[name];
    if (!definition) throw new Error(`definition ${name} is referenced but missing`);
    keep.add(name);
    queue.push(...referencedDefinitions(definition));
  }
  return Object.fromEntries([...keep].sort().map((name) => [name, definitions[name]!]));
}

function main(): void {
  const [wheelDir, version] = process.argv.slice(2);
  if (!wheelDir || !version) {
    console.error(
      'usage: vendor-kubernetes.ts <unpacked kubernetes-validate wheel> <schema set, e.g. v1.33.0-local-strict>',
    );
    process.exit(2);
  }
  const source = join(wheelDir, 'kubernetes_validate', 'kubernetes-json-schema', version);
  const target = join(dirname(fileURLToPath(import.meta.url)), 'kubernetes', version);
  mkdirSync(target, { recursive: true });
  const roots = vendoredKinds.map(
    (kind) => JSON.parse(readFileSync(join(source, `${kind}.json`), 'utf8')) as Json,
  );
  const all = JSON.parse(readFileSync(join(source, '_definitions.json'), 'utf8')) as Json & {
    $defs: Record<string, Json>;
  };
  const pruned = { $schema: all.$schema, $id: all.$id, $defs: pruneDefinitions(all.$defs, roots) };
  writeFileSync(join(target, '_definitions.json'), `${JSON.stringify(pruned)}\n`);
  vendoredKinds.forEach((kind, index) =>
    writeFileSync(join(target, `${kind}.json`), `${JSON.stringify(roots[index])}\n`),
  );
  console.log(
    `wrote ${vendoredKinds.length} kinds and ${Object.keys(pruned.$defs).length} definitions to ${target}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
