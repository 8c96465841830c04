/** Every format we encode equals @polkadot/types' encoding of the same values, and decodes back. */
import { blake2AsU8a } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consensusLogItem,
  decodeConsensusLog,
  decodeDigest,
  decodeDigestItem,
  decodeHeader,
  decodeJustifications,
  decodePreDigest,
  decodeSubspaceJustification,
  encodeConsensusLog,
  encodeDigest,
  encodeDigestItem,
  encodeHeader,
  encodeJustifications,
  encodePreDigest,
  encodeSubspaceJustification,
  findSubspaceJustification,
  headerHash,
  PRE_DIGEST_SIZE,
  preDigestItem,
  SUBSPACE_ENGINE_ID,
  sealItem,
  subspaceJustification,
} from '../src/index.js';
import {
  arbConsensusLog,
  arbDigestItem,
  arbHeader,
  arbJustification,
  arbPreDigest,
  bytes,
  pdConsensusLog,
  pdDigestItem,
  pdHeader,
  pdHex,
  pdPreDigest,
  registry,
  toHex,
  toHex0x,
} from './arbitraries.js';

const runs = { numRuns: 60 };

describe('header', () => {
  it('encodes as @polkadot/types Header, hashes as its .hash, and round-trips', () =>
    fc.assert(
      fc.property(arbHeader, (h) => {
        const ours = encodeHeader(h);
        const theirs = pdHeader(h);
        expect(toHex(ours)).toBe(pdHex(theirs));
        expect(toHex(headerHash(h))).toBe(toHex(theirs.hash));
        expect(toHex(headerHash(h))).toBe(toHex(blake2AsU8a(ours, 256)));
        expect(decodeHeader(ours)).toEqual({ ...h, digest: h.digest.map((i) => ({ ...i })) });
        expect(decodeHeader(theirs.toU8a())).toEqual(decodeHeader(ours));
      }),
      runs,
    ));

  it('number is compact: 0 -> 00, 63 -> fc, 64 -> 0101, 2^32-1 -> 03ffffffff', () => {
    const base = {
      parentHash: new Uint8Array(32),
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: [],
    };
    for (const [n, hex] of [
      [0, '00'],
      [63, 'fc'],
      [64, '0101'],
      [0xffffffff, '03ffffffff'],
    ] as const) {
      expect(toHex(encodeHeader({ ...base, number: n }).subarray(32, 32 + hex.length / 2))).toBe(hex);
    }
  });

  it('inputs are not mutated', () => {
    fc.assert(
      fc.property(arbHeader, (h) => {
        const before = structuredClone(h);
        encodeHeader(h);
        headerHash(h);
        expect(h).toEqual(before);
      }),
      { numRuns: 20 },
    );
  });
});

describe('digest items', () => {
  it('encode as @polkadot/types DigestItem and round-trip', () =>
    fc.assert(
      fc.property(arbDigestItem, (item) => {
        const ours = encodeDigestItem(item);
        expect(toHex(ours)).toBe(pdHex(registry.createType('DigestItem', pdDigestItem(item))));
        expect(decodeDigestItem(ours)).toEqual(item);
      }),
      runs,
    ));

  it('a digest encodes as @polkadot/types Digest and round-trips', () =>
    fc.assert(
      fc.property(fc.array(arbDigestItem, { maxLength: 5 }), (items) => {
        const ours = encodeDigest(items);
        expect(toHex(ours)).toBe(pdHex(registry.createType('Digest', { logs: items.map(pdDigestItem) })));
        expect(decodeDigest(ours)).toEqual(items);
      }),
      runs,
    ));

  it('the B.2 wire prefixes: PreRuntime 06 SUB_ 1907, Seal 05 SUB_ 0101, Consensus 04 SUB_', () =>
    fc.assert(
      fc.property(arbPreDigest, bytes(64), (p, sig) => {
        const pre = encodeDigestItem(preDigestItem(p));
        expect(toHex(pre.subarray(0, 7))).toBe('06535542' + '5f1907');
        expect(pre.length).toBe(7 + PRE_DIGEST_SIZE);
        expect(toHex(encodeDigestItem(sealItem(sig)).subarray(0, 7))).toBe(
          '065355425f0101'.replace(/^06/, '05'),
        );
        const log = encodeDigestItem(consensusLogItem({ type: 'SolutionRange', solutionRange: 1n }));
        expect(toHex(log)).toBe('045355425f' + '24' + '01' + '0100000000000000');
      }),
      { numRuns: 10 },
    ));
});

describe('pre-digest', () => {
  it('is 454 bytes, encodes as @polkadot/types SubspacePreDigest and round-trips', () =>
    fc.assert(
      fc.property(arbPreDigest, (p) => {
        const ours = encodePreDigest(p);
        expect(ours.length).toBe(454);
        const theirs = pdPreDigest(p);
        expect(toHex(ours)).toBe(pdHex(theirs));
        expect(decodePreDigest(ours)).toEqual(p);
      }),
      runs,
    ));
});

describe('consensus logs', () => {
  it('encode as @polkadot/types SubspaceConsensusLog and round-trip', () =>
    fc.assert(
      fc.property(arbConsensusLog, (log) => {
        const ours = encodeConsensusLog(log);
        expect(toHex(ours)).toBe(pdHex(registry.createType('SubspaceConsensusLog', pdConsensusLog(log))));
        expect(decodeConsensusLog(ours)).toEqual(log);
      }),
      runs,
    ));

  it('payload lengths of B.2: 5, 9, 45, 9, 57, 2|10, 2|34', () => {
    const len = (l: Parameters<typeof encodeConsensusLog>[0]) => encodeConsensusLog(l).length;
    expect(len({ type: 'PotSlotIterations', slotIterations: 1 })).toBe(5);
    expect(len({ type: 'SolutionRange', solutionRange: 1n })).toBe(9);
    expect(
      len({ type: 'PotParametersChange', slot: 1n, slotIterations: 1, entropy: new Uint8Array(32) }),
    ).toBe(45);
    expect(len({ type: 'NextSolutionRange', solutionRange: 1n })).toBe(9);
    expect(len({ type: 'SegmentCommitment', segmentIndex: 1n, segmentCommitment: new Uint8Array(48) })).toBe(
      57,
    );
    expect(len({ type: 'EnableSolutionRangeAdjustmentAndOverride', solutionRange: undefined })).toBe(2);
    expect(len({ type: 'EnableSolutionRangeAdjustmentAndOverride', solutionRange: 1n })).toBe(10);
    expect(len({ type: 'RootPlotPublicKeyUpdate', publicKey: undefined })).toBe(2);
    expect(len({ type: 'RootPlotPublicKeyUpdate', publicKey: new Uint8Array(32) })).toBe(34);
  });
});

describe('justification', () => {
  it('encodes as @polkadot/types SubspaceJustification and round-trips', () =>
    fc.assert(
      fc.property(arbJustification, (j) => {
        const ours = encodeSubspaceJustification(j);
        const theirs = registry.createType('SubspaceJustification', { PotCheckpoints: j });
        expect(toHex(ours)).toBe(pdHex(theirs));
        expect(ours.length).toBe(1 + 16 + (j.checkpoints.length < 64 ? 1 : 2) + 128 * j.checkpoints.length);
        expect(decodeSubspaceJustification(ours)).toEqual(j);
      }),
      runs,
    ));

  it('Justifications encode as @polkadot/types Justifications; the SUB_ one is found among others', () =>
    fc.assert(
      fc.property(
        arbJustification,
        fc.array(fc.record({ engine: bytes(4), data: fc.uint8Array({ maxLength: 40 }) }), { maxLength: 3 }),
        (j, others) => {
          const list = [
            ...others.filter((o) => toHex(o.engine) !== toHex(SUBSPACE_ENGINE_ID)),
            subspaceJustification(j),
          ];
          const ours = encodeJustifications(list);
          const theirs = registry.createType(
            'Justifications',
            list.map((x) => [x.engine, toHex0x(x.data)]),
          );
          expect(toHex(ours)).toBe(pdHex(theirs));
          expect(decodeJustifications(ours)).toEqual(list);
          expect(findSubspaceJustification(decodeJustifications(ours))).toEqual(j);
        },
      ),
      runs,
    ));
});
