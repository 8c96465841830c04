import { bytesToHex } from '@autonomys/primitives';
import { loadVectors, VectorClaims } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import { CLAIM_TYPE_HASHES, claimTypeHash, claimTypeName, nullifier } from '../src/index.js';

interface IdentityVectors {
  auto_score_claim_hashes: { rule: string; values: Record<string, string> };
}

const v = loadVectors<IdentityVectors>('identity.json');
const names = Object.keys(v.auto_score_claim_hashes.values);
const claims = new VectorClaims(names);

describe('identity.json auto_score_claim_hashes (blake2b_256(utf8(name)), auto-sdk)', () => {
  it.each(names)('%s', (name) => {
    claims.claim(name);
    const expected = v.auto_score_claim_hashes.values[name]!;
    expect(`0x${bytesToHex(claimTypeHash(name))}`).toBe(expected);
    expect(CLAIM_TYPE_HASHES[name as keyof typeof CLAIM_TYPE_HASHES]).toBe(expected);
    expect(claimTypeName(expected.toUpperCase().replace('0X', '0x'))).toBe(name);
  });

  it('every auto-score vector was tested', () => expect(claims.unclaimed()).toEqual([]));
});

describe('nullifier = blake2b_256(utf8("<serviceId>:<subject id>"))', () => {
  // Expected values computed independently with Python's hashlib.blake2b(digest_size=32).
  it.each([
    ['GithubUsername', 'alice', '701d0d6e29a7d9403dc027fda084702e8797fa432789fcfc2bb0dab1cf57fed0'],
    ['icao9303', 'UTO:L898902C3', '49edbdb51f55ccb4cc1e5eb328eefc3df0cf26091babe6ef05ea2cd67334d6f5'],
    ['GoogleEmail', 'alice@example.com', '8e40a84a3c2865a2e46bd2c1781461470bc0bba53bc4856ba660729f6eb5cfcf'],
  ])('%s:%s', (service, subject, expected) => expect(bytesToHex(nullifier(service, subject))).toBe(expected));

  it('refuses empty parts', () => {
    expect(() => nullifier('', 'a')).toThrow(/AUTO_SCORE_INVALID_ARGUMENT/);
    expect(() => nullifier('a', '')).toThrow(/AUTO_SCORE_INVALID_ARGUMENT/);
  });
});
