import { describe, expect, it } from 'vitest';
import {
  decodeGossipProof,
  encodeGossipProof,
  type GossipProof,
  nextSlotInput,
  POT_GOSSIP_PROOF_SIZE,
  PotError,
  PotGossipValidator,
  type PotGossipValidatorInit,
  type PotNextSlotInput,
  type PotPeerReport,
  PotVerifier,
  potCheckpointsOutput,
  prove,
} from '../src/index.js';
import { expectPotError, hex } from './helpers.js';

const IT = 256;
const seedOf = (n: number) => new Uint8Array(16).fill(n);
const proofFor = (slot: bigint, seed: Uint8Array, slotIterations = IT): GossipProof => ({
  slot,
  seed,
  slotIterations,
  checkpoints: prove(seed, slotIterations),
});
const corrupt = (p: GossipProof, byte = 0): GossipProof => {
  const checkpoints = p.checkpoints.slice();
  checkpoints[byte]! ^= 1;
  return { ...p, checkpoints };
};

/** A validator with next = slot 5 and recording reports/winners. */
function setup(extra: Partial<PotGossipValidatorInit> = {}) {
  const state = {
    next: { slot: 5n, slotIterations: IT, seed: seedOf(5) } as PotNextSlotInput,
    syncing: false,
  };
  const reports: [string, PotPeerReport][] = [];
  const winners: [GossipProof, string | undefined][] = [];
  const verifier = new PotVerifier();
  const gossip = new PotGossipValidator({
    verifier,
    nextSlotInput: () => state.next,
    isMajorSyncing: () => state.syncing,
    report: (peer, r) => reports.push([peer, r]),
    onProof: (p, from) => winners.push([p, from]),
    ...extra,
  });
  const validate = (peer: string, p: GossipProof) => gossip.validate(peer, encodeGossipProof(p));
  return { state, reports, winners, verifier, gossip, validate };
}

describe('GossipProof codec', () => {
  it('is 156 bytes of SCALE and round-trips; zero iterations and wrong lengths do not decode', () => {
    const p = proofFor(7n, seedOf(1));
    const bytes = encodeGossipProof(p);
    expect(bytes.length).toBe(POT_GOSSIP_PROOF_SIZE);
    expect(Buffer.from(bytes.subarray(0, 28)).toString('hex')).toBe(
      `0700000000000000${'01'.repeat(16)}00010000`,
    );
    expect(decodeGossipProof(bytes)).toEqual(p);
    const zero = bytes.slice();
    zero.fill(0, 24, 28);
    expectPotError(() => decodeGossipProof(zero), 'POT_INVALID_ENCODING');
    expectPotError(() => decodeGossipProof(bytes.subarray(1)), 'POT_INVALID_ENCODING');
    expectPotError(() => decodeGossipProof(new Uint8Array(157)), 'POT_INVALID_ENCODING');
    for (let n = 0; n < 200; n++) {
      try {
        decodeGossipProof(new Uint8Array(n % 170).map(() => (Math.random() * 256) | 0));
      } catch (e) {
        expect(e).toBeInstanceOf(PotError);
      }
    }
  });
});

describe('PotGossipValidator: superficial validation (pot A.7 rules 1-7)', () => {
  it('rule 1: everything is ignored while major-syncing', async () => {
    const t = setup();
    t.state.syncing = true;
    expect(t.gossip.validate('a', new Uint8Array(3))).toEqual({ result: 'discard', reason: 'major syncing' });
    expect(await t.gossip.handleProof('a', proofFor(5n, seedOf(5)))).toBe('ignored');
    expect(t.reports).toEqual([]);
  });

  it('rule 2: undecodable costs 2^3', () => {
    const t = setup();
    expect(t.gossip.validate('a', new Uint8Array(155)).result).toBe('discard');
    expect(t.reports).toEqual([['a', { value: -8, reason: 'undecodable', fatal: false }]]);
  });

  it('rule 3: a slot below the current slot costs 2^5', () => {
    const t = setup();
    expect(t.validate('a', proofFor(3n, seedOf(3))).result).toBe('discard');
    expect(t.validate('b', proofFor(4n, seedOf(4))).result).toBe('accept'); // current = next - 1 is fine
    expect(t.reports).toEqual([['a', { value: -32, reason: 'old slot', fatal: false }]]);
  });

  it('rule 4: more than 10 slots past the current slot costs 2^5', () => {
    const t = setup();
    expect(t.validate('a', { ...proofFor(14n, seedOf(1)) }).result).toBe('accept'); // current 4 + 10
    expect(t.validate('a', { ...proofFor(15n, seedOf(1)) }).result).toBe('discard');
    expect(t.reports).toEqual([['a', { value: -32, reason: 'slot too far in the future', fatal: false }]]);
  });

  it('rule 5: the next slot with another seed or iteration count costs 2^5', () => {
    const t = setup();
    expect(t.validate('a', proofFor(5n, seedOf(6))).result).toBe('discard');
    expect(t.validate('b', proofFor(5n, seedOf(5), IT + 16)).result).toBe('discard');
    expect(t.validate('c', proofFor(5n, seedOf(5))).result).toBe('accept');
    expect(t.reports.map(([p, r]) => [p, r.value, r.reason])).toEqual([
      ['a', -32, 'next slot mismatch'],
      ['b', -32, 'next slot mismatch'],
    ]);
  });

  it('rule 6: iterations outside [next, next * 3 / 2] cost 2^5, for any slot', () => {
    const t = setup();
    expect(t.validate('a', proofFor(7n, seedOf(1), IT - 16)).result).toBe('discard');
    expect(t.validate('a', proofFor(7n, seedOf(1), (IT * 3) / 2)).result).toBe('accept');
    expect(t.validate('a', proofFor(7n, seedOf(1), (IT * 3) / 2 + 16)).result).toBe('discard');
    expect(t.reports.map(([, r]) => r.reason)).toEqual([
      'slot iterations out of range',
      'slot iterations out of range',
    ]);
  });

  it('rule 7: otherwise accepted for processing; expiry is slot < current', () => {
    const t = setup();
    const p = proofFor(8n, seedOf(1));
    expect(t.validate('a', p)).toEqual({ result: 'accept', proof: p });
    expect(t.gossip.isExpired({ slot: 3n })).toBe(true);
    expect(t.gossip.isExpired({ slot: 4n })).toBe(false);
  });
});

describe('PotGossipValidator: processing', () => {
  it('past slot: cached and equal -> ignored; cached and different -> fatal; not cached -> outdated 2^5', async () => {
    const t = setup();
    const past = proofFor(4n, seedOf(4));
    expect(await t.gossip.handleProof('a', past)).toBe('penalised');
    t.verifier.injectVerifiedCheckpoints(past.seed, past.slotIterations, past.checkpoints);
    expect(await t.gossip.handleProof('b', past)).toBe('ignored');
    expect(await t.gossip.handleProof('c', corrupt(past))).toBe('invalid');
    expect(t.reports.map(([p, r]) => [p, r.reason, r.fatal])).toEqual([
      ['a', 'outdated proof', false],
      ['c', 'invalid proof', true],
    ]);
    expect(t.winners).toEqual([]);
  });

  it('next slot: mismatching inputs cost 2^5; a valid proof is handed on; an invalid one is fatal', async () => {
    const t = setup();
    expect(await t.gossip.handleProof('a', proofFor(5n, seedOf(9)))).toBe('penalised');
    expect(await t.gossip.handleProof('b', corrupt(proofFor(5n, seedOf(5)), 127))).toBe('invalid');
    const good = proofFor(5n, seedOf(5));
    expect(await t.gossip.handleProof('c', good)).toBe('accepted');
    expect(t.winners).toEqual([[good, 'c']]);
    expect(t.verifier.getCheckpoints(good.seed, IT)).toEqual(good.checkpoints);
    expect(t.reports.map(([p, r]) => [p, r.reason, r.fatal])).toEqual([
      ['a', 'next slot mismatch', false],
      ['b', 'invalid proof', true],
    ]);
  });

  it('future slot: queued per peer, 20 at most (overflow drops the oldest and costs 2^5)', async () => {
    const t = setup();
    const proofs = Array.from({ length: 21 }, (_, i) => ({
      ...proofFor(6n, seedOf(1)),
      slot: 6n + BigInt(i % 5),
    }));
    for (const p of proofs) expect(await t.gossip.handleProof('a', p)).toBe('queued');
    expect(t.gossip.queued('a')).toEqual(proofs.slice(1));
    expect(t.reports).toEqual([['a', { value: -32, reason: 'too many proofs', fatal: false }]]);
  });

  it('future proofs of at most `maxPeers` peers are kept (least recently used dropped)', async () => {
    const t = setup({ maxPeers: 2 });
    const p = proofFor(7n, seedOf(1));
    await t.gossip.handleProof('a', p);
    await t.gossip.handleProof('b', p);
    await t.gossip.handleProof('a', p);
    await t.gossip.handleProof('c', p);
    expect(t.gossip.queued('b')).toEqual([]);
    expect(t.gossip.queued('a').length).toBe(2);
    expect(t.gossip.queued('c').length).toBe(1);
  });

  it('when the next input advances: past queued proofs checked, wrong inputs cost 2^5, first valid by reputation wins', async () => {
    const rep: Record<string, number> = { low: 1, high: 100, mid: 50, liar: 200 };
    const t = setup({ reputation: (p) => rep[p] ?? 0 });
    // next = 5: prepare the real slot 6 input.
    const p5 = proofFor(5n, seedOf(5));
    const next6 = nextSlotInput(5n, IT, potCheckpointsOutput(p5.checkpoints));
    const good6 = proofFor(6n, next6.seed);
    await t.gossip.handleProof('low', good6);
    await t.gossip.handleProof('high', good6);
    await t.gossip.handleProof('liar', corrupt(good6, 3));
    await t.gossip.handleProof('mid', { ...good6, seed: seedOf(77) }); // wrong input for slot 6
    await t.gossip.handleProof('mid', proofFor(8n, seedOf(1))); // stays queued
    expect(await t.gossip.handleProof('a', p5)).toBe('accepted');
    t.winners.length = 0;
    t.state.next = next6;
    const winner = await t.gossip.onNextSlotInput();
    expect(winner).toEqual(good6);
    // The liar's candidate was tried first (best reputation), failed, and is reported fatally.
    expect(t.winners).toEqual([[good6, 'low']]);
    expect(t.reports.map(([p, r]) => [p, r.reason, r.fatal])).toEqual([
      ['mid', 'next slot mismatch', false],
      ['liar', 'invalid proof', true],
    ]);
    expect(t.gossip.queued('mid').map((p) => p.slot)).toEqual([8n]);
    expect(t.gossip.queued('low')).toEqual([]);
    // Queued proofs for a slot the chain has passed: cache mismatch -> fatal, no entry -> outdated.
    t.reports.length = 0;
    const q7 = proofFor(7n, seedOf(3));
    await t.gossip.handleProof('y', { ...good6, slot: 7n, checkpoints: corrupt(good6).checkpoints });
    await t.gossip.handleProof('z', q7);
    t.state.next = { slot: 8n, slotIterations: IT, seed: seedOf(8) };
    t.verifier.injectVerifiedCheckpoints(good6.seed, IT, good6.checkpoints);
    expect(await t.gossip.onNextSlotInput()).toBeUndefined();
    expect(t.reports.map(([p, r]) => [p, r.reason, r.fatal])).toEqual([
      ['mid', 'next slot mismatch', false], // its slot-8 proof: exactly the new next slot, wrong seed
      ['y', 'invalid proof', true],
      ['z', 'outdated proof', false],
    ]);
  });

  it('7 or more distinct candidates: only the most reputable is verified, else prove locally', async () => {
    const t = setup({ reputation: (p) => Number(p.slice(1)) });
    t.state.next = { slot: 5n, slotIterations: IT, seed: seedOf(4) };
    const honest = proofFor(6n, seedOf(6));
    for (let i = 0; i < 7; i++) await t.gossip.handleProof(`p${i}`, corrupt(honest, i)); // all invalid
    await t.gossip.handleProof('p0', honest); // the least reputable sends the valid one
    t.state.next = { slot: 6n, slotIterations: IT, seed: seedOf(6) };
    const winner = await t.gossip.onNextSlotInput();
    expect(winner).toEqual(honest); // proved locally: the same bytes
    expect(t.winners).toEqual([[honest, 'p0']]);
    const fatal = t.reports
      .filter(([, r]) => r.fatal)
      .map(([p]) => p)
      .sort();
    expect(fatal).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']); // p0 also sent an invalid one
    expect(t.verifier.getCheckpoints(seedOf(6), IT)).toEqual(honest.checkpoints);
  });

  it('fewer than 7 candidates and none valid: every sender is reported, no winner', async () => {
    const t = setup();
    const honest = proofFor(6n, seedOf(6));
    await t.gossip.handleProof('a', corrupt(honest, 1));
    await t.gossip.handleProof('b', corrupt(honest, 2));
    t.state.next = { slot: 6n, slotIterations: IT, seed: seedOf(6) };
    expect(await t.gossip.onNextSlotInput()).toBeUndefined();
    expect(t.reports.map(([p, r]) => [p, r.fatal])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(t.winners).toEqual([]);
  });
});

it('hex helper sanity', () => expect(hex('00ff')).toEqual(new Uint8Array([0, 255])));
