/**
 * The bundle election per slot in the node (decex §4): operators run the election for every slot
 * whose PoT output they know, not only the slots of blocks, and the consensus side accepts a bundle
 * claiming any recent slot whose PoT output is on the chain, with the spec's bounds
 * (`slot <= block slot + BLOCK_AUTHORING_DELAY`, produced after a block at most `BundleLongevity`
 * blocks old, the PoT output of that slot).
 */
import { type Bundle, bundleCodec, decodeWith, sealBundleHeader } from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import {
  type DomainRoleEvent,
  decodeExtrinsic,
  devOperatorKey,
  domainsExtrinsic,
  encodeExtrinsic,
} from '../src/index.js';
import { hex, potOf, setup } from './domain-harness.js';

const bundleEvents = (events: readonly DomainRoleEvent[]) =>
  events.flatMap((e) => (e.type === 'domain:bundle' ? [e] : []));

describe('Domains in the node runtime: bundle election per slot', () => {
  it('every slot is elected once; wins match the probability; slots between blocks are accepted', async () => {
    // One operator with all the stake and slot probability 1/2: p = 1/2 per slot. Three slots per block.
    const t = setup({ operators: 1, slotGap: 3n, bundleSlotProbability: [1n, 2n] });
    const blocks = 40;
    for (let i = 0; i < blocks; i++) await t.step();
    const bundles = bundleEvents(t.events);
    const slots = bundles.map((b) => b.slot);
    // distinct and increasing: each slot elected once
    for (let i = 1; i < slots.length; i++) expect(slots[i]! > slots[i - 1]!).toBe(true);
    // slots 1 ..= last block's slot + 4 were elected
    const elected = Number(t.chain.best.state.slot + 4n);
    const p = 1 / 2;
    const mean = elected * p;
    const sigma = Math.sqrt(elected * p * (1 - p));
    expect(Math.abs(bundles.length - mean)).toBeLessThan(5 * sigma);
    // most won slots are not block slots (block slots are multiples of 3)
    expect(slots.filter((s) => s % 3n !== 0n).length).toBeGreaterThan(bundles.length / 2);
    // every bundle submitted before the last block was stored by the chain
    const stored = t.allEvents().filter((e) => e.type === 'BundleStored').length;
    const pending = bundles.filter((b) => b.consensusBlock === t.chain.best.header.number).length;
    expect(stored).toBe(bundles.length - pending);
  });

  it('the slot bounds: future, past and a wrong PoT output are rejected; a slot between blocks is accepted', async () => {
    // Operator 1 never submits (its highest slot stays 0): its key re-signs the claims below.
    const t = setup({ operators: 2, slotGap: 3n });
    t.gate.only = new Set([0]);
    for (let i = 0; i < 8; i++) await t.step();
    // a bundle the operator built for the next block (its slot is one of the latest)
    const pending = t.pool.take().map((x) => {
      const call = decodeExtrinsic(x).call;
      if (call.type !== 'Opaque') throw new Error('unexpected call');
      return decodeWith(bundleCodec, call.args, 'bundle');
    });
    const bundle = pending[0]!;
    const key = devOperatorKey(1);
    const reclaim = (b: Bundle, slot: bigint, pot: Uint8Array = potOf(slot)) =>
      encodeExtrinsic(
        domainsExtrinsic({
          type: 'submit_bundle',
          bundle: {
            ...b,
            sealedHeader: sealBundleHeader(
              {
                ...b.sealedHeader.header,
                proofOfElection: {
                  ...b.sealedHeader.header.proofOfElection,
                  slotNumber: slot,
                  proofOfTime: pot,
                  operatorId: 1n,
                },
              },
              key.secretKey,
              key.publicKey,
            ),
          },
        }),
      );
    const next = t.chain.best.state.slot + 3n; // the slot of the block executed below
    const reason = (x: Uint8Array) => t.chain.execute([x], 'build', 3n).dropped.map((d) => d.detail)[0];
    expect(reason(reclaim(bundle, next + 5n))).toContain('SlotInTheFuture');
    // produced after block (next block − 6): too old
    const old = t.chain.blocks[t.chain.best.header.number - 5]!.state.slot;
    expect(reason(reclaim(bundle, old))).toContain('SlotInThePast');
    expect(
      reason(reclaim(bundle, bundle.sealedHeader.header.proofOfElection.slotNumber, new Uint8Array(16))),
    ).toContain('InvalidProofOfTime');
    // The honest bundle (any of its slots, between blocks or not) is accepted.
    const ok = t.chain.execute(
      pending.map((b) => encodeExtrinsic(domainsExtrinsic({ type: 'submit_bundle', bundle: b }))),
      'build',
      3n,
    );
    expect(ok.dropped).toEqual([]);
    expect(pending.some((b) => b.sealedHeader.header.proofOfElection.slotNumber % 3n !== 0n)).toBe(true);
    expect(hex(ok.stateRoot)).not.toBe(hex(t.chain.execute([], 'build', 3n).stateRoot));
  });
});
