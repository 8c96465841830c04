/**
 * Signed provenance of stored files (issue #12): an Auto ID's provenance record over a file's root
 * CID (@autonomys/auto-id, `createProvenanceRecord`) published on chain next to the file, as one
 * more `system.remark`, so it is archived with the history and fetchable for as long as the file.
 *
 * The remark's bytes (our format, version 1; SCALE, field order = byte order):
 *
 *   magic         [u8; 30]       ASCII "autonomys/provenance-remark/v1"
 *   record        Vec<u8>        the auto-id provenance record (its own versioned format)
 *   certificates  Vec<Vec<u8>>   the signer's X.509 certificate chain, DER, signer first, root
 *                                last (at most {@link PROVENANCE_MAX_CERTIFICATES}, each at most
 *                                {@link PROVENANCE_MAX_CERTIFICATE_SIZE} bytes; may be empty)
 *
 * A node indexes these remarks by the record's CID when their block is archived
 * ({@link attachProvenanceIndexer}) and the gateway serves them as they are
 * (`GET /provenance/{cid}`); a reader verifies them itself ({@link verifyProvenanceRemark}), never
 * trusting the node: the record's signature against the carried certificates (self-certified),
 * and, given an Auto ID registry it trusts, the signer's registered chain and revocations.
 */
import {
  AutoIdRegistry,
  autoIdFromCertificate,
  cidFromDigest,
  decodeProvenanceRecord,
  didFromAutoId,
  encodeProvenanceRecord,
  extractTbs,
  type ProvenanceRecord,
  parseCertificate,
  parseCid,
  parseSignatureAlgorithm,
  registrationFromCertificate,
  verifyProvenanceRecord,
} from '@autonomys/auto-id';
import { blake3HashFromCid } from '@autonomys/dag';
import { blake3, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import type { ChainApi, ObjectsArchivedEvent } from '../consensus/api.js';
import { NodeError } from '../errors.js';
import type { Call } from '../runtime/extrinsic.js';
import { decodeExtrinsic } from '../runtime/extrinsic.js';
import type { ObjectIndex } from './object-index.js';

/** The first bytes of a provenance remark. */
export const PROVENANCE_REMARK_MAGIC = new TextEncoder().encode('autonomys/provenance-remark/v1');
/** Most certificates a provenance remark carries (signer and issuers). */
export const PROVENANCE_MAX_CERTIFICATES = 4;
/** Largest certificate a provenance remark carries, bytes. */
export const PROVENANCE_MAX_CERTIFICATE_SIZE = 8 * 1024;
/** Most provenance records the gateway returns for one CID. */
export const PROVENANCE_MAX_PER_CID = 64;

/** A decoded provenance remark. */
export interface ProvenanceRemark {
  record: ProvenanceRecord;
  /** The encoded record, as published. */
  recordBytes: Uint8Array;
  /** DER certificates, signer first. */
  certificates: Uint8Array[];
}

const malformed = (detail: string): never => {
  throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what: 'provenance remark', reason: detail });
};

/** Whether remark bytes start with the provenance magic (cheap; decoding may still fail). */
export function isProvenanceRemark(bytes: Uint8Array): boolean {
  if (bytes.length < PROVENANCE_REMARK_MAGIC.length) return false;
  for (let i = 0; i < PROVENANCE_REMARK_MAGIC.length; i++)
    if (bytes[i] !== PROVENANCE_REMARK_MAGIC[i]) return false;
  return true;
}

/**
 * The remark bytes for a record and its signer's certificates.
 * @example const remark = encodeProvenanceRemark(record, [signerCertDer]);
 */
export function encodeProvenanceRemark(
  record: ProvenanceRecord | Uint8Array,
  certificates: readonly Uint8Array[] = [],
): Uint8Array {
  const recordBytes = record instanceof Uint8Array ? record : encodeProvenanceRecord(record);
  decodeProvenanceRecord(recordBytes); // only a valid record goes on chain
  if (certificates.length > PROVENANCE_MAX_CERTIFICATES)
    malformed(`at most ${PROVENANCE_MAX_CERTIFICATES} certificates`);
  const w = new ScaleWriter(64 + recordBytes.length);
  w.bytes(PROVENANCE_REMARK_MAGIC).vecU8(recordBytes).compact(certificates.length);
  for (const c of certificates) {
    if (c.length > PROVENANCE_MAX_CERTIFICATE_SIZE) malformed('certificate too large');
    w.vecU8(c);
  }
  return w.finish();
}

/**
 * Decodes a provenance remark; throws NODE_INVALID_ARGUMENT (what: 'provenance remark') for
 * anything else (no magic, a record auto-id refuses, too many or too large certificates,
 * trailing bytes). Certificates are not parsed here (see {@link verifyProvenanceRemark}).
 */
export function decodeProvenanceRemark(bytes: Uint8Array): ProvenanceRemark {
  if (!isProvenanceRemark(bytes)) return malformed('no provenance magic');
  try {
    const r = new ScaleReader(bytes, 'ProvenanceRemark', PROVENANCE_REMARK_MAGIC.length);
    const recordBytes = r.vecU8('record');
    const n = r.compactU32('certificates');
    if (n > PROVENANCE_MAX_CERTIFICATES) malformed(`at most ${PROVENANCE_MAX_CERTIFICATES} certificates`);
    const certificates: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const c = r.vecU8('certificate');
      if (c.length > PROVENANCE_MAX_CERTIFICATE_SIZE) malformed('certificate too large');
      certificates.push(c);
    }
    r.finish();
    return { record: decodeProvenanceRecord(recordBytes), recordBytes, certificates };
  } catch (e) {
    if (e instanceof NodeError) throw e;
    return malformed(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The CID a provenance record names for a stored file: the file's Autonomys CID (`01 55 1f 20 ‖
 * digest`, ai3 §1.1) carries multihash 0x1f, which auto-id's CID parser does not accept (it takes
 * the multicodec table's BLAKE3, 0x1e); the record names the same head by the same BLAKE3 digest
 * as a raw CIDv1 with 0x1e. Any CID auto-id accepts is returned as it is.
 * @example provenanceCidOf('bafkr6i…') // 'bafkr4i…', the same digest
 */
export function provenanceCidOf(cid: string | Uint8Array): string {
  try {
    return parseCid(cid).text;
  } catch {
    return cidFromDigest('raw', 'blake3', blake3HashFromCid(cid)).text;
  }
}

/** The BLAKE3 digest a CID (a file's Autonomys CID or one auto-id accepts) names: the index key. */
export function provenanceCidKey(cid: string | Uint8Array): Uint8Array {
  return parseCid(provenanceCidOf(cid)).digest;
}

function remarksOf(call: Call, out: Uint8Array[], depth = 0): void {
  if (depth > 10) return;
  if (call.type === 'System.remark' || call.type === 'System.remark_with_event') out.push(call.remark);
  else if (
    call.type === 'Utility.batch' ||
    call.type === 'Utility.batch_all' ||
    call.type === 'Utility.force_batch'
  )
    for (const c of call.calls) remarksOf(c, out, depth + 1);
}

/**
 * Keeps the index's provenance entries (CID digest → provenance remark object hashes) up to date
 * from the chain: when a block's objects are archived, its provenance remarks that decode are
 * indexed under their record's CID (only once their object mapping exists, so the remark is
 * fetchable from the archived history). Returns the detach function.
 * @example const detach = attachProvenanceIndexer(chain, index);
 */
export function attachProvenanceIndexer(
  chain: Pick<ChainApi, 'on' | 'off' | 'getBlock'>,
  index: ObjectIndex,
  onError?: (e: unknown) => void,
): () => void {
  let queue = Promise.resolve();
  const onObjects = (e: ObjectsArchivedEvent) => {
    queue = queue
      .then(async () => {
        const block = await chain.getBlock(e.blockNumber);
        if (block === undefined) return;
        const remarks: Uint8Array[] = [];
        for (const x of block.extrinsics) {
          try {
            remarksOf(decodeExtrinsic(x).call, remarks);
          } catch {
            // not a call we read: it carries no remark we index
          }
        }
        const archived = new Set(e.objects.map((o) => Buffer.from(o.hash).toString('hex')));
        for (const remark of remarks) {
          if (!isProvenanceRemark(remark)) continue;
          const hash = blake3(remark);
          if (!archived.has(Buffer.from(hash).toString('hex'))) continue;
          let decoded: ProvenanceRemark;
          try {
            decoded = decodeProvenanceRemark(remark);
          } catch {
            continue; // anyone can post bytes with the magic: only valid remarks are indexed
          }
          index.putProvenance(decoded.record.cid.digest, hash);
        }
      })
      .catch((err) => onError?.(err));
  };
  chain.on('objectsArchived', onObjects);
  return () => chain.off('objectsArchived', onObjects);
}

/** What a reader learns from one provenance remark ({@link verifyProvenanceRemark}). */
export interface ProvenanceReport {
  /** The signer's Auto ID as a DID. */
  signer: string;
  /** The signer certificate's subject common name (as UTF-8), when a certificate is carried. */
  subject: string | undefined;
  /** The signing key: its scheme and the BLAKE3 of its SubjectPublicKeyInfo (hex, 16 bytes). */
  key: { algorithm: string; fingerprint: string } | undefined;
  /** The signer's claimed signing time (ms since the UNIX epoch). */
  timestamp: bigint;
  /** The signature verifies with the carried certificate, whose Auto ID is the record's signer. */
  selfCertified: boolean;
  /** The signer's chain checked in the given registry (undefined when no registry was given). */
  registered: boolean | undefined;
  /** True when the record is for this CID and verifies (in the registry, when one was given). */
  verified: boolean;
  /** Why not, when not verified (or why the registry check failed). */
  reasons: string[];
}

const why = (e: unknown) =>
  e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e);

/**
 * Verifies a provenance remark for `cid`, on the reader's side: the record must be for that CID;
 * its signature must verify with the carried certificate chain (registered in a scratch registry
 * at the record's time: "self-certified"), and, with `registry` (a registry the reader trusts, e.g.
 * `autonomys id`'s registry file), the signer's registered chain must be valid and unrevoked at
 * that time. Never throws for a bad remark: the report says why.
 * @example const report = await verifyProvenanceRemark(bytes, cid, { registry });
 */
export async function verifyProvenanceRemark(
  bytes: Uint8Array,
  cid: string,
  opts: { registry?: AutoIdRegistry; now?: number | bigint } = {},
): Promise<ProvenanceReport> {
  const reasons: string[] = [];
  let p: ProvenanceRemark;
  try {
    p = decodeProvenanceRemark(bytes);
  } catch (e) {
    return {
      signer: '',
      subject: undefined,
      key: undefined,
      timestamp: 0n,
      selfCertified: false,
      registered: opts.registry === undefined ? undefined : false,
      verified: false,
      reasons: [why(e)],
    };
  }
  const { record } = p;
  let forCid = false;
  try {
    forCid = Buffer.from(parseCid(provenanceCidOf(cid)).bytes).equals(Buffer.from(record.cid.bytes));
  } catch (e) {
    reasons.push(`bad CID: ${why(e)}`);
  }
  if (!forCid) reasons.push(`the record is for ${record.cid.text}, not ${cid} (${provenanceCidOf(cid)})`);
  let subject: string | undefined;
  let key: ProvenanceReport['key'];
  const signerCert = p.certificates[0];
  if (signerCert !== undefined) {
    try {
      const c = parseCertificate(signerCert);
      subject = new TextDecoder().decode(c.subjectCommonName);
      key = {
        algorithm: parseSignatureAlgorithm(record.signature.signatureAlgorithm).kind,
        fingerprint: Buffer.from(blake3(c.subjectPublicKeyInfo).subarray(0, 16)).toString('hex'),
      };
    } catch (e) {
      reasons.push(`signer certificate: ${why(e)}`);
    }
  }
  const verifyOpts = opts.now === undefined ? {} : { now: opts.now };
  // Self-certified: the carried chain, root last, registered at the record's time.
  let selfCertified = false;
  if (p.certificates.length === 0) reasons.push('no certificate carried');
  else {
    try {
      const scratch = new AutoIdRegistry();
      let issuer: Uint8Array | undefined;
      for (const der of [...p.certificates].reverse()) {
        extractTbs(der);
        issuer = await scratch.registerAutoId(registrationFromCertificate(der, issuer), {
          now: record.timestamp,
        });
      }
      if (issuer === undefined || !Buffer.from(issuer).equals(Buffer.from(record.signer)))
        throw new Error(
          `the carried certificate is Auto ID ${issuer && didFromAutoId(issuer)}, the record's signer ${didFromAutoId(record.signer)}`,
        );
      await verifyProvenanceRecord(record, { registry: scratch, ...verifyOpts });
      selfCertified = true;
    } catch (e) {
      reasons.push(`self-certified check: ${why(e)}`);
    }
  }
  let registered: boolean | undefined;
  if (opts.registry !== undefined) {
    try {
      await verifyProvenanceRecord(record, { registry: opts.registry, ...verifyOpts });
      registered = true;
    } catch (e) {
      registered = false;
      reasons.push(`registry check: ${why(e)}`);
    }
  }
  return {
    signer: didFromAutoId(record.signer),
    subject,
    key,
    timestamp: record.timestamp,
    selfCertified,
    registered,
    verified: forCid && (registered ?? selfCertified),
    reasons,
  };
}

/** The Auto ID of a certificate chain's first certificate (signer first, root last). */
export function autoIdOfChain(certificates: readonly Uint8Array[]): Uint8Array {
  let id: Uint8Array | undefined;
  for (const der of [...certificates].reverse()) id = autoIdFromCertificate(der, id);
  if (id === undefined) return malformed('no certificate');
  return id;
}
