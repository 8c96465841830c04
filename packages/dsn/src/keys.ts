/**
 * Piece keys, Kademlia distance and peer identities (C.1, C.2).
 */
import { createHash } from 'node:crypto';
import { abytes } from '@autonomys/primitives';
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { PIECE_KEY_MULTIHASH_CODE, PIECE_KEY_SIZE } from './constants.js';
import { DsnError } from './errors.js';
import { encodeVarint } from './varint.js';

const KEY_PREFIX = Uint8Array.of(...encodeVarint(PIECE_KEY_MULTIHASH_CODE), 8);

function assertPieceIndex(pieceIndex: bigint): void {
  if (typeof pieceIndex !== 'bigint' || pieceIndex < 0n || pieceIndex >= 1n << 64n) {
    throw new DsnError({
      code: 'DSN_INVALID_ARGUMENT',
      what: 'piece index',
      reason: 'expected a u64 bigint',
    });
  }
}

/**
 * The Kademlia key of a piece: multihash(code 0xb39910, LE_8(index)), 13 bytes.
 * @example pieceKey(1n) // 90 b2 ce 05 08 01 00 00 00 00 00 00 00
 */
export function pieceKey(pieceIndex: bigint): Uint8Array {
  assertPieceIndex(pieceIndex);
  const out = new Uint8Array(PIECE_KEY_SIZE);
  out.set(KEY_PREFIX);
  new DataView(out.buffer).setBigUint64(KEY_PREFIX.length, pieceIndex, true);
  return out;
}

/** The piece index of a piece key; anything else is `DSN_INVALID_MESSAGE`. */
export function pieceIndexFromKey(key: Uint8Array): bigint {
  abytes(key, undefined, 'piece key');
  if (key.length !== PIECE_KEY_SIZE || !KEY_PREFIX.every((b, i) => key[i] === b)) {
    throw new DsnError({
      code: 'DSN_INVALID_MESSAGE',
      what: 'piece key',
      reason: 'not a 0xb39910 multihash of 8 bytes',
    });
  }
  return new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(KEY_PREFIX.length, true);
}

/** SHA-256, the Kademlia key space of libp2p. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** The position of a peer in the key space: SHA-256 of its multihash bytes. */
export function peerKademliaKey(peer: PeerId | Uint8Array): Uint8Array {
  return sha256(peer instanceof Uint8Array ? peer : peer.toMultihash().bytes);
}

function toBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/**
 * Kademlia distance between a peer (or its multihash bytes) and a key (e.g. {@link pieceKey}):
 * XOR of their SHA-256 hashes as a 256-bit big-endian integer.
 * @example keyDistance(peerId, pieceKey(5n)) < keyDistance(peerId, pieceKey(6n))
 */
export function keyDistance(peer: PeerId | Uint8Array, key: Uint8Array): bigint {
  return toBig(peerKademliaKey(peer)) ^ toBig(sha256(key));
}

/** Distance of a piece to a peer, with the peer's hash computed once. */
export function pieceDistanceFrom(peer: PeerId | Uint8Array): (pieceIndex: bigint) => bigint {
  const p = toBig(peerKademliaKey(peer));
  return (pieceIndex) => p ^ toBig(sha256(pieceKey(pieceIndex)));
}

/** Piece indexes sorted nearest-first to `peer` (ties cannot happen: SHA-256 is injective in practice). */
export function sortPiecesByDistance(peer: PeerId | Uint8Array, pieceIndexes: Iterable<bigint>): bigint[] {
  const d = pieceDistanceFrom(peer);
  return [...pieceIndexes]
    .map((i) => [i, d(i)] as const)
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([i]) => i);
}

/**
 * The farmer's libp2p identity (C.1): the Ed25519 key whose seed is the first 32 bytes of its
 * sr25519 secret key in schnorrkel's ed25519 form (the 64 bytes `sr25519PairFromSeed` returns).
 * @example const key = await peerKeyFromFarmerSecret(sr25519PairFromSeed(seed).secretKey)
 */
export async function peerKeyFromFarmerSecret(sr25519SecretKey: Uint8Array): Promise<Ed25519PrivateKey> {
  abytes(sr25519SecretKey, 64, 'sr25519 secret key');
  return generateKeyPairFromSeed('Ed25519', sr25519SecretKey.slice(0, 32));
}

/** A peer id from an Ed25519 private key. */
export function peerIdOf(key: Ed25519PrivateKey): PeerId {
  return peerIdFromPrivateKey(key);
}
