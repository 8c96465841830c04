/**
 * Domain transactions over JSON-RPC (`domain_*`, registered by `autonomys dev --domain`): a transfer
 * signed by a user is submitted through the router, reaches the operators' pools, ends in a bundle
 * in a consensus block, is executed in the derived domain block, and the new balances are read back
 * over RPC; invalid submissions are rejected with typed errors and never reach the pool.
 */
import { AI3, signBalancesExtrinsic } from '@autonomys/decex';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { RpcRouter, registerDomainRpc } from '../src/index.js';
import { setup, user } from './domain-harness.js';

const toHex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

describe('Domains over JSON-RPC', () => {
  it('a signed domain transfer submitted over RPC is bundled, executed and visible over RPC', async () => {
    const t = setup({ operators: 1 });
    const router = new RpcRouter();
    registerDomainRpc(router, () => ({
      config: t.cfg,
      operators: t.ops,
      watchtower: t.tower,
      submitTransaction: (x) => {
        for (const o of t.ops) o.submitTransaction(x);
      },
      state: () => t.chain.runtimeState().domains!,
    }));
    let id = 0;
    const call = async (method: string, params: unknown[] = []) =>
      JSON.parse(
        (await router.handleText(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params })))!,
      ) as {
        result?: unknown;
        error?: { code: number; message: string };
      };
    for (let i = 0; i < 2; i++) await t.step();

    const dest = sr25519PairFromSeed(new Uint8Array(32).fill(77)).publicKey;
    const before = (await call('domain_getAccount', [toHex(user.publicKey)])).result as {
      free: string;
      nonce: number;
    };
    expect(before).toMatchObject({ free: (1_000n * AI3).toString(), nonce: 0 });
    const tx = signBalancesExtrinsic(user.secretKey, user.publicKey, 0, 1n, {
      type: 'Transfer',
      dest,
      amount: 5n * AI3,
    });
    const submitted = await call('domain_submitExtrinsic', [toHex(tx)]);
    expect(submitted.result).toMatch(/^0x[0-9a-f]{64}$/);
    expect(t.ops[0]!.pool).toHaveLength(1);

    // bad submissions: not hex, undecodable, a wrong nonce, a bad signature
    const bad = [
      ['nope'],
      ['0x0102'],
      [
        toHex(
          signBalancesExtrinsic(user.secretKey, user.publicKey, 7, 1n, {
            type: 'Transfer',
            dest,
            amount: 1n,
          }),
        ),
      ],
      [toHex(tx.map((b, i) => (i === tx.length - 1 ? b ^ 1 : b)))],
    ];
    for (const params of bad) {
      const r = await call('domain_submitExtrinsic', params);
      expect(r.error, String(params[0])).toBeDefined();
    }
    expect(t.ops[0]!.pool).toHaveLength(1);

    let acc: { free: string; nonce: number } | undefined;
    for (let i = 0; i < 10; i++) {
      await t.step();
      acc = (await call('domain_getAccount', [toHex(dest)])).result as typeof acc;
      if (acc?.free !== '0') break;
    }
    expect(acc).toMatchObject({ free: (5n * AI3).toString(), nonce: 0 });
    const after = (await call('domain_getAccount', [toHex(user.publicKey)])).result as {
      free: string;
      nonce: number;
    };
    expect(after).toMatchObject({ free: (995n * AI3 - 1n).toString(), nonce: 1 });
    const head = (await call('domain_getHead')).result as { domainBlockNumber: number; pending: number };
    expect(head.domainBlockNumber).toBeGreaterThan(0);
    expect(head.pending).toBe(0);
    // the same transaction again: its nonce is used
    expect((await call('domain_submitExtrinsic', [toHex(tx)])).error).toBeDefined();
  });
});
