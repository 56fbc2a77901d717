// The anchors of `npm run bench`: one exactly-once hop with Java kafka-clients, and the echo stage
// with kafkajs and with librdkafka, on the same broker in the same run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../system/config.ts';
import type { Measured } from '../reporting/measured.ts';
import type { Anchors, EchoAnchorFigures } from '../reporting/model.ts';
import type { BenchRun } from '../reporting/run.ts';
import { measureJavaEosAnchor } from './java-eos.ts';

export async function measureAnchors(
  run: BenchRun,
  options: { brokers: string[]; cacheDir: string },
): Promise<Anchors> {
  const { part, say } = run;
  const records = run.scale(200_000, 50_000);
  const javaEos = await part('anchor: Java kafka-clients exactly-once hop', () =>
    measureJavaEosAnchor({
      brokers: options.brokers,
      records,
      partitions: 6,
      cacheDir: options.cacheDir,
      onProgress: say,
    }),
  );
  const echo = await part('anchor: echo stage, kafkajs and librdkafka', async () => {
    // Imported by path at run time: without bench/anchors/echo.ts the anchor is reported missing.
    const file = join(projectRoot, 'bench', 'anchors', 'echo.ts');
    if (!existsSync(file)) throw new Error('bench/anchors/echo.ts does not exist (not landed)');
    const { measureEchoAnchors } = (await import(file)) as {
      measureEchoAnchors: (options: {
        brokers: string[];
        records: number;
        partitions: number;
        onProgress?: (line: string) => void;
      }) => Promise<{
        kafkajs: EchoAnchorFigures | Measured<object>;
        librdkafka: EchoAnchorFigures | Measured<object>;
      }>;
    };
    return measureEchoAnchors({ brokers: options.brokers, records, partitions: 6, onProgress: say });
  });
  /** One client's figures, or why there are none (the echo anchor marks a client it could not load). */
  const echoClient = (client: 'kafkajs' | 'librdkafka'): Measured<EchoAnchorFigures> => {
    if (echo.status === 'missing') return echo;
    const figures = echo[client];
    if ('status' in figures && figures.status === 'missing') return figures;
    return { status: 'measured', ...(figures as EchoAnchorFigures) };
  };
  return { javaEos, echoKafkajs: echoClient('kafkajs'), echoLibrdkafka: echoClient('librdkafka') };
}
