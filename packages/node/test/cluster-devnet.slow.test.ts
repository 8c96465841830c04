/**
 * `startDevCluster` (what `autonomys dev --nodes N` runs) end to end over real loopback sockets:
 * two nodes (node 0 the timekeeper, node 1 on PoT gossip, its farmer plotting pieces fetched over
 * the DSN), each with its own data directory, identity and RPC port; once node 0 has archived a
 * segment after genesis a third node joins late, syncs the archived history from the DSN (segment
 * headers by majority, pieces validated, blocks reconstructed and imported), then the tail, and
 * follows to the same head with the same segment headers. Small preset: 4 chunks per record, the
 * shim proof of space, 4 096-iteration 100 ms slots, about one block per two slots, remarks to fill
 * segment 1 in a few blocks. Slow suite (AUTONOMYS_SLOW_TESTS=1): 60-90 s on two loaded cores with
 * the JS fallbacks; the lean CI variant is network-devnet.test.ts (NodeNetwork level, same sync).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { encodeSegmentHeader } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetworkEvent } from '../src/network/index.js';
import { IMMORTAL, signExtrinsic } from '../src/runtime/extrinsic.js';
import { type ClusterEvent, type DevCluster, startDevCluster } from '../src/service/cluster.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('startDevCluster (autonomys dev --nodes N)', () => {
  let cluster: DevCluster | undefined;
  const root = mkdtempSync(join(tmpdir(), 'cluster-test-'));
  afterAll(async () => {
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  it('nodes author over the network; a late joiner syncs from the DSN to the same head and segment headers', {
    timeout: 180_000,
  }, async () => {
    const kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
    const events: Array<Array<ClusterEvent | { type: string }>> = [];
    cluster = await startDevCluster({
      nodes: 2,
      dataDir: root,
      kzg,
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 100,
      numChunks: 4,
      slotsPerBlock: 2,
      rpc: { port: 0 },
      onEvent: (i, e) => {
        events[i] ??= [];
        events[i]!.push(e);
        if (process.env.DEBUG_CLUSTER) {
          const x = e as { type: string; event?: { type: string } };
          if (x.type === 'author' && x.event?.type === 'slot') return;
          if (x.type === 'archiving' || x.type === 'block') return;
          if (x.type === 'farmer' && !['error', 'sector-plotted'].includes(x.event!.type)) return;
          if (x.type === 'author' && x.event?.type === 'skipped') return;
          const t =
            x.type === 'cluster:log'
              ? (e as { message: string }).message
              : JSON.stringify(e, (_k, v) =>
                  typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? v.length : v,
                ).slice(0, 300);
          console.log(`${(performance.now() / 1000).toFixed(1)} [${i}] ${t}`);
        }
      },
    });
    const [n0, n1] = cluster.nodes;
    // Own directories with the same parameters, own keys and identities, own RPC servers.
    for (const n of cluster.nodes) {
      expect(existsSync(join(n.dataDir, 'autonomys.json'))).toBe(true);
      expect(n.rpcUrl).toBeDefined();
    }
    expect(readFileSync(join(n1!.dataDir, 'autonomys.json'), 'utf8')).toBe(
      readFileSync(join(n0!.dataDir, 'autonomys.json'), 'utf8'),
    );
    expect(hex(n0!.keypair.publicKey)).not.toBe(hex(n1!.keypair.publicKey));
    expect(n0!.network.dsn.peerId.toString()).not.toBe(n1!.network.dsn.peerId.toString());
    expect(n0!.rpcUrl).not.toBe(n1!.rpcUrl);
    expect(n0!.service.timekeeper).toBeDefined();
    expect(n1!.service.timekeeper).toBeUndefined();

    await Promise.all(cluster.nodes.map((n) => n.service.farming()));
    // Node 1's farmer plotted from the network only.
    expect(n1!.dsnPieces()).toBeGreaterThan(0);

    // Node 0 archives a segment after genesis (a 14 KB remark fills most of it); node 1 follows.
    const c0 = n0!.chain;
    const submitRemark = (size: number) => {
      const x = signExtrinsic(
        { type: 'System.remark', remark: new Uint8Array(size).fill(7) },
        { era: IMMORTAL, nonce: c0.nextNonce(n0!.keypair.publicKey), tip: 0n },
        {
          specVersion: c0.spec.specVersion,
          transactionVersion: c0.spec.transactionVersion,
          genesisHash: c0.genesisHash,
          birthHash: c0.genesisHash,
        },
        n0!.keypair.secretKey,
        n0!.keypair.publicKey,
      );
      expect(c0.submitExtrinsic(x).status).not.toBe('invalid');
    };
    // A block that ends inside segment 1 (so DSN sync has whole blocks to import), then the filler.
    submitRemark(6_000);
    const before = c0.head().number;
    await until(() => c0.head().number > before, 30_000, 'the first remark in a block');
    submitRemark(14_000);
    await until(() => n0!.chain.lastSegmentIndex() >= 1n, 60_000, 'segment 1');
    const netImported = (i: number) =>
      events[i]!.filter(
        (e) =>
          e.type === 'cluster:network' &&
          (e as { event: NetworkEvent }).event.type === 'imported' &&
          (e as { event: { origin: string } }).event.origin === 'network',
      ).length;
    await until(() => netImported(1) > 0, 20_000, 'node 1 to import an announced block');

    // A late joiner: DSN sync of the archived segments, then the tail, then it follows.
    const late = await cluster.addNode();
    expect(late.index).toBe(2);
    const lateEvents = events[2]!;
    const dsnSegments = lateEvents.filter(
      (e) => e.type === 'cluster:network' && (e as { event: NetworkEvent }).event.type === 'dsn-sync-segment',
    );
    expect(dsnSegments.length).toBeGreaterThanOrEqual(1);
    const dsnBlocks = dsnSegments.reduce(
      (n, e) => n + ((e as { event: { blocks?: number } }).event.blocks ?? 0),
      0,
    );
    expect(dsnBlocks).toBeGreaterThan(0);
    const synced = lateEvents.find((e) => e.type === 'cluster:synced') as
      | Extract<ClusterEvent, { type: 'cluster:synced' }>
      | undefined;
    expect(synced?.segments).toBeGreaterThanOrEqual(2n);

    // Same head (the network keeps producing: the joiner must follow it) and same segment headers.
    const target = n0!.chain.head().number + 2;
    await until(() => n0!.chain.head().number >= target, 20_000, 'two more blocks');
    await until(
      () => late.chain.getBlockInfo(n0!.chain.head().hash) !== undefined,
      20_000,
      'the joiner to import the head',
    );
    await until(
      () => hex(late.chain.head().hash) === hex(n0!.chain.head().hash) || late.chain.head().number > target,
      20_000,
      'the joiner to reach the head',
    );
    const last = n0!.chain.lastSegmentIndex();
    await until(() => late.chain.lastSegmentIndex() >= last, 20_000, 'the joiner to archive as far');
    for (let i = 0n; i <= last; i++) {
      const want = hex(encodeSegmentHeader(n0!.chain.getSegmentHeader(i)!));
      expect(hex(encodeSegmentHeader(late.chain.getSegmentHeader(i)!))).toBe(want);
      expect(hex(encodeSegmentHeader(n1!.chain.getSegmentHeader(i)!))).toBe(want);
    }
  });
});
