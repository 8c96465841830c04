import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { base32 } from 'multiformats/bases/base32';
import { base58btc } from 'multiformats/bases/base58';
import { CID } from 'multiformats/cid';
import { create as createDigest } from 'multiformats/hashes/digest';
import { describe, expect, it } from 'vitest';
import {
  AutoIdError,
  base32Decode,
  base32Encode,
  base58Decode,
  base58Encode,
  base64urlDecode,
  base64urlEncode,
  canonicalize,
  cidFromDigest,
  cidToBase58,
  contentDigest,
  parseCid,
  rawCid,
} from '../src/index.js';

const hello = new TextEncoder().encode('hello');

describe('CIDs (anchored on the multiformats library)', () => {
  it('raw and dag-pb CIDv1 with BLAKE3 and SHA-256 match multiformats byte for byte and in text', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom('raw', 'dag-pb'),
        fc.constantFrom('blake3', 'sha2-256'),
        (digest, codec, hash) => {
          const ours = cidFromDigest(codec, hash, digest);
          const theirs = CID.create(
            1,
            codec === 'raw' ? 0x55 : 0x70,
            createDigest(hash === 'blake3' ? 0x1e : 0x12, digest),
          );
          expect(ours.bytes).toEqual(theirs.bytes);
          expect(ours.text).toBe(theirs.toString(base32));
          expect(cidToBase58(ours)).toBe(theirs.toString(base58btc));
          expect(parseCid(theirs.toString(base58btc)).bytes).toEqual(ours.bytes);
          expect(parseCid(ours.text)).toEqual(ours);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rawCid hashes the content (BLAKE3 default, the network's hash)", () => {
    const c = rawCid(hello);
    expect(c.codec).toBe('raw');
    expect(c.hash).toBe('blake3');
    expect(c.digest).toEqual(contentDigest('blake3', hello));
    expect(rawCid(hello, 'sha2-256').text).toBe(
      CID.create(1, 0x55, createDigest(0x12, contentDigest('sha2-256', hello))).toString(),
    );
  });

  it('rejects CIDv0, other codecs, other hashes, wrong lengths and bad text with AUTO_ID_INVALID_CID', () => {
    const d = new Uint8Array(32).fill(7);
    const v0 = CID.createV0(createDigest(0x12, d)).toString();
    const cbor = CID.create(1, 0x71, createDigest(0x12, d)).toString();
    const sha512 = CID.create(1, 0x55, createDigest(0x13, new Uint8Array(64))).toString();
    const good = cidFromDigest('raw', 'blake3', d).bytes;
    for (const bad of [
      v0,
      cbor,
      sha512,
      'mAXASIA',
      'b!!!',
      'bafy',
      '',
      good.subarray(0, 20),
      Uint8Array.of(...good, 0),
    ])
      expect(thrownCode(() => parseCid(bad as string), AutoIdError)).toBe('AUTO_ID_INVALID_CID');
  });

  it('fuzz: random bytes and strings never escape as anything but AUTO_ID_INVALID_CID', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.string({ maxLength: 80 })), (x) => {
        try {
          parseCid(x);
        } catch (e) {
          expect((e as { code?: string }).code).toBe('AUTO_ID_INVALID_CID');
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('text encodings', () => {
  it('base64url, base58btc and base32 round-trip and agree with multiformats', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        expect(base64urlDecode(base64urlEncode(b))).toEqual(b);
        expect(base58Decode(base58Encode(b))).toEqual(b);
        expect(base32Decode(base32Encode(b))).toEqual(b);
        expect(`z${base58Encode(b)}`).toBe(base58btc.encode(b));
        expect(`b${base32Encode(b)}`).toBe(base32.encode(b));
        expect(base64urlEncode(b)).toBe(Buffer.from(b).toString('base64url'));
      }),
      { numRuns: 300 },
    );
  });

  it('decoders refuse foreign alphabets and non-canonical tails', () => {
    expect(base64urlDecode('ab+/')).toBeUndefined();
    expect(base64urlDecode('AB==')).toBeUndefined();
    expect(base64urlDecode('AB')).toBeUndefined(); // stray bits
    expect(base58Decode('0OIl')).toBeUndefined();
    expect(base32Decode('ABC')).toBeUndefined();
    expect(base32Decode('a')).toBeUndefined();
  });

  it('JCS (RFC 8785): sorted members, no whitespace, ECMAScript numbers', () => {
    expect(canonicalize({ b: 1, a: [true, null, 'x'], c: { z: 1e21, y: 0.000001, x: -0 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"x":0,"y":0.000001,"z":1e+21}}',
    );
    // Members sort by UTF-16 code units (RFC 8785 §3.2.3).
    expect(canonicalize({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4, ö: 5 })).toBe(
      '{"\\r":2,"1":4,"ö":5,"€":1,"😀":3}',
    );
    expect(canonicalize({ u: 'line\nbreak "q" \u0001' })).toBe('{"u":"line\\nbreak \\"q\\" \\u0001"}');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1n, () => 1, new Date(0)])
      expect(() => canonicalize({ x: bad })).toThrow(TypeError);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => canonicalize(cyc)).toThrow(TypeError);
  });
});
