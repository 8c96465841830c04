/**
 * Fetching through another node over the DSN (issue #12): node A carries files as remarks and
 * archives them; node B, connected to A by NodeNetwork, imports A's blocks (so it has the object
 * mappings) but its gateway reads no local piece: every piece comes over the storage network
 * (validated against its segment header), counted. An empty file, a one-chunk file, a multi-level
 * file and a folder (served as its listing) come back byte for byte through `autonomys fetch`;
 * a corrupted local piece hands over to the network; corrupted pieces everywhere fail with an
 * error, never wrong bytes. Small presets: 4 chunks per record, the shim proof of space.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { segmentGeometry } from '@autonomys/archiver';
import { cidToString, type DagBlock, encodeFileSync, encodeFolder } from '@autonomys/dag';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { createGateway } from '../src/gateway/gateway.js';
import { MemoryObjectIndex } from '../src/gateway/object-index.js';
import { AI3, Chain, testChainSpec } from '../src/index.js';
import { NodeNetwork } from '../src/network/index.js';
import { networkPieceGetter } from '../src/network/piece-getter.js';
import { IMMORTAL, signExtrinsic } from '../src/runtime/extrinsic.js';
import { makeFarmer, produce } from './helpers/farm.js';

const WIDE = (1n << 64n) - 2n;
const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, validatorThreads: 0 };
const dir = mkdtempSync(join(tmpdir(), 'autonomys-gateway-dsn-'));
const filled = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 97 + seed * 31 + (i >> 10)) & 0xff);
const t00 = performance.now();
const step = (what: string) => {
  if (process.env.DEBUG_GATEWAY_DSN)
    console.log(`${((performance.now() - t00) / 1000).toFixed(1)} s ${what}`);
};
const flip = (p: Uint8Array) => {
  const bad = p.slice();
  bad[100] = (bad[100] ?? 0) ^ 1;
  return bad;
};

describe('fetching through another node over the DSN', () => {
  const chains: Chain[] = [];
  const nets: NodeNetwork[] = [];
  let server: Server | undefined;
  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await Promise.allSettled(nets.map((n) => n.stop()));
    await Promise.allSettled(chains.map((c) => c.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('B serves files stored on A from pieces fetched over the DSN, and detects corruption', {
    timeout: 120_000,
  }, async () => {
    const publisher = sr25519PairFromSeed(new Uint8Array(32).fill(9));
    const kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
    const spec = testChainSpec({
      archiving: { numChunks: 4, numRawRecords: 128 },
      initialSolutionRange: WIDE,
      balances: [{ accountId: publisher.publicKey, balance: 1000n * AI3 }],
    });
    const a = await Chain.open({ spec, kzg });
    const b = await Chain.open({ spec, kzg });
    chains.push(a, b);
    const farmer = await makeFarmer(a, 1, 1, 4);
    const netA = await NodeNetwork.start(a, local);
    nets.push(netA);
    const netB = await NodeNetwork.start(b, { ...local, bootstrapPeers: netA.addresses });
    nets.push(netB);
    // B's object index, filled from its own chain's archiving of A's blocks.
    const indexB = new MemoryObjectIndex();
    b.on('objectsArchived', (e) => indexB.put(e.objects));

    const files: Record<string, Uint8Array> = {
      'empty.bin': new Uint8Array(0),
      'one.txt': filled(1000, 1),
      // Small nodes (1 000-byte chunks, 4 links a node) make a three-level DAG of a 9 000-byte file.
      'multi.bin': filled(9_000, 2),
    };
    const limits = { maxNodeSize: 1469, maxLinkPerNode: 4 };
    const heads: Record<string, DagBlock> = {};
    const dagBlocks: DagBlock[] = [];
    for (const [name, bytes] of Object.entries(files)) {
      const blocks = encodeFileSync(bytes, { name, ...limits });
      heads[name] = blocks.at(-1)!;
      dagBlocks.push(...blocks);
    }
    const folder = encodeFolder([heads['one.txt']!.cid, heads['empty.bin']!.cid], {
      name: 'dir',
      size: 1000n,
    });
    dagBlocks.push(...folder);
    // Each node as a signed remark, one block each, then filler remarks so the last segment forms.
    let nonce = 0;
    const remark = (bytes: Uint8Array) =>
      signExtrinsic(
        { type: 'System.remark', remark: bytes },
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
    step('networks up');
    expect(dagBlocks.length).toBeGreaterThan(14); // 9 chunks, 3 inlinks, heads and the folder
    const t1 = Date.now();
    while (netA.dsn.connectedPeers().length === 0) {
      if (Date.now() - t1 > 20_000) throw new Error('B did not connect to A');
      await new Promise((r) => setTimeout(r, 50));
    }
    step('networks up');
    for (let i = 0; i < dagBlocks.length; i += 6) {
      await produce(
        a,
        farmer,
        undefined,
        dagBlocks.slice(i, i + 6).map((blk) => remark(blk.bytes)),
      );
      step(`block ${a.head().number}, B at ${b.head().number}`);
    }
    await produce(a, farmer, undefined, [remark(filled(16_000, 10))]);
    const t0 = Date.now();
    // Every object mapped (the segment it starts in formed) and one more segment archived on B
    // (an object may run on into the next segment).
    const { numPieces } = segmentGeometry(spec.archiving);
    const ready = () => {
      let last = -1n;
      for (const blk of dagBlocks) {
        const m = indexB.get(blk.hash);
        if (m === undefined) return false;
        const s = m.pieceIndex / BigInt(numPieces);
        if (s > last) last = s;
      }
      return b.lastSegmentIndex() > last;
    };
    while (!ready()) {
      if (Date.now() - t0 > 60_000) throw new Error('B did not map every object in time');
      await produce(a, farmer);
      step(
        `block ${a.head().number}, B at ${b.head().number}, segment ${b.lastSegmentIndex()}, ${indexB.size} mapped`,
      );
      await new Promise((r) => setTimeout(r, 100));
    }

    // B's gateway: a local source (B's own pieces, corrupted when asked) then the network only.
    const network = networkPieceGetter({
      node: netB.dsn,
      validator: netB.validator,
      params: spec.archiving,
      segmentHeader: (s) => b.getSegmentHeader(s),
      retries: 2,
      backoffMs: 100,
    });
    const counters = { local: 0, network: 0 };
    let localMode: 'none' | 'corrupt' = 'none';
    let networkCorrupt = false;
    const gateway = createGateway({
      index: indexB,
      params: spec.archiving,
      getPiece: async (i) => {
        if (localMode === 'none') return undefined; // B's gateway holds no piece
        counters.local++;
        const p = await b.getPiece(i);
        return p && flip(p);
      },
      morePieceSources: [
        async (i) => {
          const p = await network.getPiece(i);
          if (p) counters.network++;
          return p && networkCorrupt ? flip(p) : p;
        },
      ],
    });
    server = createServer((req, res) => {
      void gateway(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const urlB = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const lines: string[] = [];
    const output = {
      out: (l: string) => lines.push(l),
      err: (l: string) => {
        if (l.startsWith('error')) throw new Error(l);
      },
      isTTY: false,
    };
    for (const [name, bytes] of Object.entries(files)) {
      const before = counters.network;
      const out = join(dir, name);
      await runCli(
        ['node', 'autonomys', 'fetch', cidToString(heads[name]!.cid), '-o', out, '--rpc-url', urlB],
        output,
      );
      expect(new Uint8Array(readFileSync(out))).toEqual(bytes);
      // The bytes came over the DSN (B's gateway has no local piece).
      expect(counters.network).toBeGreaterThan(before);
      step(`fetched ${name}`);
    }
    expect(counters.local).toBe(0);
    // The folder comes back as its listing, children verified against their CIDs.
    const listing = await (await fetch(`${urlB}/files/${cidToString(folder.at(-1)!.cid)}`)).json();
    expect(listing).toMatchObject({
      type: 'folder',
      name: 'dir',
      children: [
        { cid: cidToString(heads['one.txt']!.cid), name: 'one.txt', type: 'file', totalSize: '1000' },
        { cid: cidToString(heads['empty.bin']!.cid), name: 'empty.bin', type: 'file', totalSize: '0' },
      ],
    });

    // Corrupted local pieces: detected by the object hash, the network gives the right bytes.
    localMode = 'corrupt';
    const multiCid = cidToString(heads['multi.bin']!.cid);
    const recovered = await fetch(`${urlB}/files/${multiCid}`);
    expect(new Uint8Array(await recovered.arrayBuffer())).toEqual(files['multi.bin']);
    expect(counters.local).toBeGreaterThan(0);

    // Corrupted everywhere: an error, never wrong bytes.
    networkCorrupt = true;
    const one = heads['one.txt']!;
    const data = await fetch(`${urlB}/data/${Buffer.from(one.hash).toString('hex')}`);
    expect(data.status).toBe(503);
    expect(await data.text()).toMatch(/no piece source gave the object/);
    const whole = await fetch(`${urlB}/files/${multiCid}`).then(
      async (r) => (r.ok ? new Uint8Array(await r.arrayBuffer()) : r.status),
      () => 'aborted',
    );
    expect(whole).not.toEqual(files['multi.bin']);
  });
});
