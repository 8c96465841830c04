import { equalBytes, PIECE_SIZE, sr25519PairFromSeed } from '@autonomys/primitives';
import { hex, thrownCode } from '@autonomys/test-utils';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DsnError,
  decodeCachedPieceByIndexResponse,
  decodePieceByIndexResponse,
  decodePieceRequest,
  decodeSegmentHeaderRequest,
  decodeSegmentHeaderResponse,
  decodeVarint,
  encodeCachedPieceByIndexResponse,
  encodePieceByIndexResponse,
  encodePieceRequest,
  encodeSegmentHeaderRequest,
  encodeSegmentHeaderResponse,
  encodeVarint,
  frame,
  keyDistance,
  multiaddrEndsWithPeer,
  peerIdOf,
  peerKeyFromFarmerSecret,
  pieceIndexFromKey,
  pieceKey,
  readFrame,
  sha256,
  sortPiecesByDistance,
  truncateCachedPieces,
} from '../src/index.js';

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const header = fc.record({
  segmentIndex: u64,
  segmentCommitment: fc.uint8Array({ minLength: 48, maxLength: 48 }),
  prevSegmentHeaderHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  lastArchivedBlock: fc.record({
    number: fc.integer({ min: 0, max: 0xffffffff }),
    archivedProgress: fc.oneof(
      fc.constant({ type: 'complete' as const }),
      fc.record({ type: fc.constant('partial' as const), bytes: fc.integer({ min: 0, max: 0xffffffff }) }),
    ),
  }),
});

describe('piece keys and distance (C.2)', () => {
  it('key bytes are 90 b2 ce 05 08 ‖ LE8(index)', () => {
    expect(pieceKey(0n)).toEqual(hex('90b2ce05080000000000000000'));
    expect(pieceKey(1n)).toEqual(hex('90b2ce05080100000000000000'));
    expect(pieceKey(0x0102030405060708n)).toEqual(hex('90b2ce05080807060504030201'));
    expect(pieceKey((1n << 64n) - 1n)).toEqual(hex('90b2ce0508ffffffffffffffff'));
    fc.assert(fc.property(u64, (i) => pieceIndexFromKey(pieceKey(i)) === i));
  });

  it('rejects bad indexes and keys', () => {
    expect(thrownCode(() => pieceKey(-1n), DsnError)).toBe('DSN_INVALID_ARGUMENT');
    expect(thrownCode(() => pieceKey(1n << 64n), DsnError)).toBe('DSN_INVALID_ARGUMENT');
    expect(thrownCode(() => pieceIndexFromKey(hex('90b2ce050801')), DsnError)).toBe('DSN_INVALID_MESSAGE');
    expect(thrownCode(() => pieceIndexFromKey(hex('12b2ce05080000000000000000')), DsnError)).toBe(
      'DSN_INVALID_MESSAGE',
    );
  });

  it('distance is XOR of SHA-256 hashes as a big-endian integer, and orders pieces', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const a = sha256(peer.toMultihash().bytes);
    const b = sha256(pieceKey(5n));
    const x = a.map((v, i) => v ^ (b[i] ?? 0));
    expect(keyDistance(peer, pieceKey(5n))).toBe(BigInt(`0x${Buffer.from(x).toString('hex')}`));
    expect(keyDistance(peer.toMultihash().bytes, pieceKey(5n))).toBe(keyDistance(peer, pieceKey(5n)));
    const sorted = sortPiecesByDistance(
      peer,
      Array.from({ length: 64 }, (_, i) => BigInt(i)),
    );
    const ds = sorted.map((i) => keyDistance(peer, pieceKey(i)));
    for (let i = 1; i < ds.length; i++) expect(ds[i - 1]! < ds[i]!).toBe(true);
    // Distance to itself in key space is zero; symmetric in its XOR form.
    expect(keyDistance(pieceKey(3n), pieceKey(3n))).toBe(0n);
  });

  it('derives the farmer identity from its sr25519 secret (first 32 bytes as the Ed25519 seed)', async () => {
    const pair = sr25519PairFromSeed(new Uint8Array(32).fill(1));
    const k1 = await peerKeyFromFarmerSecret(pair.secretKey);
    const k2 = await peerKeyFromFarmerSecret(pair.secretKey);
    expect(peerIdOf(k1).equals(peerIdOf(k2))).toBe(true);
    expect(k1.raw.subarray(0, 32)).toEqual(pair.secretKey.subarray(0, 32));
    expect(peerIdOf(k1).type).toBe('Ed25519');
  });
});

describe('varint framing (C.1)', () => {
  it('round-trips and rejects non-minimal or overlong varints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), (n) => {
        const b = encodeVarint(n);
        expect(decodeVarint(b)).toEqual({ value: n, length: b.length });
      }),
    );
    expect(encodeVarint(300)).toEqual(hex('ac02'));
    expect(decodeVarint(hex('80'))).toBeUndefined();
    expect(thrownCode(() => decodeVarint(hex('8000')), DsnError)).toBe('DSN_INVALID_MESSAGE');
    expect(thrownCode(() => decodeVarint(hex('ffffffffffffffffff01')), DsnError)).toBe('DSN_INVALID_MESSAGE');
  });

  it('reads one frame from any chunking, refuses oversize, truncation and trailing bytes', async () => {
    const src = (chunks: Uint8Array[]) =>
      (async function* () {
        yield* chunks;
      })();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 1, max: 50 }),
        async (payload, step) => {
          const f = frame(payload);
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < f.length; i += step) chunks.push(f.subarray(i, i + step));
          expect(await readFrame(src(chunks), 1000, 't')).toEqual(payload);
        },
      ),
    );
    expect(await readFrame(src([]), 10, 't')).toBeUndefined();
    await expect(readFrame(src([frame(new Uint8Array(11))]), 10, 't')).rejects.toMatchObject({
      code: 'DSN_MESSAGE_TOO_LARGE',
    });
    await expect(readFrame(src([hex('0501')]), 10, 't')).rejects.toMatchObject({
      code: 'DSN_INVALID_MESSAGE',
    });
    await expect(readFrame(src([hex('010102')]), 10, 't')).rejects.toMatchObject({
      code: 'DSN_INVALID_MESSAGE',
    });
    await expect(readFrame(src([hex('01')]), 10, 't')).rejects.toMatchObject({ code: 'DSN_INVALID_MESSAGE' });
  });
});

describe('request-response messages (C.3)', () => {
  it('piece requests round-trip; bytes are piece_index u64 ‖ Vec<u64>', () => {
    expect(encodePieceRequest({ pieceIndex: 1n, cachedPieces: [2n] })).toEqual(
      hex('0100000000000000040200000000000000'),
    );
    fc.assert(
      fc.property(u64, fc.array(u64, { maxLength: 200 }), (pieceIndex, cachedPieces) => {
        expect(decodePieceRequest(encodePieceRequest({ pieceIndex, cachedPieces }))).toEqual({
          pieceIndex,
          cachedPieces,
        });
      }),
    );
    expect(truncateCachedPieces(Array.from({ length: 300 }, (_, i) => BigInt(i)))).toHaveLength(128);
  });

  it('a network piece is Vec<u8> with prefix 82 01 40 00 and decodes only at exactly 1 048 672 bytes', () => {
    const piece = new Uint8Array(PIECE_SIZE).fill(3);
    const enc = encodePieceByIndexResponse({ piece, cachedPieces: [] });
    expect(enc.subarray(0, 5)).toEqual(hex('0182014000'));
    expect(enc.length).toBe(1 + 4 + PIECE_SIZE + 1);
    expect(equalBytes(decodePieceByIndexResponse(enc).piece ?? new Uint8Array(0), piece)).toBe(true);
    expect(encodePieceByIndexResponse({ piece: undefined, cachedPieces: [7n] })).toEqual(
      hex('00040700000000000000'),
    );
    // One byte short, one byte long (length prefix adjusted): refused.
    const short = new Uint8Array(1 + 4 + PIECE_SIZE - 1 + 1);
    short.set([1, 0x7e, 0x01, 0x40, 0x00]);
    expect(thrownCode(() => decodePieceByIndexResponse(short), DsnError)).toBe('DSN_INVALID_MESSAGE');
    const cached = encodeCachedPieceByIndexResponse({ result: { type: 'piece', piece }, cachedPieces: [1n] });
    expect(cached.subarray(0, 5)).toEqual(hex('0082014000'));
    const r = decodeCachedPieceByIndexResponse(cached).result;
    expect(r.type === 'piece' && equalBytes(r.piece, piece)).toBe(true);
  });

  it('piece responses round-trip (small piece size)', () => {
    const opts = { pieceSize: 64 };
    fc.assert(
      fc.property(
        fc.option(fc.uint8Array({ minLength: 64, maxLength: 64 }), { nil: undefined }),
        fc.array(u64, { maxLength: 20 }),
        (piece, cachedPieces) => {
          expect(
            decodePieceByIndexResponse(encodePieceByIndexResponse({ piece, cachedPieces }, opts), opts),
          ).toEqual({
            piece,
            cachedPieces,
          });
        },
      ),
    );
  });

  it('ClosestPeers round-trips; PeerId is SCALE multihash; addresses must end with /p2p/<peer>', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))),
    );
    const peers = ids.map((id, i) => ({
      peerId: id.toMultihash().bytes,
      addresses: [multiaddr(`/ip4/127.0.0.${i + 1}/tcp/${4000 + i}/p2p/${id}`).bytes],
    }));
    const res = { result: { type: 'closestPeers' as const, peers }, cachedPieces: [5n, 6n] };
    const enc = encodeCachedPieceByIndexResponse(res, { pieceSize: 64 });
    // tag 1, compact 3, then code u64 LE 0 (identity), size 36, digest.
    expect(enc.subarray(0, 11)).toEqual(hex('010c000000000000000024'));
    expect(decodeCachedPieceByIndexResponse(enc, { pieceSize: 64 })).toEqual(res);
    const id0 = ids[0]!;
    const wrong = multiaddr(`/ip4/127.0.0.1/tcp/1/p2p/${ids[1]}`).bytes;
    expect(multiaddrEndsWithPeer(wrong, id0.toMultihash().bytes)).toBe(false);
    expect(
      thrownCode(
        () =>
          encodeCachedPieceByIndexResponse(
            {
              result: {
                type: 'closestPeers',
                peers: [{ peerId: id0.toMultihash().bytes, addresses: [wrong] }],
              },
              cachedPieces: [],
            },
            { pieceSize: 64 },
          ),
        DsnError,
      ),
    ).toBe('DSN_INVALID_ARGUMENT');
    // The same bytes forged on the wire are refused by the decoder.
    const good = encodeCachedPieceByIndexResponse(
      {
        result: {
          type: 'closestPeers',
          peers: [
            {
              peerId: id0.toMultihash().bytes,
              addresses: [multiaddr(`/ip4/127.0.0.1/tcp/1/p2p/${id0}`).bytes],
            },
          ],
        },
        cachedPieces: [],
      },
      { pieceSize: 64 },
    );
    const forged = good.slice();
    forged[forged.length - 2] = (forged[forged.length - 2] ?? 0) ^ 1; // last digest byte of the address
    expect(thrownCode(() => decodeCachedPieceByIndexResponse(forged, { pieceSize: 64 }), DsnError)).toBe(
      'DSN_INVALID_MESSAGE',
    );
    // An empty list is refused both ways.
    expect(
      thrownCode(() => decodeCachedPieceByIndexResponse(hex('010000'), { pieceSize: 64 }), DsnError),
    ).toBe('DSN_INVALID_MESSAGE');
  });

  it('segment header requests and responses round-trip; > 1000 indexes refused', () => {
    expect(encodeSegmentHeaderRequest({ type: 'lastSegmentHeaders', limit: 2 })).toEqual(hex('0102000000'));
    fc.assert(
      fc.property(
        fc.array(u64, { maxLength: 50 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (segmentIndexes, limit) => {
          expect(
            decodeSegmentHeaderRequest(
              encodeSegmentHeaderRequest({ type: 'segmentIndexes', segmentIndexes }),
            ),
          ).toEqual({
            type: 'segmentIndexes',
            segmentIndexes,
          });
          expect(
            decodeSegmentHeaderRequest(encodeSegmentHeaderRequest({ type: 'lastSegmentHeaders', limit })),
          ).toEqual({
            type: 'lastSegmentHeaders',
            limit,
          });
        },
      ),
    );
    const many = encodeSegmentHeaderRequest({
      type: 'segmentIndexes',
      segmentIndexes: Array.from({ length: 1001 }, () => 0n),
    });
    expect(thrownCode(() => decodeSegmentHeaderRequest(many), DsnError)).toBe('DSN_INVALID_MESSAGE');
    fc.assert(
      fc.property(fc.array(header, { maxLength: 8 }), (segmentHeaders) => {
        expect(decodeSegmentHeaderResponse(encodeSegmentHeaderResponse({ segmentHeaders }))).toEqual({
          segmentHeaders,
        });
      }),
    );
  });

  it('fuzz: random bytes never crash a decoder (typed errors only)', () => {
    const decoders = [
      (b: Uint8Array) => decodePieceRequest(b),
      (b: Uint8Array) => decodePieceByIndexResponse(b, { pieceSize: 64 }),
      (b: Uint8Array) => decodePieceByIndexResponse(b),
      (b: Uint8Array) => decodeCachedPieceByIndexResponse(b, { pieceSize: 64 }),
      (b: Uint8Array) => decodeSegmentHeaderRequest(b),
      (b: Uint8Array) => decodeSegmentHeaderResponse(b),
    ];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        for (const d of decoders) {
          try {
            d(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DsnError);
          }
        }
      }),
      { numRuns: 2000 },
    );
    // Huge claimed lengths are refused before allocating.
    expect(thrownCode(() => decodePieceRequest(hex('0000000000000000fdffffff')), DsnError)).toBe(
      'DSN_INVALID_MESSAGE',
    );
    expect(thrownCode(() => decodeSegmentHeaderResponse(hex('feffffff')), DsnError)).toBe(
      'DSN_INVALID_MESSAGE',
    );
  });
});
