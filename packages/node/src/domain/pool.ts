/**
 * Unsigned Domains extrinsics (bundles, singleton receipts, fraud proofs) on their way into
 * consensus blocks. The transaction pool of the chain core accepts signed transactions only, so
 * the node keeps these here and the block author puts them after the inherents of each block it
 * builds ({@link withDomainExtrinsics}); a rejected one is dropped from that block by the runtime
 * (build mode) and retried until it is included or stale.
 */

import type { ChainApi } from '../consensus/api.js';
import { decodeExtrinsic } from '../runtime/extrinsic.js';
import { decodeDomainsCall, isDomainsCall, RECENT_SLOTS } from './runtime.js';

/** How many blocks a fraud proof is retried (bundles: {@link RECENT_SLOTS}, their slot window). */
export const FRAUD_PROOF_RETRY_BLOCKS = 32;

interface Pending {
  readonly bytes: Uint8Array;
  readonly hex: string;
  readonly addedAt: number;
  readonly ttl: number;
}

/** Pending Domains extrinsics. */
export class DomainExtrinsicPool {
  private pending: Pending[] = [];

  constructor(private readonly chain: { head(): { number: number } }) {}

  /** Adds an extrinsic (`ttl`: blocks to keep retrying). Duplicates are ignored. */
  submit(bytes: Uint8Array, ttl: number = RECENT_SLOTS): void {
    const hex = Buffer.from(bytes).toString('hex');
    if (this.pending.some((p) => p.hex === hex)) return;
    this.pending.push({ bytes, hex, addedAt: this.chain.head().number, ttl });
  }

  /** The extrinsics to put in the next block, oldest first. */
  take(): Uint8Array[] {
    return this.pending.map((p) => p.bytes);
  }

  get size(): number {
    return this.pending.length;
  }

  /**
   * After a consensus reorg: the fraud proofs of the retracted blocks that the enacted ones do not
   * include are pooled again (the watchtower does not regenerate a proof it made; the runtime
   * drops one whose receipt is gone), and what the enacted blocks include is forgotten. Bundles
   * and singleton receipts of retracted blocks are not: their operators rebuild them on the new
   * best chain's receipts and put the transactions of retracted bundles back into their own pools
   * (re-pooling the old bundles could include those transactions twice).
   */
  onReorg(retracted: readonly (readonly Uint8Array[])[], enacted: readonly (readonly Uint8Array[])[]): void {
    const inc = new Set(enacted.flat().map((b) => Buffer.from(b).toString('hex')));
    this.pending = this.pending.filter((p) => !inc.has(p.hex));
    for (const bytes of retracted.flat()) {
      if (inc.has(Buffer.from(bytes).toString('hex'))) continue;
      try {
        const x = decodeExtrinsic(bytes);
        if (x.type !== 'Bare' || !isDomainsCall(x.call)) continue;
        if (decodeDomainsCall(x.call.callIndex, x.call.args).type !== 'submit_fraud_proof') continue;
      } catch {
        continue;
      }
      this.submit(bytes, FRAUD_PROOF_RETRY_BLOCKS);
    }
  }

  /** After a new best block: forgets what it included and what is stale. */
  onNewHead(number: number, included: readonly Uint8Array[]): void {
    const inc = new Set(included.map((b) => Buffer.from(b).toString('hex')));
    this.pending = this.pending.filter((p) => !inc.has(p.hex) && number - p.addedAt < p.ttl);
  }
}

/**
 * The chain core with Domains extrinsics added to every block it builds (a proxy: every other
 * member is the chain's own).
 */
export function withDomainExtrinsics<C extends ChainApi>(chain: C, pool: DomainExtrinsicPool): C {
  return new Proxy(chain, {
    get(target, prop) {
      if (prop === 'buildBlock')
        return (params: Parameters<ChainApi['buildBlock']>[0]) =>
          target.buildBlock({
            ...params,
            extrinsics: [...pool.take(), ...(params.extrinsics ?? target.pendingExtrinsics())],
          });
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
