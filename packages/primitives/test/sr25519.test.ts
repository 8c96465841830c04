// sr25519 with a signing context, checked against two independent implementations in the same
// run: @polkadot/util-crypto (pure JS, context fixed to `substrate`) and @polkadot/wasm-crypto
// (schnorrkel itself compiled to WebAssembly). Randomised properties use fast-check with few runs:
// every case costs a few scalar multiplications.
import {
  sr25519PairFromSeed as pdPairFromSeed,
  sr25519Sign as pdSign,
  sr25519Verify as pdVerify,
  sr25519VrfSign as pdVrfSign,
  sr25519VrfVerify as pdVrfVerify,
} from '@polkadot/util-crypto';
import * as wasm from '@polkadot/wasm-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bytesToHex,
  concatBytes,
  hexToBytes,
  PrimitivesError,
  REWARD_SIGNING_CONTEXT,
  SUBSTRATE_SIGNING_CONTEXT,
  signingContext,
  sr25519PairFromSeed,
  sr25519PublicKey,
  sr25519Sign,
  sr25519SignTranscript,
  sr25519Verify,
  sr25519VerifyTranscript,
  sr25519VrfSign,
  sr25519VrfVerify,
  Transcript,
} from '../src/index.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const EMPTY = new Uint8Array(0);
const SUBSTRATE = { context: SUBSTRATE_SIGNING_CONTEXT };
const REWARD = { context: REWARD_SIGNING_CONTEXT };

const seed32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const message = fc.uint8Array({ maxLength: 300 });

beforeAll(async () => {
  await wasm.waitReady();
});

/** Result of a verifier that may throw: `false` also for a PrimitivesError, rethrows anything else. */
function verifies(f: () => boolean): boolean {
  try {
    return f();
  } catch (e) {
    if (e instanceof PrimitivesError) return false;
    throw e;
  }
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof PrimitivesError) return e.code;
    throw e;
  }
  return undefined;
}

describe('Merlin transcript', () => {
  it('matches the Merlin reference vector', () => {
    const t = new Transcript('test protocol').appendMessage('some label', utf8('some data'));
    expect(bytesToHex(t.challengeBytes('challenge', 32))).toBe(
      'd5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615',
    );
  });

  it('clone forks; appendU64 is an 8-byte LE message; string and byte labels are the same', () => {
    const a = new Transcript(utf8('x')).appendU64('n', 258n);
    const b = new Transcript('x').appendMessage(utf8('n'), hexToBytes('0201000000000000'));
    const c = a.clone();
    const first = bytesToHex(a.challengeBytes('c', 40));
    expect(first).toBe(bytesToHex(b.challengeBytes('c', 40)));
    expect(first).toBe(bytesToHex(new Transcript('x').appendU64('n', 258).challengeBytes('c', 40)));
    // a changed with its challenge; its clone did not
    expect(bytesToHex(a.challengeBytes('c', 40))).not.toBe(first);
    expect(bytesToHex(c.challengeBytes('c', 40))).toBe(first);
  });

  it('witnessBytes: deterministic for injected randomness, does not change the transcript', () => {
    const t = new Transcript('w');
    const before = t.clone().challengeBytes('probe', 32);
    const r = new Uint8Array(32).fill(9);
    const w1 = t.witnessBytes('l', 64, [utf8('secret')], r);
    expect(bytesToHex(t.witnessBytes('l', 64, [utf8('secret')], r))).toBe(bytesToHex(w1));
    expect(bytesToHex(t.witnessBytes('l', 64, [utf8('other')], r))).not.toBe(bytesToHex(w1));
    expect(bytesToHex(t.witnessBytes('l', 64, [utf8('secret')]))).not.toBe(bytesToHex(w1));
    expect(bytesToHex(t.challengeBytes('probe', 32))).toBe(bytesToHex(before));
    expect(codeOf(() => t.witnessBytes('l', 64, [], new Uint8Array(31)))).toBe('PRIMITIVES_INVALID_LENGTH');
    expect(codeOf(() => t.appendU64('n', -1))).toBe('PRIMITIVES_OUT_OF_RANGE');
    expect(codeOf(() => t.appendU64('n', 1n << 64n))).toBe('PRIMITIVES_OUT_OF_RANGE');
  });
});

// Fixed vectors with injected randomness, made with @scure/sr25519's `sign(sk, msg, rng)` and
// `vrf.sign(msg, sk, ctx, extra, rng)` (the implementation inside @polkadot/util-crypto), whose
// results @polkadot/wasm-crypto verifies (each from a fresh secret key: scure's vrf.sign zeroes the
// nonce half of the key it is given). They pin the nonce derivation byte for byte, which
// cross-verification alone cannot.
const V = {
  seed: 'fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e',
  secretKey:
    '28b0ae221c6bb06856b287f60d7ea0d98552ea5a16db16956849aa371db3eb51fd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34',
  publicKey: '46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a',
  random: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  message: 'Autonomys', // signed with context `substrate`
  signature:
    '7cdd2eb5d81c9fe3675e3909e1b683e67fca378db5a5cc63e283f95551bf1c07eddac8f7e7e8d6b657e5a789847b225d1f9447fb19ce5e34a6bf50a6ea853888',
  // VRF over signing_context("ctx").bytes("Autonomys"): pre-output ‖ c ‖ s
  vrf: '766c325cc9815f6a7f533f2b27e007cefccd4da2f6e70eeaac9fb462767ca444ec7e16d628767660f9f59129734f7b3035b853f4101e240c1132793363ef990069db06ce811a39306c0870550c136b474eb7b2df4848817196b4ed337fb20209',
  // the same with the extra transcript Transcript("VRF") + ("", "extra")
  vrfExtra:
    '766c325cc9815f6a7f533f2b27e007cefccd4da2f6e70eeaac9fb462767ca4445d4c37051d536a4f8a4b31255918a62deae76f35925c3ce4e84e6c421353aa05e6e633c33ef3b741942f739dcfc1c859dfddc5faf50e9c6bf8fb4b4629978102',
};

describe('sr25519 vectors (injected randomness)', () => {
  const pair = sr25519PairFromSeed(hexToBytes(V.seed));
  const random = hexToBytes(V.random);

  it('keys from the seed', () => {
    expect(bytesToHex(pair.secretKey)).toBe(V.secretKey);
    expect(bytesToHex(pair.publicKey)).toBe(V.publicKey);
    expect(bytesToHex(sr25519PublicKey(pair.secretKey))).toBe(V.publicKey);
  });

  it('signature', () => {
    const sig = sr25519Sign(pair.secretKey, pair.publicKey, utf8(V.message), { ...SUBSTRATE, random });
    expect(bytesToHex(sig)).toBe(V.signature);
    expect(sr25519Verify(sig, utf8(V.message), pair.publicKey, SUBSTRATE)).toBe(true);
  });

  it('VRF, with the default and with an extra transcript', () => {
    const t = signingContext('ctx').appendMessage('sign-bytes', utf8(V.message));
    const v = sr25519VrfSign(pair.secretKey, pair.publicKey, t, { random });
    expect(bytesToHex(concatBytes(v.preOutput, v.proof))).toBe(V.vrf);
    const extra = new Transcript('VRF').appendMessage('', utf8('extra'));
    const e = sr25519VrfSign(pair.secretKey, pair.publicKey, t, { random, extra });
    expect(bytesToHex(concatBytes(e.preOutput, e.proof))).toBe(V.vrfExtra);
    expect(sr25519VrfVerify(pair.publicKey, t, e, { extra })).toBe(true);
    expect(sr25519VrfVerify(pair.publicKey, t, e)).toBe(false);
  });
});

describe('sr25519 keys', () => {
  it('equal @polkadot/util-crypto sr25519PairFromSeed and schnorrkel (wasm) for the same seed', () => {
    fc.assert(
      fc.property(seed32, (seed) => {
        const ours = sr25519PairFromSeed(seed);
        const pd = pdPairFromSeed(seed);
        expect(bytesToHex(ours.publicKey)).toBe(bytesToHex(pd.publicKey));
        expect(bytesToHex(ours.secretKey)).toBe(bytesToHex(pd.secretKey));
        expect(bytesToHex(concatBytes(ours.secretKey, ours.publicKey))).toBe(
          bytesToHex(wasm.sr25519KeypairFromSeed(seed)),
        );
      }),
      { numRuns: 20 },
    );
  });

  it('rejects wrong sizes and a non-canonical secret scalar', () => {
    expect(codeOf(() => sr25519PairFromSeed(new Uint8Array(31)))).toBe('PRIMITIVES_INVALID_LENGTH');
    expect(codeOf(() => sr25519PublicKey(new Uint8Array(32)))).toBe('PRIMITIVES_INVALID_LENGTH');
    expect(codeOf(() => sr25519PublicKey(new Uint8Array(64).fill(0xff)))).toBe('PRIMITIVES_INVALID_ARGUMENT');
  });
});

describe('sr25519 with context `substrate` against @polkadot/util-crypto and schnorrkel (wasm)', () => {
  it('ours verify with theirs and theirs with ours', () => {
    fc.assert(
      fc.property(seed32, message, (seed, msg) => {
        const { publicKey, secretKey } = sr25519PairFromSeed(seed);
        const ours = sr25519Sign(secretKey, publicKey, msg, SUBSTRATE);
        expect(pdVerify(msg, ours, publicKey)).toBe(true);
        expect(wasm.sr25519Verify(ours, msg, publicKey)).toBe(true);
        const pd = pdSign(msg, { publicKey, secretKey });
        const sc = wasm.sr25519Sign(publicKey, secretKey, msg);
        expect(sr25519Verify(pd, msg, publicKey, SUBSTRATE)).toBe(true);
        expect(sr25519Verify(sc, msg, publicKey, SUBSTRATE)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it('a signature with another context does not verify there', () => {
    const { publicKey, secretKey } = sr25519PairFromSeed(new Uint8Array(32).fill(3));
    const msg = utf8('pre_hash');
    const reward = sr25519Sign(secretKey, publicKey, msg, REWARD);
    expect(pdVerify(msg, reward, publicKey)).toBe(false);
    expect(wasm.sr25519Verify(reward, msg, publicKey)).toBe(false);
  });
});

describe('sr25519 with context `subspace_reward`', () => {
  it('sign → verify round trips; other contexts, messages and keys fail', () => {
    fc.assert(
      fc.property(
        seed32,
        seed32,
        message,
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        (s1, s2, msg, ctx) => {
          const { publicKey, secretKey } = sr25519PairFromSeed(s1);
          const sig = sr25519Sign(secretKey, publicKey, msg, REWARD);
          expect(sr25519Verify(sig, msg, publicKey, REWARD)).toBe(true);
          expect(sr25519Verify(sig, msg, publicKey, { context: utf8(REWARD_SIGNING_CONTEXT) })).toBe(true);
          expect(sr25519Verify(sig, msg, publicKey, SUBSTRATE)).toBe(false);
          if (bytesToHex(ctx) !== bytesToHex(utf8(REWARD_SIGNING_CONTEXT))) {
            expect(sr25519Verify(sig, msg, publicKey, { context: ctx })).toBe(false);
          }
          expect(sr25519Verify(sig, concatBytes(msg, new Uint8Array(1)), publicKey, REWARD)).toBe(false);
          const other = sr25519PairFromSeed(s2).publicKey;
          if (bytesToHex(other) !== bytesToHex(publicKey))
            expect(sr25519Verify(sig, msg, other, REWARD)).toBe(false);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('transcript form equals the message form and does not consume the transcript', () => {
    const { publicKey, secretKey } = sr25519PairFromSeed(new Uint8Array(32).fill(5));
    const random = new Uint8Array(32).fill(1);
    const msg = new Uint8Array(32).fill(0xab);
    const t = signingContext(REWARD_SIGNING_CONTEXT).appendMessage('sign-bytes', msg);
    const a = sr25519SignTranscript(secretKey, publicKey, t, { random });
    const b = sr25519SignTranscript(secretKey, publicKey, t, { random });
    const c = sr25519Sign(secretKey, publicKey, msg, { ...REWARD, random });
    expect(bytesToHex(a)).toBe(bytesToHex(b));
    expect(bytesToHex(a)).toBe(bytesToHex(c));
    expect(sr25519VerifyTranscript(a, t, publicKey)).toBe(true);
    expect(sr25519VerifyTranscript(a, t, publicKey)).toBe(true);
    // inputs are not mutated
    expect(bytesToHex(msg)).toBe('ab'.repeat(32));
    expect(bytesToHex(random)).toBe('01'.repeat(32));
    // default randomness: two signatures differ, both verify
    const d = sr25519Sign(secretKey, publicKey, msg, REWARD);
    expect(bytesToHex(d)).not.toBe(bytesToHex(sr25519Sign(secretKey, publicKey, msg, REWARD)));
    expect(sr25519Verify(d, msg, publicKey, REWARD)).toBe(true);
  });

  it('every single-bit change of a signature, message or key fails', () => {
    const { publicKey, secretKey } = sr25519PairFromSeed(new Uint8Array(32).fill(6));
    const msg = utf8('vote');
    const sig = sr25519Sign(secretKey, publicKey, msg, REWARD);
    fc.assert(
      fc.property(fc.nat(64 * 8 - 1), fc.nat(31 * 8 + 7), fc.nat(msg.length * 8 - 1), (sb, kb, mb) => {
        const s = sig.slice();
        s[sb >> 3]! ^= 1 << (sb & 7);
        expect(verifies(() => sr25519Verify(s, msg, publicKey, REWARD))).toBe(false);
        const k = publicKey.slice();
        k[kb >> 3]! ^= 1 << (kb & 7);
        expect(verifies(() => sr25519Verify(sig, msg, k, REWARD))).toBe(false);
        const m = msg.slice();
        m[mb >> 3]! ^= 1 << (mb & 7);
        expect(sr25519Verify(sig, m, publicKey, REWARD)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });
});

describe('sr25519 typed errors', () => {
  const { publicKey, secretKey } = sr25519PairFromSeed(new Uint8Array(32).fill(8));
  const msg = utf8('m');
  const sig = sr25519Sign(secretKey, publicKey, msg, REWARD);

  it('wrong sizes', () => {
    expect(codeOf(() => sr25519Verify(sig.subarray(1), msg, publicKey, REWARD))).toBe(
      'PRIMITIVES_INVALID_LENGTH',
    );
    expect(codeOf(() => sr25519Verify(sig, msg, publicKey.subarray(1), REWARD))).toBe(
      'PRIMITIVES_INVALID_LENGTH',
    );
    expect(codeOf(() => sr25519Sign(secretKey.subarray(1), publicKey, msg, REWARD))).toBe(
      'PRIMITIVES_INVALID_LENGTH',
    );
    expect(codeOf(() => sr25519Sign(secretKey, publicKey.subarray(1), msg, REWARD))).toBe(
      'PRIMITIVES_INVALID_LENGTH',
    );
    expect(codeOf(() => sr25519Sign(secretKey, publicKey, 'm' as never, REWARD))).toBe(
      'PRIMITIVES_INVALID_ARGUMENT',
    );
  });

  it('missing marker bit, non-canonical s, non-canonical public key', () => {
    const unmarked = sig.slice();
    unmarked[63]! &= 0x7f;
    expect(codeOf(() => sr25519Verify(unmarked, msg, publicKey, REWARD))).toBe('PRIMITIVES_INVALID_ARGUMENT');
    // s = l (the group order) with the marker set
    const big = sig.slice();
    big.set(hexToBytes('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010'), 32);
    big[63]! |= 0x80;
    expect(codeOf(() => sr25519Verify(big, msg, publicKey, REWARD))).toBe('PRIMITIVES_INVALID_ARGUMENT');
    expect(wasm.sr25519Verify(big, msg, publicKey)).toBe(false);
    const badKey = new Uint8Array(32).fill(0xff);
    expect(codeOf(() => sr25519Verify(sig, msg, badKey, REWARD))).toBe('PRIMITIVES_INVALID_ARGUMENT');
  });

  it('random bytes: false or PrimitivesError, never another error', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.oneof(fc.constant(publicKey), fc.uint8Array({ minLength: 32, maxLength: 32 })),
        (s, m, k) => {
          expect(verifies(() => sr25519Verify(s, m, k, REWARD))).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('sr25519 VRF', () => {
  it('same pre-output as schnorrkel (wasm) and @polkadot/util-crypto; proofs verify both ways', () => {
    fc.assert(
      fc.property(seed32, message, fc.uint8Array({ maxLength: 20 }), (seed, msg, ctx) => {
        const pair = sr25519PairFromSeed(seed);
        const t = signingContext(ctx).appendMessage('sign-bytes', msg);
        const ours = sr25519VrfSign(pair.secretKey, pair.publicKey, t);
        const sc = wasm.vrfSign(pair.secretKey, ctx, msg, EMPTY);
        // a copy: @polkadot/util-crypto 14.0.3 sr25519VrfSign zeroes the nonce half of the secret key it is given
        const pd = pdVrfSign(msg, { ...pair, secretKey: pair.secretKey.slice() }, ctx);
        expect(bytesToHex(ours.preOutput)).toBe(bytesToHex(sc.subarray(0, 32)));
        expect(bytesToHex(ours.preOutput)).toBe(bytesToHex(pd.subarray(0, 32)));
        const joined = concatBytes(ours.preOutput, ours.proof);
        expect(wasm.vrfVerify(pair.publicKey, ctx, msg, EMPTY, joined)).toBe(true);
        expect(pdVrfVerify(msg, joined, pair.publicKey, ctx)).toBe(true);
        expect(
          sr25519VrfVerify(pair.publicKey, t, { preOutput: sc.subarray(0, 32), proof: sc.subarray(32) }),
        ).toBe(true);
        expect(
          sr25519VrfVerify(pair.publicKey, t, { preOutput: pd.subarray(0, 32), proof: pd.subarray(32) }),
        ).toBe(true);
      }),
      { numRuns: 6 },
    );
  });

  it('bundle election transcript (decex §4): round trip; other transcript, key or tampering fails', () => {
    const pair = sr25519PairFromSeed(new Uint8Array(32).fill(11));
    const other = sr25519PairFromSeed(new Uint8Array(32).fill(12));
    const election = (domain: number) =>
      new Transcript('bundle_producer_election')
        .appendMessage('domain', Uint8Array.of(domain, 0, 0, 0))
        .appendMessage('global_challenge', new Uint8Array(32).fill(0x42));
    const t = election(0);
    const v = sr25519VrfSign(pair.secretKey, pair.publicKey, t);
    expect(sr25519VrfVerify(pair.publicKey, t, v)).toBe(true);
    expect(sr25519VrfVerify(pair.publicKey, election(1), v)).toBe(false);
    expect(verifies(() => sr25519VrfVerify(other.publicKey, t, v))).toBe(false);
    // the pre-output is a function of key and transcript only
    expect(bytesToHex(sr25519VrfSign(pair.secretKey, pair.publicKey, t).preOutput)).toBe(
      bytesToHex(v.preOutput),
    );
    const otherOut = sr25519VrfSign(pair.secretKey, pair.publicKey, election(1)).preOutput;
    expect(verifies(() => sr25519VrfVerify(pair.publicKey, t, { preOutput: otherOut, proof: v.proof }))).toBe(
      false,
    );
    for (let bit = 0; bit < 64 * 8; bit += 37) {
      const p = v.proof.slice();
      p[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifies(() => sr25519VrfVerify(pair.publicKey, t, { preOutput: v.preOutput, proof: p }))).toBe(
        false,
      );
    }
    for (let bit = 0; bit < 32 * 8; bit += 29) {
      const o = v.preOutput.slice();
      o[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifies(() => sr25519VrfVerify(pair.publicKey, t, { preOutput: o, proof: v.proof }))).toBe(
        false,
      );
    }
  });

  it('typed errors and fuzzed inputs', () => {
    const pair = sr25519PairFromSeed(new Uint8Array(32).fill(13));
    const t = new Transcript('t');
    const v = sr25519VrfSign(pair.secretKey, pair.publicKey, t);
    const ff = new Uint8Array(32).fill(0xff);
    expect(codeOf(() => sr25519VrfVerify(pair.publicKey, t, { preOutput: ff, proof: v.proof }))).toBe(
      'PRIMITIVES_INVALID_ARGUMENT',
    );
    expect(
      codeOf(() =>
        sr25519VrfVerify(pair.publicKey, t, { preOutput: v.preOutput, proof: new Uint8Array(64).fill(0xff) }),
      ),
    ).toBe('PRIMITIVES_INVALID_ARGUMENT');
    expect(
      codeOf(() =>
        sr25519VrfVerify(pair.publicKey, t, { preOutput: v.preOutput, proof: v.proof.subarray(1) }),
      ),
    ).toBe('PRIMITIVES_INVALID_LENGTH');
    expect(codeOf(() => sr25519VrfSign(pair.secretKey.subarray(1), pair.publicKey, t))).toBe(
      'PRIMITIVES_INVALID_LENGTH',
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (o, p) => {
          expect(verifies(() => sr25519VrfVerify(pair.publicKey, t, { preOutput: o, proof: p }))).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});
