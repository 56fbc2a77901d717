import { InvalidArgumentError, type Command } from 'commander';
import { evaluateModels } from './models/evaluate.ts';

function seed(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0 || number > 0xffffffff)
    throw new InvalidArgumentError(`expected an integer from 0 to 4294967295, got "${value}"`);
  return number;
}

/** `cdnfaas models ...`: evaluate anomaly approaches; shadow, compare, promote and drop a candidate model. */
export function register(program: Command): void {
  const models = program
    .command('models')
    .description('evaluate models; run a candidate beside the live one');
  models
    .command('evaluate')
    .description(
      'train on a CSV (nothing installed) and print the anomaly approaches on altered held-out rows: precision, recall, silhouette, ONNX parity',
    )
    .requiredOption('--data <csv>', 'training CSV')
    .option('--test <csv>', 'held-out CSV to alter (default: the held-out split of --data)')
    .option('--seed <n>', 'seed of the split and of k-means', seed, 42)
    .action(evaluateModels);
}
