import {
  blake3,
  bytesToHex,
  signingContext,
  sr25519PairFromSeed,
  sr25519VrfVerify,
} from '@autonomys/primitives';
import { vrf as scureVrf } from '@scure/sr25519';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bundleElectionTranscript,
  calculateThreshold,
  electionVrfPreOutput,
  electionVrfSign,
  electionVrfVerify,
  globalChallenge,
  isBelowThreshold,
  tryElect,
  vrfHash,
} from '../src/index.js';

const U128_MAX = (1n << 128n) - 1n;
const pair = sr25519PairFromSeed(new Uint8Array(32).fill(7));
const challenge = globalChallenge(blake3(new Uint8Array(16).fill(1)), 42n);

describe('bundle election VRF', () => {
  it('global challenge = blake3(blake3(pot) ‖ le64 slot)', () => {
    const r = blake3(new Uint8Array(16).fill(1));
    const b = new Uint8Array(40);
    b.set(r);
    b[32] = 42;
    expect(bytesToHex(challenge)).toBe(bytesToHex(blake3(b)));
  });

  it('sign/verify is self-consistent; the pre-output is deterministic; the proof binds key, domain and challenge', () => {
    const s1 = electionVrfSign(pair.secretKey, pair.publicKey, 3, challenge);
    const s2 = electionVrfSign(pair.secretKey, pair.publicKey, 3, challenge);
    expect(bytesToHex(s1.preOutput)).toBe(bytesToHex(s2.preOutput));
    expect(bytesToHex(s1.proof)).not.toBe(bytesToHex(s2.proof)); // randomised DLEQ proof
    expect(electionVrfVerify(pair.publicKey, 3, challenge, s1)).toBe(true);
    expect(electionVrfVerify(pair.publicKey, 4, challenge, s1)).toBe(false);
    expect(electionVrfVerify(pair.publicKey, 3, blake3(challenge), s1)).toBe(false);
    const other = sr25519PairFromSeed(new Uint8Array(32).fill(8));
    expect(electionVrfVerify(other.publicKey, 3, challenge, s1)).toBe(false);
    const bad = { ...s1, proof: s1.proof.map((x, i) => (i === 5 ? x ^ 1 : x)) };
    expect(electionVrfVerify(pair.publicKey, 3, challenge, bad)).toBe(false);
    expect(
      electionVrfVerify(pair.publicKey, 3, challenge, {
        preOutput: new Uint8Array(32).fill(0xff),
        proof: s1.proof,
      }),
    ).toBe(false);
    expect(bytesToHex(electionVrfPreOutput(pair.secretKey, pair.publicKey, 3, challenge))).toBe(
      bytesToHex(s1.preOutput),
    );
    expect(vrfHash(s1)).toEqual(blake3(Uint8Array.of(...s1.preOutput, ...s1.proof)));
  });

  it('agrees with @scure/sr25519 on a transcript both can express (signing context + message)', () => {
    // scure builds Transcript("SigningContext"), label(ctx), bytes(msg); we build the same transcript
    // by hand and run our VRF over it: same pre-output, and each verifies the other's proof.
    const ctx = new TextEncoder().encode('substrate');
    const msg = new TextEncoder().encode('bundle election cross-check');
    const scureSig = scureVrf.sign(msg, pair.secretKey.slice(), ctx, new Uint8Array(0), (n: number) =>
      crypto.getRandomValues(new Uint8Array(n)),
    );
    const t = signingContext('substrate').appendMessage('sign-bytes', msg);
    expect(
      sr25519VrfVerify(pair.publicKey, t, {
        preOutput: scureSig.subarray(0, 32),
        proof: scureSig.subarray(32, 96),
      }),
    ).toBe(true);
    expect(scureVrf.verify(msg, scureSig, pair.publicKey, ctx)).toBe(true);
  });

  it('the election transcript is bound to its label and items (distinct from a signing-context transcript)', () => {
    const a = bundleElectionTranscript(1, challenge).challengeBytes('x', 32);
    const b = bundleElectionTranscript(2, challenge).challengeBytes('x', 32);
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
  });

  it('threshold arithmetic: hand-computed cases in the code order (divide first)', () => {
    // (1,6), 1 of 3 equal operators: ((MAX / 6) * 1) / 300 * 100
    expect(calculateThreshold(100n, 300n, [1n, 6n])).toBe((((U128_MAX / 6n) * 1n) / 300n) * 100n);
    // by hand: MAX/6 = 56713727820156410577229101238628035242, /300 = 189045759400521368590763670795426784, ×100:
    expect(calculateThreshold(100n, 300n, [1n, 6n])).toBe(18904575940052136859076367079542678400n);
    // the exact rational floor(MAX / 18) is 14 higher: the code order loses precision
    expect(U128_MAX / 18n - calculateThreshold(100n, 300n, [1n, 6n])!).toBe(14n);
    // all stake, probability 1: MAX / 1 * 1 / s * s = MAX - (MAX mod s)
    expect(calculateThreshold(7n, 7n, [1n, 1n])).toBe(U128_MAX - (U128_MAX % 7n));
    // exact rational would be MAX*2/3 = 226854911280625642308916404954512140970; the code order gives
    expect(calculateThreshold(2n, 3n, [1n, 1n])).toBe((U128_MAX / 3n) * 2n);
    expect(calculateThreshold(1n, 0n, [1n, 6n])).toBeUndefined();
    expect(calculateThreshold(1n, 1n, [1n, 0n])).toBeUndefined();
    expect(calculateThreshold(0n, 10n, [1n, 6n])).toBe(0n);
  });

  it('isBelowThreshold reads the first 16 bytes little-endian, strictly', () => {
    const p = new Uint8Array(32);
    p[0] = 5;
    expect(isBelowThreshold(p, 5n)).toBe(false);
    expect(isBelowThreshold(p, 6n)).toBe(true);
    p[31] = 0xff; // beyond the 16 bytes: ignored
    expect(isBelowThreshold(p, 6n)).toBe(true);
    p[15] = 1;
    expect(isBelowThreshold(p, 1n << 120n)).toBe(false);
  });

  it('election frequency over many slots matches the probability (within 5 sigma)', () => {
    // stake share 1/2 with slot probability (1, 2): p = 1/4 per slot
    const threshold = calculateThreshold(50n, 100n, [1n, 2n])!;
    const slots = 400;
    let wins = 0;
    const r = blake3(new Uint8Array(16).fill(9));
    for (let s = 0; s < slots; s++) {
      if (
        isBelowThreshold(
          electionVrfPreOutput(pair.secretKey, pair.publicKey, 0, globalChallenge(r, BigInt(s))),
          threshold,
        )
      )
        wins++;
    }
    const p = 1 / 4;
    const mean = slots * p;
    const sigma = Math.sqrt(slots * p * (1 - p));
    expect(Math.abs(wins - mean)).toBeLessThan(5 * sigma);
  });

  it('tryElect proves exactly the winning slots', () => {
    const threshold = U128_MAX / 2n;
    for (let s = 0; s < 6; s++) {
      const c = globalChallenge(blake3(new Uint8Array(16)), BigInt(s));
      const won = tryElect(pair.secretKey, pair.publicKey, 0, c, threshold);
      const pre = electionVrfPreOutput(pair.secretKey, pair.publicKey, 0, c);
      expect(won !== undefined).toBe(isBelowThreshold(pre, threshold));
      if (won) expect(electionVrfVerify(pair.publicKey, 0, c, won)).toBe(true);
    }
  });

  it('verification never throws on malformed signatures (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (pre, proof) => {
          expect(electionVrfVerify(pair.publicKey, 0, challenge, { preOutput: pre, proof })).toBe(false);
        },
      ),
      { numRuns: 20 },
    );
  });
});
