import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import { buildStack } from '../../runtime/build/index.ts';
import { openImageStore } from '../../runtime/images/store.ts';
import { loadConfig } from '../../system/config.ts';
import { parseDockerArgs } from './docker-args.ts';
import { locateStack } from './locate-stack.ts';

/**
 * `docker build` and `docker push` for faas-cli, against the local image store. Builds go through
 * buildStack exactly as `npx cdnfaas build` does; push checks that the image is in the store.
 * Nothing here runs, reads or talks to a real Docker.
 */

/** The parent's argv and cwd from /proc (Linux); undefined elsewhere or when unreadable. */
function parentProcess(): { argv: string[]; cwd: string } | undefined {
  try {
    const argv = readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
    return { argv, cwd: readlinkSync(`/proc/${process.ppid}/cwd`) };
  } catch {
    return undefined;
  }
}

async function run(argv: string[]): Promise<void> {
  const invocation = parseDockerArgs(argv);
  const config = loadConfig();
  if (invocation.kind === 'push') {
    const image = openImageStore(config.home).resolve(invocation.image);
    if (image === undefined) {
      throw new CdnfaasError(
        'NOT_FOUND',
        `cdnfaas docker shim: ${invocation.image} is not in the local image store ${config.home}/images`,
        {
          hint: 'build it first: faas-cli build -f stack.yml, or npx cdnfaas build',
        },
      );
    }
    console.log(
      `${image.ref}: in the local image store as ${image.digest} (push is local: nothing leaves this machine)`,
    );
    return;
  }
  const location = locateStack({
    contextDir: resolve(invocation.context),
    env: process.env,
    parent: parentProcess(),
    exists: existsSync,
  });
  const force = ['1', 'true', 'yes'].includes((process.env.CDNFAAS_FORCE ?? '').toLowerCase());
  console.log(
    `cdnfaas docker shim: building ${location.functionName} from ${location.stackFile} (${location.source}) into ${config.home}/images`,
  );
  for (const tag of invocation.tags) {
    const [result] = await buildStack({
      stackFile: location.stackFile,
      filter: location.functionName,
      force,
      config,
      images: { [location.functionName]: tag },
      // predict's tag must name its model, and PREDICT_MODEL the model (runtime/build/model-image.ts).
      checkModels: true,
    });
    if (result === undefined) {
      throw new CdnfaasError(
        'INVALID_INPUT',
        `cdnfaas docker shim: ${location.functionName} has skip_build set in ${location.stackFile}`,
        {
          hint: 'faas-cli skips such functions itself; remove skip_build to build it',
        },
      );
    }
    console.log(`Successfully tagged ${result.ref} (${result.digest}, ${result.outcome})`);
  }
}

try {
  await run(process.argv.slice(2));
} catch (error) {
  console.error(
    isCdnfaasError(error)
      ? error.describe()
      : `cdnfaas docker shim: ${(error as Error).stack ?? String(error)}`,
  );
  process.exit(1);
}
