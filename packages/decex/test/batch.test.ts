import { sr25519PairFromSeed, sr25519Sign, sr25519Verify } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AI3, BalancesRuntime, signBalancesExtrinsic, sr25519VerifyBatch, TrieState } from '../src/index.js';

const ctx = { context: 'batch-test' };
const keys = Array.from({ length: 6 }, (_, i) => sr25519PairFromSeed(new Uint8Array(32).fill(i + 1)));
const items = keys.map((k, i) => {
  const message = new Uint8Array(40).fill(i);
  return { message, publicKey: k.publicKey, signature: sr25519Sign(k.secretKey, k.publicKey, message, ctx) };
});

describe('sr25519VerifyBatch', () => {
  it('accepts a batch of valid signatures (and the empty batch)', () => {
    expect(sr25519VerifyBatch(items, ctx)).toBe(true);
    expect(sr25519VerifyBatch([], ctx)).toBe(true);
    expect(sr25519VerifyBatch(items.slice(0, 1), ctx)).toBe(true);
  });

  it('rejects a batch with any altered signature, message, key or context, as one-by-one does', () => {
    fc.assert(
      fc.property(
        fc.nat(items.length - 1),
        fc.constantFrom('signature', 'message', 'publicKey'),
        fc.nat(31),
        (i, field, byte) => {
          const bad = items.map((it) => ({ ...it }));
          const v = bad[i]![field].slice();
          v[byte]! ^= 1;
          bad[i]![field] = v;
          let single: boolean;
          try {
            single = sr25519Verify(bad[i]!.signature, bad[i]!.message, bad[i]!.publicKey, ctx);
          } catch {
            single = false;
          }
          expect(single).toBe(false);
          expect(sr25519VerifyBatch(bad, ctx)).toBe(false);
        },
      ),
      { numRuns: 20 },
    );
    expect(sr25519VerifyBatch(items, { context: 'other' })).toBe(false);
    expect(sr25519VerifyBatch([{ ...items[0]!, signature: new Uint8Array(10) }], ctx)).toBe(false);
  });

  it('BalancesRuntime.prepare caches batch results without changing verdicts', () => {
    const a = keys[0]!;
    const b = keys[1]!;
    const good = [1n, 2n, 3n].map((amount) =>
      signBalancesExtrinsic(a.secretKey, a.publicKey, 0, 1n, { type: 'Transfer', dest: b.publicKey, amount }),
    );
    const forged = good[1]!.slice();
    forged[forged.length - 1]! ^= 1;
    const rt = new BalancesRuntime();
    const plain = new BalancesRuntime();
    rt.prepare([...good, forged]);
    const state = () => TrieState.fromEntries(BalancesRuntime.genesis([[a.publicKey, 10n * AI3]]));
    const verdicts = [...good, forged].map((x) => rt.checkExtrinsic(state(), x));
    expect(verdicts).toEqual([true, true, true, false]);
    expect([...good, forged].map((x) => plain.checkExtrinsic(state(), x))).toEqual(verdicts);
  });
});
