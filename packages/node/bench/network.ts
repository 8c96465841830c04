/**
 * @autonomys/node network benchmark (issue #8): DSN sync throughput between two nodes over
 * loopback, in segments per minute. Node A's chain archives `BENCH_SYNC_SEGMENTS` segments (default
 * 4) after genesis (blocks carrying 15 KB remarks); each sample is a fresh chain B whose DSN sync
 * (C.9: segment headers by majority, header chain checked, 128 source pieces per segment fetched
 * over L2 and validated, blocks reconstructed and imported) downloads them from A. Small preset: 4
 * chunks per record (pieces of 320 bytes, segments of 15 872 bytes), so the figure measures the
 * protocol, validation and import path per segment rather than bandwidth; network-size piece
 * transfer and validation rates are in @autonomys/dsn's bench.
 *
 * Run on its own: `cd packages/node && npx tsx bench/network.ts`; or wire `networkCases()` into
 * bench/index.ts.
 */
import { fileURLToPath } from 'node:url';
import { type BenchCase, runBench } from '@autonomys/bench';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { AI3, Chain, type ChainSpec, testChainSpec } from '../src/index.js';
import { NodeNetwork } from '../src/network/index.js';
import { IMMORTAL, signExtrinsic } from '../src/runtime/extrinsic.js';
import { makeFarmer, produce } from '../test/helpers/farm.js';

const SEGMENTS = Number(process.env.BENCH_SYNC_SEGMENTS ?? 4);
const SAMPLES = Number(process.env.BENCH_SYNC_SAMPLES ?? 3);
const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, validatorThreads: 0 };

/** Cases of the network group; `close` stops what they started. */
export async function networkCases(): Promise<BenchCase[] & { close?: () => Promise<void> }> {
  const kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
  const farmerSeed = new Uint8Array(32).fill(3);
  const publisher = sr25519PairFromSeed(farmerSeed);
  const spec: ChainSpec = testChainSpec({
    archiving: { numChunks: 4, numRawRecords: 128 },
    initialSolutionRange: (1n << 64n) - 2n,
    balances: [{ accountId: publisher.publicKey, balance: 1000n * AI3 }],
  });
  const a = await Chain.open({ spec, kzg });
  const farmer = await makeFarmer(a, 1, 1, 4);
  let nonce = 0;
  const remark = () =>
    signExtrinsic(
      { type: 'System.remark', remark: new Uint8Array(15_000).fill(nonce % 251) },
      { era: IMMORTAL, nonce: nonce++, tip: 0n },
      {
        specVersion: spec.specVersion,
        transactionVersion: spec.transactionVersion,
        genesisHash: a.genesisHash,
        birthHash: a.genesisHash,
      },
      publisher.secretKey,
      publisher.publicKey,
    );
  while (a.lastSegmentIndex() < BigInt(SEGMENTS)) await produce(a, farmer, undefined, [remark()]);
  const blocks = a.head().number;
  // At least this many (archiving may still close one more: the rate counts what was synced).
  const segments = Number(a.lastSegmentIndex());
  const netA = await NodeNetwork.start(a, { ...local, sync: false });
  const opened: Array<{ chain: Chain; net: NodeNetwork }> = [];
  const close = async () => {
    for (const o of opened) {
      await o.net.stop(); // idempotent
      await o.chain.close();
    }
    await netA.stop();
    await a.close();
  };

  /** A fresh node connected to A, ready to sync (opened before the timed part). */
  const fresh = async () => {
    const chain = await Chain.open({ spec, kzg });
    const net = await NodeNetwork.start(chain, { ...local, sync: false, bootstrapPeers: netA.addresses });
    opened.push({ chain, net });
    const t0 = Date.now();
    for (;;) {
      const info = await net.dsn.libp2p.peerStore.get(netA.dsn.peerId).catch(() => undefined);
      if (info?.protocols.some((p) => p.startsWith('/subspace/segment-headers'))) break;
      if (Date.now() - t0 > 10_000) throw new Error('B did not identify A');
      await new Promise((r) => setTimeout(r, 20));
    }
    return { chain, net };
  };
  const ready: Array<{ chain: Chain; net: NodeNetwork }> = [];
  for (let i = 0; i < SAMPLES + 1; i++) ready.push(await fresh());
  const rates: number[] = [];
  const cases: BenchCase[] & { close?: () => Promise<void> } = [
    {
      name: `DSN sync, ${segments} segments (${blocks} blocks), small preset`,
      size: `${segments} segments`,
      samples: SAMPLES,
      warmup: false,
      fn: async () => {
        const b = ready.shift();
        if (b === undefined) throw new Error('no fresh node left');
        // Only A serves: the other fresh nodes (found through Kademlia) would outvote it with their
        // genesis-only headers (majority choice, C.9).
        for (const p of b.net.dsn.connectedPeers())
          if (!p.equals(netA.dsn.peerId)) await b.net.dsn.ban(p, 'bench: fresh node');
        const t0 = performance.now();
        const r = await b.net.dsnSync.run();
        const ms = performance.now() - t0;
        if (r.segmentsImported < segments || r.blocksImported === 0)
          throw new Error(`synced ${r.segmentsImported} segments, expected ${segments}`);
        rates.push((r.segmentsImported / ms) * 60_000);
        await b.net.stop();
      },
    },
  ];
  cases.close = async () => {
    if (rates.length > 0)
      console.log(
        `DSN sync: ${rates.map((r) => r.toFixed(1)).join(', ')} segments per minute (small preset, loopback)`,
      );
    await close();
  };
  return cases;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cases = await networkCases();
  try {
    await runBench({ package: 'node-network', cases, time: 0, iterations: SAMPLES });
  } finally {
    await cases.close?.();
  }
  process.exit(0);
}
