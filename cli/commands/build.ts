import type { Command } from 'commander';
import { createProgress, type Progress } from '../../lib/progress.ts';
import { buildStack, modelImageEnv, type BuildEvent } from '../../runtime/build/index.ts';
import { shrinkwrapStack } from '../../runtime/build/shrinkwrap.ts';
import { formatBytes, formatTable, shortDigest } from '../../runtime/images/format.ts';
import { defaultStackFile } from '../../runtime/stack/stack-file.ts';
import { loadConfig } from '../../system/config.ts';

/** `cdnfaas build [-f stack.yml] [--filter NAME] [--force] [--shrinkwrap]`: functions -> images in the local store. */
export function register(program: Command): void {
  program
    .command('build')
    .description('bundle the functions of a stack file into immutable images in the local image store')
    .option('-f, --yaml <file>', 'the stack file (default: stack.yaml or stack.yml here)')
    .option('--filter <name>', 'build only the functions matching this name (* is a wildcard)')
    .option('--force', 'move an existing tag to new content instead of refusing')
    .option(
      '--shrinkwrap',
      'only write the Docker build contexts faas-cli would, to ./build/<fn> (as faas-cli build --shrinkwrap)',
    )
    .action(async (options: { yaml?: string; filter?: string; force?: boolean; shrinkwrap?: boolean }) => {
      if (options.shrinkwrap === true) {
        const contexts = shrinkwrapStack({
          stackFile: options.yaml ?? defaultStackFile(),
          root: process.cwd(),
          filter: options.filter,
        });
        for (const context of contexts) {
          console.log(`${context.function} shrink-wrapped to ${context.dir} (${context.files.length} files)`);
        }
        return;
      }
      const config = loadConfig();
      const stackFile = options.yaml ?? defaultStackFile();
      let progress: Progress | undefined;
      const onEvent = (event: BuildEvent): void => {
        if (event.type === 'start' && event.total > 1) {
          progress ??= createProgress('build', event.total);
          progress.update(event.index, event.total);
        } else if (event.type === 'skipped') {
          console.error(`${event.function}: skipped (${event.reason})`);
        }
      };
      try {
        // predict's tag and model annotation default to the installed model (model-image.ts), so a
        // retrain builds a new tag and never moves an existing one.
        const results = await buildStack({
          stackFile,
          filter: options.filter,
          force: options.force ?? false,
          config,
          env: modelImageEnv(stackFile, process.env),
          checkModels: true,
          onEvent,
        });
        progress?.update(results.length);
        progress?.stop();
        progress = undefined;
        const rows = results.map((result) => [
          result.function,
          result.ref,
          result.outcome,
          shortDigest(result.digest),
          formatBytes(result.sizeBytes),
          `${result.ms} ms`,
        ]);
        console.log(formatTable(['FUNCTION', 'IMAGE', 'RESULT', 'DIGEST', 'SIZE', 'TIME'], rows));
      } finally {
        progress?.stop();
      }
    });
}
