import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BlockObject,
  bytesToHex,
  decodeBlockObjectMapping,
  decodeGlobalObjectMapping,
  encodeBlockObjectMapping,
  encodeGlobalObjectMapping,
  type GlobalObject,
  PrimitivesError,
} from '../src/index.js';
import { registry } from './polkadot-oracle.js';

const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
const arbBlockObject: fc.Arbitrary<BlockObject> = fc.record({
  hash,
  offset: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});
const arbGlobalObject: fc.Arbitrary<GlobalObject> = fc.record({
  hash,
  pieceIndex: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  offset: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});

registry.register({
  BlockObject: { hash: '[u8; 32]', offset: 'u32' },
  BlockObjectMappingV0: { objects: 'Vec<BlockObject>' },
  BlockObjectMapping: { _enum: { V0: 'BlockObjectMappingV0' } },
  GlobalObject: { hash: '[u8; 32]', pieceIndex: 'u64', offset: 'u32' },
  GlobalObjectMappingV0: { objects: 'Vec<GlobalObject>' },
  GlobalObjectMapping: { _enum: { V0: 'GlobalObjectMappingV0' } },
});

describe('object mappings (archiving §3.7)', () => {
  it('BlockObjectMapping encodes as @polkadot/types does and round-trips', () =>
    fc.assert(
      fc.property(fc.array(arbBlockObject, { maxLength: 5 }), (objects) => {
        const enc = encodeBlockObjectMapping(objects);
        expect(bytesToHex(enc)).toBe(
          registry.createType('BlockObjectMapping', { V0: { objects } }).toHex().slice(2),
        );
        expect(decodeBlockObjectMapping(enc)).toEqual(objects);
      }),
      { numRuns: 50 },
    ));
  it('GlobalObjectMapping encodes as @polkadot/types does and round-trips', () =>
    fc.assert(
      fc.property(fc.array(arbGlobalObject, { maxLength: 5 }), (objects) => {
        const enc = encodeGlobalObjectMapping(objects);
        expect(bytesToHex(enc)).toBe(
          registry.createType('GlobalObjectMapping', { V0: { objects } }).toHex().slice(2),
        );
        expect(decodeGlobalObjectMapping(enc)).toEqual(objects);
      }),
      { numRuns: 50 },
    ));
  it('fuzz: random bytes only ever throw PrimitivesError', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        for (const decode of [decodeBlockObjectMapping, decodeGlobalObjectMapping]) {
          try {
            decode(b);
          } catch (e) {
            expect(e).toBeInstanceOf(PrimitivesError);
          }
        }
      }),
    ));
  it('rejects a count larger than the input', () => {
    expect(() => decodeBlockObjectMapping(Uint8Array.from([0, 0xfd, 0xff]))).toThrow(PrimitivesError);
    expect(() => encodeBlockObjectMapping([{ hash: new Uint8Array(31), offset: 0 }])).toThrow(
      PrimitivesError,
    );
  });
});
