/**
 * X.509 signature verification as the pallet does it (identity.md §1: x509-parser's `verify`
 * module over ring), on WebCrypto so it runs in Node and browsers. Accepted:
 *  - sha1/sha256/sha384/sha512WithRSAEncryption (PKCS#1 v1.5): modulus 2048-8192 bits (SHA-1: 1024-8192)
 *  - RSASSA-PSS with SHA-256/384/512 named in its parameters (ring verifies salt length = hash length)
 *  - ecdsa-with-SHA256 / -SHA384 over a P-256 or P-384 key (any pairing; uncompressed points, as ring)
 *  - Ed25519
 * Anything else is AUTO_ID_UNSUPPORTED_ALGORITHM; the pallet answers `InvalidSignature` to all.
 */
import { abytes } from './assert.js';
import { OID } from './constants.js';
import {
  children,
  contextTag,
  type DerElement,
  decodeOid,
  expectElement,
  TAG_BIT_STRING,
  TAG_INTEGER,
  TAG_SEQUENCE,
} from './der.js';
import { malformedDer, unsupported } from './errors.js';
import { checkAlgorithmIdentifier } from './x509.js';

type Hash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A signature algorithm the pallet accepts, as read from its DER AlgorithmIdentifier. */
export type SignatureScheme =
  | { kind: 'RSASSA-PKCS1-v1_5'; hash: Hash }
  | { kind: 'RSA-PSS'; hash: Exclude<Hash, 'SHA-1'> }
  | { kind: 'ECDSA'; hash: 'SHA-256' | 'SHA-384' }
  | { kind: 'Ed25519' };

/** A public key the pallet can verify with, as read from its SubjectPublicKeyInfo DER. */
export type PublicKeyInfo =
  | { kind: 'RSA'; modulusBits: number }
  | { kind: 'EC'; namedCurve: 'P-256' | 'P-384' }
  | { kind: 'Ed25519' };

const HASH_OIDS: Record<string, Hash> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
const HASH_BYTES: Record<Hash, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/**
 * Reads a DER AlgorithmIdentifier as one of the schemes the pallet verifies.
 *
 * @example
 * parseSignatureAlgorithm(hexToBytes('300b06092a864886f70d01010b')) // { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
 */
export function parseSignatureAlgorithm(algorithm: Uint8Array): SignatureScheme {
  abytes(algorithm, 'signatureAlgorithm');
  const w = 'signatureAlgorithm';
  const e = expectElement(algorithm, 0, algorithm.length, TAG_SEQUENCE, w);
  if (e.end !== algorithm.length) malformedDer(w, 'trailing bytes', e.end);
  const { oid, params } = checkAlgorithmIdentifier(algorithm, e, w);
  switch (oid) {
    case OID.sha1WithRSAEncryption:
      return { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' };
    case OID.sha256WithRSAEncryption:
      return { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case OID.sha384WithRSAEncryption:
      return { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' };
    case OID.sha512WithRSAEncryption:
      return { kind: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' };
    case OID.ecdsaWithSha256:
      return { kind: 'ECDSA', hash: 'SHA-256' };
    case OID.ecdsaWithSha384:
      return { kind: 'ECDSA', hash: 'SHA-384' };
    case OID.ed25519:
      return { kind: 'Ed25519' };
    case OID.rsassaPss: {
      const hash = pssHash(algorithm, params);
      if (hash === 'SHA-1') unsupported(w, 'RSASSA-PSS with SHA-1');
      return { kind: 'RSA-PSS', hash };
    }
    default:
      return unsupported(w, oid);
  }
}

// RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] DEFAULT sha1, maskGenAlgorithm [1], saltLength [2],
// trailerField [3] }: only the hash matters to ring (salt length is the hash length, MGF1 same hash).
function pssHash(b: Uint8Array, params: DerElement | undefined): Hash {
  const w = 'RSASSA-PSS parameters';
  if (!params || params.tag !== TAG_SEQUENCE) return malformedDer(w, 'missing parameters', 0);
  const first = children(b, params, w)[0];
  if (!first || first.tag !== contextTag(0)) return 'SHA-1';
  const [alg] = children(b, first, w);
  if (!alg) return malformedDer(w, 'empty hashAlgorithm', first.start);
  const { oid } = checkAlgorithmIdentifier(b, alg, w);
  return HASH_OIDS[oid] ?? unsupported(w, `hash ${oid}`);
}

/**
 * Reads a SubjectPublicKeyInfo as a key the pallet can verify with (RSA with its modulus size,
 * EC P-256/P-384, Ed25519).
 *
 * @example
 * parsePublicKeyInfo(cert.subjectPublicKeyInfo) // { kind: 'RSA', modulusBits: 2048 }
 */
export function parsePublicKeyInfo(spki: Uint8Array): PublicKeyInfo {
  abytes(spki, 'subjectPublicKeyInfo');
  const w = 'SubjectPublicKeyInfo';
  const e = expectElement(spki, 0, spki.length, TAG_SEQUENCE, w);
  if (e.end !== spki.length) malformedDer(w, 'trailing bytes', e.end);
  const [alg, key, extra] = children(spki, e, w);
  if (!alg || !key || extra || key.tag !== TAG_BIT_STRING || key.end === key.contentStart)
    return malformedDer(w, 'expected an AlgorithmIdentifier and a BIT STRING', 0);
  if (spki[key.contentStart] !== 0) malformedDer(w, 'key BIT STRING with unused bits', key.start);
  const { oid, params } = checkAlgorithmIdentifier(spki, alg, `${w}.algorithm`);
  const bits = spki.subarray(key.contentStart + 1, key.end);
  switch (oid) {
    case OID.rsaEncryption: {
      // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
      const k = expectElement(bits, 0, bits.length, TAG_SEQUENCE, 'RSAPublicKey');
      const [n, ex, more] = children(bits, k, 'RSAPublicKey');
      if (!n || !ex || more || n.tag !== TAG_INTEGER || ex.tag !== TAG_INTEGER || n.end === n.contentStart)
        return malformedDer('RSAPublicKey', 'expected modulus and exponent', 0);
      let p = n.contentStart;
      while (p < n.end && bits[p] === 0) p++;
      const top = bits[p] ?? 0;
      const modulusBits = p === n.end ? 0 : (n.end - p - 1) * 8 + (32 - Math.clz32(top));
      return { kind: 'RSA', modulusBits };
    }
    case OID.ecPublicKey: {
      const curve = params ? decodeOid(spki, params, `${w}.namedCurve`) : '';
      const namedCurve = curve === OID.p256 ? 'P-256' : curve === OID.p384 ? 'P-384' : undefined;
      if (!namedCurve) return unsupported(w, `EC curve ${curve || 'absent'}`);
      const size = namedCurve === 'P-256' ? 65 : 97;
      if (bits.length !== size || bits[0] !== 4) unsupported(w, 'EC point not uncompressed');
      return { kind: 'EC', namedCurve };
    }
    case OID.ed25519:
      if (bits.length !== 32) malformedDer(w, 'Ed25519 key is not 32 bytes', key.start);
      return { kind: 'Ed25519' };
    default:
      return unsupported(w, oid);
  }
}

// Imported keys by SPKI and algorithm: a registry verifies with the same few issuer keys over and over.
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_MAX = 256;

/** Imports a SubjectPublicKeyInfo for `verify`, cached per (SPKI, algorithm); also used by the credential layer. */
export function importKey(
  spki: Uint8Array,
  algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm,
) {
  let id = JSON.stringify(algorithm);
  for (const b of spki) id += b.toString(16).padStart(2, '0');
  let key = keyCache.get(id);
  if (!key) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
    key = crypto.subtle.importKey('spki', spki.slice(), algorithm, false, ['verify']);
    key.catch(() => keyCache.delete(id));
    keyCache.set(id, key);
  }
  return key;
}

/**
 * Verifies `signature` over `data` with the key of a SubjectPublicKeyInfo, under a DER
 * AlgorithmIdentifier, accepting exactly what the pallet accepts. Resolves `false` for a signature
 * that does not verify; throws AUTO_ID_MALFORMED_DER or AUTO_ID_UNSUPPORTED_ALGORITHM for keys or
 * algorithms the pallet cannot use (it answers `InvalidSignature` to those too).
 *
 * @example
 * await verifyX509Signature(issuer.subjectPublicKeyInfo, leaf.signatureAlgorithm, leaf.tbs, leaf.signature) // true
 */
export async function verifyX509Signature(
  spki: Uint8Array,
  algorithm: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  abytes(data, 'data');
  abytes(signature, 'signature');
  const scheme = parseSignatureAlgorithm(algorithm);
  const key = parsePublicKeyInfo(spki);
  switch (scheme.kind) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS': {
      if (key.kind !== 'RSA') return unsupported('key', `${scheme.kind} with an ${key.kind} key`);
      const min = scheme.hash === 'SHA-1' ? 1024 : 2048;
      if (key.modulusBits < min || key.modulusBits > 8192)
        unsupported('key', `RSA-${key.modulusBits} (ring accepts ${min}-8192 bits)`);
      const k = await importKey(spki, { name: scheme.kind, hash: scheme.hash });
      const params =
        scheme.kind === 'RSA-PSS'
          ? { name: 'RSA-PSS', saltLength: HASH_BYTES[scheme.hash] }
          : { name: scheme.kind };
      return crypto.subtle.verify(params, k, signature.slice(), data.slice());
    }
    case 'ECDSA': {
      if (key.kind !== 'EC') return unsupported('key', `ECDSA with an ${key.kind} key`);
      const size = key.namedCurve === 'P-256' ? 32 : 48;
      const rs = ecdsaDerToRaw(signature, size);
      if (!rs) return false;
      const k = await importKey(spki, { name: 'ECDSA', namedCurve: key.namedCurve });
      return crypto.subtle.verify({ name: 'ECDSA', hash: scheme.hash }, k, rs, data.slice());
    }
    case 'Ed25519': {
      if (key.kind !== 'Ed25519') return unsupported('key', `Ed25519 with an ${key.kind} key`);
      if (signature.length !== 64) return false;
      const k = await importKey(spki, { name: 'Ed25519' });
      return crypto.subtle.verify({ name: 'Ed25519' }, k, signature.slice(), data.slice());
    }
  }
}

// Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, strict DER with positive minimal integers
// (ring's ASN.1 ECDSA verification), to WebCrypto's fixed-width r ‖ s. undefined when malformed.
function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array<ArrayBuffer> | undefined {
  try {
    const seq = expectElement(sig, 0, sig.length, TAG_SEQUENCE, 'ECDSA signature');
    if (seq.end !== sig.length) return undefined;
    const ints = children(sig, seq, 'ECDSA signature');
    if (ints.length !== 2) return undefined;
    const out = new Uint8Array(2 * size);
    for (let k = 0; k < 2; k++) {
      const e = ints[k]!;
      if (e.tag !== TAG_INTEGER) return undefined;
      let v = sig.subarray(e.contentStart, e.end);
      if (v.length === 0 || (v[0]! & 0x80) !== 0) return undefined; // empty or negative
      if (v[0] === 0 && v.length > 1) {
        if ((v[1]! & 0x80) === 0) return undefined; // non-minimal
        v = v.subarray(1);
      }
      if (v.length > size) return undefined;
      out.set(v, (k + 1) * size - v.length);
    }
    return out;
  } catch {
    return undefined;
  }
}
