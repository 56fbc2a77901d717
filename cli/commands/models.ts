import { InvalidArgumentError, type Command } from 'commander';
import { evaluateModels } from './models/evaluate.ts';
import { compareCommand, dropCommand, promoteCommand, shadowCommand } from './models/lifecycle.ts';

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

  const common = (command: Command) =>
    command
      .option('--function <name>', 'the live function', 'predict')
      .option('--gateway <url>', 'gateway URL (default: OPENFAAS_URL or http://127.0.0.1:<gateway.port>)');
  common(
    models
      .command('shadow <image>')
      .description(
        'run a predict image (e.g. cdnfaas/predict:0.1.0-m<digest>) beside the live predict: same input, its own consumer group, its own output topic (<output>_shadow), never cdn_result',
      ),
  ).action(shadowCommand);
  common(
    models
      .command('compare')
      .description(
        "the live model and the shadow on the same records: cluster agreement after matching clusters, each one's anomaly rate, examples of disagreement",
      )
      .option('--records <n>', 'newest predictions read per partition of each output topic', positive, 2000)
      .option('--examples <n>', 'disagreements shown', positive, 5)
      .option('--json', 'print JSON'),
  ).action(compareCommand);
  common(
    models
      .command('promote')
      .description(
        "deploy the shadow's image as the live function (every other setting kept), then remove the shadow",
      ),
  ).action(promoteCommand);
  common(
    models
      .command('drop')
      .description(
        'remove the shadow, its consumer group and its output topic; the live function is unchanged',
      ),
  ).action(dropCommand);
}

function positive(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return number;
}
