/**
 * Presentation: the score as a W3C Verifiable Credential (VC Data Model 2.0) bound to the holder's
 * Auto ID and issued by a verifier's Auto ID, secured with a Data Integrity proof of the
 * `eddsa-jcs-2022` (Ed25519 keys) or `ecdsa-jcs-2019` (P-256 keys) cryptosuite, signed with Web
 * Crypto keys; and a threshold credential stating only "score >= t".
 *
 * Identifiers are `did:autoid:<64 hex>`; the issuer's key is its Auto ID certificate's key, read
 * from an {@link AutoIdRegistry} (no DID document resolution: `did:autoid` is ours until auto-id
 * defines the method).
 */
import type { AutoIdRegistry } from '@autonomys/auto-id';
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { sha256 } from '@noble/hashes/sha2.js';
import { HASH_SIZE } from './constants.js';
import { AutoScoreError, invalidArgument, unsupported } from './errors.js';
import type { Score } from './score.js';
import { abytes, utf8 } from './util.js';

export const VC_CONTEXT_V2 = 'https://www.w3.org/ns/credentials/v2';
/** Our context URL for the Auto Score terms (not published yet: treat as an identifier). */
export const AUTO_SCORE_CONTEXT = 'https://autonomys.xyz/ns/auto-score/v1';

/** `did:autoid:<hex>` of an Auto ID. */
export const autoIdDid = (id: Uint8Array): string => {
  abytes(id, 'autoId', HASH_SIZE);
  return `did:autoid:${bytesToHex(id)}`;
};

/** The Auto ID of a `did:autoid:<hex>`. */
export function parseAutoIdDid(did: unknown): Uint8Array {
  if (typeof did !== 'string' || !/^did:autoid:[0-9a-f]{64}$/.test(did))
    invalid(`not a did:autoid: ${String(did)}`);
  return hexToBytes(did.slice(11));
}

function invalid(reason: string): never {
  throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_CREDENTIAL', reason });
}

/** JSON Canonicalization Scheme (RFC 8785) of a JSON value: sorted keys, ES number and string forms. */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalidArgument('value', 'non-finite number');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return invalidArgument('value', `not JSON: ${typeof value}`);
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** base58btc (Bitcoin alphabet). */
export function base58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let s = '';
  while (n > 0n) {
    s = B58[Number(n % 58n)]! + s;
    n /= 58n;
  }
  return '1'.repeat(zeros) + s;
}

/** Decodes base58btc; `undefined` for a character outside the alphabet. */
export function fromBase58btc(s: string): Uint8Array | undefined {
  let zeros = 0;
  while (zeros < s.length && s[zeros] === '1') zeros++;
  let n = 0n;
  for (const c of s) {
    const i = B58.indexOf(c);
    if (i < 0) return undefined;
    n = n * 58n + BigInt(i);
  }
  const out: number[] = [];
  while (n > 0n) {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return Uint8Array.from([...new Array(zeros).fill(0), ...out]);
}

/** A Data Integrity proof. */
export interface DataIntegrityProof {
  type: 'DataIntegrityProof';
  cryptosuite: 'eddsa-jcs-2022' | 'ecdsa-jcs-2019';
  created: string;
  verificationMethod: string;
  proofPurpose: 'assertionMethod';
  /** Optional freshness binding for threshold presentations (a relying party's nonce). */
  challenge?: string;
  domain?: string;
  proofValue: string;
}

/** A verifiable credential as issued here. */
export interface AutoScoreCredential {
  '@context': string[];
  type: string[];
  issuer: string;
  validFrom: string;
  validUntil: string;
  credentialSubject: Record<string, unknown> & { id: string };
  proof: DataIntegrityProof;
}

/** The issuing verifier: its Auto ID and the private key of its certificate. */
export interface CredentialIssuer {
  autoId: Uint8Array;
  privateKey: CryptoKey;
}

function suiteOf(key: CryptoKey): {
  suite: DataIntegrityProof['cryptosuite'];
  alg: AlgorithmIdentifier | EcdsaParams;
} {
  const a = key.algorithm as EcKeyAlgorithm;
  if (a.name === 'Ed25519') return { suite: 'eddsa-jcs-2022', alg: { name: 'Ed25519' } };
  if (a.name === 'ECDSA' && a.namedCurve === 'P-256')
    return { suite: 'ecdsa-jcs-2019', alg: { name: 'ECDSA', hash: 'SHA-256' } };
  return unsupported('credential key', `${a.name}${a.namedCurve ? ` ${a.namedCurve}` : ''}`);
}

// Data Integrity JCS suites: hashData = SHA-256(JCS(proof options)) ‖ SHA-256(JCS(document)).
function hashData(doc: Record<string, unknown>, proofOptions: Record<string, unknown>): Uint8Array {
  const out = new Uint8Array(64);
  out.set(sha256(utf8(canonicalize(proofOptions))));
  out.set(sha256(utf8(canonicalize(doc))), 32);
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function sign(
  doc: Omit<AutoScoreCredential, 'proof'>,
  issuer: CredentialIssuer,
  created: number,
  extra: { challenge?: string; domain?: string },
): Promise<AutoScoreCredential> {
  const { suite, alg } = suiteOf(issuer.privateKey);
  const options = {
    '@context': doc['@context'],
    type: 'DataIntegrityProof' as const,
    cryptosuite: suite,
    created: iso(created),
    verificationMethod: `${doc.issuer}#key-1`,
    proofPurpose: 'assertionMethod' as const,
    ...extra,
  };
  const sig = new Uint8Array(
    await crypto.subtle.sign(alg, issuer.privateKey, new Uint8Array(hashData(doc, options))),
  );
  const { '@context': _, ...proof } = options;
  return { ...doc, proof: { ...proof, proofValue: `z${base58btc(sig)}` } };
}

export interface IssueOptions {
  /** Issuance time (ms, default now) and validity (default 30 days). */
  now?: number;
  validForMs?: number;
  /** Include the list of counted factors (factor and claim type, no nullifiers); default true. */
  includeFactors?: boolean;
}

/**
 * Issues the score as a VC: `credentialSubject = { id: did:autoid:<holder>, autoScore: { value,
 * policy, evaluatedAt, factors? } }`, signed by the verifier's Auto ID key.
 *
 * @example const vc = await issueScoreCredential(s, holderId, { autoId: verifierId, privateKey });
 */
export async function issueScoreCredential(
  s: Score,
  holder: Uint8Array,
  issuer: CredentialIssuer,
  opts: IssueOptions = {},
): Promise<AutoScoreCredential> {
  const now = opts.now ?? Date.now();
  const counted = s.contributions.filter((c) => c.status === 'counted');
  const autoScore: Record<string, unknown> = {
    value: s.value,
    policy: s.policyVersion,
    evaluatedAt: iso(s.at),
  };
  if (opts.includeFactors ?? true)
    autoScore.factors = counted.map((c) => ({ factor: c.factor, claimType: c.claimType }));
  const doc = {
    '@context': [VC_CONTEXT_V2, AUTO_SCORE_CONTEXT],
    type: ['VerifiableCredential', 'AutoScoreCredential'],
    issuer: autoIdDid(issuer.autoId),
    validFrom: iso(now),
    validUntil: iso(now + (opts.validForMs ?? 30 * 86_400_000)),
    credentialSubject: { id: autoIdDid(holder), autoScore },
  };
  return sign(doc, issuer, now, {});
}

/**
 * Issues a threshold credential: only "the holder's score under `policy` is at least `threshold`"
 * (`credentialSubject = { id, autoScoreAtLeast: { threshold, policy } }`). Refuses when the score
 * is below. With `challenge` / `domain` (a relying party's nonce and origin) it is single-use.
 */
export async function issueThresholdCredential(
  s: Score,
  holder: Uint8Array,
  threshold: number,
  issuer: CredentialIssuer,
  opts: { now?: number; validForMs?: number; challenge?: string; domain?: string } = {},
): Promise<AutoScoreCredential> {
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold < 1))
    invalidArgument('threshold', 'expected [0, 1)');
  if (!(s.value >= threshold)) invalid(`score below ${threshold}`);
  const now = opts.now ?? Date.now();
  const doc = {
    '@context': [VC_CONTEXT_V2, AUTO_SCORE_CONTEXT],
    type: ['VerifiableCredential', 'AutoScoreThresholdCredential'],
    issuer: autoIdDid(issuer.autoId),
    validFrom: iso(now),
    validUntil: iso(now + (opts.validForMs ?? 86_400_000)),
    credentialSubject: { id: autoIdDid(holder), autoScoreAtLeast: { threshold, policy: s.policyVersion } },
  };
  const extra: { challenge?: string; domain?: string } = {};
  if (opts.challenge !== undefined) extra.challenge = opts.challenge;
  if (opts.domain !== undefined) extra.domain = opts.domain;
  return sign(doc, issuer, now, extra);
}

const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

/**
 * Verifies a credential issued here: shape, validity at `now`, the issuer registered and not
 * revoked in `registry`, the suite matching its certificate key, and the signature. With
 * `expect` it also checks the holder, a challenge and domain, or a minimum threshold.
 * Returns the credential subject; throws `AUTO_SCORE_INVALID_CREDENTIAL` / `AUTO_SCORE_REVOKED`.
 */
export async function verifyCredential(
  vc: unknown,
  registry: AutoIdRegistry,
  opts: {
    now?: number;
    holder?: Uint8Array;
    challenge?: string;
    domain?: string;
    minThreshold?: number;
  } = {},
): Promise<{ issuer: Uint8Array; holder: Uint8Array; credentialSubject: Record<string, unknown> }> {
  if (typeof vc !== 'object' || vc === null) invalid('not an object');
  const { proof, ...doc } = vc as AutoScoreCredential;
  if (typeof proof !== 'object' || proof === null) invalid('no proof');
  if (!Array.isArray(doc['@context']) || doc['@context'][0] !== VC_CONTEXT_V2) invalid('bad @context');
  if (!Array.isArray(doc.type) || doc.type[0] !== 'VerifiableCredential') invalid('bad type');
  const issuer = parseAutoIdDid(doc.issuer);
  const holder = parseAutoIdDid(doc.credentialSubject?.id);
  const now = opts.now ?? Date.now();
  const from = Date.parse(doc.validFrom);
  const until = Date.parse(doc.validUntil);
  if (!(from <= now && now <= until)) invalid('not valid now');
  if (proof.type !== 'DataIntegrityProof' || proof.proofPurpose !== 'assertionMethod')
    invalid('bad proof type');
  if (proof.verificationMethod !== `${doc.issuer}#key-1`) invalid('verificationMethod is not the issuer key');
  if (opts.holder !== undefined && bytesToHex(opts.holder) !== bytesToHex(holder)) invalid('another holder');
  if (opts.challenge !== undefined && proof.challenge !== opts.challenge) invalid('challenge mismatch');
  if (opts.domain !== undefined && proof.domain !== opts.domain) invalid('domain mismatch');
  if (opts.minThreshold !== undefined) {
    const t = (doc.credentialSubject.autoScoreAtLeast as { threshold?: unknown } | undefined)?.threshold;
    const v = (doc.credentialSubject.autoScore as { value?: unknown } | undefined)?.value;
    const shown = typeof t === 'number' ? t : typeof v === 'number' ? v : undefined;
    if (shown === undefined || shown < opts.minThreshold)
      invalid(`score not shown to be >= ${opts.minThreshold}`);
  }
  const entry = registry.getAutoId(issuer);
  if (entry === undefined || registry.isRevoked(issuer))
    throw new AutoScoreError({ code: 'AUTO_SCORE_REVOKED', what: 'credential issuer' });
  const spki = entry.certificate.subjectPublicKeyInfo;
  const isEd = bytesToHex(spki).startsWith(ED25519_SPKI_PREFIX);
  let key: CryptoKey;
  let alg: AlgorithmIdentifier | EcdsaParams;
  if (proof.cryptosuite === 'eddsa-jcs-2022' && isEd) {
    alg = { name: 'Ed25519' };
    key = await crypto.subtle.importKey('spki', new Uint8Array(spki), alg, false, ['verify']);
  } else if (proof.cryptosuite === 'ecdsa-jcs-2019' && !isEd) {
    alg = { name: 'ECDSA', hash: 'SHA-256' };
    try {
      key = await crypto.subtle.importKey(
        'spki',
        new Uint8Array(spki),
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
    } catch {
      return unsupported('credential issuer key', 'not P-256');
    }
  } else return invalid(`cryptosuite ${String(proof.cryptosuite)} does not match the issuer key`);
  if (typeof proof.proofValue !== 'string' || proof.proofValue[0] !== 'z')
    invalid('proofValue is not base58btc');
  const sig = fromBase58btc(proof.proofValue.slice(1));
  if (sig === undefined || sig.length !== 64) invalid('bad proofValue');
  const { proofValue: _, ...options } = proof;
  let data: Uint8Array;
  try {
    data = hashData(doc as Record<string, unknown>, { '@context': doc['@context'], ...options });
  } catch {
    return invalid('not canonicalizable JSON');
  }
  if (!(await crypto.subtle.verify(alg, key, new Uint8Array(sig), new Uint8Array(data))))
    invalid('signature does not verify');
  return { issuer, holder, credentialSubject: doc.credentialSubject };
}
