import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../../runtime/stack/stack-file.ts';
import { projectRoot } from '../../../system/config.ts';
import { imageWithTag, renderFunctionResources } from './functions.ts';
import { describeWithFaasCli } from '../../../test/support/faas-cli.ts';
import { functionsFile } from './generate.ts';
import { clusterEnvironment, generateFromRepository } from './io.ts';

// A stack that touches every field faas-cli generate writes, with the output its Go code prints.
const stackText = `
version: 1.0
provider:
  name: openfaas
  gateway: http://127.0.0.1:8080
functions:
  zeta:
    lang: node20-ts
    handler: ./zeta
    image: example/zeta
    namespace: somewhere-else
    environment:
      write_debug: true
      RETRIES: 3
      URL: \${TARGET_URL:-http://127.0.0.1:9000}
    labels:
      com.openfaas.scale.max: '4'
    annotations:
      topic: in
      note: 'a: b'
    limits:
      memory: 128Mi
    requests:
      cpu: 100m
    constraints:
      - node.platform.os == linux
    secrets:
      - token
    readonly_root_filesystem: true
  alpha:
    lang: node20-ts
    handler: ./alpha
    image: registry.local:5000/example/alpha:1.2.3
`;

const expected = `---
apiVersion: openfaas.com/v1
kind: Function
metadata:
  name: alpha
  namespace: openfaas-fn
spec:
  name: alpha
  image: registry.local:5000/example/alpha:1.2.3
---
apiVersion: openfaas.com/v1
kind: Function
metadata:
  name: zeta
  namespace: openfaas-fn
spec:
  name: zeta
  image: example/zeta:latest
  environment:
    RETRIES: "3"
    URL: http://target.svc:9000
    write_debug: "true"
  labels:
    com.openfaas.scale.max: "4"
  annotations:
    note: 'a: b'
    topic: in
  limits:
    memory: 128Mi
    cpu: ""
  requests:
    memory: ""
    cpu: 100m
  constraints:
    - node.platform.os == linux
  secrets:
    - token
  readOnlyRootFilesystem: true
`;

describe('OpenFaaS Function resources as faas-cli generate renders them', () => {
  it('matches the golden output for a stack using every field', () => {
    const stack = parseStack(stackText, { env: { TARGET_URL: 'http://target.svc:9000' } });
    expect(renderFunctionResources(stack)).toBe(expected);
  });

  it.each([
    ['example/fn', 'example/fn:latest'],
    ['example/fn:1.0', 'example/fn:1.0'],
    ['registry.local:5000/example/fn', 'registry.local:5000/example/fn:latest'],
    ['registry.local:5000/example/fn:2', 'registry.local:5000/example/fn:2'],
  ])('tags %s as %s', (image, tagged) => {
    expect(imageWithTag(image)).toBe(tagged);
  });
});

describeWithFaasCli('agreement with the real faas-cli generate', (faasCli) => {
  const run = (file: string, env: Record<string, string>) =>
    execFileSync(faasCli, ['generate', '-f', file], { encoding: 'utf8', env: { ...process.env, ...env } });

  it('prints the golden stack byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-generate-'));
    writeFileSync(join(dir, 'stack.yml'), stackText);
    expect(run(join(dir, 'stack.yml'), { TARGET_URL: 'http://target.svc:9000' }).trimEnd()).toBe(
      expected.trimEnd(),
    );
  });

  it('prints for stack.yml what npx cdnfaas k8s generate writes, and what is committed', () => {
    const fromFaasCli = run(join(projectRoot, 'stack.yml'), clusterEnvironment).trimEnd();
    const generated = generateFromRepository(projectRoot).get(functionsFile);
    expect(generated?.trimEnd()).toBe(fromFaasCli);
    const committed = readFileSync(join(projectRoot, 'deploy/kubernetes/manifests', functionsFile), 'utf8');
    expect(fromFaasCli).toBe(committed.trimEnd());
  });
});
