import type { Command } from 'commander';
import { CdnfaasError } from '../../lib/errors.ts';
import { formatReport, rules } from '../../tools/lint/lint.ts';
import { lintFile } from '../../tools/lint/lint-file.ts';
import { defaultStackFile } from '../../runtime/stack/stack-file.ts';
import { loadConfig } from '../../system/config.ts';

/** `cdnfaas lint [-f stack.yml]`: what OpenFaaS CE on Kubernetes would refuse, explained. */
export function register(program: Command): void {
  program
    .command('lint')
    .description('check stack.yml against what OpenFaaS CE on Kubernetes accepts, and cdnfaas settings')
    .option('-f, --yaml <file>', 'the stack file (default: stack.yaml or stack.yml here)')
    .option('--strict', 'fail on warnings too')
    .option('--rules', 'list the rules and exit')
    .action((options: { yaml?: string; strict?: boolean; rules?: boolean }) => {
      if (options.rules) {
        for (const rule of rules) console.log(`${rule.id.padEnd(24)} ${rule.summary}`);
        return;
      }
      const file = options.yaml ?? defaultStackFile();
      const report = lintFile(file, loadConfig());
      console.log(formatReport(report, file));
      if (report.errors > 0 || (options.strict && report.warnings > 0)) {
        throw new CdnfaasError('INVALID_INPUT', `${file} does not pass cdnfaas lint`, {
          hint: 'fix the findings listed above, then run `npx cdnfaas lint` again',
        });
      }
    });
}
