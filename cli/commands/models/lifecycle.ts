import { createKafka } from '../../../lib/kafka.ts';
import { CdnfaasError } from '../../../lib/errors.ts';
import { compareShadow, formatComparison } from '../../../deploy/local/models/compare.ts';
import { dropShadow, promoteShadow, startShadow, type ShadowContext } from '../../../deploy/local/models/shadow.ts';
import { ensureCredentials } from '../../../runtime/gateway/credentials.ts';
import { openImageStore } from '../../../runtime/images/index.ts';
import { loadConfig, type SystemConfig } from '../../../system/config.ts';
import { kafkaConnection } from '../../../system/kafka-connection.ts';
import { imageModel } from '../images.ts';

export interface LifecycleFlags {
  function: string;
  gateway?: string;
}

/** Gateway access and a Kafka admin for one command; the admin is disconnected afterwards. */
async function withContext<T>(
  flags: LifecycleFlags,
  action: (context: ShadowContext & { kafka: ReturnType<typeof createKafka> }, config: SystemConfig) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const credentials = ensureCredentials(config.home);
  const url = flags.gateway ?? process.env.OPENFAAS_URL ?? `http://127.0.0.1:${config.gateway.port}`;
  const kafka = createKafka(kafkaConnection(config), { clientId: 'cdnfaas-models' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await action(
      {
        access: { url, user: credentials.user, password: credentials.password },
        admin,
        kafka,
        live: flags.function,
        log: (line) => console.log(line),
      },
      config,
    );
  } finally {
    await admin.disconnect();
  }
}

/** `cdnfaas models shadow <image>`: the candidate predict image beside the live one. */
export async function shadowCommand(image: string, flags: LifecycleFlags): Promise<void> {
  await withContext(flags, async (context, config) => {
    const store = openImageStore(config.home);
    const stored = store.resolve(image);
    const model = imageModel(stored?.dir);
    if (stored === undefined || model === undefined)
      throw new CdnfaasError('NOT_FOUND', `${image} is not a predict image with a model in ${store.root}`, {
        hint: 'npx cdnfaas images lists the images and the model of each; train and build one with npx cdnfaas train --install and npx cdnfaas build --filter predict',
      });
    await startShadow(context, { ref: stored.ref, model });
    console.log('compare with: npx cdnfaas models compare; then npx cdnfaas models promote or drop');
  });
}

export async function compareCommand(flags: LifecycleFlags & { records: number; examples: number; json?: boolean }): Promise<void> {
  await withContext(flags, async (context) => {
    const comparison = await compareShadow(context, flags.records, flags.examples);
    console.log(flags.json ? JSON.stringify(comparison, null, 2) : formatComparison(comparison));
  });
}

export async function promoteCommand(flags: LifecycleFlags): Promise<void> {
  await withContext(flags, async (context) => {
    await promoteShadow(context);
  });
}

export async function dropCommand(flags: LifecycleFlags): Promise<void> {
  await withContext(flags, async (context) => {
    await dropShadow(context);
  });
}
