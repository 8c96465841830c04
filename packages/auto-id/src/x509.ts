/**
 * Reading certificates the way the pallet does (identity.md §1, `sp-auto-id` `decode_tbs_certificate`
 * over x509-parser): the TBS bytes, the first subject commonName's value bytes, the raw SPKI, the
 * serial as an unsigned magnitude and the validity in milliseconds. Our own strict DER reader, no
 * dependency: parsing is the hot path of a light client and must never throw a foreign error.
 */
import { abytes } from './assert.js';
import {
  children,
  contextTag,
  type DerElement,
  decodeOid,
  expectElement,
  raw,
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_UTC_TIME,
} from './der.js';
import { AutoIdError, malformedDer } from './errors.js';
import type { CertificateParts, ParsedCertificate, TbsCertificate, Validity } from './types.js';

/**
 * Splits a DER certificate into the TBSCertificate bytes, the outer AlgorithmIdentifier and the
 * signature (BIT STRING content without the unused-bits byte, which must be 0). These three are
 * exactly the `certificate`, `signature_algorithm` and `signature` fields of a registration.
 *
 * @example
 * const { tbs, signatureAlgorithm, signature } = extractTbs(certDer);
 */
export function extractTbs(certificate: Uint8Array): CertificateParts {
  abytes(certificate, 'certificate');
  const w = 'Certificate';
  const outer = expectElement(certificate, 0, certificate.length, TAG_SEQUENCE, w);
  if (outer.end !== certificate.length) malformedDer(w, 'trailing bytes after the certificate', outer.end);
  const [tbs, alg, sig, extra] = children(certificate, outer, w);
  if (!tbs || !alg || !sig || extra)
    malformedDer(w, 'expected tbsCertificate, signatureAlgorithm, signatureValue', outer.start);
  if (tbs.tag !== TAG_SEQUENCE) malformedDer(w, 'tbsCertificate is not a SEQUENCE', tbs.start);
  checkAlgorithmIdentifier(certificate, alg, 'Certificate.signatureAlgorithm');
  if (sig.tag !== TAG_BIT_STRING) malformedDer(w, 'signatureValue is not a BIT STRING', sig.start);
  if (sig.end === sig.contentStart || certificate[sig.contentStart] !== 0)
    malformedDer(w, 'signatureValue must have 0 unused bits', sig.start);
  return {
    tbs: raw(certificate, tbs).slice(),
    signatureAlgorithm: raw(certificate, alg).slice(),
    signature: certificate.slice(sig.contentStart + 1, sig.end),
  };
}

/**
 * Decodes the fields the pallet reads from a TBSCertificate. Bytes after the TBS SEQUENCE are
 * ignored, as x509-parser's `from_der` leaves them unread (the pallet still signs and stores them).
 * A subject without a commonName, a serial wider than 32 bytes, a time before 1970 or a malformed
 * structure throw AUTO_ID_MALFORMED_DER (the pallet's `InvalidCertificate`).
 *
 * @example
 * const { serial, subjectCommonName, subjectPublicKeyInfo, validity } = decodeTbs(tbs);
 */
export function decodeTbs(tbs: Uint8Array): TbsCertificate {
  abytes(tbs, 'tbs');
  const w = 'TBSCertificate';
  const seq = expectElement(tbs, 0, tbs.length, TAG_SEQUENCE, w);
  const items = children(tbs, seq, w);
  let i = 0;
  // version [0] EXPLICIT INTEGER DEFAULT v1; x509-parser accepts v1..v3 only.
  if (items[0]?.tag === contextTag(0)) {
    const [v, extra] = children(tbs, items[0], `${w}.version`);
    if (!v || extra || v.tag !== TAG_INTEGER || v.end - v.contentStart !== 1 || tbs[v.contentStart]! > 2)
      malformedDer(`${w}.version`, 'expected INTEGER 0, 1 or 2', items[0].start);
    i++;
  }
  const serialEl = items[i++];
  const sigAlg = items[i++];
  const issuer = items[i++];
  const validityEl = items[i++];
  const subject = items[i++];
  const spki = items[i++];
  if (!serialEl || !sigAlg || !issuer || !validityEl || !subject || !spki)
    malformedDer(w, 'missing fields', seq.start);
  const serial = readSerial(tbs, serialEl);
  checkAlgorithmIdentifier(tbs, sigAlg, `${w}.signature`);
  checkName(tbs, issuer, `${w}.issuer`);
  const validity = readValidity(tbs, validityEl);
  const subjectCommonName = checkName(tbs, subject, `${w}.subject`);
  checkSpki(tbs, spki);
  // issuerUniqueID [1], subjectUniqueID [2] (IMPLICIT BIT STRING), extensions [3], in order.
  let next = 1;
  for (; i < items.length; i++) {
    const e = items[i]!;
    const n =
      e.tag === 0x81 || e.tag === 0xa1 ? 1 : e.tag === 0x82 || e.tag === 0xa2 ? 2 : e.tag === 0xa3 ? 3 : 0;
    if (n < next) malformedDer(w, `unexpected element with tag 0x${e.tag.toString(16)}`, e.start);
    next = n + 1;
    if (n === 3) checkExtensions(tbs, e);
  }
  if (subjectCommonName === undefined) malformedDer(`${w}.subject`, 'no commonName attribute', subject.start);
  return {
    serial,
    subjectCommonName: subjectCommonName.slice(),
    subjectPublicKeyInfo: raw(tbs, spki).slice(),
    validity,
  };
}

/**
 * Parses a certificate from DER bytes or PEM text: its parts and the TBS fields the pallet uses.
 *
 * @example
 * const cert = parseCertificate(pemText);
 * console.log(new TextDecoder().decode(cert.subjectCommonName), cert.serial.toString(16));
 */
export function parseCertificate(certificate: Uint8Array | string): ParsedCertificate {
  const der = typeof certificate === 'string' ? pemToDer(certificate, 'CERTIFICATE') : certificate;
  const parts = extractTbs(der);
  return { der: der.slice(), ...parts, ...decodeTbs(parts.tbs) };
}

// The serial INTEGER's content bytes as an unsigned big-endian number: x509-parser reads the
// magnitude without sign handling, and the pallet's U256::from_big_endian needs <= 32 bytes.
function readSerial(b: Uint8Array, e: DerElement): bigint {
  const w = 'TBSCertificate.serialNumber';
  if (e.tag !== TAG_INTEGER) malformedDer(w, 'expected an INTEGER', e.start);
  if (e.end === e.contentStart) malformedDer(w, 'empty INTEGER', e.start);
  let p = e.contentStart;
  while (p < e.end && b[p] === 0) p++;
  if (e.end - p > 32) malformedDer(w, 'serial wider than 32 bytes does not fit a U256', e.start);
  let v = 0n;
  for (; p < e.end; p++) v = (v << 8n) | BigInt(b[p]!);
  return v;
}

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }. */
export function checkAlgorithmIdentifier(
  b: Uint8Array,
  e: DerElement,
  what: string,
): { oid: string; params: DerElement | undefined } {
  if (e.tag !== TAG_SEQUENCE) malformedDer(what, 'expected a SEQUENCE', e.start);
  const [oid, params, extra] = children(b, e, what);
  if (!oid || extra) malformedDer(what, 'expected an OID and optional parameters', e.start);
  return { oid: decodeOid(b, oid, what), params };
}

// Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue). Returns the value
// content of the first commonName in RDN order then attribute order (x509-parser's iter_common_name).
function checkName(b: Uint8Array, e: DerElement, what: string): Uint8Array | undefined {
  if (e.tag !== TAG_SEQUENCE) malformedDer(what, 'expected a SEQUENCE', e.start);
  let cn: Uint8Array | undefined;
  for (const rdn of children(b, e, what)) {
    if (rdn.tag !== TAG_SET) malformedDer(what, 'RDN is not a SET', rdn.start);
    const attrs = children(b, rdn, what);
    if (attrs.length === 0) malformedDer(what, 'empty RDN', rdn.start);
    for (const atv of attrs) {
      if (atv.tag !== TAG_SEQUENCE) malformedDer(what, 'attribute is not a SEQUENCE', atv.start);
      const [type, value, extra] = children(b, atv, what);
      if (!type || !value || extra) malformedDer(what, 'attribute needs a type and a value', atv.start);
      if (type.tag !== TAG_OID) malformedDer(what, 'attribute type is not an OID', type.start);
      // 2.5.4.3 is the content 55 04 03: compared in place (this runs for every attribute).
      const isCn =
        type.end - type.contentStart === 3 && b[type.contentStart] === 0x55 && b[type.contentStart + 1] === 4;
      if (cn === undefined && isCn && b[type.contentStart + 2] === 3)
        cn = b.subarray(value.contentStart, value.end);
    }
  }
  return cn;
}

function readValidity(b: Uint8Array, e: DerElement): Validity {
  const w = 'TBSCertificate.validity';
  if (e.tag !== TAG_SEQUENCE) malformedDer(w, 'expected a SEQUENCE', e.start);
  const [nb, na, extra] = children(b, e, w);
  if (!nb || !na || extra) malformedDer(w, 'expected notBefore and notAfter', e.start);
  return { notBefore: readTime(b, nb, `${w}.notBefore`), notAfter: readTime(b, na, `${w}.notAfter`) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * UTCTime `YYMMDDHHMMSSZ` (YY < 50 is 20YY) or GeneralizedTime `YYYYMMDDHHMMSS[.f+]Z`, as
 * `seconds * 1000 + milliseconds` (the fraction truncated to ms). The pallet casts the i64 UNIX
 * timestamp to u64 and multiplies by 1000 with overflow checks, so any time before 1970 fails.
 */
function readTime(b: Uint8Array, e: DerElement, what: string): bigint {
  const s = String.fromCharCode(...b.subarray(e.contentStart, e.end));
  const utc = e.tag === TAG_UTC_TIME ? /^(\d\d)(\d{10})Z$/.exec(s) : null;
  const gen = e.tag === TAG_GENERALIZED_TIME ? /^(\d{4})(\d{10})(?:\.(\d+))?Z$/.exec(s) : null;
  if (!utc && !gen)
    return malformedDer(
      what,
      `not a DER UTCTime or GeneralizedTime: ${JSON.stringify(s.slice(0, 32))}`,
      e.start,
    );
  const yy = Number(utc?.[1]);
  const year = utc ? (yy < 50 ? 2000 + yy : 1900 + yy) : Number(gen![1]);
  const rest = (utc ?? gen)![2]!;
  const fraction = gen?.[3] ?? '';
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((k) => Number(rest.slice(k, k + 2))) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const dim = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > dim || hour > 23 || minute > 59 || second > 59)
    malformedDer(what, `invalid date ${s}`, e.start);
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  // Date.UTC maps years 0-99 to 1900+; those are before 1970 either way, and rejected below.
  if (year < 1970 || seconds < 0) malformedDer(what, `time before 1970 (${s})`, e.start);
  const ms = fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return BigInt(seconds) * 1000n + BigInt(ms);
}

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }.
function checkSpki(b: Uint8Array, e: DerElement): void {
  const w = 'SubjectPublicKeyInfo';
  if (e.tag !== TAG_SEQUENCE) malformedDer(w, 'expected a SEQUENCE', e.start);
  const [alg, key, extra] = children(b, e, w);
  if (!alg || !key || extra || key.tag !== TAG_BIT_STRING || key.end === key.contentStart)
    malformedDer(w, 'expected an AlgorithmIdentifier and a BIT STRING', e.start);
  checkAlgorithmIdentifier(b, alg, `${w}.algorithm`);
}

// extensions [3] EXPLICIT SEQUENCE OF Extension { extnID OID, critical BOOLEAN DEFAULT FALSE,
// extnValue OCTET STRING }. x509-parser rejects a repeated extension; contents are not judged.
function checkExtensions(b: Uint8Array, e: DerElement): void {
  const w = 'TBSCertificate.extensions';
  const [seq, extra] = children(b, e, w);
  if (!seq || extra || seq.tag !== TAG_SEQUENCE) malformedDer(w, 'expected one SEQUENCE', e.start);
  const seen = new Set<string>();
  for (const ext of children(b, seq, w)) {
    if (ext.tag !== TAG_SEQUENCE) malformedDer(w, 'extension is not a SEQUENCE', ext.start);
    const parts = children(b, ext, w);
    const [id, second, third, fourth] = parts;
    if (!id || id.tag !== TAG_OID || !second || fourth) malformedDer(w, 'malformed extension', ext.start);
    const value = third ?? second;
    if (third && (second.tag !== TAG_BOOLEAN || second.end - second.contentStart !== 1))
      malformedDer(w, 'malformed critical flag', second.start);
    if (value.tag !== TAG_OCTET_STRING) malformedDer(w, 'extnValue is not an OCTET STRING', value.start);
    let oid = '';
    for (let p = id.contentStart; p < id.end; p++) oid += String.fromCharCode(b[p]!);
    if (seen.has(oid)) malformedDer(w, `duplicate extension ${decodeOid(b, id, w)}`, ext.start);
    seen.add(oid);
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let k = 0; k < 64; k++) B64_INDEX[B64.charCodeAt(k)] = k;

/**
 * The DER inside the first PEM block with `label` (`-----BEGIN <label>-----`). Whitespace inside
 * the base64 is ignored; anything else broken is AUTO_ID_INVALID_PEM.
 *
 * @example
 * const der = pemToDer(pem, 'CERTIFICATE');
 */
export function pemToDer(pem: string, label = 'CERTIFICATE'): Uint8Array {
  if (typeof pem !== 'string')
    throw new AutoIdError({ code: 'AUTO_ID_INVALID_PEM', reason: 'expected a string' });
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const a = pem.indexOf(begin);
  const z = a < 0 ? -1 : pem.indexOf(end, a + begin.length);
  if (a < 0 || z < 0)
    throw new AutoIdError({ code: 'AUTO_ID_INVALID_PEM', reason: `no complete ${label} block` });
  const body = pem.slice(a + begin.length, z).replace(/\s+/g, '');
  const bytes = base64Decode(body);
  if (bytes === undefined || bytes.length === 0)
    throw new AutoIdError({ code: 'AUTO_ID_INVALID_PEM', reason: 'invalid base64 body' });
  return bytes;
}

/**
 * PEM text of DER bytes (64-column base64).
 *
 * @example
 * derToPem(cert.der, 'CERTIFICATE') // '-----BEGIN CERTIFICATE-----\nMII...'
 */
export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  abytes(der, 'der');
  let s = '';
  for (let k = 0; k < der.length; k += 3) {
    const n = (der[k]! << 16) | ((der[k + 1] ?? 0) << 8) | (der[k + 2] ?? 0);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    s += k + 1 < der.length ? B64[(n >> 6) & 63]! : '=';
    s += k + 2 < der.length ? B64[n & 63]! : '=';
  }
  const lines = s.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function base64Decode(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let k = 0; k < s.length; k += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(k + j);
      const last = k + 4 === s.length;
      if (c === 61 && last && j >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
