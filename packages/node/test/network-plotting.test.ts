/**
 * Plotting from the network reports progress continuously (issue #8, lessons from the reference's
 * users): a farmer whose pieces come only over the DSN (L2 then L1, validated; no local chain
 * source) emits a `plotting` event per record downloaded and encoded, from 0 to 1.
 */
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { createShimTableGenerator } from '@autonomys/plotter';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, testChainSpec } from '../src/index.js';
import { NodeNetwork, networkPieceGetter } from '../src/network/index.js';
import { Farmer, type FarmerEvent } from '../src/roles/farmer.js';
import { FarmingHub } from '../src/roles/hub.js';

const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, validatorThreads: 0 };

describe('plotting over the DSN', () => {
  const stops: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const f of stops.reverse()) await f();
  });

  it('downloads every record over the network with continuous progress', { timeout: 60_000 }, async () => {
    const kzg = new Kzg(await loadPublicParameters({ g1Count: 256 }));
    const spec = testChainSpec({ archiving: { numChunks: 4, numRawRecords: 128 } });
    const a = await Chain.open({ spec, kzg });
    stops.push(() => a.close());
    const b = await Chain.open({ spec, kzg });
    stops.push(() => b.close());
    const netA = await NodeNetwork.start(a, { ...local, sync: false });
    stops.push(() => netA.stop());
    const netB = await NodeNetwork.start(b, { ...local, sync: false, bootstrapPeers: netA.addresses });
    stops.push(() => netB.stop());
    const getter = networkPieceGetter({
      node: netB.dsn,
      validator: netB.validator,
      params: spec.archiving,
      segmentHeader: (s) => b.getSegmentHeader(s),
      bootstrapPeers: netA.addresses,
      backoffMs: 100,
    });
    stops.push(() => getter.watchdog.stop());
    let fetched = 0;
    const events: FarmerEvent[] = [];
    const hub = new FarmingHub(b);
    stops.push(() => hub.close());
    const farmer = new Farmer({
      node: hub,
      keypair: sr25519PairFromSeed(new Uint8Array(32).fill(4)),
      sectorCount: 1,
      piecesInSector: 8,
      tableGenerator: createShimTableGenerator(),
      kzg,
      pieceGetter: async (i, o) => {
        const piece = await getter.getPiece(i, o?.signal === undefined ? {} : { signal: o.signal });
        if (piece !== undefined) fetched++;
        return piece;
      },
      onEvent: (e) => events.push(e),
    });
    stops.push(() => farmer.stop());
    await farmer.start();
    const fractions = events.flatMap((e) => (e.type === 'plotting' ? [e.fraction] : []));
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.length).toBe(9); // 0, then one per record
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThan(fractions[i - 1]!);
    expect(fetched).toBe(8);
    expect(events.some((e) => e.type === 'sector-plotted')).toBe(true);
  });
});
