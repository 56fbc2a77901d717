import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { CdnfaasError } from '../../lib/errors.ts';
import { generateRows, type GenerateOptions } from './generate.ts';
import { csvHeader, formatRow } from './row.ts';

export const labelsHeader = 'row,timestamp,label,kinds';

/** `data.csv` -> `data.labels.csv`: where a data set's ground truth goes. */
export function labelsPathFor(csvPath: string): string {
  return csvPath.endsWith('.csv') ? `${csvPath.slice(0, -4)}.labels.csv` : `${csvPath}.labels.csv`;
}

export interface WriteResult {
  csvPath: string;
  labelsPath: string;
  rows: number;
  anomalies: number;
  firstTimestamp: string | undefined;
  lastTimestamp: string | undefined;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/**
 * Writes the data set and its labels side file (one line per row: index, timestamp,
 * normal/anomaly and the kinds of change). Both go to temporary names first, so a stopped run
 * never leaves a half file under the final name.
 */
export async function writeDataset(
  csvPath: string,
  options: GenerateOptions,
  onProgress: (written: number) => void = () => {},
): Promise<WriteResult> {
  const labelsPath = labelsPathFor(csvPath);
  try {
    await mkdir(dirname(csvPath), { recursive: true });
  } catch (cause) {
    throw new CdnfaasError('INVALID_INPUT', `cannot create the folder of ${csvPath}`, {
      cause,
      hint: 'choose a writable --out path',
    });
  }
  const data = createWriteStream(`${csvPath}.partial`);
  const labels = createWriteStream(`${labelsPath}.partial`);
  const failed = new Promise<never>((_, reject) => {
    for (const stream of [data, labels]) {
      stream.once('error', (cause) =>
        reject(
          new CdnfaasError('INVALID_INPUT', `cannot write ${stream.path}: ${cause.message}`, {
            cause,
            hint: 'choose a writable --out path',
          }),
        ),
      );
    }
  });
  failed.catch(() => {});

  const work = async (): Promise<WriteResult> => {
    await write(data, `${csvHeader}\n`);
    await write(labels, `${labelsHeader}\n`);
    let dataChunk = '';
    let labelChunk = '';
    let rows = 0;
    let anomalies = 0;
    let first: string | undefined;
    let last: string | undefined;
    for (const generated of generateRows(options)) {
      first ??= generated.row.timestamp;
      last = generated.row.timestamp;
      dataChunk += `${formatRow(generated.row)}\n`;
      const label = generated.anomaly === null ? 'normal' : 'anomaly';
      labelChunk += `${generated.index},${generated.row.timestamp},${label},${generated.anomaly?.join('+') ?? ''}\n`;
      if (generated.anomaly !== null) anomalies++;
      rows++;
      if (rows % 5000 === 0) {
        await write(data, dataChunk);
        await write(labels, labelChunk);
        dataChunk = '';
        labelChunk = '';
        onProgress(rows);
      }
    }
    await write(data, dataChunk);
    await write(labels, labelChunk);
    await Promise.all([close(data), close(labels)]);
    await rename(`${csvPath}.partial`, csvPath);
    await rename(`${labelsPath}.partial`, labelsPath);
    onProgress(rows);
    return { csvPath, labelsPath, rows, anomalies, firstTimestamp: first, lastTimestamp: last };
  };
  return Promise.race([work(), failed]);
}
