// The mode the last `cdnfaas up` / `services up` was asked for (--kafka-nodes, --secure), kept in
// the cdnfaas home until `down`, so later commands (status, replay, connector, credentials, down)
// talk to the system as it was started without repeating the flags. Variables still win.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SystemMode {
  kafkaNodes: number;
  secure: boolean;
}

export function modeFile(home: string): string {
  return join(home, 'mode.json');
}

/** The remembered mode as the variables that choose it; nothing when none is remembered. */
export function modeVariables(home: string): Record<string, string> {
  const file = modeFile(home);
  if (!existsSync(file)) return {};
  try {
    const mode = JSON.parse(readFileSync(file, 'utf8')) as Partial<SystemMode>;
    return {
      ...(Number.isInteger(mode.kafkaNodes) ? { KAFKA_NODES: String(mode.kafkaNodes) } : {}),
      ...(typeof mode.secure === 'boolean' ? { CDNFAAS_SECURE: String(mode.secure) } : {}),
    };
  } catch {
    return {}; // a torn write: the configuration's own values apply
  }
}

export function rememberMode(home: string, mode: SystemMode): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(modeFile(home), `${JSON.stringify(mode)}\n`);
}

export function forgetMode(home: string): void {
  rmSync(modeFile(home), { force: true });
}
