// Running the programs that obtain and inspect services (mvn, go, java), with their output in a log file.
import { execFile, spawn } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import { formatCommand, lastLines } from './log-tail.ts';

type Env = Record<string, string | undefined>;

export interface LoggedRun {
  command: string;
  args: string[];
  cwd: string;
  env?: Env;
  logFile: string;
  /** What the command does, for messages: "resolving Kafka 4.1.1 jars from Maven Central". */
  what: string;
  timeoutMs: number;
  /** Called every `heartbeatMs` while the command runs, so long builds show they are alive. */
  onHeartbeat?: (elapsedMs: number) => void;
  heartbeatMs?: number;
  /** How to install the program when it is missing. */
  installHint: string;
  /** The error code when the command fails: obtaining (default) or preparing a service to start. */
  failureCode?: 'OBTAIN_FAILED' | 'SERVICE_UNHEALTHY';
}

export function readLogTail(logFile: string, count = 15): string[] {
  try {
    return lastLines(readFileSync(logFile, 'utf8'), count);
  } catch {
    return [];
  }
}

export function missingTool(command: string, installHint: string): CdnfaasError {
  return new CdnfaasError('TOOL_MISSING', `${command} is not installed or not on the PATH`, {
    hint: installHint,
  });
}

/** Runs a command with stdout and stderr going to `logFile`; fails with OBTAIN_FAILED and the log's last lines. */
export async function runLogged(run: LoggedRun): Promise<void> {
  mkdirSync(dirname(run.logFile), { recursive: true });
  const commandLine = formatCommand(run.command, run.args);
  const fd = openSync(run.logFile, 'w');
  writeSync(fd, `$ ${commandLine}\n  (in ${run.cwd})\n`);
  const started = Date.now();
  try {
    const outcome = await new Promise<{ code: number | null; signal: string | null; timedOut: boolean }>(
      (resolve, reject) => {
        const child = spawn(run.command, run.args, {
          cwd: run.cwd,
          env: { ...process.env, ...run.env },
          stdio: ['ignore', fd, fd],
          // Windows ships mvn as mvn.cmd, which Node runs only through a shell.
          shell: process.platform === 'win32' && !run.command.endsWith('.exe'),
          windowsHide: true,
        });
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, run.timeoutMs);
        const heartbeat = run.onHeartbeat
          ? setInterval(() => run.onHeartbeat?.(Date.now() - started), run.heartbeatMs ?? 15_000)
          : undefined;
        const finish = () => {
          clearTimeout(timer);
          if (heartbeat) clearInterval(heartbeat);
        };
        child.once('error', (error: NodeJS.ErrnoException) => {
          finish();
          reject(error.code === 'ENOENT' ? missingTool(run.command, run.installHint) : error);
        });
        child.once('close', (code, signal) => {
          finish();
          resolve({ code, signal, timedOut });
        });
      },
    );
    if (outcome.code === 0) return;
    const why = outcome.timedOut
      ? `did not finish within ${Math.round(run.timeoutMs / 1000)} s`
      : `exited with ${outcome.code === null ? `signal ${outcome.signal}` : `code ${outcome.code}`}`;
    const tail = readLogTail(run.logFile);
    throw new CdnfaasError(
      run.failureCode ?? 'OBTAIN_FAILED',
      `${run.what} failed: \`${commandLine}\` ${why}.\nLast lines of ${run.logFile}:\n  ${tail.join('\n  ')}`,
      {
        hint: `fix the cause shown above (network access to the package registry, disk space) and run the command again; full log: ${run.logFile}`,
        context: { command: commandLine, logFile: run.logFile },
      },
    );
  } finally {
    closeSync(fd);
  }
}

export interface CapturedOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a short command and returns its output; ENOENT becomes TOOL_MISSING. */
export function capture(
  command: string,
  args: string[],
  options: { env?: Env; timeoutMs?: number; installHint?: string } = {},
): Promise<CapturedOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 15_000,
        windowsHide: true,
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT')
          return reject(missingTool(command, options.installHint ?? `install ${command}`));
        resolve({ code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The first executable named `name` on the PATH (with PATHEXT on Windows), like `which`. */
export function findOnPath(name: string, env: Env = process.env): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = join(dir, name + extension);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}
