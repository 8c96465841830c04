import {
  type GossipProof,
  PotGossipValidator,
  type PotNextSlotInput,
  PotVerifier,
  prove,
} from '@autonomys/pot';
import { equalBytes } from '@autonomys/primitives';
import type { PeerId } from '@libp2p/interface';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BlockAnnounce,
  ChainNetwork,
  DsnError,
  decodeBlockAnnounce,
  decodeBlockRequest,
  decodeBlockResponse,
  encodeBlockAnnounce,
  encodeBlockRequest,
  encodeBlockResponse,
} from '../src/index.js';
import { connect, spawn, stopAll, waitFor } from './helpers.js';

afterAll(stopAll);

const hash = (n: number) => new Uint8Array(32).fill(n);

describe('chain protocols (our own /autonomys/... ids)', () => {
  it('codecs round-trip; random bytes are typed errors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        (number, header, isBest) => {
          const a = { number, hash: hash(number & 0xff), header, isBest };
          expect(decodeBlockAnnounce(encodeBlockAnnounce(a))).toEqual(a);
        },
      ),
    );
    const q = { from: { type: 'number' as const, number: 5 }, direction: 'ascending' as const, max: 10 };
    expect(decodeBlockRequest(encodeBlockRequest(q))).toEqual(q);
    const q2 = { from: { type: 'hash' as const, hash: hash(3) }, direction: 'descending' as const, max: 1 };
    expect(decodeBlockRequest(encodeBlockRequest(q2))).toEqual(q2);
    const blocks = [{ hash: hash(1), block: Uint8Array.of(1, 2) }];
    expect(decodeBlockResponse(encodeBlockResponse(blocks))).toEqual(blocks);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        for (const d of [decodeBlockAnnounce, decodeBlockRequest, decodeBlockResponse]) {
          try {
            d(b);
          } catch (e) {
            expect(e).toBeInstanceOf(DsnError);
          }
        }
      }),
    );
  });

  it('announces blocks, serves block requests and gossips verified PoT proofs; invalid proofs ban', async () => {
    const a = await spawn();
    const b = await spawn();
    const c = await spawn();
    await connect(a, b);
    await connect(c, b);
    const announced: Array<[BlockAnnounce, PeerId]> = [];
    const chainOf = (n: number) => ({ hash: hash(n), block: Uint8Array.of(n, n, n) });
    const IT = 256;
    const next: PotNextSlotInput = { slot: 5n, slotIterations: IT, seed: new Uint8Array(16).fill(5) };
    const accepted: GossipProof[] = [];
    let netB: ChainNetwork | undefined;
    const potB = new PotGossipValidator({
      verifier: new PotVerifier(),
      nextSlotInput: () => next,
      onProof: (p, from) => {
        accepted.push(p);
        void netB?.gossipPot(p, from);
      },
    });
    const netA = new ChainNetwork(a, {});
    netB = new ChainNetwork(b, {
      onBlockAnnounce: (x, from) => announced.push([x, from]),
      blocks: {
        getBlocks: (q) =>
          q.from.type === 'number'
            ? Array.from({ length: q.max }, (_, i) => chainOf(i + (q.from as { number: number }).number))
            : [],
      },
      pot: potB,
    });
    const netC = new ChainNetwork(c, {});
    await Promise.all([netA.start(), netB.start(), netC.start()]);

    expect(
      await netA.announceBlock({ number: 7, hash: hash(7), header: Uint8Array.of(1), isBest: true }),
    ).toBe(1);
    await waitFor(() => announced.length === 1);
    expect(announced[0]![0].number).toBe(7);
    expect(announced[0]![1].equals(a.peerId)).toBe(true);

    const got = await netA.requestBlocks(b.peerId, {
      from: { type: 'number', number: 3 },
      direction: 'ascending',
      max: 500,
    });
    expect(got).toHaveLength(128); // clamped
    expect(equalBytes(got![0]!.block, Uint8Array.of(3, 3, 3))).toBe(true);
    expect(
      await netB.requestBlocks(a.peerId, {
        from: { type: 'number', number: 1 },
        direction: 'ascending',
        max: 1,
      }),
    ).toBeUndefined();

    const seed = next.seed;
    const proof: GossipProof = { slot: 5n, seed, slotIterations: IT, checkpoints: prove(seed, IT) };
    expect(await netA.gossipPot(proof)).toBe(1);
    await waitFor(() => accepted.length === 1);
    // A corrupted proof for the next slot gets its sender banned.
    const bad = { ...proof, checkpoints: proof.checkpoints.slice() };
    bad.checkpoints[0] = (bad.checkpoints[0] ?? 0) ^ 1;
    next.slot = 5n; // still expecting slot 5 from others
    await netC.gossipPot(bad);
    await waitFor(() => b.bans.isBanned(c.peerId.toString()), 8000);
  });
});
