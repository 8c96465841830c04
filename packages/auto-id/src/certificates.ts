/**
 * Making keys, CSRs and certificates the pallet accepts, on @peculiar/x509 and WebCrypto (Node and
 * browsers alike). @peculiar/x509 needs a `Reflect` metadata polyfill (tsyringe): both are loaded
 * lazily on the first call here, so reading and verifying certificates never pulls them in.
 */
import { abytes, au256 } from './assert.js';
import { OID } from './constants.js';
import {
  children,
  decodeOid,
  encodeElement,
  encodeOid,
  expectElement,
  TAG_INTEGER,
  TAG_SEQUENCE,
} from './der.js';
import { AutoIdError, invalidArgument, malformedDer, unsupported } from './errors.js';
import { deriveAutoId } from './identifier.js';
import { encodeCertificateAction } from './scale.js';
import type { CertificateAction, Identifier, ParsedCertificate, Signature } from './types.js';
import { parseCertificate, pemToDer } from './x509.js';

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | undefined;
function loadX509(): Promise<X509Module> {
  x509Module ??= import('reflect-metadata').then(() => import('@peculiar/x509'));
  return x509Module;
}

/** Key types this package creates: Ed25519 (default), ECDSA P-256, RSA PKCS#1 v1.5 with SHA-256. */
export type KeyAlgorithm = 'Ed25519' | 'ECDSA-P256' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096';

const KEY_ALGORITHMS: Record<KeyAlgorithm, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm> = {
  Ed25519: { name: 'Ed25519' },
  'ECDSA-P256': { name: 'ECDSA', namedCurve: 'P-256' },
  // ring refuses RSA below 2048 bits with SHA-2: smaller keys could never register.
  'RSA-2048': rsa(2048),
  'RSA-3072': rsa(3072),
  'RSA-4096': rsa(4096),
};
function rsa(modulusLength: number): RsaHashedKeyGenParams {
  return {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
}

/**
 * A new WebCrypto key pair of a type the pallet verifies.
 *
 * @example
 * const keys = await generateKeyPair('Ed25519');
 */
export async function generateKeyPair(
  algorithm: KeyAlgorithm = 'Ed25519',
  opts: { extractable?: boolean } = {},
): Promise<CryptoKeyPair> {
  const params = KEY_ALGORITHMS[algorithm];
  if (!params) invalidArgument('algorithm', `expected one of ${Object.keys(KEY_ALGORITHMS).join(', ')}`);
  return (await crypto.subtle.generateKey(params, opts.extractable ?? true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

// The signing algorithm (WebCrypto) and the DER AlgorithmIdentifier the pallet expects for a key.
function signingFor(key: CryptoKey): { algorithm: Algorithm | EcdsaParams; der: Uint8Array } {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.name === 'Ed25519') return { algorithm: { name: 'Ed25519' }, der: algId(OID.ed25519) };
  if (a.name === 'ECDSA' && a.namedCurve === 'P-256')
    return { algorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams, der: algId(OID.ecdsaWithSha256) };
  if (a.name === 'ECDSA' && a.namedCurve === 'P-384')
    return { algorithm: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams, der: algId(OID.ecdsaWithSha384) };
  if (a.name === 'RSASSA-PKCS1-v1_5') {
    const hash = a.hash?.name;
    const oid =
      hash === 'SHA-256'
        ? OID.sha256WithRSAEncryption
        : hash === 'SHA-384'
          ? OID.sha384WithRSAEncryption
          : hash === 'SHA-512'
            ? OID.sha512WithRSAEncryption
            : undefined;
    if (oid) return { algorithm: { name: 'RSASSA-PKCS1-v1_5' }, der: algId(oid, true) };
  }
  return unsupported('key', `${a.name ?? 'unknown'} ${a.namedCurve ?? a.hash?.name ?? ''}`.trim());
}

// RSA AlgorithmIdentifiers carry NULL parameters (RFC 4055); EC and Ed25519 ones have none.
function algId(oid: string, nullParams = false): Uint8Array {
  const o = encodeOid(oid);
  const body = new Uint8Array(o.length + (nullParams ? 2 : 0));
  body.set(o);
  if (nullParams) body.set([5, 0], o.length);
  return encodeElement(TAG_SEQUENCE, body);
}

async function sign(privateKey: CryptoKey, data: Uint8Array): Promise<Signature> {
  const { algorithm, der } = signingFor(privateKey);
  const raw: Uint8Array = new Uint8Array(await crypto.subtle.sign(algorithm, privateKey, data.slice()));
  return { signatureAlgorithm: der, value: algorithm.name === 'ECDSA' ? ecdsaRawToDer(raw) : raw };
}

function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (v: Uint8Array) => {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    const t = v.subarray(i);
    return encodeElement(TAG_INTEGER, t[0]! & 0x80 ? Uint8Array.of(0, ...t) : t);
  };
  const r = int(raw.subarray(0, half));
  const s = int(raw.subarray(half));
  const body = new Uint8Array(r.length + s.length);
  body.set(r);
  body.set(s, r.length);
  return encodeElement(TAG_SEQUENCE, body);
}

/**
 * Signs a `CertificateAction` (revocation or deactivation) with a private key, as the pallet
 * verifies it: over its 65-byte SCALE encoding, with the key's AlgorithmIdentifier.
 *
 * @example
 * const signature = await signCertificateAction(issuerKeys.privateKey, registry.revocationAction(leafId));
 * await registry.revokeCertificate(leafId, signature);
 */
export function signCertificateAction(privateKey: CryptoKey, action: CertificateAction): Promise<Signature> {
  return sign(privateKey, encodeCertificateAction(action));
}

/**
 * Signs arbitrary bytes with a private key the way the pallet verifies signatures: the key's DER
 * AlgorithmIdentifier and the signature value (ECDSA: DER `Ecdsa-Sig-Value`), i.e. a pallet
 * `Signature` that {@link verifyX509Signature} checks against the signer's SPKI.
 *
 * @example
 * const sig = await signData(keys.privateKey, bytes);
 * await verifyX509Signature(cert.subjectPublicKeyInfo, sig.signatureAlgorithm, bytes, sig.value) // true
 */
export function signData(privateKey: CryptoKey, data: Uint8Array): Promise<Signature> {
  abytes(data, 'data');
  return sign(privateKey, data);
}

/**
 * The key type of an unencrypted PKCS#8 private key (PEM or DER): Ed25519, ECDSA P-256 or RSA (the
 * size is read from the key). Throws AUTO_ID_UNSUPPORTED_ALGORITHM for anything else.
 *
 * @example await importPrivateKey(pem, detectKeyAlgorithm(pem))
 */
export function detectKeyAlgorithm(key: string | Uint8Array): KeyAlgorithm {
  const der = typeof key === 'string' ? pemToDer(key, 'PRIVATE KEY') : key;
  abytes(der, 'key');
  // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
  const info = expectElement(der, 0, der.length, TAG_SEQUENCE, 'PrivateKeyInfo');
  const [, alg, pk] = children(der, info, 'PrivateKeyInfo');
  if (!alg || !pk || alg.tag !== TAG_SEQUENCE) return malformedDer('PrivateKeyInfo', 'no algorithm', 0);
  const [oidEl, params] = children(der, alg, 'PrivateKeyInfo.privateKeyAlgorithm');
  if (!oidEl) return malformedDer('PrivateKeyInfo', 'no algorithm OID', alg.start);
  const oid = decodeOid(der, oidEl, 'PrivateKeyInfo.privateKeyAlgorithm');
  if (oid === OID.ed25519) return 'Ed25519';
  if (oid === OID.ecPublicKey && params && decodeOid(der, params, 'namedCurve') === OID.p256)
    return 'ECDSA-P256';
  if (oid === OID.rsaEncryption) {
    // RSAPrivateKey ::= SEQUENCE { version, modulus INTEGER, ... } inside the OCTET STRING
    const rsaKey = expectElement(der, pk.contentStart, pk.end, TAG_SEQUENCE, 'RSAPrivateKey');
    const [, n] = children(der, rsaKey, 'RSAPrivateKey');
    if (!n || n.tag !== TAG_INTEGER) return malformedDer('RSAPrivateKey', 'no modulus', rsaKey.start);
    let p = n.contentStart;
    while (p < n.end && der[p] === 0) p++;
    const bits = (n.end - p) * 8;
    const name = `RSA-${bits}` as KeyAlgorithm;
    if (name in KEY_ALGORITHMS) return name;
    return unsupported('key', `RSA-${bits}`);
  }
  return unsupported('key', oid);
}

/** Options common to the certificates this package issues. */
export interface ValidityOptions {
  /** Start of validity (default now); the certificate stores whole seconds. */
  notBefore?: Date;
  /** End of validity (default `notBefore` + `validityDays`). */
  notAfter?: Date;
  /** Days of validity when `notAfter` is not given (default 365). */
  validityDays?: number;
  /** The serial number (default: 16 random bytes, positive); at most 32 bytes for the pallet. */
  serial?: bigint;
}

function window(o: ValidityOptions): { notBefore: Date; notAfter: Date; serialNumber: string } {
  const notBefore = o.notBefore ?? new Date();
  const days = o.validityDays ?? 365;
  const notAfter = o.notAfter ?? new Date(notBefore.getTime() + days * 86_400_000);
  if (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime()))
    invalidArgument('notBefore', 'expected a Date');
  if (!(notAfter instanceof Date) || Number.isNaN(notAfter.getTime()))
    invalidArgument('notAfter', 'expected a Date');
  let serial = o.serial;
  if (serial === undefined) {
    const r = crypto.getRandomValues(new Uint8Array(16));
    r[0]! &= 0x7f;
    r[0]! |= 0x01; // never zero, never negative, always 16 bytes
    serial = r.reduce((v, b) => (v << 8n) | BigInt(b), 0n);
  }
  au256(serial, 'serial');
  let hex = serial.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`; // keep the INTEGER positive
  return { notBefore, notAfter, serialNumber: hex };
}

// A DN with only a CN: `CN=<name>`, escaped through the JSON form so commas and plus signs survive.
function subjectName(commonName: string): Array<Record<string, string[]>> {
  if (typeof commonName !== 'string' || commonName.length === 0)
    invalidArgument('commonName', 'expected a non-empty string');
  return [{ CN: [commonName] }];
}

/**
 * A PKCS#10 certificate request for `CN=<commonName>`, signed by the subject's key (DER).
 *
 * @example
 * const csr = await createCsr({ commonName: 'Alice', keys: await generateKeyPair() });
 */
export async function createCsr(opts: { commonName: string; keys: CryptoKeyPair }): Promise<Uint8Array> {
  const x509 = await loadX509();
  const { algorithm } = signingFor(opts.keys.privateKey);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(opts.commonName),
    keys: opts.keys,
    signingAlgorithm: withHash(algorithm, opts.keys.privateKey),
  });
  return new Uint8Array(csr.rawData);
}

function withHash(algorithm: Algorithm, key: CryptoKey): Algorithm {
  const hash = (key.algorithm as Partial<RsaHashedKeyAlgorithm>).hash;
  return hash ? ({ ...algorithm, hash } as Algorithm) : algorithm;
}

/**
 * A self-signed root certificate for `CN=<commonName>` (basicConstraints CA, keyCertSign), ready
 * to register as a root. With `autoIdSan` it carries a subjectAltName URI `autoid:auto:<hex>` of
 * its raw Auto ID (the old SDK wrote the hex of the `0x…` text instead; neither is read by the pallet).
 *
 * @example
 * const keys = await generateKeyPair('Ed25519');
 * const root = await selfIssueCertificate({ commonName: 'Alice', keys });
 * await registry.registerAutoId(registrationFromCertificate(root.der), { now: Date.now() });
 */
export async function selfIssueCertificate(
  opts: { commonName: string; keys: CryptoKeyPair; autoIdSan?: boolean } & ValidityOptions,
): Promise<ParsedCertificate> {
  const x509 = await loadX509();
  const { algorithm } = signingFor(opts.keys.privateKey);
  const extensions: InstanceType<X509Module['Extension']>[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(opts.keys.publicKey),
  ];
  if (opts.autoIdSan) extensions.push(sanExtension(x509, deriveAutoId(opts.commonName)));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    ...window(opts),
    name: subjectName(opts.commonName),
    keys: opts.keys,
    signingAlgorithm: withHash(algorithm, opts.keys.privateKey),
    extensions,
  });
  return parseCertificate(new Uint8Array(cert.rawData));
}

function sanExtension(x509: X509Module, id: Identifier) {
  let hex = '';
  for (const b of id) hex += b.toString(16).padStart(2, '0');
  return new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `autoid:auto:${hex}` }]);
}

/**
 * A certificate for the subject of a CSR (DER or PEM; its self-signature is checked), issued and
 * signed by an issuer's certificate and private key: a leaf the pallet registers under the issuer.
 * With `issuerAutoId` it carries the subjectAltName URI `autoid:auto:<hex>` of the leaf's Auto ID.
 *
 * @example
 * const leaf = await issueCertificate({ csr, issuer: { certificate: root.der, privateKey: rootKeys.privateKey } });
 */
export async function issueCertificate(
  opts: {
    csr: Uint8Array | string;
    issuer: { certificate: Uint8Array | string; privateKey: CryptoKey };
    issuerAutoId?: Identifier;
  } & ValidityOptions,
): Promise<ParsedCertificate> {
  const x509 = await loadX509();
  const csrDer = typeof opts.csr === 'string' ? pemToDer(opts.csr, 'CERTIFICATE REQUEST') : opts.csr;
  abytes(csrDer, 'csr');
  let csr: InstanceType<X509Module['Pkcs10CertificateRequest']>;
  let ok = false;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrDer.slice());
    ok = await csr.verify();
  } catch (e) {
    throw new AutoIdError({
      code: 'AUTO_ID_INVALID_CSR',
      reason: e instanceof Error ? e.message : String(e),
    });
  }
  if (!ok) throw new AutoIdError({ code: 'AUTO_ID_INVALID_CSR', reason: 'self-signature does not verify' });
  const issuerCert = parseCertificate(opts.issuer.certificate);
  const issuerX509 = new x509.X509Certificate(issuerCert.der.slice());
  const { algorithm } = signingFor(opts.issuer.privateKey);
  const publicKey = await csr.publicKey.export();
  const extensions: InstanceType<X509Module['Extension']>[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(await issuerX509.publicKey.export()),
  ];
  if (opts.issuerAutoId !== undefined) {
    abytes(opts.issuerAutoId, 'issuerAutoId', 32);
    const cn = parseCn(csr.subjectName.getField('CN')[0]);
    extensions.push(sanExtension(x509, deriveAutoId(cn, opts.issuerAutoId)));
  }
  const cert = await x509.X509CertificateGenerator.create({
    ...window(opts),
    subject: csr.subjectName,
    issuer: issuerX509.subjectName,
    publicKey,
    signingKey: opts.issuer.privateKey,
    signingAlgorithm: withHash(algorithm, opts.issuer.privateKey),
    extensions,
  });
  return parseCertificate(new Uint8Array(cert.rawData));
}

function parseCn(cn: string | undefined): string {
  if (cn === undefined) return invalidArgument('csr', 'subject has no commonName');
  return cn;
}

/**
 * Exports a key as PEM: a private key as PKCS#8 (`PRIVATE KEY`), a public key as SPKI (`PUBLIC KEY`).
 * @example await exportKeyPem(keys.privateKey)
 */
export async function exportKeyPem(key: CryptoKey): Promise<string> {
  const { derToPem } = await import('./x509.js');
  if (key.type === 'private')
    return derToPem(new Uint8Array(await crypto.subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
  return derToPem(new Uint8Array(await crypto.subtle.exportKey('spki', key)), 'PUBLIC KEY');
}

/**
 * Imports an unencrypted PKCS#8 private key (PEM or DER) of a type this package creates.
 * @example const privateKey = await importPrivateKey(pem, 'Ed25519');
 */
export async function importPrivateKey(
  key: string | Uint8Array,
  algorithm: KeyAlgorithm,
  opts: { extractable?: boolean } = {},
): Promise<CryptoKey> {
  const der = typeof key === 'string' ? pemToDer(key, 'PRIVATE KEY') : key;
  abytes(der, 'key');
  const params = KEY_ALGORITHMS[algorithm];
  if (!params) invalidArgument('algorithm', `expected one of ${Object.keys(KEY_ALGORITHMS).join(', ')}`);
  try {
    return await crypto.subtle.importKey(
      'pkcs8',
      der.slice(),
      params as Algorithm,
      opts.extractable ?? false,
      ['sign'],
    );
  } catch (e) {
    return invalidArgument(
      'key',
      `not a ${algorithm} PKCS#8 key (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}
