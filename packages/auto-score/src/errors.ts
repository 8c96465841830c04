/**
 * The error class of @autonomys/auto-score. `err.code` is stable API; `err.type` holds the data.
 *
 * @example
 * try { await verifyClaims(claims, ctx); } catch (e) {
 *   if (e instanceof AutoScoreError && e.type.code === 'AUTO_SCORE_INVALID_SIGNATURE') console.log(e.type.what);
 * }
 */
import { AutonomysError } from '@autonomys/primitives';

export type AutoScoreErrorType =
  /** An argument of the wrong kind, size or range. */
  | { code: 'AUTO_SCORE_INVALID_ARGUMENT'; what: string; reason: string }
  /** A proof whose structure does not parse (JSON shape, DER, MRZ, hex, lengths). */
  | { code: 'AUTO_SCORE_MALFORMED_PROOF'; what: string; reason: string }
  /** An input larger than the package's limits (claims, proof bytes, strings, signatures). */
  | { code: 'AUTO_SCORE_OVERSIZED_INPUT'; what: string; size: number; max: number }
  /** A claim of a factor no verifier (or no policy entry) is configured for. */
  | { code: 'AUTO_SCORE_UNKNOWN_FACTOR'; factor: string }
  /** A signature or digest algorithm, curve or key this package does not verify. */
  | { code: 'AUTO_SCORE_UNSUPPORTED_ALGORITHM'; what: string; algorithm: string }
  /** A signature that does not verify (witness, document signer, CSCA, Auto ID key, credential). */
  | { code: 'AUTO_SCORE_INVALID_SIGNATURE'; what: string }
  /** Not enough signatures from configured witnesses on a Reclaim proof. */
  | { code: 'AUTO_SCORE_UNTRUSTED_WITNESS'; required: number; valid: number }
  /** The document signer certificate does not chain to a trusted CSCA. */
  | { code: 'AUTO_SCORE_UNTRUSTED_CSCA'; issuer: string }
  /** A recomputed hash differs from the one carried (claim identifier, data group, message digest). */
  | { code: 'AUTO_SCORE_HASH_MISMATCH'; what: string }
  /** A provider, claim type or serviceId that the verifier is not configured to accept. */
  | { code: 'AUTO_SCORE_WRONG_PROVIDER'; what: string; value: string }
  /** The nullifier carried by a claim is not the one its proof determines. */
  | { code: 'AUTO_SCORE_NULLIFIER_MISMATCH' }
  /** The proof is bound to another Auto ID than the claim's subject. */
  | { code: 'AUTO_SCORE_SUBJECT_MISMATCH'; what: string }
  /** Evidence not valid at the evaluation time (expired, not yet valid, certificate outside its validity). */
  | { code: 'AUTO_SCORE_EXPIRED'; what: string; now: number; notBefore: number; notAfter: number }
  /** An Auto ID that is unknown, revoked or deactivated. */
  | { code: 'AUTO_SCORE_REVOKED'; what: string }
  /** A requested disclosure that the evidence does not support (age not reached, field absent). */
  | { code: 'AUTO_SCORE_DISCLOSURE_FAILED'; what: string }
  /** `score` was given an object that did not come out of a verifier of this package. */
  | { code: 'AUTO_SCORE_UNVERIFIED_CLAIM'; index: number }
  /** A scoring policy that breaks the model's rules (weight outside [0,1), cap < 0, ...). */
  | { code: 'AUTO_SCORE_INVALID_POLICY'; what: string; reason: string }
  /** The nullifier is already bound to another Auto ID. */
  | { code: 'AUTO_SCORE_NULLIFIER_REUSED'; nullifier: string; boundTo: string }
  /** A persistent registry file that is corrupt beyond a torn final record. */
  | { code: 'AUTO_SCORE_REGISTRY_CORRUPT'; path: string; offset: number; reason: string }
  /** A verifiable credential or presentation that is malformed or fails verification. */
  | { code: 'AUTO_SCORE_INVALID_CREDENTIAL'; reason: string };

/** The error class of `@autonomys/auto-score`. */
export class AutoScoreError extends AutonomysError<AutoScoreErrorType> {}

export type AutoScoreErrorCode = AutoScoreErrorType['code'];

/** Throws `AUTO_SCORE_INVALID_ARGUMENT`. */
export function invalidArgument(what: string, reason: string): never {
  throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_ARGUMENT', what, reason });
}

/** Throws `AUTO_SCORE_MALFORMED_PROOF`. */
export function malformed(what: string, reason: string): never {
  throw new AutoScoreError({ code: 'AUTO_SCORE_MALFORMED_PROOF', what, reason });
}

/** Throws `AUTO_SCORE_OVERSIZED_INPUT`. */
export function oversized(what: string, size: number, max: number): never {
  throw new AutoScoreError({ code: 'AUTO_SCORE_OVERSIZED_INPUT', what, size, max });
}

/** Throws `AUTO_SCORE_UNSUPPORTED_ALGORITHM`. */
export function unsupported(what: string, algorithm: string): never {
  throw new AutoScoreError({ code: 'AUTO_SCORE_UNSUPPORTED_ALGORITHM', what, algorithm });
}
