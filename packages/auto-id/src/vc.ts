/**
 * W3C Verifiable Credentials 2.0 signed by Auto ID keys (our design over W3C specifications; the
 * chain has no credentials). Two securing mechanisms, chosen by the signer's key:
 *
 *  - Ed25519 and ECDSA P-256/P-384 keys: Data Integrity proofs (`type: DataIntegrityProof`) with
 *    the JCS cryptosuites `eddsa-jcs-2022` (vc-di-eddsa) and `ecdsa-jcs-2019` (vc-di-ecdsa). JCS
 *    (RFC 8785) needs no JSON-LD processing, so verification works offline. The proof we make
 *    repeats the document's `@context`; hash data is `H(JCS(proof without proofValue)) ‖
 *    H(JCS(document without proof))` (H = SHA-256; SHA-384 for P-384), signed as is (Ed25519) or
 *    as the ECDSA message (IEEE P1363 r‖s); `proofValue` is multibase base58btc (`z…`).
 *  - RSA keys (like the pallet's fixtures): VC-JOSE, a compact JWS whose payload is the credential
 *    itself, header `{ alg: RS256 | RS384 | RS512, typ: 'vc+jwt' (presentations 'vp+jwt'), cty,
 *    kid: <verification method> }`. ES256 and EdDSA JWS are accepted too.
 *
 * Issuers and holders are `did:autoid` DIDs (see did.ts); the verification method is `<did>#key-1`,
 * the key of the Auto ID's current certificate in an {@link AutoIdRegistry}. Verification also
 * checks the issuer's chain (revocation, deactivation, certificate validity), the credential's
 * `validFrom`/`validUntil`, and an `AutoIdStatus` `credentialStatus` (the credential is revoked
 * when the Auto ID it names is). Contexts are never fetched: unknown ones are rejected.
 */
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { au64 } from './assert.js';
import { autoIdFromDid, DID_KEY_FRAGMENT, didFromAutoId, importParamsFor } from './did.js';
import { base58Decode, base58Encode, base64urlDecode, base64urlEncode, canonicalize } from './encoding.js';
import { AutoIdError, fail } from './errors.js';
import type { AutoIdRegistry } from './registry.js';
import { importKey, parsePublicKeyInfo } from './signature.js';
import { checkChain } from './trust.js';
import type { Identifier } from './types.js';

/** The VC 2.0 base context (must come first). */
export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
/**
 * Our context URL for the Auto ID terms (`AutoIdDelegation`, `permissions`, `AutoIdStatus`, ...).
 * It is an identifier only: nothing here dereferences it, and JCS proofs do not need it.
 */
export const AUTO_ID_CONTEXT = 'https://autonomys.xyz/ns/auto-id/v1';
/** The proof types / cryptosuites this package produces and verifies. */
export const CRYPTOSUITES = ['eddsa-jcs-2022', 'ecdsa-jcs-2019'] as const;
/** JOSE algorithms accepted in VC-JOSE credentials and presentations. */
export const JOSE_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'EdDSA'] as const;
/** The `credentialStatus.type` whose revocation is the named Auto ID's revocation (our design). */
export const AUTO_ID_STATUS_TYPE = 'AutoIdStatus';
/** Largest credential or presentation accepted (bytes of JSON or JWS text). */
export const MAX_CREDENTIAL_SIZE = 1 << 20;

export type Cryptosuite = (typeof CRYPTOSUITES)[number];
export type JoseAlg = (typeof JOSE_ALGS)[number];

/** A JSON object (credential, presentation, subject). */
export type JsonObject = { [key: string]: unknown };

/** A Data Integrity proof with a JCS cryptosuite. */
export interface DataIntegrityProof {
  type: 'DataIntegrityProof';
  cryptosuite: Cryptosuite;
  created?: string;
  verificationMethod: string;
  proofPurpose: 'assertionMethod' | 'authentication';
  challenge?: string;
  domain?: string;
  proofValue: string;
}

/** A credential (VC 2.0 data model) before it is secured. */
export interface Credential extends JsonObject {
  '@context': string[];
  type: string[];
  id?: string;
  issuer: string | { id: string; [key: string]: unknown };
  validFrom?: string;
  validUntil?: string;
  credentialSubject: JsonObject | JsonObject[];
  credentialStatus?: { id: string; type: string; [key: string]: unknown };
}

/** A credential secured by a Data Integrity proof, or a VC-JOSE compact JWS. */
export type SecuredCredential = (Credential & { proof: DataIntegrityProof }) | string;

/** The signer of a credential or presentation: an Auto ID and the private key of its certificate. */
export interface AutoIdSigner {
  id: Identifier;
  privateKey: CryptoKey;
}

/** What {@link verifyCredential} returns for a credential that holds. */
export interface VerifiedCredential {
  credential: Credential;
  issuer: Identifier;
  format: 'data-integrity' | 'vc-jose';
  /** The cryptosuite or JOSE `alg`. */
  algorithm: Cryptosuite | JoseAlg;
}

/** Options of credential and presentation verification. */
export interface VerifyOptions {
  registry: AutoIdRegistry;
  /** The time to check at (ms; default `Date.now()`). */
  now?: bigint | number;
  /** Further context URLs to accept after the VC 2.0 one (ours is always accepted). */
  knownContexts?: readonly string[];
}

const invalid = (reason: string): never => fail({ code: 'AUTO_ID_INVALID_CREDENTIAL', reason });
const enc = new TextEncoder();

// --- signing primitives --------------------------------------------------------------------------

type KeyKind = { kind: 'Ed25519' } | { kind: 'EC'; curve: 'P-256' | 'P-384' } | { kind: 'RSA'; hash: string };

function keyKind(key: CryptoKey): KeyKind {
  const a = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm>;
  if (a.name === 'Ed25519') return { kind: 'Ed25519' };
  if (a.name === 'ECDSA' && (a.namedCurve === 'P-256' || a.namedCurve === 'P-384'))
    return { kind: 'EC', curve: a.namedCurve };
  if (a.name === 'RSASSA-PKCS1-v1_5' && a.hash) return { kind: 'RSA', hash: a.hash.name };
  return fail({ code: 'AUTO_ID_UNSUPPORTED_PROOF', proof: `key ${a.name ?? 'unknown'}` });
}

async function rawSign(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  const k = keyKind(key);
  const params =
    k.kind === 'EC'
      ? ({ name: 'ECDSA', hash: k.curve === 'P-256' ? 'SHA-256' : 'SHA-384' } as EcdsaParams)
      : { name: key.algorithm.name };
  return new Uint8Array(await crypto.subtle.sign(params, key, data.slice()));
}

async function rawVerify(
  spki: Uint8Array,
  params: Algorithm | EcdsaParams,
  importParams: Algorithm | EcKeyImportParams | RsaHashedImportParams,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  let key: CryptoKey;
  try {
    key = await importKey(spki, importParams);
  } catch {
    return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'the issuer key does not fit the proof algorithm' });
  }
  return crypto.subtle.verify(params, key, signature.slice(), data.slice());
}

function jcs(value: unknown, what: string): string {
  try {
    return canonicalize(value);
  } catch (e) {
    return invalid(`${what}: ${(e as Error).message}`);
  }
}

// --- Data Integrity (JCS cryptosuites) ----------------------------------------------------------

function hashData(
  suite: Cryptosuite,
  curve: 'P-256' | 'P-384' | undefined,
  config: JsonObject,
  doc: JsonObject,
) {
  const h = suite === 'ecdsa-jcs-2019' && curve === 'P-384' ? sha384 : sha256;
  const a = h(enc.encode(jcs(config, 'proof configuration')));
  const b = h(enc.encode(jcs(doc, 'document')));
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Options of {@link addDataIntegrityProof}. */
export interface ProofOptions {
  proofPurpose: 'assertionMethod' | 'authentication';
  verificationMethod: string;
  /** `created` (default now; `null` leaves it out). */
  created?: Date | null;
  challenge?: string;
  domain?: string;
}

/**
 * Adds a Data Integrity proof (`eddsa-jcs-2022` for an Ed25519 key, `ecdsa-jcs-2019` for P-256 /
 * P-384) to a JSON document; any existing `proof` is replaced.
 *
 * @example
 * const signed = await addDataIntegrityProof(doc, keys.privateKey, { proofPurpose: 'assertionMethod', verificationMethod });
 */
export async function addDataIntegrityProof<T extends JsonObject>(
  document: T,
  privateKey: CryptoKey,
  opts: ProofOptions,
): Promise<T & { proof: DataIntegrityProof }> {
  const k = keyKind(privateKey);
  if (k.kind === 'RSA')
    return fail({ code: 'AUTO_ID_UNSUPPORTED_PROOF', proof: 'Data Integrity with an RSA key (use VC-JOSE)' });
  const suite: Cryptosuite = k.kind === 'Ed25519' ? 'eddsa-jcs-2022' : 'ecdsa-jcs-2019';
  const { proof: _old, ...unsecured } = document as JsonObject;
  const proof: JsonObject = { type: 'DataIntegrityProof', cryptosuite: suite };
  const created = opts.created === undefined ? new Date() : opts.created;
  if (created) proof.created = xsdDateTime(created);
  proof.verificationMethod = opts.verificationMethod;
  proof.proofPurpose = opts.proofPurpose;
  if (opts.challenge !== undefined) proof.challenge = opts.challenge;
  if (opts.domain !== undefined) proof.domain = opts.domain;
  // Create Proof: the proof repeats the document's context (so its configuration hashes it).
  if (unsecured['@context'] !== undefined) proof['@context'] = unsecured['@context'];
  const config: JsonObject = { ...proof };
  const data = hashData(suite, k.kind === 'EC' ? k.curve : undefined, config, unsecured);
  const sig = await rawSign(privateKey, data);
  return {
    ...(unsecured as T),
    proof: { ...proof, proofValue: `z${base58Encode(sig)}` } as DataIntegrityProof,
  };
}

/**
 * Verifies the Data Integrity proof of a document with the SubjectPublicKeyInfo of its signer.
 * Throws AUTO_ID_UNSUPPORTED_PROOF for other proof types or suites, AUTO_ID_INVALID_CREDENTIAL for
 * a malformed proof, AUTO_ID_INVALID_PROOF when the signature does not verify.
 *
 * @example await verifyDataIntegrityProof(signed, spki)
 */
export async function verifyDataIntegrityProof(
  document: JsonObject,
  spki: Uint8Array,
): Promise<DataIntegrityProof> {
  const proof = document.proof;
  if (!isObject(proof)) return invalid('no proof (or proof is not one object)');
  if (proof.type !== 'DataIntegrityProof')
    return fail({ code: 'AUTO_ID_UNSUPPORTED_PROOF', proof: String(proof.type).slice(0, 100) });
  const suite = proof.cryptosuite as Cryptosuite;
  if (!CRYPTOSUITES.includes(suite))
    return fail({ code: 'AUTO_ID_UNSUPPORTED_PROOF', proof: String(suite).slice(0, 100) });
  if (typeof proof.proofValue !== 'string' || proof.proofValue[0] !== 'z')
    return invalid('proofValue is not multibase base58btc');
  const sig = base58Decode(proof.proofValue.slice(1));
  if (!sig) return invalid('proofValue is not base58btc');
  if (typeof proof.verificationMethod !== 'string') return invalid('proof.verificationMethod missing');
  if (proof.proofPurpose !== 'assertionMethod' && proof.proofPurpose !== 'authentication')
    return invalid('proof.proofPurpose must be assertionMethod or authentication');
  const { proofValue: _v, ...config } = proof;
  const { proof: _p, ...unsecured } = document;
  if (config['@context'] !== undefined) {
    // A proof carrying a context: the document's must start with it, and the document is hashed
    // with the proof's context (the specifications' Verify Proof steps).
    const pc = config['@context'];
    const dc = unsecured['@context'];
    if (
      !Array.isArray(pc) ||
      !Array.isArray(dc) ||
      pc.some((c, i) => jcs(c, 'context') !== jcs(dc[i], 'context'))
    )
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'proof @context does not match the document' });
    unsecured['@context'] = pc;
  }
  const key = parsePublicKeyInfo(spki);
  let ok: boolean;
  if (suite === 'eddsa-jcs-2022') {
    if (key.kind !== 'Ed25519')
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'eddsa-jcs-2022 needs an Ed25519 key' });
    if (sig.length !== 64)
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'Ed25519 signature is not 64 bytes' });
    ok = await rawVerify(
      spki,
      { name: 'Ed25519' },
      { name: 'Ed25519' },
      sig,
      hashData(suite, undefined, config, unsecured),
    );
  } else {
    if (key.kind !== 'EC')
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'ecdsa-jcs-2019 needs a P-256 or P-384 key' });
    const size = key.namedCurve === 'P-256' ? 64 : 96;
    if (sig.length !== size)
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: `ECDSA signature is not ${size} bytes` });
    ok = await rawVerify(
      spki,
      { name: 'ECDSA', hash: key.namedCurve === 'P-256' ? 'SHA-256' : 'SHA-384' } as EcdsaParams,
      { name: 'ECDSA', namedCurve: key.namedCurve },
      sig,
      hashData(suite, key.namedCurve, config, unsecured),
    );
  }
  if (!ok) fail({ code: 'AUTO_ID_INVALID_PROOF', reason: `${suite} signature does not verify` });
  return proof as unknown as DataIntegrityProof;
}

// --- VC-JOSE (compact JWS) ----------------------------------------------------------------------

function joseAlgFor(key: CryptoKey): JoseAlg {
  const k = keyKind(key);
  if (k.kind === 'Ed25519') return 'EdDSA';
  if (k.kind === 'EC') return k.curve === 'P-256' ? 'ES256' : 'ES384';
  const alg = { 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' }[k.hash] as JoseAlg | undefined;
  return alg ?? fail({ code: 'AUTO_ID_UNSUPPORTED_PROOF', proof: `RSA with ${k.hash}` });
}

/**
 * Signs a JSON payload as a compact JWS (VC-JOSE): `typ` `vc+jwt` or `vp+jwt`, `kid` the
 * verification method.
 * @example const jwt = await signJose(credential, rsaKeys.privateKey, { kid, typ: 'vc+jwt' });
 */
export async function signJose(
  payload: JsonObject,
  privateKey: CryptoKey,
  header: { kid: string; typ: 'vc+jwt' | 'vp+jwt' },
): Promise<string> {
  const alg = joseAlgFor(privateKey);
  const h = { alg, kid: header.kid, typ: header.typ, cty: header.typ === 'vc+jwt' ? 'vc' : 'vp' };
  const input = `${base64urlEncode(enc.encode(JSON.stringify(h)))}.${base64urlEncode(enc.encode(jcs(payload, 'payload')))}`;
  const sig = await rawSign(privateKey, enc.encode(input));
  return `${input}.${base64urlEncode(sig)}`;
}

/** The parts of a compact JWS, decoded (signature not checked). */
export interface DecodedJose {
  header: { alg: JoseAlg; kid: string; typ?: string; [key: string]: unknown };
  payload: JsonObject;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** Splits and decodes a compact JWS. Throws AUTO_ID_INVALID_CREDENTIAL / AUTO_ID_UNSUPPORTED_PROOF. */
export function decodeJose(jws: string): DecodedJose {
  if (jws.length > MAX_CREDENTIAL_SIZE) return invalid('JWS too large');
  const parts = jws.split('.');
  if (parts.length !== 3) return invalid('a compact JWS has three parts');
  const [h, p, s] = parts as [string, string, string];
  const hb = base64urlDecode(h);
  const pb = base64urlDecode(p);
  const sb = base64urlDecode(s);
  if (!hb || !pb || !sb) return invalid('JWS part is not base64url');
  const header = parseJson(hb, 'JWS header');
  const payload = parseJson(pb, 'JWS payload');
  if (!JOSE_ALGS.includes(header.alg as JoseAlg))
    return fail({ code: 'AUTO_ID_UNSUPPORTED_PROOF', proof: `JOSE alg ${String(header.alg).slice(0, 40)}` });
  if (typeof header.kid !== 'string') return invalid('JWS header has no kid');
  if (header.crit !== undefined) return invalid('JWS crit header parameters are not supported');
  return {
    header: header as DecodedJose['header'],
    payload,
    signingInput: enc.encode(`${h}.${p}`),
    signature: sb,
  };
}

/**
 * Verifies a decoded JWS with the signer's SubjectPublicKeyInfo. Throws AUTO_ID_INVALID_PROOF.
 * @example await verifyJose(decodeJose(jwt), spki)
 */
export async function verifyJose(jws: DecodedJose, spki: Uint8Array): Promise<void> {
  const alg = jws.header.alg;
  const key = parsePublicKeyInfo(spki);
  let ok: boolean;
  if (alg.startsWith('RS')) {
    if (key.kind !== 'RSA') return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: `${alg} needs an RSA key` });
    const hash = `SHA-${alg.slice(2)}` as 'SHA-256' | 'SHA-384' | 'SHA-512';
    ok = await rawVerify(
      spki,
      { name: 'RSASSA-PKCS1-v1_5' },
      importParamsFor(spki, hash),
      jws.signature,
      jws.signingInput,
    );
  } else if (alg === 'EdDSA') {
    if (key.kind !== 'Ed25519')
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'EdDSA needs an Ed25519 key' });
    ok = await rawVerify(spki, { name: 'Ed25519' }, { name: 'Ed25519' }, jws.signature, jws.signingInput);
  } else {
    const curve = alg === 'ES256' ? 'P-256' : 'P-384';
    if (key.kind !== 'EC' || key.namedCurve !== curve)
      return fail({ code: 'AUTO_ID_INVALID_PROOF', reason: `${alg} needs a ${curve} key` });
    ok = await rawVerify(
      spki,
      { name: 'ECDSA', hash: curve === 'P-256' ? 'SHA-256' : 'SHA-384' } as EcdsaParams,
      { name: 'ECDSA', namedCurve: curve },
      jws.signature,
      jws.signingInput,
    );
  }
  if (!ok) fail({ code: 'AUTO_ID_INVALID_PROOF', reason: `${alg} JWS signature does not verify` });
}

// --- credentials --------------------------------------------------------------------------------

/**
 * Issues a credential signed by an Auto ID: `issuer` is set to its DID; Ed25519 / ECDSA keys give
 * a Data Integrity proof (JCS cryptosuites), RSA keys a VC-JOSE compact JWS (`format: 'vc-jose'`
 * forces JWS for any key).
 *
 * @example
 * const vc = await issueCredential({
 *   credential: { '@context': [VC_CONTEXT_V2], type: ['VerifiableCredential'], credentialSubject: { id: didFromAutoId(bobId), degree: 'BSc' } },
 *   issuer: { id: aliceId, privateKey: aliceKeys.privateKey },
 * });
 */
export async function issueCredential(opts: {
  credential: Omit<Credential, 'issuer'> & { issuer?: Credential['issuer'] };
  issuer: AutoIdSigner;
  created?: Date;
  format?: 'data-integrity' | 'vc-jose';
}): Promise<SecuredCredential> {
  const issuerDid = didFromAutoId(opts.issuer.id);
  const { proof: _p, ...rest } = opts.credential as JsonObject;
  const given = rest.issuer;
  const credential = {
    ...rest,
    issuer: isObject(given) ? { ...given, id: issuerDid } : issuerDid,
  } as Credential;
  checkCredentialShape(credential, null);
  const kid = `${issuerDid}#${DID_KEY_FRAGMENT}`;
  const format =
    opts.format ?? (keyKind(opts.issuer.privateKey).kind === 'RSA' ? 'vc-jose' : 'data-integrity');
  if (format === 'vc-jose') return signJose(credential, opts.issuer.privateKey, { kid, typ: 'vc+jwt' });
  return addDataIntegrityProof(credential, opts.issuer.privateKey, {
    proofPurpose: 'assertionMethod',
    verificationMethod: kid,
    created: opts.created ?? new Date(),
  });
}

/**
 * Verifies a credential (Data Integrity object or VC-JOSE JWS) against a registry: shape and
 * contexts, the issuer's `did:autoid` key and proof, the issuer's chain at `now` (not revoked or
 * deactivated at any level, certificates valid), `validFrom`/`validUntil`, and an `AutoIdStatus`
 * credentialStatus. Throws AutoIdError (AUTO_ID_INVALID_CREDENTIAL, AUTO_ID_UNKNOWN_CONTEXT,
 * AUTO_ID_UNSUPPORTED_PROOF, AUTO_ID_INVALID_PROOF, AUTO_ID_REVOKED, AUTO_ID_NOT_VALID_AT,
 * AUTO_ID_UNRESOLVED_IDENTITY, AUTO_ID_INVALID_DID).
 *
 * @example const { issuer, credential } = await verifyCredential(vc, { registry, now: Date.now() });
 */
export async function verifyCredential(secured: unknown, opts: VerifyOptions): Promise<VerifiedCredential> {
  return guard(async () => {
    const now = au64(opts.now ?? Date.now(), 'now');
    let credential: Credential;
    let format: VerifiedCredential['format'];
    let algorithm: VerifiedCredential['algorithm'];
    let vm: string;
    let check: (spki: Uint8Array) => Promise<unknown>;
    if (typeof secured === 'string') {
      const jws = decodeJose(secured);
      if (jws.header.typ !== undefined && jws.header.typ !== 'vc+jwt')
        invalid(`JWS typ ${String(jws.header.typ)} is not vc+jwt`);
      if (jws.payload.proof !== undefined) invalid('a VC-JOSE payload carries no embedded proof');
      credential = jws.payload as Credential;
      format = 'vc-jose';
      algorithm = jws.header.alg;
      vm = jws.header.kid;
      check = (spki) => verifyJose(jws, spki);
    } else {
      if (!isObject(secured)) return invalid('expected a credential object or a JWS string');
      sizeCheck(secured);
      const proof = secured.proof;
      if (!isObject(proof)) return invalid('no proof (or proof is not one object)');
      credential = secured as Credential;
      format = 'data-integrity';
      algorithm = proof.cryptosuite as Cryptosuite;
      if (proof.type !== 'DataIntegrityProof' || !CRYPTOSUITES.includes(algorithm as Cryptosuite))
        fail({
          code: 'AUTO_ID_UNSUPPORTED_PROOF',
          proof: `${String(proof.type)} ${String(proof.cryptosuite)}`.slice(0, 100),
        });
      if (proof.proofPurpose !== 'assertionMethod')
        invalid('a credential proof must have proofPurpose assertionMethod');
      vm = String(proof.verificationMethod);
      check = (spki) => verifyDataIntegrityProof(secured, spki);
    }
    checkCredentialShape(credential, opts.knownContexts ?? []);
    const issuerDid = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer.id;
    const issuer = autoIdFromDid(issuerDid);
    if (vm !== `${didFromAutoId(issuer)}#${DID_KEY_FRAGMENT}` || issuerDid !== didFromAutoId(issuer))
      invalid('the verification method is not the issuer DID #key-1');
    const chain = checkChain(opts.registry, issuer, { at: now });
    await check(chain[0]!.certificate.subjectPublicKeyInfo);
    checkWindow(credential, now);
    checkStatus(credential, opts.registry, now);
    return { credential, issuer, format, algorithm };
  });
}

/**
 * Rejects what a VC 2.0 credential (or presentation) must not be; contexts after the VC 2.0 one
 * must be ours or in `knownContexts` (`null`: any URL, for issuers who know their own).
 */
export function checkCredentialShape(
  c: JsonObject,
  knownContexts: readonly string[] | null,
  kind = 'VerifiableCredential',
) {
  checkContexts(c['@context'], knownContexts);
  const type = c.type;
  if (!Array.isArray(type) || !type.every((t) => typeof t === 'string') || !type.includes(kind))
    invalid(`type must be an array including ${kind}`);
  if (kind === 'VerifiableCredential') {
    const issuer = c.issuer;
    if (typeof issuer !== 'string' && !(isObject(issuer) && typeof issuer.id === 'string'))
      invalid('issuer must be a DID or an object with an id');
    const subject = c.credentialSubject;
    if (!isObject(subject) && !(Array.isArray(subject) && subject.length > 0 && subject.every(isObject)))
      invalid('credentialSubject must be an object or a non-empty array of objects');
    for (const f of ['validFrom', 'validUntil'] as const)
      if (c[f] !== undefined && dateMs(c[f]) === undefined) invalid(`${f} is not an XML Schema dateTime`);
  }
  if (c.id !== undefined && typeof c.id !== 'string') invalid('id must be a string');
}

function checkContexts(ctx: unknown, known: readonly string[] | null) {
  if (!Array.isArray(ctx) || ctx[0] !== VC_CONTEXT_V2)
    invalid(`@context must be an array starting with ${VC_CONTEXT_V2}`);
  for (const c of (ctx as unknown[]).slice(1)) {
    if (typeof c !== 'string')
      fail({ code: 'AUTO_ID_UNKNOWN_CONTEXT', context: jcs(c, 'context').slice(0, 100) });
    if (c !== AUTO_ID_CONTEXT && c !== VC_CONTEXT_V2 && known !== null && !known.includes(c))
      fail({ code: 'AUTO_ID_UNKNOWN_CONTEXT', context: c.slice(0, 200) });
  }
}

function checkWindow(c: Credential, now: bigint) {
  const from = c.validFrom === undefined ? undefined : dateMs(c.validFrom);
  const until = c.validUntil === undefined ? undefined : dateMs(c.validUntil);
  if (from !== undefined && now < from)
    fail({
      code: 'AUTO_ID_NOT_VALID_AT',
      what: 'credential',
      reason: `validFrom ${c.validFrom} is after now`,
    });
  if (until !== undefined && now > until)
    fail({
      code: 'AUTO_ID_NOT_VALID_AT',
      what: 'credential',
      reason: `validUntil ${c.validUntil} has passed`,
    });
}

function checkStatus(c: Credential, registry: AutoIdRegistry, now: bigint) {
  const statuses =
    c.credentialStatus === undefined
      ? []
      : Array.isArray(c.credentialStatus)
        ? c.credentialStatus
        : [c.credentialStatus];
  for (const s of statuses as unknown[]) {
    if (!isObject(s) || s.type !== AUTO_ID_STATUS_TYPE || typeof s.id !== 'string')
      invalid(`unsupported credentialStatus (only ${AUTO_ID_STATUS_TYPE} with a did:autoid id)`);
    const id = autoIdFromDid((s as { id: string }).id);
    checkChain(registry, id, { at: now });
  }
}

// --- presentations ------------------------------------------------------------------------------

/** A presentation (VC 2.0) of credentials by a holder. */
export interface Presentation extends JsonObject {
  '@context': string[];
  type: string[];
  holder: string;
  verifiableCredential: SecuredCredential[];
}

/**
 * A presentation of credentials signed by their holder's Auto ID, bound to a verifier's
 * `challenge` (and optional `domain`): Data Integrity with `proofPurpose: authentication`, or for
 * an RSA key a `vp+jwt` JWS whose payload carries `nonce` (= challenge) and `aud` (= domain).
 *
 * @example const vp = await createPresentation({ holder: { id: agentId, privateKey }, credentials: [delegation], challenge });
 */
export async function createPresentation(opts: {
  holder: AutoIdSigner;
  credentials: SecuredCredential[];
  challenge: string;
  domain?: string;
  created?: Date;
}): Promise<Presentation | string> {
  if (typeof opts.challenge !== 'string' || opts.challenge.length === 0)
    invalid('challenge must be a non-empty string');
  const holder = didFromAutoId(opts.holder.id);
  const vp: Presentation = {
    '@context': [VC_CONTEXT_V2, AUTO_ID_CONTEXT],
    type: ['VerifiablePresentation'],
    holder,
    verifiableCredential: opts.credentials,
  };
  const kid = `${holder}#${DID_KEY_FRAGMENT}`;
  if (keyKind(opts.holder.privateKey).kind === 'RSA') {
    const payload: JsonObject = { ...vp, nonce: opts.challenge };
    if (opts.domain !== undefined) payload.aud = opts.domain;
    return signJose(payload, opts.holder.privateKey, { kid, typ: 'vp+jwt' });
  }
  const proofOpts: ProofOptions = {
    proofPurpose: 'authentication',
    verificationMethod: kid,
    created: opts.created ?? new Date(),
    challenge: opts.challenge,
  };
  if (opts.domain !== undefined) proofOpts.domain = opts.domain;
  return addDataIntegrityProof(vp, opts.holder.privateKey, proofOpts);
}

/** What {@link verifyPresentation} returns. */
export interface VerifiedPresentation {
  holder: Identifier;
  presentation: Presentation;
  credentials: VerifiedCredential[];
}

/**
 * Verifies a presentation: its holder's signature over the expected challenge (and domain), the
 * holder's chain at `now`, and every credential in it (as {@link verifyCredential}).
 *
 * @example const { holder, credentials } = await verifyPresentation(vp, { registry, challenge, now });
 */
export async function verifyPresentation(
  secured: unknown,
  opts: VerifyOptions & { challenge: string; domain?: string },
): Promise<VerifiedPresentation> {
  return guard(async () => {
    const now = au64(opts.now ?? Date.now(), 'now');
    let vp: Presentation;
    let vm: string;
    let check: (spki: Uint8Array) => Promise<unknown>;
    if (typeof secured === 'string') {
      const jws = decodeJose(secured);
      if (jws.header.typ !== undefined && jws.header.typ !== 'vp+jwt') invalid('JWS typ is not vp+jwt');
      const { nonce, aud, ...rest } = jws.payload;
      if (nonce !== opts.challenge)
        fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'challenge (nonce) does not match' });
      if (opts.domain !== undefined && aud !== opts.domain)
        fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'domain (aud) does not match' });
      vp = rest as Presentation;
      vm = jws.header.kid;
      check = (spki) => verifyJose(jws, spki);
    } else {
      if (!isObject(secured)) return invalid('expected a presentation object or a JWS string');
      sizeCheck(secured);
      const proof = secured.proof;
      if (!isObject(proof)) return invalid('no proof (or proof is not one object)');
      if (proof.proofPurpose !== 'authentication')
        invalid('a presentation proof must have proofPurpose authentication');
      if (proof.challenge !== opts.challenge)
        fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'challenge does not match' });
      if (opts.domain !== undefined && proof.domain !== opts.domain)
        fail({ code: 'AUTO_ID_INVALID_PROOF', reason: 'domain does not match' });
      vp = secured as Presentation;
      vm = String(proof.verificationMethod);
      check = (spki) => verifyDataIntegrityProof(secured, spki);
    }
    checkCredentialShape(vp, opts.knownContexts ?? [], 'VerifiablePresentation');
    if (typeof vp.holder !== 'string') invalid('holder must be a did:autoid DID');
    const holder = autoIdFromDid(vp.holder);
    if (vm !== `${didFromAutoId(holder)}#${DID_KEY_FRAGMENT}` || vp.holder !== didFromAutoId(holder))
      invalid('the verification method is not the holder DID #key-1');
    const chain = checkChain(opts.registry, holder, { at: now });
    await check(chain[0]!.certificate.subjectPublicKeyInfo);
    const list = vp.verifiableCredential;
    if (!Array.isArray(list)) invalid('verifiableCredential must be an array');
    const credentials: VerifiedCredential[] = [];
    for (const c of list) credentials.push(await verifyCredential(c, opts));
    return { holder, presentation: vp, credentials };
  });
}

// --- helpers ------------------------------------------------------------------------------------

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(bytes: Uint8Array, what: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return invalid(`${what} is not UTF-8 JSON`);
  }
  if (!isObject(v)) return invalid(`${what} is not a JSON object`);
  return v;
}

function sizeCheck(v: JsonObject) {
  if (jcs(v, 'credential').length > MAX_CREDENTIAL_SIZE) invalid('credential too large');
}

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** An XML Schema dateTime as ms since the epoch (UTC when no offset), or undefined. */
export function dateMs(v: unknown): bigint | undefined {
  if (typeof v !== 'string' || !DATE_TIME.test(v)) return undefined;
  const t = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`);
  return Number.isFinite(t) && t >= 0 ? BigInt(t) : undefined;
}

/** A Date as an XML Schema dateTime in UTC, whole seconds (`2024-07-01T00:00:00Z`). */
export function xsdDateTime(d: Date): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) invalid('expected a valid Date');
  return `${d.toISOString().slice(0, 19)}Z`;
}

// Any failure that is not ours (a WebCrypto DataError on a hostile key, a TypeError from odd JSON)
// becomes a typed error: nothing foreign escapes verification.
async function guard<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof AutoIdError) throw e;
    return fail({ code: 'AUTO_ID_INVALID_CREDENTIAL', reason: e instanceof Error ? e.message : String(e) });
  }
}
