import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { InflightCalls, listen } from '../node20-ts/http-lifecycle.ts';
import type { Log } from '../node20-ts/log.ts';
import { cgiEnv, splitRequestTarget, type RequestFacts } from './cgi-env.ts';
import { formatDuration, type WatchdogConfig } from './config.ts';
import { exitErrorText, failureBody, startErrorHint, startErrorText } from './outcome.ts';

/** The replica health path of the local runtime and of both OpenFaaS watchdogs. */
export const healthPath = '/_/health';

/** The methods the classic watchdog forks for (handler.go, makeRequestHandler); others get 405. */
const forkedMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'GET']);

/** stderr longer than this is cut in the log line (the answer keeps all of it when combined). */
const maxLoggedStderr = 16 * 1024;

export interface WatchdogOptions {
  config: WatchdogConfig;
  log: Log;
  /** The folder every function process runs in: the handler folder's files are there. */
  cwd: string;
  /** The environment of every function process, before the Http_* variables of its request. */
  env: Record<string, string | undefined>;
  /** Where write_debug sends a successful call's output (the classic watchdog: its stdout). */
  writeOutput?: (bytes: Buffer) => void;
}

export interface WatchdogServer {
  /** Listens; resolves with the port. Healthy from then on: there is nothing to load. */
  start(): Promise<number>;
  /** Health answers 503, no new connections; resolves once every call in flight has answered. */
  drain(): Promise<void>;
  /** SIGKILLs every function process still running (the grace period is over). */
  killAll(): void;
  readonly inflight: number;
}

const textPlain = 'text/plain; charset=utf-8';

/** The request facts Go's net/http hands the classic watchdog. */
function requestFacts(req: IncomingMessage): RequestFacts {
  const { path, rawQuery } = splitRequestTarget(req.url ?? '/');
  const transferEncoding = req.headers['transfer-encoding'];
  const declared = req.headers['content-length'];
  const chunked = transferEncoding !== undefined && transferEncoding !== 'identity';
  const headers: [string, string][] = [];
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    // Go moves Host and Transfer-Encoding out of the header map into fields of the request.
    if (name === 'host' || name === 'transfer-encoding' || values === undefined) continue;
    headers.push([name, values[0] ?? '']);
  }
  const facts: RequestFacts = {
    method: req.method ?? 'GET',
    path,
    rawQuery,
    host: req.headers.host ?? '',
    contentLength: chunked ? -1 : declared === undefined ? 0 : Number(declared),
    headers,
  };
  if (transferEncoding !== undefined) facts.transferEncoding = transferEncoding;
  return facts;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Kills the process and everything it started: it leads its own process group. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

type Finished =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'not-started'; error: NodeJS.ErrnoException };

export function createWatchdogServer(options: WatchdogOptions): WatchdogServer {
  const { config, log } = options;
  const writeOutput = options.writeOutput ?? ((bytes: Buffer) => process.stdout.write(bytes));
  const running = new Set<ChildProcess>();
  const calls = new InflightCalls();
  let accepting = false;

  function send(
    res: ServerResponse,
    status: number,
    body: Buffer | string,
    headers: OutgoingHttpHeaders = {},
  ): void {
    if (res.headersSent || res.destroyed) return;
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const out: OutgoingHttpHeaders = { 'content-length': bytes.length, ...headers };
    if (!accepting) out.connection = 'close';
    res.writeHead(status, out);
    res.end(bytes);
  }

  async function fork(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const callId = req.headers['x-call-id'];
    if (config.debugHeaders) log.info('request headers', { direction: 'in', headers: req.headersDistinct });
    log.info('Forking fprocess.', { callId });
    const facts = requestFacts(req);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      log.warn('request body could not be read', { callId, err: error });
      return;
    }

    const [program, ...args] = config.argv as [string, ...string[]];
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: config.cgiHeaders ? { ...options.env, ...cgiEnv(facts) } : options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills what the function started too (sh -c '...').
      detached: true,
    });
    running.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const combined: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      combined.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      combined.push(chunk);
    });
    // A function that never reads its input (env, date) closes the pipe early: not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(body);

    let answered = false;
    const answer = (status: number, bytes: Buffer | string, headers?: OutgoingHttpHeaders): void => {
      if (answered) return;
      answered = true;
      send(res, status, bytes, headers);
    };
    const execTimer =
      config.execTimeoutMs > 0
        ? setTimeout(() => {
            log.warn(`Killing process: ${config.fprocess}`, {
              callId,
              execTimeout: formatDuration(config.execTimeoutMs),
            });
            answer(408, 'Killed process.\n', { 'content-type': textPlain });
            killGroup(child);
          }, config.execTimeoutMs)
        : undefined;
    const writeTimer =
      config.writeTimeoutMs > 0
        ? setTimeout(() => {
            // Go's WriteTimeout: past it the connection is closed without an answer. The
            // process goes too, since nothing can receive what it would write.
            log.warn('write_timeout passed before the function finished; closing the connection', {
              callId,
              writeTimeout: formatDuration(config.writeTimeoutMs),
            });
            answered = true;
            killGroup(child);
            res.destroy();
          }, config.writeTimeoutMs)
        : undefined;
    const onHangUp = (): void => {
      if (!res.writableFinished) killGroup(child);
    };
    res.once('close', onHangUp);

    const finished = await new Promise<Finished>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'not-started', error }));
      child.once('close', (code, signal) => resolve({ kind: 'exited', code, signal }));
    });
    clearTimeout(execTimer);
    clearTimeout(writeTimer);
    running.delete(child);

    if (stderr.length > 0) {
      const text = Buffer.concat(stderr).toString('utf8');
      const shown =
        text.length > maxLoggedStderr
          ? `${text.slice(0, maxLoggedStderr)}... (${text.length} characters)`
          : text;
      log.info(`stderr: ${shown.trimEnd()}`, { callId });
    }
    if (finished.kind === 'not-started') {
      const text = startErrorText(program, finished.error);
      log.error(text, { callId, hint: startErrorHint(program, finished.error) });
      answer(500, failureBody(text, Buffer.alloc(0)), { 'content-type': textPlain });
      return;
    }
    const output = Buffer.concat(config.combineOutput ? combined : stdout);
    const failure = exitErrorText(finished.code, finished.signal);
    if (failure !== undefined) {
      if (!answered) log.warn(`fprocess failed: ${failure}`, { callId });
      if (config.writeDebug) {
        log.info(`Success=false, Error=${failure}`, { callId });
        log.info(`Out=${output.toString('utf8')}`, { callId });
      }
      answer(500, failureBody(failure, output), { 'content-type': textPlain });
      return;
    }
    if (answered) return;
    const seconds = (performance.now() - started) / 1000;
    const headers: OutgoingHttpHeaders = { 'x-duration-seconds': seconds.toFixed(6) };
    const contentType = config.contentType || req.headers['content-type'];
    if (contentType) headers['content-type'] = contentType;
    answer(200, output, headers);
    if (config.debugHeaders) log.info('response headers', { direction: 'out', headers });
    if (config.writeDebug) {
      writeOutput(
        output.length > 0 && output.at(-1) !== 0x0a ? Buffer.concat([output, Buffer.from('\n')]) : output,
      );
      log.info(`Duration: ${seconds.toFixed(6)}s`, { callId });
    } else {
      log.info(`Wrote ${output.length} Bytes - Duration: ${seconds.toFixed(6)}s`, {
        callId,
        bytes: output.length,
      });
    }
  }

  const release = (): void => calls.end();

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const { path } = splitRequestTarget(req.url ?? '/');
    if (path === healthPath) {
      if (req.method !== 'GET') return send(res, 405, '');
      return accepting ? send(res, 200, 'OK', { 'content-type': textPlain }) : send(res, 503, '');
    }
    if (!forkedMethods.has(req.method ?? '')) return send(res, 405, '');
    if (config.maxInflight > 0 && calls.count >= config.maxInflight) {
      return send(
        res,
        429,
        `Concurrent request limit exceeded. Max concurrent requests: ${config.maxInflight}\n`,
        {
          'content-type': textPlain,
        },
      );
    }
    calls.begin();
    res.once('close', release);
    fork(req, res).catch((error: unknown) => {
      log.error('call failed inside the watchdog', { err: error });
      send(res, 500, 'the watchdog failed to run the function\n', { 'content-type': textPlain });
    });
  });
  // read_timeout as Go's ReadTimeout: the whole request, headers and body, within the limit.
  server.requestTimeout = config.readTimeoutMs;
  if (config.readTimeoutMs > 0) server.headersTimeout = Math.min(config.readTimeoutMs, 60_000);

  return {
    get inflight() {
      return calls.count;
    },
    async start() {
      const port = await listen(server, config.port, config.host);
      accepting = true;
      return port;
    },
    drain() {
      accepting = false;
      return calls.drain(server);
    },
    killAll() {
      for (const child of running) killGroup(child);
    },
  };
}
