import { Kzg, poly } from '@autonomys/kzg';
import { loadVectors, thrownCode, VectorClaims } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import { ErasureError, extend, extendColumns, extendCommitments, recover } from '../src/index.js';
import { codeword, params, scalars, shardsOf, toHex } from './helpers.js';

type Vector = { id: string; expect: Record<string, unknown> };
const file = loadVectors<{ literal_vectors: Vector[] }>('archiving.json');
const limits = file.literal_vectors.find((v) => v.id === 'erasure_coding.limits');
if (limits === undefined) throw new Error('erasure_coding.limits is missing from archiving.json');
const claims = new VectorClaims(Object.keys(limits.expect));
const expected = (key: string): unknown => limits.expect[claims.claim(key)];

// crates/subspace-erasure-coding/src/tests.rs, at scale 8 (the results are the same at scale 16).
describe('erasure_coding.limits', () => {
  it('scale8_shards: 128 source values extend to a 256-shard codeword', () => {
    const source = scalars(128);
    const parity = extend(source);
    const word = codeword(source);
    expect(word.length / 32).toBe(expected('scale8_shards'));
    expect(parity.length / 32 + source.length / 32).toBe(256);
    const interleaved = new Uint8Array(256 * 32);
    for (let k = 0; k < 128; k++) {
      interleaved.set(source.subarray(32 * k, 32 * k + 32), 64 * k);
      interleaved.set(parity.subarray(32 * k, 32 * k + 32), 64 * k + 32);
    }
    expect(toHex(interleaved)).toBe(toHex(word));
  });

  it('extend_len_255_is_error', () => {
    expect(expected('extend_len_255_is_error')).toBe(true);
    expect(thrownCode(() => extend(scalars(255)), ErasureError)).toBe('ERASURE_NOT_POWER_OF_TWO');
  });

  it('recover_len_255_is_error', () => {
    expect(expected('recover_len_255_is_error')).toBe(true);
    const shards = shardsOf(codeword(scalars(128)), () => false).slice(0, 255);
    expect(thrownCode(() => recover(shards), ErasureError)).toBe('ERASURE_NOT_POWER_OF_TWO');
  });

  it('recover_with_127_of_256_present_is_error', () => {
    expect(expected('recover_with_127_of_256_present_is_error')).toBe(true);
    const shards = shardsOf(codeword(scalars(128)), (i) => i >= 127); // 127 present, 129 missing
    expect(thrownCode(() => recover(shards), ErasureError)).toBe('ERASURE_TOO_MANY_MISSING');
    try {
      recover(shards);
    } catch (e) {
      expect((e as ErasureError).type).toEqual({
        code: 'ERASURE_TOO_MANY_MISSING',
        missing: 129,
        shards: 256,
        maxMissing: 128,
      });
    }
  });

  it('recover_with_128_of_256_present_ok', () => {
    expect(expected('recover_with_128_of_256_present_ok')).toBe(true);
    const word = codeword(scalars(128));
    expect(toHex(recover(shardsOf(word, (i) => i >= 128)))).toBe(toHex(word));
    expect(toHex(recover(shardsOf(word, (i) => i % 3 === 0 && i < 3 * 128)))).toBe(toHex(word));
  });

  it('extend_commitments_even_positions_equal_source', () => {
    expect(expected('extend_commitments_even_positions_equal_source')).toBe(true);
    const kzg = new Kzg(params(16));
    const records = Array.from({ length: 4 }, (_, k) => scalars(16, k + 1));
    const commitments = records.map((r) => kzg.commit(poly(r)));
    const all = extendCommitments(commitments);
    expect(all).toHaveLength(8);
    for (let k = 0; k < 4; k++) expect(toHex(all[2 * k]!)).toBe(toHex(commitments[k]!));
    // ...and the odd positions commit to the parity records (archiving §3.5 step 3).
    const parity = extendColumns(records);
    for (let k = 0; k < 4; k++) expect(toHex(all[2 * k + 1]!)).toBe(toHex(kzg.commit(poly(parity[k]!))));
  });

  it('claims every key of the vector', () => {
    expect(claims.unclaimed()).toEqual([]);
  });
});
