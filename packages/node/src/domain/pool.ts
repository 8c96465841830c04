/**
 * Unsigned Domains extrinsics (bundles, singleton receipts, fraud proofs) on their way into
 * consensus blocks. The transaction pool of the chain core accepts signed transactions only, so
 * the node keeps these here and the block author puts them after the inherents of each block it
 * builds ({@link withDomainExtrinsics}); a rejected one is dropped from that block by the runtime
 * (build mode) and retried until it is included or stale.
 */

import type { ChainApi } from '../consensus/api.js';
import { RECENT_SLOTS } from './runtime.js';

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
