/** The whole pipeline: verify claims, enforce uniqueness, score. */

import { bytesToHex } from '@autonomys/primitives';
import type { Claim } from './claims.js';
import { AutoScoreError } from './errors.js';
import type { NullifierRegistry } from './registry.js';
import { DEFAULT_POLICY, type Score, type ScorePolicy, score, validatePolicy } from './score.js';
import { equal } from './util.js';
import { type RejectedClaim, type VerifiedClaim, type Verifiers, verifyClaims } from './verifier.js';

export interface EvaluateOptions {
  verifiers: Verifiers;
  /** The holder's Auto ID: every claim must be for it. */
  subject: Uint8Array;
  policy?: ScorePolicy;
  now?: number;
  /** When given, nullifiers are bound to `subject`; claims whose nullifier backs another Auto ID are rejected. */
  registry?: NullifierRegistry;
}

/** A score with the claims that were refused and why. */
export interface Evaluation {
  score: Score;
  verified: VerifiedClaim[];
  rejected: RejectedClaim[];
}

/**
 * Verifies every claim with its factor's verifier, binds the nullifiers of the accepted ones in
 * `registry` (refusing those bound to another Auto ID) and scores what remains. Refused claims are
 * listed in `rejected` and count for nothing.
 *
 * @example const { score } = await evaluate(claims, { verifiers, subject, registry });
 */
export async function evaluate(claims: readonly Claim[], opts: EvaluateOptions): Promise<Evaluation> {
  const now = opts.now ?? Date.now();
  const policy = validatePolicy(opts.policy ?? DEFAULT_POLICY);
  const { verified, rejected } = await verifyClaims(claims, opts.verifiers, { now, subject: opts.subject });
  // Refuse factors the policy cannot score before anything is bound in the registry.
  for (const v of verified)
    if (policy.factors[v.factor] === undefined)
      throw new AutoScoreError({ code: 'AUTO_SCORE_UNKNOWN_FACTOR', factor: v.factor });
  let kept = verified;
  if (opts.registry !== undefined) {
    kept = [];
    for (const v of verified) {
      const bound = opts.registry.lookup(v.nullifier);
      if (bound !== undefined && !equal(bound, opts.subject))
        rejected.push({
          index: claims.findIndex(
            (c) => c?.nullifier instanceof Uint8Array && equal(c.nullifier, v.nullifier),
          ),
          factor: v.factor,
          error: new AutoScoreError({
            code: 'AUTO_SCORE_NULLIFIER_REUSED',
            nullifier: bytesToHex(v.nullifier),
            boundTo: bytesToHex(bound),
          }),
        });
      else kept.push(v);
    }
    await opts.registry.bind(
      kept.map((v) => v.nullifier),
      opts.subject,
    );
  }
  return { score: score(kept, policy, { now }), verified: kept, rejected };
}
