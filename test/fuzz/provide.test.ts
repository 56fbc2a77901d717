/**
 * provide under malformed input, in process: ad-hoc bodies of any shape and encoding, batches
 * of mangled records, broken batch envelopes. Each call must answer (never throw), each bad
 * record must be refused with a short reason, and the counts of a batch must add up.
 * Seeded (FUZZ_SEED), bounded (FUZZ_RUNS), so a failure is reproducible.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchContentType, batchRequestSchema, batchResponseSchema } from '../../contracts/batch.ts';
import { clientDataSchema } from '../../contracts/client-data.ts';
import provide from '../../functions/provide/handler.ts';
import { call, expectClearRejection } from './support/call.ts';
import { deeplyNested, mangledRecord, randomBytes, validRow, wrongEncodings } from './support/inputs.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20_881);
const runs = Number(process.env.FUZZ_RUNS ?? 300);
const settings = { seed, numRuns: runs };
const contentTypes = ['application/json', 'text/plain', 'application/octet-stream', undefined] as const;

describe('fuzz: provide in process', () => {
  it('answers any JSON value, any text and any bytes as an ad-hoc record: a ClientData or a clear 400', async () => {
    const tally = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .jsonValue({ maxDepth: 6 })
            .map((value) => ({ body: value as unknown, type: 'application/json' as const })),
          mangledRecord.map((record) => ({ body: record as unknown, type: 'application/json' as const })),
          fc
            .string({ unit: 'binary', maxLength: 300 })
            .map((text) => ({ body: text as unknown, type: 'text/plain' as const })),
          randomBytes.map((bytes) => ({
            body: Buffer.from(bytes) as unknown,
            type: 'application/octet-stream' as const,
          })),
        ),
        async ({ body, type }) => {
          const answer = await call(provide, body, type);
          if (answer.status === 200) {
            expect(clientDataSchema.safeParse(answer.body).success).toBe(true);
            tally.accepted += 1;
          } else {
            expectClearRejection(answer);
            tally.refused += 1;
          }
        },
      ),
      settings,
    );
    expect(tally.accepted + tally.refused).toBe(runs * 1);
    expect(tally.refused).toBeGreaterThan(0);
  });

  it('answers a batch of mangled records with one result each, refusals with short reasons, and the counts add up', async () => {
    let records = 0;
    let ok = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(mangledRecord, fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 40 }),
        async (values) => {
          const body = {
            records: values.map((value, i) => ({
              topic: 'cdn_raw',
              partition: i % 6,
              offset: String(i),
              key: null,
              value,
            })),
          };
          const answer = await call(provide, body, batchContentType);
          expect(answer.status).toBe(200);
          const parsed = batchResponseSchema.parse(answer.body);
          expect(parsed.results).toHaveLength(values.length);
          for (const result of parsed.results) {
            if (result.status === 'ok') {
              expect(result.outputs).toHaveLength(1);
              const data = clientDataSchema.parse(result.outputs[0]!.value);
              expect(result.outputs[0]!.key).toBe(data.sample_id);
              ok += 1;
            } else {
              // Values are quoted cut short: a 200,000-character cell must not make a 200 kB reason.
              expect(result.reason.length).toBeGreaterThan(5);
              expect(result.reason.length).toBeLessThan(2_000);
              rejected += 1;
            }
          }
          records += values.length;
        },
      ),
      { ...settings, numRuns: Math.max(1, Math.round(runs / 3)) },
    );
    expect(ok + rejected).toBe(records);
    expect(ok).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });

  it('refuses any malformed batch envelope as a whole with a clear 400, and answers the well-formed ones', async () => {
    const envelope = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ records: fc.jsonValue({ maxDepth: 3 }) }),
      fc.record({
        records: fc.array(
          fc.record(
            {
              topic: fc.jsonValue(),
              partition: fc.oneof(fc.integer({ max: -1 }), fc.double(), fc.string()),
              offset: fc.oneof(fc.string(), fc.integer()),
              key: fc.jsonValue(),
              value: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
          { minLength: 1, maxLength: 5 },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (body) => {
        const answer = await call(provide, body, batchContentType);
        // The contract decides what a well-formed batch is (an empty one is); anything else is refused whole.
        const request = batchRequestSchema.safeParse(body);
        if (request.success)
          expect(batchResponseSchema.parse(answer.body).results).toHaveLength(request.data.records.length);
        else expectClearRejection(answer);
      }),
      { ...settings, numRuns: Math.max(1, Math.round(runs / 3)) },
    );
  });

  it('refuses deeply nested JSON, huge fields and wrong encodings, and still takes the valid record', async () => {
    for (const depth of [1_000, 100_000]) {
      for (const kind of ['array', 'object'] as const) {
        const text = deeplyNested(depth, kind);
        expectClearRejection(await call(provide, text, 'text/plain'));
        expectClearRejection(await call(provide, JSON.parse(text), 'application/json'));
        const batch = await call(
          provide,
          { records: [{ topic: 'cdn_raw', partition: 0, offset: '1', key: null, value: JSON.parse(text) }] },
          batchContentType,
        );
        expect(batchResponseSchema.parse(batch.body).results[0]).toMatchObject({ status: 'rejected' });
      }
    }
    const huge = 'x'.repeat(5 * 1024 * 1024);
    for (const record of [
      { ...validRow, host_id: huge },
      { ...validRow, [huge]: '1' },
      { ...validRow, timestamp: `2088-05-13 07:00:03${huge}` },
    ]) {
      const answer = await call(provide, record, 'application/json');
      expectClearRejection(answer);
      expect((answer.body as { message: string }).message.length).toBeLessThan(1_000);
    }
    for (const { name, bytes } of wrongEncodings(validRow)) {
      for (const type of contentTypes) {
        const answer = await call(
          provide,
          type === 'application/octet-stream' ? bytes : bytes.toString('utf8'),
          type,
        );
        expect(answer.status, name).toBe(400);
        expectClearRejection(answer);
      }
    }
    for (const cut of [1, 10, 40, JSON.stringify(validRow).length - 1]) {
      expectClearRejection(await call(provide, JSON.stringify(validRow).slice(0, cut), 'text/plain'));
    }
    const answer = await call(provide, JSON.stringify(validRow), 'text/plain');
    expect(answer.status).toBe(200);
    expect(clientDataSchema.parse(answer.body)).toMatchObject({ host_id: 12, user_id: 77, content_id: -1 });
  });
});
