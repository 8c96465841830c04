/** Random and mutated bytes into every decoder: a value or a NodeError, never anything else. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
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
  extractSubspaceDigestItems,
  NodeError,
  subspaceJustification,
} from '../src/index.js';
import { arbConsensusLog, arbDigestItem, arbHeader, arbJustification, arbPreDigest } from './arbitraries.js';

function onlyNodeError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NodeError);
  }
}

/** Valid encodings with one byte changed, truncated, or extended, plus plain random bytes. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, i, v]) => {
      const c = b.slice();
      if (c.length > 0) c[i % c.length] = v;
      return c;
    }),
    fc.tuple(valid, fc.nat()).map(([b, n]) => b.subarray(0, n % (b.length + 1))),
    fc.tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([b, x]) => Uint8Array.of(...b, ...x)),
  );
}

const cases: [string, (b: Uint8Array) => unknown, fc.Arbitrary<Uint8Array>][] = [
  ['decodeHeader', (b) => extractOrNot(decodeHeader(b)), arbHeader.map(encodeHeader)],
  ['decodeDigestItem', decodeDigestItem, arbDigestItem.map(encodeDigestItem)],
  ['decodeDigest', decodeDigest, arbHeader.map((h) => encodeDigest(h.digest))],
  ['decodePreDigest', decodePreDigest, arbPreDigest.map(encodePreDigest)],
  ['decodeConsensusLog', decodeConsensusLog, arbConsensusLog.map(encodeConsensusLog)],
  [
    'decodeSubspaceJustification',
    decodeSubspaceJustification,
    arbJustification.map(encodeSubspaceJustification),
  ],
  [
    'decodeJustifications',
    decodeJustifications,
    arbJustification.map((j) => encodeJustifications([subspaceJustification(j)])),
  ],
];

/** A decoded header also goes through the Subspace extraction, which must fail with NodeError only. */
function extractOrNot(h: ReturnType<typeof decodeHeader>) {
  onlyNodeError(() => extractSubspaceDigestItems(h.digest));
  return h;
}

describe('fuzz', () => {
  it.each(cases)('%s: random and mutated bytes only ever throw NodeError', (_, decode, valid) =>
    fc.assert(
      fc.property(mutated(valid), (b) => onlyNodeError(() => decode(b))),
      { numRuns: 300 },
    ),
  );

  it('huge claimed counts fail without allocating', () => {
    expect(() => decodeDigest(Uint8Array.of(0x03, 0xff, 0xff, 0xff, 0xff))).toThrow(NodeError);
    expect(() =>
      decodeSubspaceJustification(Uint8Array.of(0, ...new Uint8Array(16), 0x03, 0xff, 0xff, 0xff, 0x3f)),
    ).toThrow(NodeError);
    expect(() => decodeJustifications(Uint8Array.of(0x03, 0xff, 0xff, 0xff, 0x3f))).toThrow(NodeError);
  });

  it('encoders reject out-of-layout values with NodeError', () => {
    const bad = [
      () => encodePreDigest({} as never),
      () => encodeConsensusLog({ type: 'SolutionRange', solutionRange: 2n ** 64n }),
      () => encodeConsensusLog({ type: 'PotSlotIterations', slotIterations: -1 }),
      () => encodeConsensusLog({ type: 'Nope' } as never),
      () => encodeDigestItem({ type: 'Seal', engine: new Uint8Array(3), data: new Uint8Array(0) }),
      () =>
        encodeHeader({
          parentHash: new Uint8Array(31),
          number: 0,
          stateRoot: new Uint8Array(32),
          extrinsicsRoot: new Uint8Array(32),
          digest: [],
        }),
      () =>
        encodeHeader({
          parentHash: new Uint8Array(32),
          number: 2 ** 32,
          stateRoot: new Uint8Array(32),
          extrinsicsRoot: new Uint8Array(32),
          digest: [],
        }),
      () => encodeSubspaceJustification({ seed: new Uint8Array(16), checkpoints: [new Uint8Array(127)] }),
    ];
    for (const f of bad) expect(f).toThrow(NodeError);
  });
});
