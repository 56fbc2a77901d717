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
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', ...librdkafkaBuildEnv() },
  });
  if (result.status !== 0) {
    console.error('cdnfaas: npm ci failed; fix the error above and run the command again.');
    process.exit(result.status ?? 1);
  }
}

// @confluentinc/kafka-javascript (optional) is built from source against the system librdkafka
// (Debian: librdkafka-dev): its prebuilt binaries come from a download host that may be out of
// reach, and its bundled librdkafka is a long build. Without librdkafka-dev the build fails and
// npm leaves the optional package out; everything else installs. Variables already set win.
function librdkafkaBuildEnv() {
  const env = {
    BUILD_LIBRDKAFKA: '0',
    CKJS_LINKING: 'dynamic',
    npm_config_build_from_source: '@confluentinc/kafka-javascript',
  };
  // node-gyp would download Node's headers; the ones installed with Node serve as well.
  if (existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  return Object.fromEntries(Object.entries(env).filter(([name]) => process.env[name] === undefined));
}
