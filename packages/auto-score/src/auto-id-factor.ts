/**
 * Weaker factors: an Auto ID itself (a registered, unrevoked certificate) and participation in
 * the network (a farmer's reward address seen in blocks).
 */
import { AutoIdError, type AutoIdRegistry, type Signature, verifyX509Signature } from '@autonomys/auto-id';
import { bytesToHex, sr25519Verify } from '@autonomys/primitives';
import { type Claim, nullifier } from './claims.js';
import { DEFAULT_SERVICE_IDS, HASH_SIZE } from './constants.js';
import { AutoScoreError, malformed, unsupported } from './errors.js';
import { utf8 } from './util.js';
import type { ClaimVerifier, Evidence, VerifyContext } from './verifier.js';

/** The message an Auto ID's key signs to claim the factor: binds the subject and the time. */
export function autoIdFactorMessage(subject: Uint8Array, issuedAt: number): Uint8Array {
  return utf8(`auto-score:auto-id:${bytesToHex(subject)}:${issuedAt}`);
}

/** The `auto-id` factor's proof: a signature by the Auto ID's certificate key over {@link autoIdFactorMessage}. */
export interface AutoIdFactorProof {
  signature: Signature;
}

/**
 * The `auto-id` factor: the claim's subject is registered in `registry`, not revoked (its serial
 * or an issuer's up the chain in a revocation list, or an issuer deactivated), its certificate is
 * valid now, and the holder signed {@link autoIdFactorMessage} with the certificate's key.
 * Nullifier: blake2b_256("auto-id:<subject hex>"). Counts until the certificate's notAfter.
 *
 * @example const autoIds = autoIdVerifier(registry);
 */
export function autoIdVerifier(
  registry: AutoIdRegistry,
  opts: { maxAgeMs?: number } = {},
): ClaimVerifier<AutoIdFactorProof> {
  const maxAge = opts.maxAgeMs ?? 30 * 86_400_000;
  return {
    factor: 'auto-id',
    async verify(claim: Claim<AutoIdFactorProof>, ctx: VerifyContext): Promise<Evidence> {
      if (claim.serviceId !== DEFAULT_SERVICE_IDS['auto-id'])
        throw new AutoScoreError({
          code: 'AUTO_SCORE_WRONG_PROVIDER',
          what: 'serviceId',
          value: claim.serviceId,
        });
      const sig = claim.proof?.signature;
      if (!(sig?.signatureAlgorithm instanceof Uint8Array) || !(sig.value instanceof Uint8Array))
        malformed('proof.signature', 'expected { signatureAlgorithm, value }');
      const entry = registry.getAutoId(claim.subject);
      if (entry === undefined)
        throw new AutoScoreError({ code: 'AUTO_SCORE_REVOKED', what: 'unknown Auto ID' });
      if (registry.isRevoked(claim.subject))
        throw new AutoScoreError({ code: 'AUTO_SCORE_REVOKED', what: 'Auto ID revoked' });
      const { notBefore, notAfter } = entry.certificate.validity;
      if (BigInt(ctx.now) < notBefore || BigInt(ctx.now) > notAfter)
        throw new AutoScoreError({
          code: 'AUTO_SCORE_EXPIRED',
          what: 'Auto ID certificate',
          now: ctx.now,
          notBefore: Number(notBefore),
          notAfter: Number(notAfter),
        });
      let ok: boolean;
      try {
        ok = await verifyX509Signature(
          entry.certificate.subjectPublicKeyInfo,
          sig.signatureAlgorithm,
          autoIdFactorMessage(claim.subject, claim.issuedAt),
          sig.value,
        );
      } catch (e) {
        if (e instanceof AutoIdError) {
          if (e.code === 'AUTO_ID_UNSUPPORTED_ALGORITHM') unsupported('Auto ID signature', e.message);
          malformed('proof.signature', e.message);
        }
        if (typeof DOMException !== 'undefined' && e instanceof DOMException)
          malformed('Auto ID key', e.message);
        throw e;
      }
      if (!ok)
        throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_SIGNATURE', what: 'Auto ID key signature' });
      return {
        claimType: 'AutoId',
        nullifier: nullifier(DEFAULT_SERVICE_IDS['auto-id'], bytesToHex(claim.subject)),
        issuedAt: claim.issuedAt,
        expiresAt: Math.min(Number(notAfter), claim.issuedAt + maxAge),
        disclosed: {},
      };
    },
  };
}

/** What a chain source knows about a reward address. */
export interface ParticipationRecord {
  /** Blocks whose solution named this reward address. */
  blocks: number;
  /** Timestamps (ms) of the first and last such block. */
  firstSeen: number;
  lastSeen: number;
}

/**
 * Where participation is looked up: a node's RPC, an indexer, or a local chain. Implementations
 * must answer from blocks they verified (or trust), for the network they are configured for.
 */
export interface ParticipationSource {
  participation(rewardAddress: Uint8Array): Promise<ParticipationRecord | undefined>;
}

/** An in-memory {@link ParticipationSource} filled from blocks the caller has seen (tests, indexers). */
export class InMemoryParticipation implements ParticipationSource {
  private readonly seen = new Map<string, ParticipationRecord>();
  /** Records one block, at `timestamp` ms, whose reward went to `rewardAddress`. */
  recordBlock(rewardAddress: Uint8Array, timestamp: number): void {
    const k = bytesToHex(rewardAddress);
    const r = this.seen.get(k);
    if (r === undefined) this.seen.set(k, { blocks: 1, firstSeen: timestamp, lastSeen: timestamp });
    else {
      r.blocks++;
      r.firstSeen = Math.min(r.firstSeen, timestamp);
      r.lastSeen = Math.max(r.lastSeen, timestamp);
    }
  }
  async participation(rewardAddress: Uint8Array): Promise<ParticipationRecord | undefined> {
    const r = this.seen.get(bytesToHex(rewardAddress));
    return r === undefined ? undefined : { ...r };
  }
}

/** The sr25519 signing context of a participation proof. */
export const PARTICIPATION_SIGNING_CONTEXT = 'auto-score';

/** The message the reward key signs: binds the Auto ID. */
export const participationMessage = (subject: Uint8Array): Uint8Array =>
  utf8(`auto-score:chain-participation:${bytesToHex(subject)}`);

/** The `chain-participation` proof: the reward address (sr25519 public key) and its signature. */
export interface ParticipationProof {
  rewardAddress: Uint8Array;
  signature: Uint8Array;
}

/**
 * The `chain-participation` factor: an sr25519 signature by the reward address's key over
 * {@link participationMessage} (context `auto-score`), and at least `minBlocks` blocks rewarded to
 * that address in `source`. `issuedAt` is the last block's time; counts for `maxAgeMs` (default
 * 90 days). Nullifier: blake2b_256("autonomys-farmer:<reward address hex>").
 */
export function participationVerifier(
  source: ParticipationSource,
  opts: { minBlocks?: number; maxAgeMs?: number; serviceId?: string } = {},
): ClaimVerifier<ParticipationProof> {
  const minBlocks = opts.minBlocks ?? 1;
  const maxAge = opts.maxAgeMs ?? 90 * 86_400_000;
  const serviceId = opts.serviceId ?? DEFAULT_SERVICE_IDS['chain-participation'];
  return {
    factor: 'chain-participation',
    async verify(claim: Claim<ParticipationProof>, ctx: VerifyContext): Promise<Evidence> {
      if (claim.serviceId !== serviceId)
        throw new AutoScoreError({
          code: 'AUTO_SCORE_WRONG_PROVIDER',
          what: 'serviceId',
          value: claim.serviceId,
        });
      const p = claim.proof;
      if (!(p?.rewardAddress instanceof Uint8Array) || p.rewardAddress.length !== HASH_SIZE)
        malformed('proof.rewardAddress', 'expected a 32-byte sr25519 public key');
      if (!(p.signature instanceof Uint8Array) || p.signature.length !== 64)
        malformed('proof.signature', 'expected 64 bytes');
      let ok = false;
      try {
        ok = sr25519Verify(p.signature, participationMessage(claim.subject), p.rewardAddress, {
          context: PARTICIPATION_SIGNING_CONTEXT,
        });
      } catch {
        ok = false;
      }
      if (!ok)
        throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_SIGNATURE', what: 'reward address signature' });
      const r = await source.participation(p.rewardAddress);
      if (r === undefined || r.blocks < minBlocks)
        throw new AutoScoreError({
          code: 'AUTO_SCORE_REVOKED',
          what: `fewer than ${minBlocks} blocks rewarded`,
        });
      if (r.lastSeen > ctx.now) malformed('participation', 'last block after now');
      return {
        claimType: 'ChainParticipation',
        nullifier: nullifier(serviceId, bytesToHex(p.rewardAddress)),
        issuedAt: r.lastSeen,
        expiresAt: r.lastSeen + maxAge,
        disclosed: { blocks: r.blocks },
      };
    },
  };
}
