/**
 * e-passport factor: ICAO 9303 passive authentication (Doc 9303 part 10 and 11, RFC 5652).
 *
 *  1. EF.SOD (`77 L` around a CMS ContentInfo) holds SignedData over an LDSSecurityObject
 *     (eContentType 2.23.136.1.1.1) with the hash of every data group.
 *  2. The SignerInfo's signed attributes must carry contentType = ldsSecurityObject and
 *     messageDigest = hash(eContent); the document signer (DSC, inside the SOD) signs the DER of
 *     those attributes re-tagged as a SET.
 *  3. The DSC must be issued by a trusted country signing CA: its issuer name equals the CSCA's
 *     subject name byte for byte and its signature verifies with the CSCA key; both valid at `now`.
 *  4. Each data group presented must hash to the value in the LDSSecurityObject; DG1 (the MRZ) is
 *     required and its check digits must hold.
 *
 * Signatures are verified by @autonomys/auto-id's `verifyX509Signature` (RSA PKCS#1 v1.5 and PSS
 * 2048-8192 bits, ECDSA P-256/P-384, Ed25519); brainpool curves and others are refused with
 * `AUTO_SCORE_UNSUPPORTED_ALGORITHM`. Passive authentication is not zero-knowledge: the verifier
 * reads DG1 in full; only what the holder asked to disclose leaves it (see {@link PassportDisclosure}).
 * It also does not prove chip possession (active / chip authentication would): a copied data set
 * verifies, which is why the nullifier registry matters.
 */
import {
  AutoIdError,
  parseCertificate,
  parsePublicKeyInfo,
  parseSignatureAlgorithm,
  verifyX509Signature,
} from '@autonomys/auto-id';
import { bytesToHex } from '@autonomys/primitives';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { type Claim, nullifier } from './claims.js';
import {
  DEFAULT_SERVICE_IDS,
  MAX_DATA_GROUP,
  MAX_PROOF_BYTES,
  MAX_SOD_CERTIFICATES,
  OID,
} from './constants.js';
import { body, ctx, type Der, encAlg, expect, kids, kidsN, oid, read, smallInt, T, whole } from './der.js';
import { AutoScoreError, invalidArgument, malformed, oversized, unsupported } from './errors.js';
import { ageAt, decodeDg1, type Mrz, mrzDate } from './mrz.js';
import { auint, equal } from './util.js';
import type { ClaimVerifier, Evidence, VerifyContext } from './verifier.js';

type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';
const HASHES: Record<string, { name: HashName; fn: (b: Uint8Array) => Uint8Array }> = {
  [OID.sha1]: { name: 'SHA-1', fn: sha1 },
  [OID.sha224]: { name: 'SHA-224', fn: sha224 },
  [OID.sha256]: { name: 'SHA-256', fn: sha256 },
  [OID.sha384]: { name: 'SHA-384', fn: sha384 },
  [OID.sha512]: { name: 'SHA-512', fn: sha512 },
};
const RSA_WITH: Partial<Record<HashName, string>> = {
  'SHA-1': OID.sha1WithRSAEncryption,
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};
const ECDSA_WITH: Partial<Record<HashName, string>> = {
  'SHA-1': OID.ecdsaWithSha1,
  'SHA-256': OID.ecdsaWithSha256,
  'SHA-384': OID.ecdsaWithSha384,
  'SHA-512': OID.ecdsaWithSha512,
};

/** The parts of an EF.SOD that passive authentication uses. */
export interface SecurityObject {
  /** The LDSSecurityObject's hash algorithm and the data-group hashes. */
  dataGroupHashAlgorithm: HashName;
  dataGroupHashes: Map<number, Uint8Array>;
  /** The eContent (DER LDSSecurityObject) and the SignerInfo's pieces. */
  eContent: Uint8Array;
  digestAlgorithm: HashName;
  signedAttributes: Uint8Array;
  messageDigest: Uint8Array;
  signingTime: number | undefined;
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
  /** How the signer is named: issuer DN + serial, or subject key identifier. */
  signer: { issuer: Uint8Array; serial: Uint8Array } | { subjectKeyIdentifier: Uint8Array };
  /** Certificates carried in the SOD (the document signer). */
  certificates: Uint8Array[];
}

function hashOf(b: Uint8Array, e: Der, what: string) {
  const alg = expect(b, e.start, e.end, T.SEQUENCE, what);
  const k = kidsN(b, alg, 1, 2, what);
  const id = oid(b, k[0]!, what);
  const h = HASHES[id];
  if (h === undefined) return unsupported(what, id);
  return h;
}

/** Parses EF.SOD (with or without its `77` application tag). Throws `AUTO_SCORE_MALFORMED_PROOF`. */
export function parseSod(sod: Uint8Array): SecurityObject {
  if (!(sod instanceof Uint8Array)) invalidArgument('sod', 'expected Uint8Array');
  if (sod.length > MAX_PROOF_BYTES) oversized('sod', sod.length, MAX_PROOF_BYTES);
  let top = read(sod, 0, sod.length, 'EF.SOD');
  if (top.end !== sod.length) malformed('EF.SOD', 'trailing bytes');
  if (top.tag === 0x77) top = expect(sod, top.contentStart, top.end, T.SEQUENCE, 'ContentInfo');
  else if (top.tag !== T.SEQUENCE) malformed('EF.SOD', 'expected tag 0x77 or a ContentInfo');
  const ci = kidsN(sod, top, 2, 2, 'ContentInfo');
  if (oid(sod, ci[0]!, 'contentType') !== OID.signedData) malformed('ContentInfo', 'not SignedData');
  if (ci[1]!.tag !== ctx(0)) malformed('ContentInfo', 'expected [0] content');
  const sdSeq = expect(sod, ci[1]!.contentStart, ci[1]!.end, T.SEQUENCE, 'SignedData');
  const sd = kids(sod, sdSeq, 'SignedData');
  // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
  if (sd.length < 4 || sd.length > 6) malformed('SignedData', 'wrong number of fields');
  const sdVersion = smallInt(sod, sd[0]!, 'SignedData.version');
  if (sdVersion !== 1 && sdVersion !== 3)
    malformed('SignedData.version', `expected 1 or 3, got ${sdVersion}`);
  const digestAlgorithms = kids(
    sod,
    expect(sod, sd[1]!.start, sd[1]!.end, T.SET, 'digestAlgorithms'),
    'digestAlgorithms',
  );
  const eci = kidsN(
    sod,
    expect(sod, sd[2]!.start, sd[2]!.end, T.SEQUENCE, 'encapContentInfo'),
    2,
    2,
    'encapContentInfo',
  );
  if (oid(sod, eci[0]!, 'eContentType') !== OID.ldsSecurityObject)
    malformed('encapContentInfo', 'eContentType is not ldsSecurityObject');
  if (eci[1]!.tag !== ctx(0)) malformed('encapContentInfo', 'expected [0] eContent');
  const eContent = body(sod, expect(sod, eci[1]!.contentStart, eci[1]!.end, T.OCTET_STRING, 'eContent'));
  const certificates: Uint8Array[] = [];
  let i = 3;
  if (sd[i]!.tag === ctx(0)) {
    for (const c of kids(sod, sd[i]!, 'certificates')) {
      if (c.tag !== T.SEQUENCE) malformed('certificates', 'only X.509 certificates are supported');
      certificates.push(whole(sod, c));
      if (certificates.length > MAX_SOD_CERTIFICATES)
        oversized('SOD certificates', certificates.length, MAX_SOD_CERTIFICATES);
    }
    i++;
  }
  if (sd[i]!.tag === ctx(1)) i++;
  if (i !== sd.length - 1) malformed('SignedData', 'unexpected fields');
  const infos = kids(sod, expect(sod, sd[i]!.start, sd[i]!.end, T.SET, 'signerInfos'), 'signerInfos');
  if (infos.length !== 1) malformed('signerInfos', `expected exactly one SignerInfo, got ${infos.length}`);
  const si = kids(sod, expect(sod, infos[0]!.start, infos[0]!.end, T.SEQUENCE, 'SignerInfo'), 'SignerInfo');
  // version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsigned?
  if (si.length < 6 || si.length > 7)
    malformed('SignerInfo', 'wrong number of fields (signed attributes required)');
  const siVersion = smallInt(sod, si[0]!, 'SignerInfo.version');
  const sid = si[1]!;
  if (siVersion !== (sid.tag === T.SEQUENCE ? 1 : 3))
    malformed('SignerInfo.version', `${siVersion} does not fit its sid`);
  let signer: SecurityObject['signer'];
  if (sid.tag === T.SEQUENCE) {
    const is = kidsN(sod, sid, 2, 2, 'issuerAndSerialNumber');
    if (is[0]!.tag !== T.SEQUENCE || is[1]!.tag !== T.INTEGER)
      malformed('issuerAndSerialNumber', 'bad fields');
    signer = { issuer: whole(sod, is[0]!), serial: body(sod, is[1]!) };
  } else if (sid.tag === 0x80) signer = { subjectKeyIdentifier: body(sod, sid) };
  else return malformed('SignerInfo.sid', 'unknown signer identifier');
  const digest = hashOf(sod, si[2]!, 'digestAlgorithm');
  if (!digestAlgorithms.some((d) => hashOf(sod, d, 'digestAlgorithms').name === digest.name))
    malformed('SignedData.digestAlgorithms', 'does not list the SignerInfo digest algorithm');
  const attrsEl = si[3]!;
  if (attrsEl.tag !== ctx(0)) malformed('SignerInfo', 'signed attributes are required');
  // The signature covers the attributes with the SET OF tag (RFC 5652 §5.4), not the [0] tag.
  const signedAttributes = whole(sod, attrsEl).slice();
  signedAttributes[0] = T.SET;
  let messageDigest: Uint8Array | undefined;
  let contentTypeOk = false;
  let signingTime: number | undefined;
  const seen = new Set<string>();
  for (const a of kids(sod, attrsEl, 'signedAttrs')) {
    const ak = kidsN(sod, expect(sod, a.start, a.end, T.SEQUENCE, 'Attribute'), 2, 2, 'Attribute');
    const type = oid(sod, ak[0]!, 'Attribute.type');
    if (seen.has(type)) malformed('signedAttrs', `repeated attribute ${type}`);
    seen.add(type);
    const values = kidsN(
      sod,
      expect(sod, ak[1]!.start, ak[1]!.end, T.SET, 'Attribute.values'),
      1,
      1,
      'values',
    );
    const v = values[0]!;
    if (type === OID.contentType) contentTypeOk = oid(sod, v, 'contentType') === OID.ldsSecurityObject;
    else if (type === OID.messageDigest) {
      if (v.tag !== T.OCTET_STRING) malformed('messageDigest', 'expected OCTET STRING');
      messageDigest = body(sod, v);
    } else if (type === OID.signingTime) signingTime = derTime(sod, v);
  }
  if (!contentTypeOk) malformed('signedAttrs', 'contentType is not ldsSecurityObject');
  if (messageDigest === undefined) malformed('signedAttrs', 'no messageDigest');
  const signatureAlgorithm = whole(
    sod,
    expect(sod, si[4]!.start, si[4]!.end, T.SEQUENCE, 'signatureAlgorithm'),
  );
  const signature = body(sod, expect(sod, si[5]!.start, si[5]!.end, T.OCTET_STRING, 'signature'));

  // LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues, ldsVersionInfo? }
  const lds = read(eContent, 0, eContent.length, 'LDSSecurityObject');
  if (lds.tag !== T.SEQUENCE || lds.end !== eContent.length)
    malformed('LDSSecurityObject', 'not one SEQUENCE');
  const lk = kidsN(eContent, lds, 3, 4, 'LDSSecurityObject');
  smallInt(eContent, lk[0]!, 'LDSSecurityObject.version');
  const dgHash = hashOf(eContent, lk[1]!, 'LDSSecurityObject.hashAlgorithm');
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const d of kids(
    eContent,
    expect(eContent, lk[2]!.start, lk[2]!.end, T.SEQUENCE, 'hashes'),
    'hashes',
  )) {
    const dk = kidsN(
      eContent,
      expect(eContent, d.start, d.end, T.SEQUENCE, 'DataGroupHash'),
      2,
      2,
      'DataGroupHash',
    );
    const n = smallInt(eContent, dk[0]!, 'dataGroupNumber');
    if (n < 1 || n > MAX_DATA_GROUP) malformed('DataGroupHash', `data group ${n}`);
    if (dataGroupHashes.has(n)) malformed('DataGroupHash', `data group ${n} twice`);
    if (dk[1]!.tag !== T.OCTET_STRING) malformed('DataGroupHash', 'expected OCTET STRING');
    dataGroupHashes.set(n, body(eContent, dk[1]!));
  }
  return {
    dataGroupHashAlgorithm: dgHash.name,
    dataGroupHashes,
    eContent,
    digestAlgorithm: digest.name,
    signedAttributes,
    messageDigest,
    signingTime,
    signatureAlgorithm,
    signature,
    signer,
    certificates,
  };
}

function derTime(b: Uint8Array, e: Der): number {
  const s = String.fromCharCode(...body(b, e));
  const m =
    e.tag === T.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : e.tag === T.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
        : null;
  if (m === null) return malformed('signingTime', 'bad time');
  let y = Number(m[1]);
  if (e.tag === T.UTC_TIME) y += y < 50 ? 2000 : 1900;
  return Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Issuer, subject, serial and subject key identifier of a certificate, as raw DER. */
interface CertNames {
  issuer: Uint8Array;
  subject: Uint8Array;
  serial: Uint8Array;
  subjectKeyIdentifier: Uint8Array | undefined;
}

function certNames(der: Uint8Array): CertNames {
  const cert = expect(der, 0, der.length, T.SEQUENCE, 'certificate');
  const tbsEl = expect(der, cert.contentStart, cert.end, T.SEQUENCE, 'tbsCertificate');
  const k = kids(der, tbsEl, 'tbsCertificate');
  let i = k[0]?.tag === ctx(0) ? 1 : 0;
  if (k.length < i + 6) malformed('tbsCertificate', 'too few fields');
  const serial = body(der, k[i]!);
  const issuer = whole(der, k[i + 2]!);
  const subject = whole(der, k[i + 4]!);
  i += 6;
  let ski: Uint8Array | undefined;
  for (; i < k.length; i++) {
    if (k[i]!.tag !== ctx(3)) continue;
    const exts = expect(der, k[i]!.contentStart, k[i]!.end, T.SEQUENCE, 'extensions');
    for (const x of kids(der, exts, 'extensions')) {
      const xk = kids(der, x, 'extension');
      if (xk[0] && oid(der, xk[0], 'extnID') === '2.5.29.14') {
        const octets = xk[xk.length - 1]!;
        const inner = body(der, octets);
        ski = body(inner, expect(inner, 0, inner.length, T.OCTET_STRING, 'subjectKeyIdentifier'));
      }
    }
  }
  return { issuer, subject, serial, subjectKeyIdentifier: ski };
}

function parseCert(der: Uint8Array, what: string): ReturnType<typeof parseCertificate> {
  try {
    return parseCertificate(der);
  } catch (e) {
    if (e instanceof AutoIdError) return malformed(what, e.message);
    throw e;
  }
}

/** Converts auto-id's errors from signature verification into ours. */
async function verifySig(
  spki: Uint8Array,
  algorithm: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  what: string,
): Promise<void> {
  let ok: boolean;
  try {
    ok = await verifyX509Signature(spki, algorithm, data, signature);
  } catch (e) {
    if (e instanceof AutoIdError) {
      if (e.code === 'AUTO_ID_UNSUPPORTED_ALGORITHM')
        unsupported(what, (e.type as { algorithm: string }).algorithm);
      malformed(what, e.message);
    }
    // WebCrypto refuses some keys at import (a point off the curve): the key is malformed.
    if (typeof DOMException !== 'undefined' && e instanceof DOMException)
      malformed(what, `${e.name}: ${e.message}`);
    throw e;
  }
  if (!ok) throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_SIGNATURE', what });
}

/** The SignerInfo signature algorithm as an X.509 one (CMS may name only the key type). */
function signerAlgorithm(so: SecurityObject): Uint8Array {
  const alg = expect(
    so.signatureAlgorithm,
    0,
    so.signatureAlgorithm.length,
    T.SEQUENCE,
    'signatureAlgorithm',
  );
  const id = oid(
    so.signatureAlgorithm,
    kids(so.signatureAlgorithm, alg, 'signatureAlgorithm')[0]!,
    'algorithm',
  );
  if (id === OID.rsaEncryption) {
    const mapped = RSA_WITH[so.digestAlgorithm];
    return mapped
      ? encAlg(mapped, true)
      : unsupported('SignerInfo', `rsaEncryption with ${so.digestAlgorithm}`);
  }
  if (id === OID.ecPublicKey) {
    const mapped = ECDSA_WITH[so.digestAlgorithm];
    return mapped ? encAlg(mapped) : unsupported('SignerInfo', `ecPublicKey with ${so.digestAlgorithm}`);
  }
  return so.signatureAlgorithm;
}

// RSA / EC / Ed25519 of a signature algorithm and of a key, to skip CSCAs whose key cannot have
// made the signature (same name, another key type) instead of failing on them.
function schemeFamily(alg: Uint8Array): string {
  try {
    const k = parseSignatureAlgorithm(alg).kind;
    return k === 'ECDSA' ? 'EC' : k === 'Ed25519' ? 'Ed25519' : 'RSA';
  } catch (e) {
    if (e instanceof AutoIdError) return unsupported('DSC signatureAlgorithm', e.message);
    throw e;
  }
}
function keyFamily(spki: Uint8Array): string {
  try {
    return parsePublicKeyInfo(spki).kind;
  } catch {
    return 'unsupported';
  }
}

/** A trusted country signing CA, prepared once. */
interface Csca {
  der: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
  notBefore: number;
  notAfter: number;
}

/** Options of passive authentication. */
export interface PassiveAuthenticationOptions {
  /** Trusted CSCA certificates (DER), e.g. from the ICAO master list of the countries accepted. */
  trustedCscas: readonly Uint8Array[];
}

/** What passive authentication establishes. */
export interface PassiveAuthenticationResult {
  mrz: Mrz;
  /** Data groups whose hashes matched (DG1 always). */
  verifiedDataGroups: number[];
  /** The document signer certificate (DER) and the CSCA (DER) it chains to. */
  documentSigner: Uint8Array;
  csca: Uint8Array;
  signingTime: number | undefined;
  /** min(passport expiry, DSC notAfter, CSCA notAfter) and the DSC's notBefore, ms. */
  validUntil: number;
  documentSignerNotBefore: number;
}

function prepareCscas(list: readonly Uint8Array[]): Csca[] {
  if (!Array.isArray(list) || list.length === 0)
    invalidArgument('trustedCscas', 'expected at least one certificate');
  return list.map((der) => {
    try {
      const p = parseCertificate(der);
      return {
        der: p.der,
        subject: certNames(p.der).subject,
        spki: p.subjectPublicKeyInfo,
        notBefore: Number(p.validity.notBefore),
        notAfter: Number(p.validity.notAfter),
      };
    } catch (e) {
      if (e instanceof AutoIdError || e instanceof AutoScoreError)
        return invalidArgument('trustedCscas', `unparsable certificate: ${e.message}`);
      throw e;
    }
  });
}

function validAt(what: string, now: number, notBefore: number, notAfter: number): void {
  if (now < notBefore || now > notAfter)
    throw new AutoScoreError({ code: 'AUTO_SCORE_EXPIRED', what, now, notBefore, notAfter });
}

/**
 * ICAO 9303 passive authentication of an EF.SOD and data groups at `now`. Throws
 * {@link AutoScoreError}: `AUTO_SCORE_INVALID_SIGNATURE` (SOD or DSC signature),
 * `AUTO_SCORE_UNTRUSTED_CSCA`, `AUTO_SCORE_EXPIRED` (DSC, CSCA or passport), `AUTO_SCORE_HASH_MISMATCH`
 * (messageDigest or a data group), `AUTO_SCORE_UNSUPPORTED_ALGORITHM`, `AUTO_SCORE_MALFORMED_PROOF`.
 *
 * @example const r = await passiveAuthentication(sod, { 1: dg1 }, { trustedCscas: [csca] }, Date.now());
 */
export async function passiveAuthentication(
  sod: Uint8Array,
  dataGroups: Readonly<Record<number, Uint8Array>>,
  opts: PassiveAuthenticationOptions,
  now: number,
): Promise<PassiveAuthenticationResult> {
  return authenticate(sod, dataGroups, prepareCscas(opts.trustedCscas), now);
}

async function authenticate(
  sod: Uint8Array,
  dataGroups: Readonly<Record<number, Uint8Array>>,
  cscas: Csca[],
  now: number,
): Promise<PassiveAuthenticationResult> {
  auint(now, 'now');
  const so = parseSod(sod);
  // messageDigest = hash(eContent) with the SignerInfo's digest algorithm
  const dfn = Object.values(HASHES).find((h) => h.name === so.digestAlgorithm)!.fn;
  if (!equal(dfn(so.eContent), so.messageDigest))
    throw new AutoScoreError({ code: 'AUTO_SCORE_HASH_MISMATCH', what: 'messageDigest' });

  // The document signer: the SOD certificate named by the SignerInfo.
  let dsc: { der: Uint8Array; names: CertNames } | undefined;
  for (const der of so.certificates) {
    const names = certNames(der);
    const s = so.signer;
    const match =
      'issuer' in s
        ? equal(names.issuer, s.issuer) && equal(names.serial, s.serial)
        : names.subjectKeyIdentifier !== undefined &&
          equal(names.subjectKeyIdentifier, s.subjectKeyIdentifier);
    if (match) dsc = { der, names };
  }
  if (dsc === undefined) return malformed('EF.SOD', 'the document signer certificate is not in the SOD');
  const dscCert = parseCert(dsc.der, 'document signer certificate');
  await verifySig(
    dscCert.subjectPublicKeyInfo,
    signerAlgorithm(so),
    so.signedAttributes,
    so.signature,
    'SOD signature',
  );

  // Chain: a trusted CSCA with the DSC's issuer name whose key verifies the DSC.
  const family = schemeFamily(dscCert.signatureAlgorithm);
  const candidates = cscas.filter((c) => equal(c.subject, dsc.names.issuer) && keyFamily(c.spki) === family);
  let csca: Csca | undefined;
  for (const c of candidates) {
    try {
      await verifySig(c.spki, dscCert.signatureAlgorithm, dscCert.tbs, dscCert.signature, 'DSC signature');
      csca = c;
      break;
    } catch (e) {
      if (!(e instanceof AutoScoreError) || e.code !== 'AUTO_SCORE_INVALID_SIGNATURE') throw e;
    }
  }
  if (csca === undefined)
    throw new AutoScoreError({ code: 'AUTO_SCORE_UNTRUSTED_CSCA', issuer: bytesToHex(dsc.names.issuer) });
  const dscFrom = Number(dscCert.validity.notBefore);
  const dscTo = Number(dscCert.validity.notAfter);
  validAt('CSCA certificate', now, csca.notBefore, csca.notAfter);
  validAt('document signer certificate', now, dscFrom, dscTo);

  // Data groups.
  if (typeof dataGroups !== 'object' || dataGroups === null)
    invalidArgument('dataGroups', 'expected an object');
  const hfn = Object.values(HASHES).find((h) => h.name === so.dataGroupHashAlgorithm)!.fn;
  const verifiedDataGroups: number[] = [];
  for (const [key, dg] of Object.entries(dataGroups)) {
    const n = Number(key);
    if (!Number.isInteger(n) || n < 1 || n > MAX_DATA_GROUP)
      invalidArgument('dataGroups', `data group ${key}`);
    if (!(dg instanceof Uint8Array)) invalidArgument(`dataGroups[${n}]`, 'expected Uint8Array');
    if (dg.length > MAX_PROOF_BYTES) oversized(`DG${n}`, dg.length, MAX_PROOF_BYTES);
    const expected = so.dataGroupHashes.get(n);
    if (expected === undefined || !equal(hfn(dg), expected))
      throw new AutoScoreError({ code: 'AUTO_SCORE_HASH_MISMATCH', what: `DG${n}` });
    verifiedDataGroups.push(n);
  }
  const dg1 = dataGroups[1];
  if (dg1 === undefined) return malformed('dataGroups', 'DG1 (the MRZ) is required');
  const mrz = decodeDg1(dg1);
  const expiry = mrzDate(mrz.dateOfExpiry, 99) + 86_399_999; // valid through the printed day; 20YY
  validAt('passport', now, 0, expiry);
  return {
    mrz,
    verifiedDataGroups: verifiedDataGroups.sort((a, b) => a - b),
    documentSigner: dsc.der,
    csca: csca.der,
    signingTime: so.signingTime,
    validUntil: Math.min(expiry, dscTo, csca.notAfter),
    documentSignerNotBefore: dscFrom,
  };
}

/** What the holder chooses to disclose from DG1. Nothing else leaves the verifier. */
export interface PassportDisclosure {
  /** Prove `age >= ageOver` at the evaluation time (discloses only the boolean). */
  ageOver?: number;
  /** Disclose the nationality (3-letter code). */
  nationality?: boolean;
  /** Disclose the issuing state (3-letter code). */
  issuingState?: boolean;
}

/** The e-passport factor's proof: the chip's EF.SOD, the data groups read, what to disclose. */
export interface PassportProof {
  sod: Uint8Array;
  dataGroups: Readonly<Record<number, Uint8Array>>;
  disclose?: PassportDisclosure;
}

/**
 * The passport's nullifier subject: `<issuing state>:<document number>` (one nullifier per
 * document). A renewed passport has another number, so it can back one more Auto ID; the registry
 * should be held by the verifier, since these inputs have little entropy.
 */
export const passportSubjectId = (mrz: Mrz): string => `${mrz.issuingState}:${mrz.documentNumber}`;

export interface PassportVerifierOptions extends PassiveAuthenticationOptions {
  /** The serviceId of the nullifier (default `icao9303`). */
  serviceId?: string;
}

/**
 * The e-passport factor (`e-passport`): passive authentication, the requested disclosures and
 * the nullifier blake2b_256("<serviceId>:<issuing state>:<document number>"). `issuedAt` is the
 * SOD's signingTime when present, else the DSC's notBefore; the claim counts until the passport,
 * DSC or CSCA expires.
 *
 * @example const passports = passportVerifier({ trustedCscas: [cscaDer] });
 */
export function passportVerifier(opts: PassportVerifierOptions): ClaimVerifier<PassportProof> {
  const cscas = prepareCscas(opts.trustedCscas);
  const serviceId = opts.serviceId ?? DEFAULT_SERVICE_IDS['e-passport'];
  return {
    factor: 'e-passport',
    async verify(claim: Claim<PassportProof>, ctx: VerifyContext): Promise<Evidence> {
      if (claim.serviceId !== serviceId)
        throw new AutoScoreError({
          code: 'AUTO_SCORE_WRONG_PROVIDER',
          what: 'serviceId',
          value: claim.serviceId,
        });
      const p = claim.proof;
      if (typeof p !== 'object' || p === null) malformed('proof', 'expected { sod, dataGroups }');
      if (!(p.sod instanceof Uint8Array)) malformed('proof.sod', 'expected Uint8Array');
      const r = await authenticate(p.sod, p.dataGroups, cscas, ctx.now);
      return {
        claimType: 'EPassport',
        nullifier: nullifier(serviceId, passportSubjectId(r.mrz)),
        issuedAt: r.signingTime ?? r.documentSignerNotBefore,
        expiresAt: r.validUntil,
        disclosed: disclose(r.mrz, p.disclose ?? {}, ctx.now),
      };
    },
  };
}

/** Applies a disclosure request to a verified MRZ. */
export function disclose(
  mrz: Mrz,
  d: PassportDisclosure,
  now: number,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (d.ageOver !== undefined) {
    if (!Number.isSafeInteger(d.ageOver) || d.ageOver < 0 || d.ageOver > 150)
      invalidArgument('disclose.ageOver', 'expected 0..150');
    const age = ageAt(mrzDate(mrz.dateOfBirth, new Date(now).getUTCFullYear()), now);
    if (age < d.ageOver)
      throw new AutoScoreError({ code: 'AUTO_SCORE_DISCLOSURE_FAILED', what: `ageOver ${d.ageOver}` });
    out[`ageOver${d.ageOver}`] = true;
  }
  if (d.nationality) {
    if (mrz.nationality.length === 0)
      throw new AutoScoreError({ code: 'AUTO_SCORE_DISCLOSURE_FAILED', what: 'nationality' });
    out.nationality = mrz.nationality;
  }
  if (d.issuingState) out.issuingState = mrz.issuingState;
  return out;
}
