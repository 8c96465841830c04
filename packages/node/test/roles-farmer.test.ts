/**
 * A farmer in its own "process" (its own KZG, plot and JSON-RPC connection) farms a dev node; the
 * node restarts (same data directory, same port) and the farmer reconnects by itself and keeps
 * winning blocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { createShimTableGenerator } from '@autonomys/plotter';
import { equalBytes, sr25519PairFromSeed } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSubspaceDigestItems } from '../src/chain/subspace-digest.js';
import type { ChainApi } from '../src/consensus/api.js';
import { Farmer } from '../src/roles/farmer.js';
import { RpcFarmerNode } from '../src/rpc/farmer-node.js';
import { type DevNetwork, type DevNetworkOptions, startDevNetwork } from '../src/service/dev.js';

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function blocksBy(chain: ChainApi, publicKey: Uint8Array, from: number): number {
  let n = 0;
  for (let i = from; i <= chain.head().number; i++) {
    const h = chain.getHeader(i)!;
    if (equalBytes(extractSubspaceDigestItems(h.digest).preDigest.solution.publicKey, publicKey)) n++;
  }
  return n;
}

describe('remote farmer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-farmer-'));
  let net: DevNetwork | undefined;
  let farmer: Farmer | undefined;
  let node: RpcFarmerNode | undefined;
  afterAll(async () => {
    await farmer?.stop();
    await node?.close();
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('farms over JSON-RPC and reconnects after the node restarts', { timeout: 120_000 }, async () => {
    const opts: DevNetworkOptions = {
      dataDir: dir,
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 100,
      numChunks: 4,
      sectors: 2,
      piecesInSector: 8,
      slotsPerBlock: 1,
      farm: false,
      rpc: { port: 0 },
      kzg: new Kzg(await loadPublicParameters({ g1Count: 256 })),
    };
    net = await startDevNetwork(opts);
    const port = net.service.rpc!.port;
    node = new RpcFarmerNode(net.service.rpc!.wsUrl, { minReconnectDelayMs: 50, maxReconnectDelayMs: 200 });
    const keypair = sr25519PairFromSeed(new Uint8Array(32).fill(42));
    farmer = new Farmer({
      node,
      keypair,
      sectorCount: 2,
      piecesInSector: 8,
      tableGenerator: createShimTableGenerator(),
      kzg: opts.kzg!,
    });
    await farmer.start();
    const first = net.chain;
    await until(() => blocksBy(first, keypair.publicKey, 1) >= 3, 30_000);

    const head = first.head().number;
    await net.stop();
    net = await startDevNetwork({ ...opts, rpc: { port } });
    const second = net.chain;
    await until(() => blocksBy(second, keypair.publicKey, head + 1) >= 3, 30_000);
    expect(node.client.connects).toBe(2);
    await until(() => farmer!.stats.signed >= 6, 5000); // the answers to the last signatures may still be in flight
  });
});
