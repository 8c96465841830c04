/**
 * A multi-node network over real loopback sockets, three chains in one process: node A produces
 * blocks; node B, connected to A, imports them from A's announcements; node C, started after A
 * archived a segment, syncs the archived history from the DSN (segment headers from peers, pieces
 * validated, blocks reconstructed and imported) and the tail by block requests, reaching A's head
 * with the same segment headers. Small presets: 4 chunks per record, 1 024-iteration slots, the
 * shim proof of space, and a solution range where every slot wins.
 */
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { encodeSegmentHeader } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain, type ChainSpec, testChainSpec } from '../src/index.js';
import { type NetworkEvent, NodeNetwork } from '../src/network/index.js';
import { type Farmer, makeFarmer, produce } from './helpers/farm.js';

const WIDE = (1n << 64n) - 2n;
const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, validatorThreads: 0 };

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('multi-node network over the DSN', () => {
  let spec: ChainSpec;
  let kzg: Kzg;
  const chains: Chain[] = [];
  const nets: NodeNetwork[] = [];
  let farmer: Farmer;

  beforeAll(async () => {
    kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
    spec = testChainSpec({
      archiving: { numChunks: 4, numRawRecords: 128 },
      initialSolutionRange: WIDE,
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(nets.map((n) => n.stop()));
    await Promise.allSettled(chains.map((c) => c.close()));
  });

  const open = async () => {
    const c = await Chain.open({ spec, kzg });
    chains.push(c);
    return c;
  };

  it('B imports announced blocks; late C syncs from the DSN to the same head and segment headers', {
    timeout: 90_000,
  }, async () => {
    const a = await open();
    const b = await open();
    expect(hex(b.genesisHash)).toBe(hex(a.genesisHash));
    farmer = await makeFarmer(a, 1, 1, 4);

    const netA = await NodeNetwork.start(a, local);
    nets.push(netA);
    const netB = await NodeNetwork.start(b, { ...local, bootstrapPeers: netA.addresses });
    nets.push(netB);
    const eventsB: NetworkEvent[] = [];
    netB.onEvent((e) => eventsB.push(e));
    await until(() => netA.dsn.connectedPeers().length > 0, 10_000, 'B to connect to A');

    // A produces until a segment after genesis is archived (and a few blocks more).
    while (a.lastSegmentIndex() < 1n) await produce(a, farmer);
    for (let i = 0; i < 3; i++) await produce(a, farmer);
    await until(() => hex(b.head().hash) === hex(a.head().hash), 30_000, 'B to reach A');
    // B may have caught up by its start-up sync (announcements are left to a running sync); once
    // it is level, each new block of A reaches it by announcement.
    const announced = () => eventsB.filter((e) => e.type === 'imported' && e.origin === 'network');
    for (let i = 0; i < 5 && announced().length === 0; i++) {
      await produce(a, farmer);
      await until(() => hex(b.head().hash) === hex(a.head().hash), 30_000, 'B to follow A');
    }
    expect(announced().length).toBeGreaterThan(0);
    expect(b.lastSegmentIndex()).toBe(a.lastSegmentIndex());

    // C joins late: DSN sync of the archived segments, then block sync of the tail.
    const c = await open();
    const eventsC: NetworkEvent[] = [];
    const netC = await NodeNetwork.start(c, {
      ...local,
      bootstrapPeers: [netA.addresses[0]!, netB.addresses[0]!],
      onEvent: (e) => eventsC.push(e),
    });
    nets.push(netC);
    await until(() => hex(c.head().hash) === hex(a.head().hash), 40_000, 'C to reach A');
    const dsnSegments = eventsC.filter((e) => e.type === 'dsn-sync-segment');
    expect(dsnSegments.length).toBeGreaterThanOrEqual(1);
    expect(
      dsnSegments.reduce((n, e) => n + (e.type === 'dsn-sync-segment' ? e.blocks : 0), 0),
    ).toBeGreaterThan(0);
    expect(eventsC.some((e) => e.type === 'imported' && e.origin === 'sync' && e.from !== 'dsn')).toBe(true);
    expect(c.lastSegmentIndex()).toBe(a.lastSegmentIndex());
    for (let i = 0n; i <= a.lastSegmentIndex(); i++) {
      expect(hex(encodeSegmentHeader(c.getSegmentHeader(i)!))).toBe(
        hex(encodeSegmentHeader(a.getSegmentHeader(i)!)),
      );
    }

    // A new block reaches both by announcement.
    await produce(a, farmer);
    await until(
      () => hex(b.head().hash) === hex(a.head().hash) && hex(c.head().hash) === hex(a.head().hash),
      20_000,
      'B and C to import the new block',
    );

    // The farmer's piece getter: C fetches a piece of segment 1 validated (local chain first).
    const piece = await netC.pieceGetter.getPiece(256n + 3n);
    expect(piece && hex(piece)).toBe(hex((await a.getPiece(259n))!));
  });
});
