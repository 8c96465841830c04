import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_RPC_ERROR, RpcError } from '../src/rpc/errors.js';
import { type RpcConnection, RpcRouter } from '../src/rpc/jsonrpc.js';
import { hexParam, u64Param } from '../src/rpc/params.js';

function router() {
  const r = new RpcRouter({ maxBatch: 4 });
  r.method('echo', (p) => p);
  r.method('add', (p) => Number(u64Param('add', p, 0, 'a') + u64Param('add', p, 1, 'b')));
  r.method('hex', (p) => hexParam('hex', p, 0, 'bytes', 2).length);
  r.method('boom', () => {
    throw new Error('secret internals');
  });
  r.method('refuse', () => {
    throw new RpcError({ code: 'RPC_REJECTED', method: 'refuse', reason: 'no' });
  });
  let emitter: ((v: unknown) => void) | undefined;
  let cancelled = 0;
  r.subscription('test_subscribe', {
    notification: 'test_item',
    unsubscribe: 'test_unsubscribe',
    subscribe: (_p, emit) => {
      emitter = emit;
      return () => {
        cancelled++;
      };
    },
  });
  return { r, emit: (v: unknown) => emitter?.(v), cancelled: () => cancelled };
}

function connection(): RpcConnection & { sent: unknown[] } {
  const sent: unknown[] = [];
  return { sent, subscriptions: new Map(), send: (t) => sent.push(JSON.parse(t)) > 0 };
}

const call = async (r: RpcRouter, body: unknown, conn?: RpcConnection) => {
  const out = await r.handleText(typeof body === 'string' ? body : JSON.stringify(body), conn);
  return out === undefined ? undefined : JSON.parse(out);
};

describe('RpcRouter', () => {
  it('answers a request with its id', async () => {
    const { r } = router();
    expect(await call(r, { jsonrpc: '2.0', id: 7, method: 'add', params: [2, '0x3'] })).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: 5,
    });
    expect(await call(r, { jsonrpc: '2.0', id: 'x', method: 'echo' })).toEqual({
      jsonrpc: '2.0',
      id: 'x',
      result: [],
    });
  });

  it('maps each malformed request to its JSON-RPC error code', async () => {
    const { r } = router();
    expect((await call(r, '{"jsonrpc":'))?.error.code).toBe(JSON_RPC_ERROR.PARSE_ERROR);
    expect((await call(r, { id: 1, method: 'echo' }))?.error.code).toBe(JSON_RPC_ERROR.INVALID_REQUEST);
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 5 }))?.error.code).toBe(
      JSON_RPC_ERROR.INVALID_REQUEST,
    );
    expect((await call(r, { jsonrpc: '2.0', id: { a: 1 }, method: 'echo' }))?.error.code).toBe(
      JSON_RPC_ERROR.INVALID_REQUEST,
    );
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 'echo', params: 3 }))?.error.code).toBe(
      JSON_RPC_ERROR.INVALID_REQUEST,
    );
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 'nope' }))?.error.code).toBe(
      JSON_RPC_ERROR.METHOD_NOT_FOUND,
    );
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 'add', params: [-1, 2] }))?.error.code).toBe(
      JSON_RPC_ERROR.INVALID_PARAMS,
    );
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 'hex', params: ['0x123'] }))?.error.code).toBe(
      JSON_RPC_ERROR.INVALID_PARAMS,
    );
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 'hex', params: ['0x1234'] }))?.result).toBe(2);
    expect((await call(r, { jsonrpc: '2.0', id: 1, method: 'refuse' }))?.error.code).toBe(
      JSON_RPC_ERROR.REJECTED,
    );
    const internal = await call(r, { jsonrpc: '2.0', id: 1, method: 'boom' });
    expect(internal.error).toEqual({ code: JSON_RPC_ERROR.INTERNAL_ERROR, message: 'Internal error' });
    expect((await call(r, []))?.error.code).toBe(JSON_RPC_ERROR.INVALID_REQUEST);
  });

  it('handles batches and stays silent for notifications', async () => {
    const { r } = router();
    const out = await call(r, [
      { jsonrpc: '2.0', id: 1, method: 'add', params: [1, 1] },
      { jsonrpc: '2.0', method: 'add', params: [1, 1] },
      5,
      { jsonrpc: '2.0', id: 2, method: 'nope' },
    ]);
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual({ jsonrpc: '2.0', id: 1, result: 2 });
    expect(out[1].error.code).toBe(JSON_RPC_ERROR.INVALID_REQUEST);
    expect(out[2].error.code).toBe(JSON_RPC_ERROR.METHOD_NOT_FOUND);
    expect(await call(r, { jsonrpc: '2.0', method: 'add', params: [1, 1] })).toBeUndefined();
    expect(await call(r, [{ jsonrpc: '2.0', method: 'echo' }])).toBeUndefined();
    const tooMany = Array.from({ length: 5 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'echo' }));
    expect((await call(r, tooMany))?.error.code).toBe(JSON_RPC_ERROR.TOO_LARGE);
  });

  it('delivers subscription items after the subscribe answer, and unsubscribes', async () => {
    const { r, emit, cancelled } = router();
    const conn = connection();
    const sub = await call(r, { jsonrpc: '2.0', id: 1, method: 'test_subscribe' }, conn);
    expect(typeof sub.result).toBe('string');
    emit({ n: 1 });
    await new Promise((res) => setImmediate(res));
    emit({ n: 2 });
    expect(conn.sent).toEqual([
      { jsonrpc: '2.0', method: 'test_item', params: { subscription: sub.result, result: { n: 1 } } },
      { jsonrpc: '2.0', method: 'test_item', params: { subscription: sub.result, result: { n: 2 } } },
    ]);
    expect(
      (await call(r, { jsonrpc: '2.0', id: 2, method: 'test_unsubscribe', params: [sub.result] }, conn))
        .result,
    ).toBe(true);
    expect(cancelled()).toBe(1);
    expect(
      (await call(r, { jsonrpc: '2.0', id: 3, method: 'test_unsubscribe', params: [sub.result] }, conn))
        .result,
    ).toBe(false);
    emit({ n: 3 });
    expect(conn.sent).toHaveLength(2);
    // Without a connection (HTTP) a subscription is refused.
    expect((await call(r, { jsonrpc: '2.0', id: 4, method: 'test_subscribe' }))?.error.code).toBe(
      JSON_RPC_ERROR.REJECTED,
    );
    expect(r.methodNames()).toEqual([
      'add',
      'boom',
      'echo',
      'hex',
      'refuse',
      'test_subscribe',
      'test_unsubscribe',
    ]);
  });

  it('fuzz: any text gets a JSON-RPC answer or none, never an exception', async () => {
    const { r } = router();
    const methods = fc.constantFrom(
      'echo',
      'add',
      'hex',
      'boom',
      'refuse',
      'test_subscribe',
      'test_unsubscribe',
      'nope',
    );
    const request = fc.record(
      {
        jsonrpc: fc.oneof(fc.constant('2.0'), fc.string()),
        id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.object()),
        method: fc.oneof(methods, fc.string(), fc.integer()),
        params: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const text = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      request.map((v) => JSON.stringify(v)),
      fc.array(request, { maxLength: 6 }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const out = await r.handleText(t, connection());
        if (out === undefined) return;
        const parsed = JSON.parse(out);
        for (const res of Array.isArray(parsed) ? parsed : [parsed]) {
          expect(res.jsonrpc).toBe('2.0');
          expect(
            'result' in res ||
              (typeof res.error?.code === 'number' && typeof res.error?.message === 'string'),
          ).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
