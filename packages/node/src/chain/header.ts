/**
 * The block header in Substrate's SCALE layout (pot-consensus-dsn B.2): `parent_hash` 32 ‖
 * `number` as compact u32 ‖ `state_root` 32 ‖ `extrinsics_root` 32 ‖ digest. The block hash is
 * BLAKE2-256 of the whole encoding, seal included; the pre-hash (what the seal signs) is the hash
 * of the header without its last digest item.
 */
import { ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { decoding, encoding, NodeError } from '../errors.js';
import { aarray, abytes, au32 } from './assert.js';
import { HASH_SIZE, SEAL_SIGNATURE_SIZE, SUBSPACE_ENGINE_ID } from './constants.js';
import { type DigestItem, isEngine, readDigest, writeDigest } from './digest.js';
import { blake2b256 } from './hash.js';

/** A consensus block header. */
export interface Header {
  readonly parentHash: Uint8Array;
  /** u32 block number (compact on the wire). */
  readonly number: number;
  readonly stateRoot: Uint8Array;
  readonly extrinsicsRoot: Uint8Array;
  readonly digest: readonly DigestItem[];
}

/** Appends a header (to embed it in a block). */
export function writeHeader(w: ScaleWriter, h: Header): void {
  abytes(h.parentHash, HASH_SIZE, 'parent hash');
  au32(h.number, 'block number');
  abytes(h.stateRoot, HASH_SIZE, 'state root');
  abytes(h.extrinsicsRoot, HASH_SIZE, 'extrinsics root');
  w.bytes(h.parentHash).compact(h.number).bytes(h.stateRoot).bytes(h.extrinsicsRoot);
  writeDigest(w, h.digest);
}

/** Reads a header. */
export function readHeader(r: ScaleReader): Header {
  const parentHash = r.fixed(HASH_SIZE, 'parent hash');
  const number = r.compactU32('block number');
  const stateRoot = r.fixed(HASH_SIZE, 'state root');
  const extrinsicsRoot = r.fixed(HASH_SIZE, 'extrinsics root');
  return { parentHash, number, stateRoot, extrinsicsRoot, digest: readDigest(r) };
}

/**
 * The SCALE encoding of a header.
 * @example encodeHeader({ parentHash, number: 1, stateRoot, extrinsicsRoot, digest: [] }) // 32 + 1 + 64 + 1 bytes
 */
export function encodeHeader(h: Header): Uint8Array {
  return encoding('header', () => {
    const w = new ScaleWriter(1024);
    writeHeader(w, h);
    return w.finish();
  });
}

/**
 * Decodes exactly one header; malformed bytes throw `NodeError` `NODE_MALFORMED`.
 * @example decodeHeader(encodeHeader(h)).number === h.number
 */
export function decodeHeader(bytes: Uint8Array): Header {
  abytes(bytes, undefined, 'header bytes');
  return decoding('header', () => {
    const r = new ScaleReader(bytes, 'header');
    const h = readHeader(r);
    r.finish();
    return h;
  });
}

/**
 * The block hash: BLAKE2-256 of the SCALE header, seal included.
 * @example headerHash(sealedHeader) // 32 bytes
 */
export function headerHash(h: Header): Uint8Array {
  return blake2b256(encodeHeader(h));
}

/** A sealed header split into the header the seal covers and the seal's signature. */
export interface UnsealedHeader {
  /** The header without its last digest item. */
  readonly header: Header;
  /** The 64-byte sr25519 signature of the seal. */
  readonly signature: Uint8Array;
}

/**
 * Pops the seal (B.4 step 4): the last digest item must be a `SUB_` seal of exactly 64 bytes.
 * Throws `NODE_UNSEALED` for an empty digest and `NODE_BAD_SEAL` otherwise.
 * @example const { header, signature } = unsealHeader(sealed)
 */
export function unsealHeader(h: Header): UnsealedHeader {
  aarray(h?.digest, 'header digest');
  const last = h.digest[h.digest.length - 1];
  if (last === undefined) throw new NodeError({ code: 'NODE_UNSEALED' });
  if (last.type !== 'Seal')
    throw new NodeError({ code: 'NODE_BAD_SEAL', reason: `last item is ${last.type}` });
  if (!isEngine(last.engine, SUBSPACE_ENGINE_ID))
    throw new NodeError({ code: 'NODE_BAD_SEAL', reason: 'seal of another engine' });
  if (last.data.length !== SEAL_SIGNATURE_SIZE)
    throw new NodeError({ code: 'NODE_BAD_SEAL', reason: `signature of ${last.data.length} bytes` });
  return { header: { ...h, digest: h.digest.slice(0, -1) }, signature: last.data };
}

/**
 * The pre-hash that the reward signature covers: BLAKE2-256 of the header without its seal. Pass an
 * unsealed header (one being authored); for a sealed one use `headerPreHash(unsealHeader(h).header)`.
 * @example sr25519Sign(sk, pk, headerPreHash(unsealed), { context: REWARD_SIGNING_CONTEXT })
 */
export function headerPreHash(unsealed: Header): Uint8Array {
  return headerHash(unsealed);
}
