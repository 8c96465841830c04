/**
 * Claims: one piece of evidence of personhood presented for an Auto ID, with the SDK's claim-type
 * hashes and its uniqueness nullifier (identity.md §2: auto-sdk `SupportedClaimHashes` and
 * `ZkpClaim.getUID`).
 */
import { bytesToHex } from '@autonomys/primitives';
import { HASH_SIZE, MAX_STRING_LENGTH, OWN_CLAIM_TYPES, SDK_CLAIM_TYPES } from './constants.js';
import { invalidArgument, oversized } from './errors.js';
import { blake2b256, utf8 } from './util.js';

/** A factor kind: one of the default policy's, or a custom one a policy and a verifier agree on. */
export type Factor =
  | 'e-passport'
  | 'zk-passport'
  | 'zktls-account'
  | 'auto-id'
  | 'chain-participation'
  | (string & {});

/**
 * A claim as a holder presents it. Nothing in it is trusted: a verifier recomputes the nullifier,
 * the times and the binding to `subject` from `proof` and refuses any difference.
 */
export interface Claim<P = unknown> {
  /** Which kind of evidence (selects the verifier and the policy entry). */
  factor: Factor;
  /** The service the evidence is about (`GithubUsername`, `icao9303`, ...): the nullifier's prefix. */
  serviceId: string;
  /** The holder's Auto ID (32 bytes) the claim is for. */
  subject: Uint8Array;
  /** The factor's proof (a Reclaim proof object, a passport data set, a signature...). */
  proof: P;
  /** blake2b_256("<serviceId>:<subject id>") of the account / document / key behind the proof. */
  nullifier: Uint8Array;
  /** When the evidence was produced, ms since the UNIX epoch. */
  issuedAt: number;
  /** When it stops counting, ms since the UNIX epoch. */
  expiresAt: number;
}

/**
 * The claim-type hash of a name: blake2b_256(utf8(name)), as the SDK's `SupportedClaimHashes`.
 *
 * @example bytesToHex(claimTypeHash('GithubUsername')) // '4a33942a…404b'
 */
export function claimTypeHash(name: string): Uint8Array {
  if (typeof name !== 'string' || name.length === 0) invalidArgument('name', 'expected a non-empty string');
  if (name.length > MAX_STRING_LENGTH) oversized('name', name.length, MAX_STRING_LENGTH);
  return blake2b256(utf8(name));
}

/** A claim-type name of the SDK or of this package. */
export type ClaimTypeName = (typeof SDK_CLAIM_TYPES)[number] | (typeof OWN_CLAIM_TYPES)[number];

/** `0x`-hex claim-type hash of every known claim type (the SDK's three, then ours). */
export const CLAIM_TYPE_HASHES: Readonly<Record<ClaimTypeName, string>> = Object.freeze(
  Object.fromEntries(
    [...SDK_CLAIM_TYPES, ...OWN_CLAIM_TYPES].map((n) => [n, `0x${bytesToHex(claimTypeHash(n))}`]),
  ) as Record<ClaimTypeName, string>,
);

/** The claim-type name of a `0x`-hex hash, if it is a known one. */
export function claimTypeName(hashHex: string): ClaimTypeName | undefined {
  const h = hashHex.toLowerCase();
  for (const [name, value] of Object.entries(CLAIM_TYPE_HASHES))
    if (value === h) return name as ClaimTypeName;
  return undefined;
}

/**
 * The uniqueness nullifier of the SDK: blake2b_256(utf8("<serviceId>:<subjectId>")) where
 * `subjectId` names the account or document behind the evidence (a username, an e-mail, a
 * passport's person key), so that one account can back only one Auto ID.
 *
 * @example nullifier('GithubUsername', 'alice')
 */
export function nullifier(serviceId: string, subjectId: string): Uint8Array {
  if (typeof serviceId !== 'string' || serviceId.length === 0)
    invalidArgument('serviceId', 'expected a non-empty string');
  if (typeof subjectId !== 'string' || subjectId.length === 0)
    invalidArgument('subjectId', 'expected a non-empty string');
  if (serviceId.length + subjectId.length > MAX_STRING_LENGTH)
    oversized('serviceId:subjectId', serviceId.length + subjectId.length, MAX_STRING_LENGTH);
  const out = blake2b256(utf8(`${serviceId}:${subjectId}`));
  return out.length === HASH_SIZE ? out : invalidArgument('nullifier', 'bad digest');
}
