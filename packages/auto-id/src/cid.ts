/**
 * The content identifiers provenance records sign: multiformats CIDv1 with the `raw` (0x55) or
 * `dag-pb` (0x70) codec and a BLAKE3 (0x1e) or SHA-256 (0x12) multihash of 32 bytes. Binary form
 * `varint(1) ‖ varint(codec) ‖ varint(hash code) ‖ varint(32) ‖ digest`; text form multibase
 * base32 (`b…`, the default of IPFS tools) or base58btc (`z…`). CIDv0 (`Qm…`) is not accepted.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes } from './assert.js';
import {
  base32Decode,
  base32Encode,
  base58Decode,
  base58Encode,
  decodeVarint,
  encodeVarint,
} from './encoding.js';
import { fail } from './errors.js';

/** Multicodec codes of the CIDs this package signs. */
export const CID_CODECS = { raw: 0x55, 'dag-pb': 0x70 } as const;
/** Multihash codes of the digests this package accepts (both 32 bytes). */
export const CID_HASHES = { blake3: 0x1e, 'sha2-256': 0x12 } as const;
/** Digest length of both accepted multihashes. */
export const CID_DIGEST_SIZE = 32;
/** Longest binary CID accepted (the fixed fields take 4 bytes; the rest is the 32-byte digest). */
export const CID_MAX_SIZE = 36;

export type CidCodec = keyof typeof CID_CODECS;
export type CidHash = keyof typeof CID_HASHES;

/** A parsed CIDv1. */
export interface ContentId {
  codec: CidCodec;
  hash: CidHash;
  digest: Uint8Array;
  /** The binary CID. */
  bytes: Uint8Array;
  /** Multibase base32 text (`b…`). */
  text: string;
}

const invalid = (reason: string): never => fail({ code: 'AUTO_ID_INVALID_CID', reason });

/**
 * Parses a CIDv1 from its bytes or its multibase text (`b…` base32, `z…` base58btc).
 *
 * @example
 * parseCid('bafkr4i…').hash // 'blake3'
 */
export function parseCid(cid: Uint8Array | string): ContentId {
  let bytes: Uint8Array | undefined;
  if (typeof cid === 'string') {
    if (cid.startsWith('Qm')) return invalid('CIDv0 is not accepted: use CIDv1');
    if (cid.length > 2 * CID_MAX_SIZE + 1) return invalid('text too long');
    if (cid[0] === 'b') bytes = base32Decode(cid.slice(1));
    else if (cid[0] === 'z') bytes = base58Decode(cid.slice(1));
    else return invalid('expected multibase base32 (b…) or base58btc (z…)');
    if (!bytes) return invalid('bad multibase text');
  } else {
    abytes(cid, 'cid');
    bytes = cid;
  }
  if (bytes.length > CID_MAX_SIZE) return invalid('too long');
  const version = decodeVarint(bytes, 0);
  if (version?.[0] !== 1) return invalid('not a CIDv1');
  const codec = decodeVarint(bytes, version[1]);
  if (!codec) return invalid('truncated codec');
  const codecName = (Object.keys(CID_CODECS) as CidCodec[]).find((k) => CID_CODECS[k] === codec[0]);
  if (!codecName) return invalid(`unsupported codec 0x${codec[0].toString(16)}`);
  const hash = decodeVarint(bytes, codec[1]);
  if (!hash) return invalid('truncated multihash');
  const hashName = (Object.keys(CID_HASHES) as CidHash[]).find((k) => CID_HASHES[k] === hash[0]);
  if (!hashName) return invalid(`unsupported multihash 0x${hash[0].toString(16)}`);
  const len = decodeVarint(bytes, hash[1]);
  if (!len || len[0] !== CID_DIGEST_SIZE) return invalid('digest length is not 32');
  if (bytes.length !== len[1] + CID_DIGEST_SIZE) return invalid('digest length does not match');
  const copy = bytes.slice();
  return {
    codec: codecName,
    hash: hashName,
    digest: copy.slice(len[1]),
    bytes: copy,
    text: `b${base32Encode(copy)}`,
  };
}

/**
 * The CIDv1 of a digest already computed (e.g. a DAG root's).
 * @example cidFromDigest('dag-pb', 'blake3', rootHash).text
 */
export function cidFromDigest(codec: CidCodec, hash: CidHash, digest: Uint8Array): ContentId {
  abytes(digest, 'digest', CID_DIGEST_SIZE);
  const c = CID_CODECS[codec];
  const h = CID_HASHES[hash];
  if (c === undefined) return invalid(`unsupported codec ${String(codec)}`);
  if (h === undefined) return invalid(`unsupported multihash ${String(hash)}`);
  const head = [encodeVarint(1), encodeVarint(c), encodeVarint(h), encodeVarint(CID_DIGEST_SIZE)];
  const bytes = new Uint8Array(head.reduce((n, p) => n + p.length, 0) + CID_DIGEST_SIZE);
  let o = 0;
  for (const p of head) {
    bytes.set(p, o);
    o += p.length;
  }
  bytes.set(digest, o);
  return parseCid(bytes);
}

/** The digest of `content` under a multihash function. */
export function contentDigest(hash: CidHash, content: Uint8Array): Uint8Array {
  abytes(content, 'content');
  if (hash === 'blake3') return blake3(content);
  if (hash === 'sha2-256') return sha256(content);
  return invalid(`unsupported multihash ${String(hash)}`);
}

/**
 * The `raw` CIDv1 of some bytes (BLAKE3 by default, the network's hash; or SHA-256).
 * @example rawCid(new TextEncoder().encode('hello')).text // 'bafkr4i…'
 */
export function rawCid(content: Uint8Array, hash: CidHash = 'blake3'): ContentId {
  return cidFromDigest('raw', hash, contentDigest(hash, content));
}

/** The base58btc text of a CID (`z…`). @example cidToBase58(parseCid(text)) */
export const cidToBase58 = (cid: ContentId): string => `z${base58Encode(cid.bytes)}`;
