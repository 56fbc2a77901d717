/**
 * `npm run bench:gateway`: what the gateway costs, in one run.
 *  - requests/s and p50/p99 of a trivial function (the echo fixture) called on its replica's port
 *    directly and through the gateway, with one connection (latency) and many (throughput);
 *    the gateway's overhead as a difference and a ratio;
 *  - the same through a minimal pass-through proxy (bench/minimal-proxy.ts): the floor of any
 *    extra hop on this machine, to tell the hop's cost from the gateway's own work;
 *  - cold start, deploy -> first 200, of the trivial function and of one that loads an ONNX model
 *    at start (the onnx-add fixture: a model written with onnx-proto, run by onnxruntime-node).
 * The load generator (bench/loadgen.ts) runs in its own process; the gateway runs here, with the
 * real build, image store and process provider. A report, not a pass/fail test: figures are
 * printed next to their targets and written to bench/out/gateway.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { createLogger } from '../lib/logger.ts';
import { buildStack } from '../runtime/build/index.ts';
import { createGateway, listenGateway } from '../runtime/gateway/server.ts';
import { openImageStore } from '../runtime/images/store.ts';
import { projectRoot } from '../system/config.ts';
import type { LoadReport } from './loadgen.ts';
import { startMinimalProxy } from './minimal-proxy.ts';
import { benchSettings } from './settings.ts';

const stackFile = join(projectRoot, 'test', 'fixtures', 'stack.echo.yml');
const {
  durationMs,
  repeats,
  coldRuns: coldStartRuns,
} = benchSettings({ durationMs: 4_000, repeats: 3, coldRuns: 5 });
const warmupMs = 1_000;
const targets = {
  overheadP50Ms: 0.3,
  gatewayRequestsPerSecond: 5_000,
  coldStartTrivialMs: 300,
  coldStartModelMs: 500,
};

const say = (line: string): void => void process.stderr.write(`${line}\n`);

function runLoadgen(url: string, connections: number): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'bench', 'loadgen.ts'),
        url,
        String(connections),
        String(durationMs),
        String(warmupMs),
        'hello',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadReport) : reject(new Error(`loadgen exited with ${code}`)),
    );
  });
}

/** The run with the median throughput: one consistent set of figures out of the repetitions. */
const medianRun = (reports: LoadReport[]): LoadReport =>
  [...reports].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(reports.length / 2)]!;
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'cdnfaas-bench-gateway-'));
  say(
    `bench:gateway on ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; scratch home ${home}`,
  );
  const buildStarted = performance.now();
  await buildStack({ stackFile, config: { home } });
  say(`built echo and onnx-add in ${Math.round(performance.now() - buildStarted)} ms`);

  const gateway = createGateway({
    home,
    projectRoot,
    images: openImageStore(home),
    logger: createLogger({ service: 'gateway', level: 'warn' }),
  });
  const url = await listenGateway(gateway, '127.0.0.1', 0);
  const { readFileSync } = await import('node:fs');
  const auth = `Basic ${Buffer.from(`admin:${readFileSync(gateway.credentialFiles.passwordFile, 'utf8').trim()}`).toString('base64')}`;
  const system = async (method: 'POST' | 'DELETE', body: unknown): Promise<number> => {
    const res = await request(`${url}/system/functions`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.body.dump();
    return res.statusCode;
  };
  const invoke = async (
    name: string,
    body: string,
    contentType: string,
  ): Promise<{ status: number; text: string }> => {
    const res = await request(`${url}/function/${name}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  };

  try {
    const coldStart = async (
      image: string,
      body: string,
      contentType: string,
      expected: string,
    ): Promise<number[]> => {
      const times: number[] = [];
      for (let run = 1; run <= coldStartRuns; run++) {
        const name = `cold-${image.split('/')[1]!.split(':')[0]}-${run}`;
        const started = performance.now();
        if ((await system('POST', { service: name, image })) !== 202)
          throw new Error(`deploy of ${name} failed`);
        const answer = await invoke(name, body, contentType);
        const elapsed = performance.now() - started;
        if (answer.status !== 200 || answer.text !== expected)
          throw new Error(`${name} answered ${answer.status} ${answer.text}`);
        times.push(round(elapsed, 1));
        await system('DELETE', { functionName: name });
      }
      return times;
    };
    say('cold start: trivial function');
    const coldTrivial = await coldStart('cdnfaas/echo:0.1.0', 'ping', 'text/plain', 'ping');
    say('cold start: function with an ONNX model');
    const coldModel = await coldStart('cdnfaas/onnx-add:0.1.0', '[1,2,3]', 'application/json', '[2,3,4]');

    if ((await system('POST', { service: 'echo', image: 'cdnfaas/echo:0.1.0' })) !== 202)
      throw new Error('deploy of echo failed');
    if ((await invoke('echo', 'warm', 'text/plain')).status !== 200) throw new Error('echo did not answer');
    const replica = gateway.provider.replicas('echo')[0]!;
    const direct = `${replica.origin}/`;
    const through = `${url}/function/echo`;

    const minimal = await startMinimalProxy(replica.origin);
    const phases: { connections: number; direct: LoadReport; minimal: LoadReport; gateway: LoadReport }[] =
      [];
    const runs: Record<string, LoadReport[]> = {};
    for (const connections of [1, 32]) {
      const reports = {
        direct: [] as LoadReport[],
        minimal: [] as LoadReport[],
        gateway: [] as LoadReport[],
      };
      // Interleaved repetitions, so that a burst of other work on the machine hits all three alike.
      for (let repetition = 1; repetition <= repeats; repetition++) {
        say(
          `load: ${connections} connection(s), run ${repetition}/${repeats}: direct, minimal proxy, gateway (${durationMs} ms each)`,
        );
        reports.direct.push(await runLoadgen(direct, connections));
        reports.minimal.push(await runLoadgen(minimal.url, connections));
        reports.gateway.push(await runLoadgen(through, connections));
      }
      runs[`${connections}`] = [...reports.direct, ...reports.minimal, ...reports.gateway];
      phases.push({
        connections,
        direct: medianRun(reports.direct),
        minimal: medianRun(reports.minimal),
        gateway: medianRun(reports.gateway),
      });
    }
    await minimal.close();

    const latency = phases[0]!;
    const throughput = phases[1]!;
    const overheadP50 = round(latency.gateway.p50Ms - latency.direct.p50Ms);
    const result = {
      machine: { cores: cpus().length, loadAverage: loadavg().map((l) => round(l, 2)) },
      phases: phases.map((phase) => ({
        connections: phase.connections,
        direct: phase.direct,
        minimalProxy: phase.minimal,
        gateway: phase.gateway,
        overheadP50Ms: round(phase.gateway.p50Ms - phase.direct.p50Ms),
        overheadP99Ms: round(phase.gateway.p99Ms - phase.direct.p99Ms),
        p50Ratio: round(phase.gateway.p50Ms / phase.direct.p50Ms, 2),
        throughputRatio: round(phase.gateway.requestsPerSecond / phase.direct.requestsPerSecond, 2),
      })),
      runs,
      coldStartMs: {
        trivial: coldTrivial,
        model: coldModel,
        trivialMedian: median(coldTrivial),
        modelMedian: median(coldModel),
      },
      targets,
      met: {
        overheadP50: overheadP50 <= targets.overheadP50Ms,
        gatewayRequestsPerSecond: throughput.gateway.requestsPerSecond >= targets.gatewayRequestsPerSecond,
        coldStartTrivial: median(coldTrivial) <= targets.coldStartTrivialMs,
        coldStartModel: median(coldModel) <= targets.coldStartModelMs,
      },
    };

    const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    const lines = [
      '',
      `trivial function (echo), one replica, median of ${repeats} runs`,
      `${' '.repeat(38)}  req/s    p50 ms    p99 ms`,
      ...phases.flatMap((phase) => [
        `  ${String(phase.connections).padStart(2)} conn  direct to replica port     ${String(phase.direct.requestsPerSecond).padStart(7)}   ${phase.direct.p50Ms.toFixed(3).padStart(7)}   ${phase.direct.p99Ms.toFixed(3).padStart(7)}`,
        `  ${String(phase.connections).padStart(2)} conn  minimal proxy (floor)      ${String(phase.minimal.requestsPerSecond).padStart(7)}   ${phase.minimal.p50Ms.toFixed(3).padStart(7)}   ${phase.minimal.p99Ms.toFixed(3).padStart(7)}`,
        `  ${String(phase.connections).padStart(2)} conn  through the gateway        ${String(phase.gateway.requestsPerSecond).padStart(7)}   ${phase.gateway.p50Ms.toFixed(3).padStart(7)}   ${phase.gateway.p99Ms.toFixed(3).padStart(7)}`,
        `          gateway vs minimal proxy   p50 +${round(phase.gateway.p50Ms - phase.minimal.p50Ms).toFixed(3)} ms, req/s x${round(phase.gateway.requestsPerSecond / phase.minimal.requestsPerSecond, 2)}`,
        `          gateway overhead           p50 +${round(phase.gateway.p50Ms - phase.direct.p50Ms).toFixed(3)} ms (x${round(phase.gateway.p50Ms / phase.direct.p50Ms, 2)}), p99 +${round(phase.gateway.p99Ms - phase.direct.p99Ms).toFixed(3)} ms, req/s x${round(phase.gateway.requestsPerSecond / phase.direct.requestsPerSecond, 2)}`,
      ]),
      '',
      `cold start, deploy -> first 200 (${coldStartRuns} runs, ms): trivial ${coldTrivial.join(', ')}; with ONNX model ${coldModel.join(', ')}`,
      '',
      'targets',
      `  gateway adds <= ${targets.overheadP50Ms} ms at p50 (1 connection): +${overheadP50} ms  ${mark(result.met.overheadP50)}`,
      `  >= ${targets.gatewayRequestsPerSecond} req/s through the gateway (32 connections): ${throughput.gateway.requestsPerSecond}  ${mark(result.met.gatewayRequestsPerSecond)}`,
      `  cold start trivial <= ${targets.coldStartTrivialMs} ms (median): ${median(coldTrivial)}  ${mark(result.met.coldStartTrivial)}`,
      `  cold start with a model <= ${targets.coldStartModelMs} ms (median): ${median(coldModel)}  ${mark(result.met.coldStartModel)}`,
      `  (load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; the load generator, the gateway and the replica share ${cpus().length} cores)`,
    ];
    console.log(lines.join('\n'));
    mkdirSync(join(projectRoot, 'bench', 'out'), { recursive: true });
    writeFileSync(join(projectRoot, 'bench', 'out', 'gateway.json'), `${JSON.stringify(result, null, 2)}\n`);
    say('written to bench/out/gateway.json');
  } finally {
    await gateway.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
