/**
 * Domain transactions over the JSON-RPC HTTP server of `autonomys dev --domain`
 * (`startDevNetwork({ domain, rpc })`): the dev key signs a domain transfer, `domain_submitExtrinsic`
 * puts it in the operator's pool, a bundle carries it into a consensus block, the domain block
 * executes it and `domain_getAccount` shows the new balance. Small presets (shim proof of space,
 * 100 ms slots); a slow suite (the dev network start dominates).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AI3, signBalancesExtrinsic } from '@autonomys/decex';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { type DevNetwork, startDevNetwork } from '../src/index.js';

const toHex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

describe('dev network with a domain: JSON-RPC', () => {
  let net: DevNetwork | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-domain-rpc-'));
  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a transfer submitted over HTTP JSON-RPC is executed in the domain', { timeout: 120_000 }, async () => {
    net = await startDevNetwork({
      dataDir: dir,
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 100,
      numChunks: 4,
      sectors: 1,
      piecesInSector: 8,
      slotsPerBlock: 1,
      rpc: { port: 0 },
      domain: { operators: 1, challengePeriod: 2 },
    });
    const url = net.service.rpc!.url.replace(/^ws/, 'http');
    let id = 0;
    const call = async (method: string, params: unknown[] = []) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      });
      return (await res.json()) as { result?: unknown; error?: unknown };
    };
    const me = net.keypair;
    const dest = sr25519PairFromSeed(new Uint8Array(32).fill(5)).publicKey;
    const t0 = Date.now();
    while (
      ((await call('domain_getHead')).result as { domainBlockNumber?: number } | null)?.domainBlockNumber ===
      undefined
    ) {
      if (Date.now() - t0 > 60_000) throw new Error('no domain head');
      await new Promise((r) => setTimeout(r, 100));
    }
    const tx = signBalancesExtrinsic(me.secretKey, me.publicKey, 0, 1n, {
      type: 'Transfer',
      dest,
      amount: 3n * AI3,
    });
    const r = await call('domain_submitExtrinsic', [toHex(tx)]);
    expect(r.error).toBeUndefined();
    let acc: { free: string } | null = null;
    while (Date.now() - t0 < 90_000) {
      acc = (await call('domain_getAccount', [toHex(dest)])).result as { free: string } | null;
      if (acc !== null && acc.free !== '0') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(acc?.free).toBe((3n * AI3).toString());
  });
});
