/**
 * Zero-knowledge passport proofs: an interface only. A ZK passport system (zkpassport, Self,
 * OpenPassport, ...) proves in a circuit that a passive-authentication-valid passport exists under
 * a CSCA of a published list, that its DG1 satisfies some predicates (age over N, nationality in a
 * set), and outputs a scoped nullifier, without revealing the SOD or DG1 to the verifier. This
 * package does not ship a circuit verifier; plug one in as a {@link ZkPassportBackend}.
 */
import type { Claim } from './claims.js';
import { HASH_SIZE } from './constants.js';
import { AutoScoreError, invalidArgument, malformed } from './errors.js';
import { equal } from './util.js';
import type { ClaimVerifier, Evidence, VerifyContext } from './verifier.js';

/** A proof from a ZK passport system, as its SDK hands it over. */
export interface ZkPassportProof {
  /** The proving system and version, e.g. `zkpassport/0.x`. */
  protocol: string;
  /** The proof bytes (Groth16, UltraHonk, ...). */
  proof: Uint8Array;
  /** Public inputs in the system's own encoding. */
  publicInputs: readonly Uint8Array[];
}

/** What a backend must establish from a valid proof; everything is taken from public inputs. */
export interface ZkPassportStatement {
  /** The scoped nullifier the circuit output (32 bytes); it becomes the claim's nullifier. */
  nullifier: Uint8Array;
  /** The Auto ID bound into the proof (the circuit's scope / message input), 32 bytes. */
  boundAutoId: Uint8Array;
  /** Root (or hash) of the CSCA list the passport chained to; the backend checks it is trusted. */
  cscaRoot: Uint8Array;
  /** Proof time and the time until which its statement holds (passport / DSC expiry), ms. */
  issuedAt: number;
  expiresAt: number;
  /** The predicates the circuit proved, e.g. `{ ageOver18: true, nationality: 'FRA' }`. */
  disclosed: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A ZK passport verifier backend: verifies `proof` against its verification key and the trusted
 * CSCA roots, and returns the statement, or throws (an {@link AutoScoreError} preferably).
 */
export interface ZkPassportBackend {
  /** The `protocol` values it handles. */
  readonly protocols: readonly string[];
  verify(proof: ZkPassportProof, ctx: VerifyContext): Promise<ZkPassportStatement>;
}

/**
 * The `zk-passport` factor over a backend: the backend does the cryptography; this adapter checks
 * the protocol, the binding to the claim's subject and the nullifier's shape.
 *
 * @example const zk = zkPassportVerifier(myZkPassportBackend);
 */
export function zkPassportVerifier(backend: ZkPassportBackend): ClaimVerifier<ZkPassportProof> {
  if (typeof backend?.verify !== 'function' || !Array.isArray(backend.protocols))
    invalidArgument('backend', 'expected a ZkPassportBackend');
  return {
    factor: 'zk-passport',
    async verify(claim: Claim<ZkPassportProof>, ctx: VerifyContext): Promise<Evidence> {
      const p = claim.proof;
      if (
        typeof p !== 'object' ||
        p === null ||
        typeof p.protocol !== 'string' ||
        !(p.proof instanceof Uint8Array)
      )
        malformed('proof', 'expected a ZkPassportProof');
      if (!backend.protocols.includes(p.protocol))
        throw new AutoScoreError({
          code: 'AUTO_SCORE_UNSUPPORTED_ALGORITHM',
          what: 'zk passport',
          algorithm: p.protocol,
        });
      const s = await backend.verify(p, ctx);
      if (!(s.nullifier instanceof Uint8Array) || s.nullifier.length !== HASH_SIZE)
        malformed('statement.nullifier', `expected ${HASH_SIZE} bytes`);
      if (!(s.boundAutoId instanceof Uint8Array) || !equal(s.boundAutoId, claim.subject))
        throw new AutoScoreError({
          code: 'AUTO_SCORE_SUBJECT_MISMATCH',
          what: 'zk passport proof bound to another Auto ID',
        });
      return {
        claimType: 'ZkPassport',
        nullifier: s.nullifier,
        issuedAt: s.issuedAt,
        expiresAt: s.expiresAt,
        disclosed: s.disclosed,
      };
    },
  };
}
