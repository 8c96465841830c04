/**
 * Signed content provenance (our design; identity.md §3: the whitepaper names the feature, no
 * format). A provenance record says "Auto ID `signer` vouched for content `cid` at `timestamp`".
 *
 * Byte format, version 1 (SCALE, field order = byte order):
 *
 *   version     u8            = 1
 *   cid         Vec<u8>       compact length ‖ binary CIDv1 (raw or dag-pb; BLAKE3 or SHA-256; ≤ 36 bytes)
 *   signer      [u8; 32]      the signer's Auto ID
 *   timestamp   u64 LE        ms since the UNIX epoch, the signer's claim
 *   signature   Signature     the pallet's `Signature`: Vec<u8> AlgorithmIdentifier DER ‖ Vec<u8> value
 *
 * The signature covers `"autonomys/auto-id/provenance/v1" (31 ASCII bytes) ‖ the record's bytes up
 * to and without the signature`, made and checked exactly like the pallet's signatures (any
 * algorithm it accepts; ECDSA values are DER). A record with an Ed25519 key and a 36-byte CID is
 * 1 + 1 + 36 + 32 + 8 + (1 + 7) + (2 + 64) = 152 bytes (RSA-2048: 352).
 */
import { bytesToHex, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { abytes, au64 } from './assert.js';
import { signData } from './certificates.js';
import { type ContentId, contentDigest, parseCid, rawCid } from './cid.js';
import { IDENTIFIER_SIZE } from './constants.js';
import { autoIdFromDid, didFromAutoId } from './did.js';
import { base64urlDecode, base64urlEncode } from './encoding.js';
import { AutoIdError, fail, invalidArgument } from './errors.js';
import type { AutoIdRegistry, ChainLink } from './registry.js';
import { verifyX509Signature } from './signature.js';
import { checkChain } from './trust.js';
import type { Identifier, Signature } from './types.js';

/** The record format version this package writes and reads. */
export const PROVENANCE_VERSION = 1;
/** The domain separation prefix of the signed message. */
export const PROVENANCE_DOMAIN = 'autonomys/auto-id/provenance/v1';
/** Largest AlgorithmIdentifier accepted in a record. */
export const PROVENANCE_MAX_ALGORITHM = 256;
/** Largest signature value accepted (RSA-8192). */
export const PROVENANCE_MAX_SIGNATURE = 1024;

/** A provenance record. */
export interface ProvenanceRecord {
  version: 1;
  cid: ContentId;
  signer: Identifier;
  /** ms since the UNIX epoch. */
  timestamp: bigint;
  signature: Signature;
}

/** The record as JSON (CID text, DID, ISO time and ms, base64url signature parts). */
export interface ProvenanceRecordJson {
  version: 1;
  cid: string;
  signer: string;
  timestamp: string;
  signatureAlgorithm: string;
  signature: string;
}

const bad = (reason: string): never => fail({ code: 'AUTO_ID_INVALID_PROVENANCE', reason });
const DOMAIN = new TextEncoder().encode(PROVENANCE_DOMAIN);

function unsignedBytes(cid: Uint8Array, signer: Identifier, timestamp: bigint): Uint8Array {
  const w = new ScaleWriter(96);
  w.u8(PROVENANCE_VERSION).vecU8(cid).bytes(signer).u64(timestamp);
  return w.finish();
}

/** The exact bytes a record's signature covers (domain prefix ‖ unsigned record). */
export function provenanceSigningPayload(
  record: Pick<ProvenanceRecord, 'cid' | 'signer' | 'timestamp'>,
): Uint8Array {
  abytes(record.signer, 'signer', IDENTIFIER_SIZE);
  const body = unsignedBytes(record.cid.bytes, record.signer, au64(record.timestamp, 'timestamp'));
  const out = new Uint8Array(DOMAIN.length + body.length);
  out.set(DOMAIN);
  out.set(body, DOMAIN.length);
  return out;
}

/**
 * Signs content (or a CID) with an Auto ID's private key. Give `content` (its `raw` CID is
 * computed, BLAKE3 unless `hash: 'sha2-256'`) or `cid` (any accepted CIDv1, e.g. a dag-pb root).
 *
 * @example
 * const record = await createProvenanceRecord({ content: bytes, signer: { id: aliceId, privateKey } });
 * const wire = encodeProvenanceRecord(record);
 */
export async function createProvenanceRecord(opts: {
  signer: { id: Identifier; privateKey: CryptoKey };
  content?: Uint8Array;
  cid?: ContentId | Uint8Array | string;
  hash?: 'blake3' | 'sha2-256';
  timestamp?: Date | bigint | number;
}): Promise<ProvenanceRecord> {
  abytes(opts.signer?.id, 'signer.id', IDENTIFIER_SIZE);
  if ((opts.content === undefined) === (opts.cid === undefined))
    invalidArgument('content', 'give exactly one of content and cid');
  const cid =
    opts.cid !== undefined
      ? typeof opts.cid === 'string' || opts.cid instanceof Uint8Array
        ? parseCid(opts.cid)
        : parseCid(opts.cid.bytes)
      : rawCid(opts.content!, opts.hash ?? 'blake3');
  const t = opts.timestamp ?? new Date();
  const timestamp = au64(t instanceof Date ? t.getTime() : t, 'timestamp');
  const signer = opts.signer.id.slice();
  const signature = await signData(
    opts.signer.privateKey,
    provenanceSigningPayload({ cid, signer, timestamp }),
  );
  return { version: 1, cid, signer, timestamp, signature };
}

/** The record's bytes (format above). @example encodeProvenanceRecord(record).length // 152 for Ed25519 */
export function encodeProvenanceRecord(record: ProvenanceRecord): Uint8Array {
  if (typeof record !== 'object' || record === null || !(record.cid?.bytes instanceof Uint8Array))
    invalidArgument('record', 'expected a ProvenanceRecord');
  abytes(record.signer, 'signer', IDENTIFIER_SIZE);
  abytes(record.signature?.signatureAlgorithm, 'signature.signatureAlgorithm');
  abytes(record.signature?.value, 'signature.value');
  const body = unsignedBytes(record.cid.bytes, record.signer, au64(record.timestamp, 'timestamp'));
  const w = new ScaleWriter(body.length + record.signature.value.length + 32);
  w.bytes(body).vecU8(record.signature.signatureAlgorithm).vecU8(record.signature.value);
  return w.finish();
}

/**
 * Decodes a record's bytes; throws AUTO_ID_INVALID_PROVENANCE for anything else (other versions,
 * bad CIDs, oversized fields, trailing bytes).
 *
 * @example const record = decodeProvenanceRecord(wire);
 */
export function decodeProvenanceRecord(bytes: Uint8Array): ProvenanceRecord {
  abytes(bytes, 'bytes');
  try {
    const r = new ScaleReader(bytes, 'ProvenanceRecord');
    const version = r.u8('version');
    if (version !== PROVENANCE_VERSION) bad(`unknown version ${version}`);
    const cidBytes = r.vecU8('cid');
    const signer = r.fixed(IDENTIFIER_SIZE, 'signer');
    const timestamp = r.u64('timestamp');
    const signatureAlgorithm = r.vecU8('signature_algorithm');
    const value = r.vecU8('signature');
    r.finish();
    if (signatureAlgorithm.length > PROVENANCE_MAX_ALGORITHM) bad('signature algorithm too long');
    if (value.length > PROVENANCE_MAX_SIGNATURE) bad('signature too long');
    let cid: ContentId;
    try {
      cid = parseCid(cidBytes);
    } catch (e) {
      return bad(`cid: ${(e as Error).message}`);
    }
    return { version: 1, cid, signer, timestamp, signature: { signatureAlgorithm, value } };
  } catch (e) {
    if (e instanceof AutoIdError) throw e;
    return bad((e as Error).message);
  }
}

/** A record as JSON. @example JSON.stringify(provenanceRecordToJson(record)) */
export function provenanceRecordToJson(record: ProvenanceRecord): ProvenanceRecordJson {
  return {
    version: 1,
    cid: record.cid.text,
    signer: didFromAutoId(record.signer),
    timestamp: record.timestamp.toString(),
    signatureAlgorithm: base64urlEncode(record.signature.signatureAlgorithm),
    signature: base64urlEncode(record.signature.value),
  };
}

/** Reads the JSON form back (strictly). @example provenanceRecordFromJson(JSON.parse(text)) */
export function provenanceRecordFromJson(json: unknown): ProvenanceRecord {
  if (typeof json !== 'object' || json === null) return bad('expected an object');
  const j = json as Record<string, unknown>;
  if (j.version !== 1) return bad(`unknown version ${String(j.version)}`);
  for (const k of ['cid', 'signer', 'timestamp', 'signatureAlgorithm', 'signature'])
    if (typeof j[k] !== 'string') bad(`${k} must be a string`);
  if (!/^\d{1,20}$/.test(j.timestamp as string)) bad('timestamp must be decimal ms');
  const timestamp = BigInt(j.timestamp as string);
  if (timestamp >= 1n << 64n) bad('timestamp out of range');
  const signatureAlgorithm = base64urlDecode(j.signatureAlgorithm as string);
  const value = base64urlDecode(j.signature as string);
  if (!signatureAlgorithm || !value) return bad('signature parts must be base64url');
  let cid: ContentId;
  let signer: Identifier;
  try {
    cid = parseCid(j.cid as string);
    signer = autoIdFromDid(j.signer as string);
  } catch (e) {
    return bad((e as Error).message);
  }
  const record: ProvenanceRecord = {
    version: 1,
    cid,
    signer,
    timestamp,
    signature: { signatureAlgorithm, value },
  };
  return decodeProvenanceRecord(encodeProvenanceRecord(record)); // same limits as the bytes
}

/** What {@link verifyProvenanceRecord} returns. */
export interface VerifiedProvenance {
  record: ProvenanceRecord;
  signer: Identifier;
  /** The signer's chain, the signer first and its root last. */
  chain: ChainLink[];
}

/**
 * Verifies a record (object or bytes) against a registry. The rule (ours):
 *  1. with `content`, its digest must equal the CID's (raw CIDs only; a dag-pb root is the DAG
 *     builder's to recompute);
 *  2. the time judged is `trustedTime` when given (e.g. the block time that anchored the record),
 *     else the record's own timestamp; it must not be after `now` (+ `maxClockSkewMs`, default 5 min);
 *  3. the signer's chain resolves in the registry (a deactivated identity keeps its last
 *     certificate for this), every certificate's `notAfter` is at or after that time, and no link
 *     was revoked or deactivated at or before that time (revocations with no known time count
 *     as always); so a renewal never invalidates older records, a revocation invalidates records
 *     from its time on;
 *  4. the signature verifies with the key of the signer's current certificate (renewals keep it).
 * Throws AUTO_ID_INVALID_PROVENANCE, AUTO_ID_INVALID_PROOF, AUTO_ID_REVOKED, AUTO_ID_NOT_VALID_AT,
 * AUTO_ID_UNRESOLVED_IDENTITY.
 *
 * @example const { signer } = await verifyProvenanceRecord(wire, { registry, content: bytes });
 */
export async function verifyProvenanceRecord(
  record: ProvenanceRecord | Uint8Array,
  opts: {
    registry: AutoIdRegistry;
    content?: Uint8Array;
    now?: bigint | number;
    trustedTime?: bigint | number;
    maxClockSkewMs?: number;
  },
): Promise<VerifiedProvenance> {
  const r =
    record instanceof Uint8Array
      ? decodeProvenanceRecord(record)
      : decodeProvenanceRecord(encodeProvenanceRecord(record));
  if (opts.content !== undefined) {
    if (r.cid.codec !== 'raw')
      invalidArgument(
        'content',
        'only a raw CID can be recomputed from content; check a dag-pb root with the DAG builder',
      );
    const digest = contentDigest(r.cid.hash, opts.content);
    if (bytesToHex(digest) !== bytesToHex(r.cid.digest))
      fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'content does not match the CID' });
  }
  const now = au64(opts.now ?? Date.now(), 'now');
  const at = opts.trustedTime === undefined ? r.timestamp : au64(opts.trustedTime, 'trustedTime');
  const skew = BigInt(opts.maxClockSkewMs ?? 300_000);
  if (at > now + skew)
    fail({
      code: 'AUTO_ID_NOT_VALID_AT',
      what: 'provenance record',
      reason: `signed at ${at} ms, after now ${now} ms`,
    });
  const chain = checkChain(opts.registry, r.signer, { at, signedBefore: true });
  let ok = false;
  try {
    ok = await verifyX509Signature(
      chain[0]!.certificate.subjectPublicKeyInfo,
      r.signature.signatureAlgorithm,
      provenanceSigningPayload(r),
      r.signature.value,
    );
  } catch (e) {
    if (!(e instanceof AutoIdError)) throw e;
    fail({ code: 'AUTO_ID_INVALID_PROOF', reason: e.message });
  }
  if (!ok) fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'provenance signature does not verify' });
  return { record: r, signer: r.signer, chain };
}
