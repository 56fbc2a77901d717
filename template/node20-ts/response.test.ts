import { describe, expect, it } from 'vitest';
import { CallContext, errorStatus, renderBody, type Outcome } from './response.ts';

function context(): { ctx: CallContext; outcomes: Outcome[] } {
  const outcomes: Outcome[] = [];
  return { ctx: new CallContext((outcome) => outcomes.push(outcome)), outcomes };
}

describe('CallContext', () => {
  it('succeeds with status 200 unless set, and chains status and headers', () => {
    const { ctx, outcomes } = context();
    ctx.status(201).headers({ 'X-Thing': 'a' }).headers({ 'content-type': 'text/csv' });
    ctx.succeed('done');
    expect(ctx.statusCode).toBe(201);
    expect(ctx.headerValues).toEqual({ 'x-thing': 'a', 'content-type': 'text/csv' });
    expect(outcomes).toEqual([{ kind: 'succeed', value: 'done' }]);
  });

  it('fails with 500 unless another status was set', () => {
    const plain = context();
    plain.ctx.fail('no');
    expect(plain.ctx.statusCode).toBe(500);
    const set = context();
    set.ctx.status(422).fail('bad');
    expect(set.ctx.statusCode).toBe(422);
  });

  it('keeps the first outcome only', () => {
    const { ctx, outcomes } = context();
    ctx.succeed(1);
    ctx.fail(2);
    ctx.succeed(3);
    expect(outcomes).toEqual([{ kind: 'succeed', value: 1 }]);
    expect(ctx.statusCode).toBe(200);
  });

  it('refuses a status that is not an HTTP status', () => {
    expect(() => context().ctx.status(42)).toThrow(/100 to 599/);
    expect(() => context().ctx.status(200.5)).toThrow(/integer/);
  });
});

describe('renderBody', () => {
  it.each([
    [{ a: 1 }, '{"a":1}', 'application/json; charset=utf-8'],
    [[1, 2], '[1,2]', 'application/json; charset=utf-8'],
    [42, '42', 'application/json; charset=utf-8'],
    [false, 'false', 'application/json; charset=utf-8'],
    ['text', 'text', 'text/plain; charset=utf-8'],
    [undefined, '', undefined],
    [null, '', undefined],
  ])('%j -> %j as %s', (value, body, type) => {
    expect(renderBody(value)).toEqual({ body, contentType: type });
  });

  it('sends bytes as octet-stream and errors as the cdnfaas error shape', () => {
    const bytes = renderBody(new Uint8Array([1, 2, 3]));
    expect([...(bytes.body as Buffer)]).toEqual([1, 2, 3]);
    expect(bytes.contentType).toBe('application/octet-stream');
    const coded = Object.assign(new Error('no model'), { code: 'CONFIG_NOT_FOUND' });
    expect(renderBody(coded).body).toBe('{"code":"CONFIG_NOT_FOUND","message":"no model"}');
    expect(renderBody(new Error('x')).body).toBe('{"code":"INTERNAL","message":"x"}');
  });
});

describe('errorStatus', () => {
  it.each([
    [{ status: 400 }, 400],
    [{ status: 503 }, 503],
    [{ status: 200 }, undefined],
    [{ status: '400' }, undefined],
    [new Error('x'), undefined],
    [null, undefined],
  ])('%j -> %s', (error, status) => expect(errorStatus(error)).toBe(status));
});
