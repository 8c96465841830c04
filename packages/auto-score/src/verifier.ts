/**
 * The verifier plug-in interface and the gate between untrusted claims and scoring: only what a
 * verifier accepted becomes a {@link VerifiedClaim}, and `score` accepts nothing else.
 */
import { bytesToHex } from '@autonomys/primitives';
import type { Claim, Factor } from './claims.js';
import { HASH_SIZE, MAX_CLAIMS, MAX_STRING_LENGTH } from './constants.js';
import { AutoScoreError, invalidArgument, malformed, oversized } from './errors.js';
import { abytes, auint, equal, typeOf } from './util.js';

/** What a verifier is given besides the claim. */
export interface VerifyContext {
  /** The evaluation time, ms since the UNIX epoch. */
  now: number;
}

/** What a verifier establishes from a proof; the claim's own fields must agree with it. */
export interface Evidence {
  /** The claim-type name (`GithubUsername`, `EPassport`, ...). */
  claimType: string;
  /** The nullifier the proof determines. */
  nullifier: Uint8Array;
  /** When the evidence was produced (ms). */
  issuedAt: number;
  /** The latest time the evidence may count until (ms); a claim may ask for less, not more. */
  expiresAt: number;
  /** Fields the holder chose to disclose (age over N, nationality, ...), already checked. */
  disclosed: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A verifier plug-in: checks one factor's proofs with real cryptography and throws an
 * {@link AutoScoreError} for anything it cannot establish.
 */
export interface ClaimVerifier<P = unknown> {
  /** The factor it verifies. */
  readonly factor: Factor;
  verify(claim: Claim<P>, ctx: VerifyContext): Promise<Evidence>;
}

/** A claim a verifier accepted at `verifiedAt`. Only this package creates them. */
export interface VerifiedClaim {
  readonly factor: Factor;
  readonly serviceId: string;
  readonly claimType: string;
  readonly subject: Uint8Array;
  readonly nullifier: Uint8Array;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly verifiedAt: number;
  readonly disclosed: Readonly<Record<string, string | number | boolean>>;
}

const genuine = new WeakSet<object>();

/** True for objects made by {@link verifyClaim} (and not forged or copied by the caller). */
export const isVerifiedClaim = (c: unknown): c is VerifiedClaim =>
  typeof c === 'object' && c !== null && genuine.has(c);

/** A set of verifiers, one per factor. */
export type Verifiers = ReadonlyMap<Factor, ClaimVerifier> | readonly ClaimVerifier[];

function lookup(verifiers: Verifiers, factor: Factor): ClaimVerifier | undefined {
  if (verifiers instanceof Map) return verifiers.get(factor);
  for (const v of verifiers as readonly ClaimVerifier[]) if (v.factor === factor) return v;
  return undefined;
}

/** Checks the claim envelope (not the proof): kinds, sizes, time order. */
export function checkClaimShape(claim: unknown): asserts claim is Claim {
  if (typeof claim !== 'object' || claim === null)
    malformed('claim', `expected an object, got ${typeOf(claim)}`);
  const c = claim as Partial<Claim>;
  if (typeof c.factor !== 'string' || c.factor.length === 0)
    malformed('claim.factor', 'expected a non-empty string');
  if (c.factor.length > 64) oversized('claim.factor', c.factor.length, 64);
  if (typeof c.serviceId !== 'string' || c.serviceId.length === 0)
    malformed('claim.serviceId', 'expected a non-empty string');
  if (c.serviceId.length > MAX_STRING_LENGTH)
    oversized('claim.serviceId', c.serviceId.length, MAX_STRING_LENGTH);
  if (!(c.subject instanceof Uint8Array) || c.subject.length !== HASH_SIZE)
    malformed('claim.subject', `expected a ${HASH_SIZE}-byte Auto ID`);
  if (!(c.nullifier instanceof Uint8Array) || c.nullifier.length !== HASH_SIZE)
    malformed('claim.nullifier', `expected ${HASH_SIZE} bytes`);
  if (typeof c.issuedAt !== 'number' || !Number.isSafeInteger(c.issuedAt) || c.issuedAt < 0)
    malformed('claim.issuedAt', 'expected ms since the epoch');
  if (typeof c.expiresAt !== 'number' || !Number.isSafeInteger(c.expiresAt) || c.expiresAt < c.issuedAt)
    malformed('claim.expiresAt', 'expected ms since the epoch, not before issuedAt');
}

/**
 * Verifies one claim with the verifier of its factor. Throws `AUTO_SCORE_UNKNOWN_FACTOR` without
 * one, the verifier's error when the proof fails, `AUTO_SCORE_NULLIFIER_MISMATCH` when the claim's
 * nullifier is not its proof's, `AUTO_SCORE_EXPIRED` outside `[issuedAt, expiresAt]`.
 *
 * @example const v = await verifyClaim(claim, [reclaimVerifier(opts)], { now: Date.now() });
 */
export async function verifyClaim(
  claim: Claim,
  verifiers: Verifiers,
  ctx: VerifyContext,
): Promise<VerifiedClaim> {
  auint(ctx?.now, 'ctx.now');
  checkClaimShape(claim);
  const verifier = lookup(verifiers, claim.factor);
  if (verifier === undefined)
    throw new AutoScoreError({ code: 'AUTO_SCORE_UNKNOWN_FACTOR', factor: claim.factor });
  const ev = await verifier.verify(claim, ctx);
  abytes(ev.nullifier, 'evidence.nullifier', HASH_SIZE);
  if (!equal(ev.nullifier, claim.nullifier))
    throw new AutoScoreError({ code: 'AUTO_SCORE_NULLIFIER_MISMATCH' });
  // A claim may understate its freshness (an earlier issuedAt decays faster), never overstate it.
  if (claim.issuedAt > ev.issuedAt)
    malformed('claim.issuedAt', `the proof was produced at ${ev.issuedAt}, the claim says ${claim.issuedAt}`);
  if (claim.expiresAt > ev.expiresAt)
    malformed(
      'claim.expiresAt',
      `the evidence counts until ${ev.expiresAt} at most, the claim says ${claim.expiresAt}`,
    );
  if (ctx.now < claim.issuedAt || ctx.now > claim.expiresAt)
    throw new AutoScoreError({
      code: 'AUTO_SCORE_EXPIRED',
      what: 'claim',
      now: ctx.now,
      notBefore: claim.issuedAt,
      notAfter: claim.expiresAt,
    });
  const v: VerifiedClaim = Object.freeze({
    factor: claim.factor,
    serviceId: claim.serviceId,
    claimType: ev.claimType,
    subject: claim.subject.slice(),
    nullifier: claim.nullifier.slice(),
    issuedAt: claim.issuedAt,
    expiresAt: claim.expiresAt,
    verifiedAt: ctx.now,
    disclosed: Object.freeze({ ...ev.disclosed }),
  });
  genuine.add(v);
  return v;
}

/** A claim that failed verification, with the reason. */
export interface RejectedClaim {
  index: number;
  factor: string;
  error: AutoScoreError;
}

/**
 * Verifies claims (at most {@link MAX_CLAIMS}) for one subject. Every claim must be for `subject`
 * when it is given. Failed claims are reported, never counted; errors that are not
 * `AutoScoreError` (bugs, a verifier that crashed) propagate.
 */
export async function verifyClaims(
  claims: readonly Claim[],
  verifiers: Verifiers,
  ctx: VerifyContext & { subject?: Uint8Array },
): Promise<{ verified: VerifiedClaim[]; rejected: RejectedClaim[] }> {
  if (!Array.isArray(claims)) invalidArgument('claims', 'expected an array');
  if (claims.length > MAX_CLAIMS) oversized('claims', claims.length, MAX_CLAIMS);
  if (ctx.subject !== undefined) abytes(ctx.subject, 'ctx.subject', HASH_SIZE);
  const results = await Promise.allSettled(
    claims.map(async (c) => {
      if (ctx.subject !== undefined && c?.subject instanceof Uint8Array && !equal(c.subject, ctx.subject))
        throw new AutoScoreError({
          code: 'AUTO_SCORE_SUBJECT_MISMATCH',
          what: `claim for ${bytesToHex(c.subject)}`,
        });
      return verifyClaim(c, verifiers, ctx);
    }),
  );
  const verified: VerifiedClaim[] = [];
  const rejected: RejectedClaim[] = [];
  results.forEach((r, index) => {
    if (r.status === 'fulfilled') verified.push(r.value);
    else if (r.reason instanceof AutoScoreError)
      rejected.push({ index, factor: String((claims[index] as Claim | undefined)?.factor), error: r.reason });
    else throw r.reason;
  });
  return { verified, rejected };
}
