/**
 * Autonomys CIDs (ai3 §1.1): CIDv1, codec raw 0x55, multihash 0x1f with the 32-byte BLAKE3 digest
 * of the encoded node, written in multibase base32 lower (`b…`, always starting `bafkr6i`).
 */
import { abytes, blake3, isBytes } from '@autonomys/primitives';
import {
  BLAKE3_DIGEST_SIZE,
  BLAKE3_MULTIHASH_CODE,
  CID_PREFIX,
  CID_SIZE,
  CID_VERSION,
  RAW_CODEC,
} from './constants.js';
import { DagError } from './errors.js';
import type { DagBlock } from './types.js';

/** A CID as its string, its binary form, or any object with `bytes` (e.g. a multiformats `CID`). */
export type CidInput = string | Uint8Array | { readonly bytes: Uint8Array };

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** RFC 4648 base32, lowercase, no padding. */
function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | bytes[i]!) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0)
      throw new DagError({ code: 'DAG_INVALID_CID', reason: `invalid base32 character at ${i + 1}` });
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (buffer >>> bits) & 0xff;
    }
  }
  // Canonical text only: a leftover of 5+ bits or non-zero padding bits means another byte string.
  if (bits >= 5 || (buffer & ((1 << bits) - 1)) !== 0)
    throw new DagError({ code: 'DAG_INVALID_CID', reason: 'non-canonical base32 ending' });
  return out;
}

function readVarint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 4; i++) {
    if (pos >= bytes.length) throw new DagError({ code: 'DAG_INVALID_CID', reason: 'truncated varint' });
    const b = bytes[pos++]!;
    value += (b & 0x7f) * mul;
    if (b < 0x80) return [value, pos];
    mul *= 128;
  }
  throw new DagError({ code: 'DAG_INVALID_CID', reason: 'varint too long' });
}

/**
 * Parses a binary CID and returns its BLAKE3 digest; throws DAG_UNSUPPORTED_CID for a valid CID of
 * another version, codec or hash function, DAG_INVALID_CID for bytes that are no CID.
 */
function digestOfBinaryCid(bytes: Uint8Array): Uint8Array {
  if (
    bytes.length === CID_SIZE &&
    bytes[0] === 1 &&
    bytes[1] === 0x55 &&
    bytes[2] === 0x1f &&
    bytes[3] === 32
  )
    return bytes.subarray(4);
  // CIDv0 is a bare sha2-256 multihash: 0x12 0x20 ‖ 32 bytes.
  if (bytes.length === 34 && bytes[0] === 0x12 && bytes[1] === 0x20)
    throw new DagError({ code: 'DAG_UNSUPPORTED_CID', field: 'version', value: 0, expected: CID_VERSION });
  const [version, p1] = readVarint(bytes, 0);
  if (version !== CID_VERSION)
    throw new DagError({
      code: 'DAG_UNSUPPORTED_CID',
      field: 'version',
      value: version,
      expected: CID_VERSION,
    });
  const [codec, p2] = readVarint(bytes, p1);
  const [hashCode, p3] = readVarint(bytes, p2);
  const [digestLength, pos] = readVarint(bytes, p3);
  if (bytes.length - pos !== digestLength)
    throw new DagError({
      code: 'DAG_INVALID_CID',
      reason: `digest length ${digestLength} but ${bytes.length - pos} bytes follow`,
    });
  if (codec !== RAW_CODEC)
    throw new DagError({ code: 'DAG_UNSUPPORTED_CID', field: 'codec', value: codec, expected: RAW_CODEC });
  if (hashCode !== BLAKE3_MULTIHASH_CODE)
    throw new DagError({
      code: 'DAG_UNSUPPORTED_CID',
      field: 'multihash',
      value: hashCode,
      expected: BLAKE3_MULTIHASH_CODE,
    });
  if (digestLength !== BLAKE3_DIGEST_SIZE)
    throw new DagError({ code: 'DAG_INVALID_CID', reason: `digest length ${digestLength}, expected 32` });
  // Reached only with non-minimal varints that still decode to the right values.
  throw new DagError({ code: 'DAG_INVALID_CID', reason: 'non-canonical varint' });
}

/**
 * The binary form (36 bytes) of an Autonomys CID given as a string, bytes or a CID object.
 * @example cidToBytes('bafkr6ia7ncnek2zfd2xuyly6envntaxax3r2krdq62qaz4ubfoajknnria').length // 36
 */
export function cidToBytes(cid: CidInput): Uint8Array {
  if (typeof cid === 'string') {
    if (cid.length === 0) throw new DagError({ code: 'DAG_INVALID_CID', reason: 'empty string' });
    if (cid[0] !== 'b') {
      if (cid.startsWith('Qm'))
        throw new DagError({
          code: 'DAG_UNSUPPORTED_CID',
          field: 'version',
          value: 0,
          expected: CID_VERSION,
        });
      throw new DagError({
        code: 'DAG_UNSUPPORTED_CID',
        field: 'multibase',
        value: cid[0]!,
        expected: 'b (base32 lower)',
      });
    }
    const bytes = base32Decode(cid.slice(1));
    digestOfBinaryCid(bytes);
    return bytes;
  }
  const bytes = isBytes(cid)
    ? cid
    : cid !== null && typeof cid === 'object' && isBytes((cid as { bytes?: unknown }).bytes)
      ? cid.bytes
      : undefined;
  if (bytes === undefined)
    throw new DagError({
      code: 'DAG_INVALID_ARGUMENT',
      what: 'cid',
      reason: 'expected a CID string, bytes or an object with bytes',
    });
  digestOfBinaryCid(bytes);
  return Uint8Array.from(bytes);
}

/**
 * The base32 string of an Autonomys CID given in any form (validated).
 * @example cidToString(cidFromBlake3Hash(new Uint8Array(32))).startsWith('bafkr6i') // true
 */
export function cidToString(cid: CidInput): string {
  if (typeof cid === 'string') {
    cidToBytes(cid);
    return cid;
  }
  return `b${base32Encode(cidToBytes(cid))}`;
}

/**
 * The BLAKE3 digest a CID names: the object hash used on chain and by the gateway.
 * @example bytesToHex(blake3HashFromCid(cid)) // 64 hex digits for GET /data/{hash}
 */
export function blake3HashFromCid(cid: CidInput): Uint8Array {
  return cidToBytes(cid).slice(4);
}

/**
 * The CID string of a 32-byte BLAKE3 digest.
 * @example cidFromBlake3Hash(blake3(nodeBytes))
 */
export function cidFromBlake3Hash(hash: Uint8Array): string {
  abytes(hash, BLAKE3_DIGEST_SIZE, 'hash');
  return `b${base32Encode(binaryCid(hash))}`;
}

/** `01 55 1f 20 ‖ hash` (no checks: internal). */
export function binaryCid(hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(CID_SIZE);
  out.set(CID_PREFIX, 0);
  out.set(hash, 4);
  return out;
}

/** The CID string of a binary CID already known to be valid (internal, no checks). */
export function binaryCidToString(bytes: Uint8Array): string {
  return `b${base32Encode(bytes)}`;
}

/**
 * Hashes encoded node bytes into a block: CID, digest and the bytes themselves.
 * @example blockOfNode(Uint8Array.of(0x0a, 0x00)).cid // 'bafkr6ia7ncnek2zfd2xuyly6envntaxax3r2krdq62qaz4ubfoajknnria'
 */
export function blockOfNode(bytes: Uint8Array): DagBlock {
  abytes(bytes, undefined, 'bytes');
  const hash = blake3(bytes);
  return { cid: cidFromBlake3Hash(hash), hash, bytes };
}

/**
 * Whether `bytes` hash to `cid`. Throws for a CID that is not an Autonomys CID.
 * @example verifyBlock(block.cid, block.bytes) // true
 */
export function verifyBlock(cid: CidInput, bytes: Uint8Array): boolean {
  const expected = cidToBytes(cid);
  abytes(bytes, undefined, 'bytes');
  const hash = blake3(bytes);
  for (let i = 0; i < BLAKE3_DIGEST_SIZE; i++) if (hash[i] !== expected[4 + i]) return false;
  return true;
}

/** Throws DAG_HASH_MISMATCH unless bytes hash to the CID; returns the digest. */
export function assertBlock(cid: string, bytes: Uint8Array): Uint8Array {
  const expected = cidToBytes(cid);
  const hash = blake3(bytes);
  for (let i = 0; i < BLAKE3_DIGEST_SIZE; i++)
    if (hash[i] !== expected[4 + i])
      throw new DagError({ code: 'DAG_HASH_MISMATCH', cid, actual: cidFromBlake3Hash(hash) });
  return hash;
}
