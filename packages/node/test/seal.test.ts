/** Sealing and verification (B.3 step 5, B.4 steps 4 and 6), and the digest extraction rules of B.2. */
import { REWARD_SIGNING_CONTEXT, sr25519PairFromSeed, sr25519Verify } from '@autonomys/primitives';
import { thrownCode } from '@autonomys/test-utils';
import { blake2AsU8a } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConsensusLog,
  consensusLogItem,
  type DigestItem,
  encodeHeader,
  extractSubspaceDigestItems,
  type Header,
  headerHash,
  headerPreHash,
  INITIAL_SOLUTION_RANGE,
  NodeError,
  type PreDigest,
  preDigestItem,
  SUBSPACE_ENGINE_ID,
  sealHeader,
  sealItem,
  unsealHeader,
  verifyHeaderSeal,
} from '../src/index.js';
import { arbPreDigest, pdHeader, toHex } from './arbitraries.js';

const pair = sr25519PairFromSeed(new Uint8Array(32).fill(7));
const preDigest: PreDigest = fc.sample(arbPreDigest, { numRuns: 1, seed: 1 })[0]!;
const claim: PreDigest = { ...preDigest, solution: { ...preDigest.solution, publicKey: pair.publicKey } };
const logs = (...l: ConsensusLog[]) => l.map(consensusLogItem);
const mandatory = logs(
  { type: 'SolutionRange', solutionRange: INITIAL_SOLUTION_RANGE },
  { type: 'PotSlotIterations', slotIterations: 100_000_000 },
);
const unsealed: Header = {
  parentHash: new Uint8Array(32).fill(1),
  number: 7,
  stateRoot: new Uint8Array(32).fill(2),
  extrinsicsRoot: new Uint8Array(32).fill(3),
  digest: [preDigestItem(claim), ...mandatory],
};
const random = new Uint8Array(32).fill(9);

describe('seal', () => {
  const sealed = sealHeader(unsealed, pair.secretKey, pair.publicKey, { random });

  it('a sealed header verifies; its pre-hash is BLAKE2-256 of the header without the seal', () => {
    expect(verifyHeaderSeal(sealed)).toBe(true);
    const { header, signature } = unsealHeader(sealed);
    expect(header).toEqual(unsealed);
    const preHash = blake2AsU8a(encodeHeader(unsealed), 256);
    expect(toHex(headerPreHash(header))).toBe(toHex(preHash));
    expect(sr25519Verify(signature, preHash, pair.publicKey, { context: REWARD_SIGNING_CONTEXT })).toBe(true);
    expect(sr25519Verify(signature, preHash, pair.publicKey, { context: 'substrate' })).toBe(false);
    // The block hash covers the seal and equals @polkadot/types' header hash.
    expect(toHex(headerHash(sealed))).toBe(toHex(pdHeader(sealed).hash));
    expect(toHex(headerHash(sealed))).not.toBe(toHex(preHash));
  });

  it('every tampered field fails verification', () => {
    const flip = (b: Uint8Array, i = 0) => b.map((x, j) => (j === i ? x ^ 1 : x));
    const variants: Header[] = [
      { ...sealed, parentHash: flip(sealed.parentHash) },
      { ...sealed, number: 8 },
      { ...sealed, stateRoot: flip(sealed.stateRoot, 31) },
      { ...sealed, extrinsicsRoot: flip(sealed.extrinsicsRoot) },
      {
        ...sealed,
        digest: [
          sealed.digest[0]!,
          ...logs({ type: 'SolutionRange', solutionRange: 1n }),
          ...sealed.digest.slice(2),
        ],
      },
      { ...sealed, digest: [preDigestItem({ ...claim, slot: claim.slot ^ 1n }), ...sealed.digest.slice(1)] },
      {
        ...sealed,
        digest: [...sealed.digest.slice(0, -1), sealItem(flip(unsealHeader(sealed).signature, 5))],
      },
    ];
    for (const v of variants) expect(verifyHeaderSeal(v)).toBe(false);
  });

  it('a seal by another key than the solution key fails', () => {
    const other = sr25519PairFromSeed(new Uint8Array(32).fill(8));
    expect(verifyHeaderSeal(sealHeader(unsealed, other.secretKey, other.publicKey))).toBe(false);
  });

  it('a signature that is not a schnorrkel signature at all is false, not a crash', () => {
    const bad = new Uint8Array(64).fill(0xff);
    expect(verifyHeaderSeal({ ...unsealed, digest: [...unsealed.digest, sealItem(bad)] })).toBe(false);
  });

  it('unsealed and badly sealed headers are typed errors', () => {
    expect(thrownCode(() => verifyHeaderSeal({ ...unsealed, digest: [] }), NodeError)).toBe('NODE_UNSEALED');
    expect(thrownCode(() => verifyHeaderSeal(unsealed), NodeError)).toBe('NODE_BAD_SEAL');
    const seal = sealed.digest.at(-1)! as Extract<DigestItem, { engine: Uint8Array }>;
    const withSeal = (item: DigestItem) => ({ ...unsealed, digest: [...unsealed.digest, item] });
    expect(
      thrownCode(() => unsealHeader(withSeal({ ...seal, engine: Uint8Array.of(1, 2, 3, 4) })), NodeError),
    ).toBe('NODE_BAD_SEAL');
    expect(
      thrownCode(() => unsealHeader(withSeal({ ...seal, data: seal.data.subarray(1) })), NodeError),
    ).toBe('NODE_BAD_SEAL');
    // The seal must be last.
    const early = { ...unsealed, digest: [seal, ...unsealed.digest] };
    expect(thrownCode(() => verifyHeaderSeal(early), NodeError)).toBe('NODE_BAD_SEAL');
  });
});

describe('extractSubspaceDigestItems', () => {
  const base = [preDigestItem(claim), ...mandatory];

  it('reads every item and ignores other engines, Other and RuntimeEnvironmentUpdated', () => {
    const foreign: DigestItem = {
      type: 'Consensus',
      engine: Uint8Array.of(1, 2, 3, 4),
      data: Uint8Array.of(0xff),
    };
    const items = extractSubspaceDigestItems([
      ...base,
      foreign,
      { type: 'PreRuntime', engine: Uint8Array.of(0x61, 0x75, 0x72, 0x61), data: new Uint8Array(3) },
      { type: 'Other', data: Uint8Array.of(1) },
      { type: 'RuntimeEnvironmentUpdated' },
      ...logs(
        { type: 'PotParametersChange', slot: 9n, slotIterations: 5, entropy: new Uint8Array(32).fill(4) },
        { type: 'NextSolutionRange', solutionRange: 5n },
        { type: 'SegmentCommitment', segmentIndex: 3n, segmentCommitment: new Uint8Array(48).fill(3) },
        { type: 'SegmentCommitment', segmentIndex: 4n, segmentCommitment: new Uint8Array(48).fill(4) },
        { type: 'EnableSolutionRangeAdjustmentAndOverride', solutionRange: undefined },
        { type: 'RootPlotPublicKeyUpdate', publicKey: pair.publicKey },
      ),
      sealItem(new Uint8Array(64)),
    ]);
    expect(items.preDigest).toEqual(claim);
    expect(items.solutionRange).toBe(INITIAL_SOLUTION_RANGE);
    expect(items.potSlotIterations).toBe(100_000_000);
    expect(items.potParametersChange).toEqual({
      slot: 9n,
      slotIterations: 5,
      entropy: new Uint8Array(32).fill(4),
    });
    expect(items.nextSolutionRange).toBe(5n);
    expect([...items.segmentCommitments.keys()]).toEqual([3n, 4n]);
    expect(items.enableSolutionRangeAdjustmentAndOverride).toEqual({ solutionRange: undefined });
    expect(items.rootPlotPublicKeyUpdate).toEqual({ publicKey: pair.publicKey });
    expect(items.signature).toEqual(new Uint8Array(64));
    const minimal = extractSubspaceDigestItems(base);
    expect(minimal.signature).toBeUndefined();
    expect(minimal.nextSolutionRange).toBeUndefined();
    expect(minimal.rootPlotPublicKeyUpdate).toBeUndefined();
  });

  it('missing mandatory items', () => {
    const code = (d: DigestItem[]) => thrownCode(() => extractSubspaceDigestItems(d), NodeError);
    expect(code(mandatory)).toBe('NODE_DIGEST_MISSING_ITEM');
    expect(code([base[0]!, base[1]!])).toBe('NODE_DIGEST_MISSING_ITEM');
    expect(code([base[0]!, base[2]!])).toBe('NODE_DIGEST_MISSING_ITEM');
  });

  it('duplicates of single-valued items and repeated segment indexes', () => {
    const code = (...extra: DigestItem[]) =>
      thrownCode(() => extractSubspaceDigestItems([...base, ...extra]), NodeError);
    expect(code(base[0]!)).toBe('NODE_DIGEST_DUPLICATE_ITEM');
    expect(code(base[1]!)).toBe('NODE_DIGEST_DUPLICATE_ITEM');
    expect(code(base[2]!)).toBe('NODE_DIGEST_DUPLICATE_ITEM');
    expect(code(sealItem(new Uint8Array(64)), sealItem(new Uint8Array(64)))).toBe(
      'NODE_DIGEST_DUPLICATE_ITEM',
    );
    for (const l of [
      { type: 'NextSolutionRange', solutionRange: 1n },
      { type: 'PotParametersChange', slot: 1n, slotIterations: 1, entropy: new Uint8Array(32) },
      { type: 'EnableSolutionRangeAdjustmentAndOverride', solutionRange: 1n },
      { type: 'RootPlotPublicKeyUpdate', publicKey: undefined },
    ] as ConsensusLog[]) {
      expect(code(consensusLogItem(l), consensusLogItem(l))).toBe('NODE_DIGEST_DUPLICATE_ITEM');
    }
    const seg = consensusLogItem({
      type: 'SegmentCommitment',
      segmentIndex: 1n,
      segmentCommitment: new Uint8Array(48),
    });
    expect(code(seg, seg)).toBe('NODE_DIGEST_DUPLICATE_SEGMENT_COMMITMENT');
  });

  it('a SUB_ item that does not decode is an error; another engine with the same bytes is ignored', () => {
    const code = (item: DigestItem) =>
      thrownCode(() => extractSubspaceDigestItems([...base, item]), NodeError);
    expect(code({ type: 'Consensus', engine: SUBSPACE_ENGINE_ID, data: Uint8Array.of(7) })).toBe(
      'NODE_MALFORMED',
    );
    expect(code({ type: 'Consensus', engine: SUBSPACE_ENGINE_ID, data: Uint8Array.of(1, 0) })).toBe(
      'NODE_MALFORMED',
    );
    expect(code({ type: 'Seal', engine: SUBSPACE_ENGINE_ID, data: new Uint8Array(63) })).toBe(
      'NODE_BAD_SEAL',
    );
    const pre = preDigestItem(claim) as Extract<DigestItem, { engine: Uint8Array }>;
    const trailing = { ...pre, data: Uint8Array.of(...pre.data, 0) };
    expect(thrownCode(() => extractSubspaceDigestItems([trailing, ...mandatory]), NodeError)).toBe(
      'NODE_MALFORMED',
    );
    expect(
      extractSubspaceDigestItems([
        ...base,
        { type: 'Consensus', engine: Uint8Array.of(0x53, 0x55, 0x42, 0), data: Uint8Array.of(7) },
      ]).solutionRange,
    ).toBe(INITIAL_SOLUTION_RANGE);
  });
});
