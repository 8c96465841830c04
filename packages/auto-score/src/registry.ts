/**
 * The uniqueness registry: a nullifier set mapping each nullifier to the one Auto ID it backs.
 * A second Auto ID presenting the same nullifier is refused. In memory here; a crash-safe,
 * file-backed one is in `@autonomys/auto-score/node`.
 */
import { bytesToHex } from '@autonomys/primitives';
import { HASH_SIZE } from './constants.js';
import { AutoScoreError } from './errors.js';
import { abytes, equal } from './util.js';
import type { VerifiedClaim } from './verifier.js';

/** A nullifier set: nullifier -> the Auto ID it is bound to. */
export interface NullifierRegistry {
  /** The Auto ID a nullifier is bound to, if any. */
  lookup(nullifier: Uint8Array): Uint8Array | undefined;
  /**
   * Binds every nullifier to `autoId`, all or nothing: `AUTO_SCORE_NULLIFIER_REUSED` (and no
   * change) when one is bound to another Auto ID. Returns the nullifiers that were new.
   */
  bind(nullifiers: readonly Uint8Array[], autoId: Uint8Array): Promise<Uint8Array[]>;
  readonly size: number;
}

/** Checks a batch against a lookup; returns the new ones (deduplicated). Shared by both registries. */
export function planBind(
  registry: Pick<NullifierRegistry, 'lookup'>,
  nullifiers: readonly Uint8Array[],
  autoId: Uint8Array,
): Uint8Array[] {
  abytes(autoId, 'autoId', HASH_SIZE);
  const fresh = new Map<string, Uint8Array>();
  for (const n of nullifiers) {
    abytes(n, 'nullifier', HASH_SIZE);
    const bound = registry.lookup(n);
    if (bound === undefined) fresh.set(bytesToHex(n), n.slice());
    else if (!equal(bound, autoId))
      throw new AutoScoreError({
        code: 'AUTO_SCORE_NULLIFIER_REUSED',
        nullifier: bytesToHex(n),
        boundTo: bytesToHex(bound),
      });
  }
  return [...fresh.values()];
}

/** A {@link NullifierRegistry} in memory. */
export class MemoryNullifierRegistry implements NullifierRegistry {
  protected readonly map = new Map<string, Uint8Array>();
  lookup(nullifier: Uint8Array): Uint8Array | undefined {
    abytes(nullifier, 'nullifier', HASH_SIZE);
    return this.map.get(bytesToHex(nullifier))?.slice();
  }
  async bind(nullifiers: readonly Uint8Array[], autoId: Uint8Array): Promise<Uint8Array[]> {
    const fresh = planBind(this, nullifiers, autoId);
    for (const n of fresh) this.map.set(bytesToHex(n), autoId.slice());
    return fresh;
  }
  get size(): number {
    return this.map.size;
  }
}

/**
 * Binds the nullifiers of verified claims to their subject: call after verification and before
 * counting them, so that one account or passport backs one Auto ID.
 *
 * @example await bindClaims(registry, verified);
 */
export async function bindClaims(
  registry: NullifierRegistry,
  claims: readonly VerifiedClaim[],
): Promise<Uint8Array[]> {
  if (claims.length === 0) return [];
  const subject = claims[0]!.subject;
  for (const c of claims)
    if (!equal(c.subject, subject))
      throw new AutoScoreError({
        code: 'AUTO_SCORE_INVALID_ARGUMENT',
        what: 'claims',
        reason: 'claims of different Auto IDs',
      });
  return registry.bind(
    claims.map((c) => c.nullifier),
    subject,
  );
}
