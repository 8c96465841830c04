import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutoScoreError, reclaimVerifier, verifyClaim, verifyReclaimProof } from '../src/index.js';
import { GITHUB, GOOGLE, reclaimClaim, reclaimProof, witness } from './fixtures.js';

const W1 = witness(1);
const W2 = witness(2);
const W3 = witness(3);
const subject = new Uint8Array(32).fill(0xaa);
const other = new Uint8Array(32).fill(0xbb);
const opts = { witnesses: [W1.address, W2.address], providers: [GITHUB, GOOGLE] };
const now = 1_750_000_000_000 + 60_000;

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AutoScoreError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}
const sync = (f: () => unknown) => code(Promise.resolve().then(f));

describe('Reclaim proof verification', () => {
  it('accepts a proof signed by a configured witness and derives the SDK nullifier', async () => {
    const r = verifyReclaimProof(reclaimProof({ autoId: subject }), opts);
    expect(r.claimType).toBe('GithubUsername');
    expect(r.subjectId).toBe('alice');
    expect(r.witnesses).toEqual([W1.address]);
    expect(bytesToHex(r.autoId!)).toBe(bytesToHex(subject));
    const v = await verifyClaim(reclaimClaim(subject), [reclaimVerifier(opts)], { now });
    expect(v.claimType).toBe('GithubUsername');
    expect(bytesToHex(v.nullifier)).toBe('701d0d6e29a7d9403dc027fda084702e8797fa432789fcfc2bb0dab1cf57fed0');
  });

  it('a reused verifier (fast path with learned witness keys) decides exactly as recovery does', async () => {
    const v = reclaimVerifier({ ...opts, minWitnesses: 1 });
    for (let i = 0; i < 3; i++)
      expect((await verifyClaim(reclaimClaim(subject), [v], { now })).factor).toBe('zktls-account');
    const bad = reclaimClaim(subject);
    const s = bad.proof.signatures[0]!;
    bad.proof.signatures[0] = `${s.slice(0, 20)}${s[20] === '0' ? '1' : '0'}${s.slice(21)}`;
    expect(['AUTO_SCORE_UNTRUSTED_WITNESS', 'AUTO_SCORE_INVALID_SIGNATURE']).toContain(
      await code(verifyClaim(bad, [v], { now })),
    );
    const high = reclaimClaim(subject);
    const sig = hexToBytes(high.proof.signatures[0]!);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const sHigh = n - BigInt(`0x${bytesToHex(sig.subarray(32, 64))}`);
    sig.set(hexToBytes(sHigh.toString(16).padStart(64, '0')), 32);
    sig[64] = sig[64] === 27 ? 28 : 27;
    high.proof.signatures[0] = `0x${bytesToHex(sig)}`;
    expect(await code(verifyClaim(high, [v], { now }))).toBe('AUTO_SCORE_INVALID_SIGNATURE');
    expect(await code(verifyClaim(reclaimClaim(subject, { witnesses: [W3] }), [v], { now }))).toBe(
      'AUTO_SCORE_UNTRUSTED_WITNESS',
    );
    // r and s valid but the recovery bit flipped: recovery yields another key, so both paths refuse.
    const flipped = reclaimClaim(subject);
    const f = hexToBytes(flipped.proof.signatures[0]!);
    f[64] = f[64] === 27 ? 28 : 27;
    flipped.proof.signatures[0] = `0x${bytesToHex(f)}`;
    expect(await code(verifyClaim(flipped, [v], { now }))).toBe('AUTO_SCORE_UNTRUSTED_WITNESS');
    expect(await code(Promise.resolve().then(() => verifyReclaimProof(flipped.proof, opts)))).toBe(
      'AUTO_SCORE_UNTRUSTED_WITNESS',
    );
    const w2 = reclaimClaim(subject, { witnesses: [W2] });
    expect((await verifyClaim(w2, [v], { now })).factor).toBe('zktls-account');
    expect((await verifyClaim(w2, [v], { now })).factor).toBe('zktls-account');
  });

  it('accepts v in {0, 1} as well as {27, 28}', () => {
    const p = reclaimProof({ autoId: subject });
    const sig = p.signatures[0]!;
    const v = Number.parseInt(sig.slice(-2), 16) - 27;
    p.signatures[0] = sig.slice(0, -2) + v.toString(16).padStart(2, '0');
    expect(verifyReclaimProof(p, opts).witnesses).toEqual([W1.address]);
  });

  it('rejects a tampered signature', async () => {
    const p = reclaimProof({ autoId: subject });
    const s = p.signatures[0]!;
    p.signatures[0] = `${s.slice(0, 10)}${s[10] === '0' ? '1' : '0'}${s.slice(11)}`;
    expect(['AUTO_SCORE_UNTRUSTED_WITNESS', 'AUTO_SCORE_INVALID_SIGNATURE']).toContain(
      await sync(() => verifyReclaimProof(p, opts)),
    );
  });

  it('rejects a signature by an unconfigured witness', async () => {
    expect(await sync(() => verifyReclaimProof(reclaimProof({ witnesses: [W3] }), opts))).toBe(
      'AUTO_SCORE_UNTRUSTED_WITNESS',
    );
  });

  it('counts distinct witnesses for minWitnesses', async () => {
    const o2 = { ...opts, minWitnesses: 2 };
    expect(verifyReclaimProof(reclaimProof({ witnesses: [W1, W2] }), o2).witnesses.length).toBe(2);
    expect(await sync(() => verifyReclaimProof(reclaimProof({ witnesses: [W1, W1] }), o2))).toBe(
      'AUTO_SCORE_UNTRUSTED_WITNESS',
    );
    expect(await sync(() => verifyReclaimProof(reclaimProof({ witnesses: [W1, W3] }), o2))).toBe(
      'AUTO_SCORE_UNTRUSTED_WITNESS',
    );
  });

  it('rejects changed claim data (parameters, context, owner, timestamp) under the old signatures', async () => {
    for (const change of [
      (p: ReturnType<typeof reclaimProof>) => {
        p.claimData.parameters = p.claimData.parameters.replace('alice', 'mallory');
      },
      (p: ReturnType<typeof reclaimProof>) => {
        p.claimData.context = p.claimData.context.replace('alice', 'mallory');
      },
    ]) {
      const p = reclaimProof();
      change(p);
      expect(await sync(() => verifyReclaimProof(p, opts))).toBe('AUTO_SCORE_HASH_MISMATCH');
    }
    const p = reclaimProof();
    p.claimData.timestampS += 1;
    expect(await sync(() => verifyReclaimProof(p, opts))).toBe('AUTO_SCORE_UNTRUSTED_WITNESS');
    const q = reclaimProof();
    q.claimData.owner = '0x0000000000000000000000000000000000000001';
    expect(await sync(() => verifyReclaimProof(q, opts))).toBe('AUTO_SCORE_UNTRUSTED_WITNESS');
  });

  it('rejects wrong providers and claim types', async () => {
    const unknown = { ...GITHUB, providerHash: `0x${'11'.repeat(32)}` };
    expect(await sync(() => verifyReclaimProof(reclaimProof({ provider: unknown }), opts))).toBe(
      'AUTO_SCORE_WRONG_PROVIDER',
    );
    expect(await sync(() => verifyReclaimProof(reclaimProof({ claimType: 'GoogleEmail' }), opts))).toBe(
      'AUTO_SCORE_WRONG_PROVIDER',
    );
    expect(
      await sync(() =>
        verifyReclaimProof(reclaimProof({ provider: { ...GITHUB, provider: 'https' } }), opts),
      ),
    ).toBe('AUTO_SCORE_WRONG_PROVIDER');
    const c = reclaimClaim(subject);
    c.serviceId = 'GoogleEmail';
    expect(await code(verifyClaim(c, [reclaimVerifier(opts)], { now }))).toBe('AUTO_SCORE_WRONG_PROVIDER');
  });

  it('binds the proof to the claim subject', async () => {
    const c = reclaimClaim(subject, { autoId: other });
    expect(await code(verifyClaim(c, [reclaimVerifier(opts)], { now }))).toBe('AUTO_SCORE_SUBJECT_MISMATCH');
    const unbound = reclaimClaim(subject, { autoId: undefined });
    expect(await code(verifyClaim(unbound, [reclaimVerifier(opts)], { now }))).toBe(
      'AUTO_SCORE_SUBJECT_MISMATCH',
    );
    const legacy = reclaimVerifier({ ...opts, requireAutoIdBinding: false });
    expect((await verifyClaim(unbound, [legacy], { now })).factor).toBe('zktls-account');
  });

  it('rejects a claim whose nullifier or times are not the proof’s', async () => {
    const c = reclaimClaim(subject);
    c.nullifier = new Uint8Array(32);
    expect(await code(verifyClaim(c, [reclaimVerifier(opts)], { now }))).toBe(
      'AUTO_SCORE_NULLIFIER_MISMATCH',
    );
    const d = reclaimClaim(subject);
    d.issuedAt += 1000;
    expect(await code(verifyClaim(d, [reclaimVerifier(opts)], { now }))).toBe('AUTO_SCORE_MALFORMED_PROOF');
    const e = reclaimClaim(subject);
    e.expiresAt += 1;
    expect(await code(verifyClaim(e, [reclaimVerifier(opts)], { now }))).toBe('AUTO_SCORE_MALFORMED_PROOF');
    expect(
      await code(
        verifyClaim(reclaimClaim(subject), [reclaimVerifier(opts)], { now: now + 400 * 86_400_000 }),
      ),
    ).toBe('AUTO_SCORE_EXPIRED');
    expect(await code(verifyClaim(reclaimClaim(subject), [reclaimVerifier(opts)], { now: 1_000 }))).toBe(
      'AUTO_SCORE_EXPIRED',
    );
  });

  it('rejects oversized inputs and malformed proofs with typed errors', async () => {
    const p = reclaimProof();
    p.signatures = new Array(33).fill(p.signatures[0]);
    expect(await sync(() => verifyReclaimProof(p, opts))).toBe('AUTO_SCORE_OVERSIZED_INPUT');
    const q = reclaimProof();
    q.claimData.parameters = 'x'.repeat(40_000);
    expect(await sync(() => verifyReclaimProof(q, opts))).toBe('AUTO_SCORE_OVERSIZED_INPUT');
    const r = reclaimProof();
    r.signatures = ['0x1234'];
    expect(await sync(() => verifyReclaimProof(r, opts))).toBe('AUTO_SCORE_MALFORMED_PROOF');
    expect(await sync(() => verifyReclaimProof(null, opts))).toBe('AUTO_SCORE_MALFORMED_PROOF');
    expect(
      await code(verifyClaim({ ...reclaimClaim(subject), factor: 'fax' }, [reclaimVerifier(opts)], { now })),
    ).toBe('AUTO_SCORE_UNKNOWN_FACTOR');
  });

  it('fuzz: mutated proofs only ever throw AutoScoreError (or verify unchanged)', () => {
    const base = JSON.stringify(reclaimProof({ autoId: subject }));
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 32, max: 126 }), (at, ch) => {
        const text = base.slice(0, at) + String.fromCharCode(ch) + base.slice(at + 1);
        let proof: unknown;
        try {
          proof = JSON.parse(text);
        } catch {
          return;
        }
        try {
          verifyReclaimProof(proof, opts);
        } catch (e) {
          expect(e).toBeInstanceOf(AutoScoreError);
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), (x) => {
        try {
          verifyReclaimProof(x, opts);
        } catch (e) {
          expect(e).toBeInstanceOf(AutoScoreError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
