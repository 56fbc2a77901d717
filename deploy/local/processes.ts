// Service processes that outlive the command which started them, and the records that say
// cdnfaas started them (so `services down` stops those and nothing else).
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatCommand } from './log-tail.ts';
import { missingTool } from './run-command.ts';

export interface ServiceRecord {
  service: string;
  pid: number;
  startedAt: string;
  version: string;
  address: string;
  command: string[];
  /** Text in the process's command line that identifies it (its own config file), against pid reuse. */
  marker: string;
  logFile: string;
}

export interface RecordFiles {
  pidFile: string;
  recordFile: string;
}

export function readRecord(files: RecordFiles): ServiceRecord | undefined {
  if (!existsSync(files.recordFile)) return undefined;
  try {
    const record = JSON.parse(readFileSync(files.recordFile, 'utf8')) as ServiceRecord;
    return Number.isInteger(record.pid) && record.pid > 0 ? record : undefined;
  } catch {
    return undefined;
  }
}

export function writeRecord(files: RecordFiles, record: ServiceRecord): void {
  mkdirSync(dirname(files.recordFile), { recursive: true });
  writeFileSync(files.pidFile, `${record.pid}\n`);
  writeFileSync(files.recordFile, `${JSON.stringify(record, null, 2)}\n`);
}

export function removeRecord(files: RecordFiles): void {
  rmSync(files.pidFile, { force: true });
  rmSync(files.recordFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // A zombie still answers kill(0) until its parent reaps it; it is not running.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True when the recorded process is alive and (where the OS tells) is still the program cdnfaas started. */
export function isRecordedProcessRunning(record: ServiceRecord): boolean {
  if (!isAlive(record.pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').includes(record.marker);
  } catch {
    return false;
  }
}

export interface DetachedProcess {
  pid: number;
  /** Set once the process has exited while this command was still watching it. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Starts a process in its own session with output to `logFile`; it keeps running after this process exits. */
export function spawnDetached(input: {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  installHint: string;
}): Promise<DetachedProcess> {
  mkdirSync(dirname(input.logFile), { recursive: true });
  const fd = openSync(input.logFile, 'w');
  writeSync(fd, `$ ${formatCommand(input.command, input.args)}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(input.command, input.args, {
      cwd: input.cwd,
      env: { ...process.env, ...input.env },
      detached: true,
      stdio: ['ignore', fd, fd],
      windowsHide: true,
    });
    closeSync(fd);
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.once('exit', (code, signal) => (exited = { code, signal }));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingTool(input.command, input.installHint) : error),
    );
    child.once('spawn', () => {
      child.unref();
      resolve({ pid: child.pid!, exit: () => exited });
    });
  });
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running';

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(pid: number, graceMs: number): Promise<StopOutcome> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'stopped';
  }
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  return 'killed';
}
