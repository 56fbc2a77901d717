// Installs the npm dependencies when they are missing or older than package-lock.json,
// so that `npm run up` and `npm test` work in a fresh clone as they are.
// Plain JavaScript with no imports beyond Node: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const upToDate = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!upToDate) {
  console.error('cdnfaas: installing npm dependencies (npm ci)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    // onnxruntime-node ships its CPU binaries; never let it fetch GPU extras.
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  if (result.status !== 0) {
    console.error('cdnfaas: npm ci failed; fix the error above and run the command again.');
    process.exit(result.status ?? 1);
  }
}
