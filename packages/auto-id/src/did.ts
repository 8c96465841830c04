/**
 * The `did:autoid` method (our design; identity.md §3: the whitepaper promises W3C DID
 * interoperability, the chain has none). A DID names an Auto ID by its 32-byte identifier:
 *
 *   did:autoid:<64 lower-case hex digits of the Auto ID>
 *
 * Resolution reads an {@link AutoIdRegistry} (the pallet's state): the DID document has one
 * verification method, `<did>#key-1`, of type `JsonWebKey` whose `publicKeyJwk` is the
 * certificate's SubjectPublicKeyInfo, usable for `assertionMethod` and `authentication`. A
 * revoked or deactivated Auto ID still resolves (with `deactivated: true` in the resolution
 * metadata) so that old signatures can be judged; verifiers check the status themselves.
 */
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { abytes } from './assert.js';
import { IDENTIFIER_SIZE } from './constants.js';
import { fail } from './errors.js';
import type { AutoIdRegistry, RevocationStatus } from './registry.js';
import { parsePublicKeyInfo } from './signature.js';
import type { Identifier } from './types.js';

/** The method prefix. */
export const DID_PREFIX = 'did:autoid:';
/** The fragment of the single verification method of a `did:autoid` document. */
export const DID_KEY_FRAGMENT = 'key-1';

/** A `did:autoid` DID document (the subset this method produces). */
export interface DidDocument {
  '@context': string[];
  id: string;
  /** The issuer's DID for a leaf (agent, member); absent for a root. */
  controller?: string;
  verificationMethod: Array<{ id: string; type: 'JsonWebKey'; controller: string; publicKeyJwk: JsonWebKey }>;
  assertionMethod: string[];
  authentication: string[];
}

/** The result of {@link resolveDid}. */
export interface DidResolution {
  didDocument: DidDocument;
  /** The SubjectPublicKeyInfo DER of the current certificate. */
  subjectPublicKeyInfo: Uint8Array;
  status: RevocationStatus;
  deactivated: boolean;
}

/** `did:autoid:<hex>` of an Auto ID. @example didFromAutoId(id) // 'did:autoid:8d66…' */
export function didFromAutoId(id: Identifier): string {
  abytes(id, 'id', IDENTIFIER_SIZE);
  return `${DID_PREFIX}${bytesToHex(id)}`;
}

/**
 * The Auto ID a `did:autoid` DID (or DID URL: `#fragment` and `?query` are ignored) names.
 * @example autoIdFromDid('did:autoid:8d66…#key-1')
 */
export function autoIdFromDid(did: string): Identifier {
  if (typeof did !== 'string')
    return fail({ code: 'AUTO_ID_INVALID_DID', did: String(did), reason: 'not a string' });
  const bare = did.split(/[#?]/, 1)[0]!;
  if (!bare.startsWith(DID_PREFIX))
    return fail({
      code: 'AUTO_ID_INVALID_DID',
      did: did.slice(0, 100),
      reason: `expected ${DID_PREFIX}<hex>`,
    });
  const hex = bare.slice(DID_PREFIX.length);
  if (!/^[0-9a-f]{64}$/.test(hex))
    return fail({
      code: 'AUTO_ID_INVALID_DID',
      did: did.slice(0, 100),
      reason: 'expected 64 lower-case hex digits',
    });
  return hexToBytes(hex);
}

/** The verification method id of an Auto ID's DID: `did:autoid:<hex>#key-1`. */
export const verificationMethodOf = (id: Identifier): string => `${didFromAutoId(id)}#${DID_KEY_FRAGMENT}`;

/**
 * Resolves a `did:autoid` DID against a registry. Throws AUTO_ID_UNRESOLVED_IDENTITY for an Auto
 * ID the registry never held.
 *
 * @example
 * const { didDocument, status } = await resolveDid(didFromAutoId(aliceId), registry);
 */
export async function resolveDid(did: string, registry: AutoIdRegistry): Promise<DidResolution> {
  const id = autoIdFromDid(did);
  const chain = registry.chainOf(id);
  const link = chain?.[0];
  if (!link) return fail({ code: 'AUTO_ID_UNRESOLVED_IDENTITY', id: bytesToHex(id) });
  const spki = link.certificate.subjectPublicKeyInfo;
  const jwk = await spkiToJwk(spki);
  const self = didFromAutoId(id);
  const vm = `${self}#${DID_KEY_FRAGMENT}`;
  const doc: DidDocument = {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: self,
    verificationMethod: [{ id: vm, type: 'JsonWebKey', controller: self, publicKeyJwk: jwk }],
    assertionMethod: [vm],
    authentication: [vm],
  };
  if (link.certificate.issuerId) doc.controller = didFromAutoId(link.certificate.issuerId);
  return {
    didDocument: doc,
    subjectPublicKeyInfo: spki,
    status: registry.revocationStatus(id) ?? { revoked: false },
    deactivated: link.deactivated,
  };
}

/** WebCrypto import parameters for a SubjectPublicKeyInfo (credential layer: RSA PKCS#1 v1.5 by hash). */
export function importParamsFor(
  spki: Uint8Array,
  rsaHash: 'SHA-256' | 'SHA-384' | 'SHA-512' = 'SHA-256',
): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  const info = parsePublicKeyInfo(spki);
  if (info.kind === 'Ed25519') return { name: 'Ed25519' };
  if (info.kind === 'EC') return { name: 'ECDSA', namedCurve: info.namedCurve };
  return { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash };
}

/** The public JWK of a SubjectPublicKeyInfo (Ed25519 `OKP`, P-256/P-384 `EC`, `RSA`). */
export async function spkiToJwk(spki: Uint8Array): Promise<JsonWebKey> {
  const key = await crypto.subtle.importKey('spki', spki.slice(), importParamsFor(spki), true, ['verify']);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  const out: JsonWebKey = { kty: jwk.kty! };
  for (const k of ['crv', 'x', 'y', 'n', 'e'] as const) if (jwk[k] !== undefined) out[k] = jwk[k];
  return out;
}
