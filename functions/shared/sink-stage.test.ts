import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { batchResponseSchema } from '../../contracts/batch.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { stageHandler } from '../../template/node20-ts/stage.ts';
import type { LineWriter } from './influx-writer.ts';
import { sinkStage } from './sink-stage.ts';
import { batchEvent, recordingContext, singleEvent } from './testing.ts';

/** A writer that keeps what it was given, or fails like an unreachable InfluxDB. */
function fakeWriter(fail = false): LineWriter & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async write(lines) {
      if (fail)
        throw new CdnfaasError(
          'SERVICE_UNREACHABLE',
          'InfluxDB at http://127.0.0.1:1 is unreachable (ECONNREFUSED)',
        );
      calls.push([...lines]);
    },
  };
}

const input = z.object({ n: z.number().int() }).strict();
const toLine = (record: { value: { n: number }; partition: number; offset: string }) =>
  `m n=${record.value.n}i ${record.offset}`;

describe('sinkStage', () => {
  it('writes the valid records of a batch in one call and answers ok with no outputs', async () => {
    const writer = fakeWriter();
    const handler = stageHandler(sinkStage({ input, toLine, writer }));
    const response = batchResponseSchema.parse(
      await handler(
        batchEvent('t', [{ n: 1 }, { n: 'x' }, { n: 3 }], { firstOffset: 10 }),
        recordingContext(),
      ),
    );
    expect(writer.calls).toEqual([['m n=1i 10', 'm n=3i 12']]);
    expect(response.results).toEqual([
      { status: 'ok', outputs: [] },
      { status: 'rejected', reason: 'n: Invalid input: expected number, received string' },
      { status: 'ok', outputs: [] },
    ]);
  });

  it('fails the whole call when the write fails, so nothing is acknowledged', async () => {
    const handler = stageHandler(sinkStage({ input, toLine, writer: fakeWriter(true) }));
    await expect(handler(batchEvent('t', [{ n: 1 }]), recordingContext())).rejects.toMatchObject({
      code: 'SERVICE_UNREACHABLE',
      status: 503,
    });
  });

  it('stores an ad-hoc record too', async () => {
    const writer = fakeWriter();
    const context = recordingContext();
    await stageHandler(sinkStage({ input, toLine, writer }))(singleEvent({ n: 7 }), context);
    expect(context.statusCode).toBe(200);
    expect(writer.calls).toEqual([['m n=7i 0']]);
  });
});
