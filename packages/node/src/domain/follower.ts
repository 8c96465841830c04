/**
 * What operators and watchtowers share: following the consensus chain block by block, reading the
 * bundles each block included for a domain, and deriving the domain block exactly as the domain
 * chain does (`@autonomys/decex`'s `DomainOperator.deriveBlock`), plus the consensus proofs
 * (MMR leaf proofs, state storage proofs) a fraud proof carries.
 */

import {
  BalancesRuntime,
  type Bundle,
  type ConsensusProofSource,
  createStorageProof,
  DomainOperator,
  type OperatorKeys,
  OverlayState,
  type StateView,
  TrieState,
  xdmVerifier,
} from '@autonomys/decex';
import { nextSlotInput } from '@autonomys/pot';
import { blake3 } from '@autonomys/primitives';
import { POT_CHECKPOINTS_SIZE } from '../chain/constants.js';
import { type Header, headerHash } from '../chain/header.js';
import type { BlockId, ChainApi } from '../consensus/api.js';
import { decodeExtrinsic } from '../runtime/extrinsic.js';
import { ConsensusMmr } from '../runtime/mmr.js';
import { type RuntimeState, storageEntries } from '../runtime/state.js';
import {
  BUNDLE_LONGEVITY,
  DOMAIN_CONSENSUS_BYTE_FEE,
  type DomainGenesisConfig,
  type DomainsState,
  decodeDomainsCall,
  domainRuntime,
  isDomainsCall,
} from './runtime.js';

/** The parts of the chain core domain roles read (implemented by `Chain`). */
export interface DomainChainView {
  head(): { number: number; hash: Uint8Array };
  getHeader(id: BlockId): Header | undefined;
  getBlock(id: BlockId): Promise<{ readonly extrinsics: readonly Uint8Array[] } | undefined>;
  runtimeState(at?: BlockId): RuntimeState;
}

/** The bundles of a domain a consensus block included, in block order. */
export function bundlesInBlock(extrinsics: readonly Uint8Array[], domainId: number): Bundle[] {
  const out: Bundle[] = [];
  for (const bytes of extrinsics) {
    let call: ReturnType<typeof decodeExtrinsic>['call'];
    try {
      call = decodeExtrinsic(bytes).call;
    } catch {
      continue;
    }
    if (!isDomainsCall(call)) continue;
    try {
      const d = decodeDomainsCall(call.callIndex, call.args);
      if (d.type === 'submit_bundle' && d.bundle.sealedHeader.header.proofOfElection.domainId === domainId)
        out.push(d.bundle);
    } catch {
      // not decodable: the block could not have included it
    }
  }
  return out;
}

/** Consensus proofs served from the node's own chain (what an operator asks its consensus node). */
export class ChainProofSource implements ConsensusProofSource {
  readonly mmr: ConsensusMmr;
  constructor(private readonly chain: DomainChainView) {
    this.mmr = new ConsensusMmr(chain);
  }
  mmrProof(n: number) {
    return this.mmr.proof(n);
  }
  storageProof(n: number, keys: readonly Uint8Array[]) {
    const trie = TrieState.fromEntries(storageEntries(this.chain.runtimeState(n))).toTrie();
    return createStorageProof(trie, keys);
  }
}

/**
 * The PoT output of a slot on the best chain of a chain core, from the verified proofs its
 * `potVerifier` holds (the timekeeper's and those of imported justifications): walks the PoT chain
 * from the newest best block whose slot is smaller. `undefined` when unknown or older than the
 * last `maxBlocksBack` blocks.
 */
export function chainSlotPot(
  chain: Pick<ChainApi, 'potVerifier' | 'authoringContext' | 'head'> & DomainChainView,
  maxBlocksBack = 8,
): (slot: bigint) => Uint8Array | undefined {
  return (slot) => {
    const head = chain.head().number;
    let n = head;
    while (n > 0 && chain.runtimeState(n).slot >= slot) {
      if (head - n >= maxBlocksBack) return undefined;
      n--;
    }
    const header = chain.getHeader(n);
    if (header === undefined) return undefined;
    const ctx = chain.authoringContext(headerHash(header));
    let input = ctx.nextSlotInput;
    for (let steps = 0; steps < 1024; steps++) {
      const cps = chain.potVerifier.getCheckpoints(input.seed, input.slotIterations);
      if (cps === undefined) return undefined;
      const out = cps.subarray(POT_CHECKPOINTS_SIZE - 16);
      if (input.slot === slot) return out.slice();
      if (input.slot > slot) return undefined;
      input = nextSlotInput(input.slot, input.slotIterations, out, ctx.potParametersChange);
    }
    return undefined;
  };
}

/**
 * Before importing a block: verifies (proving when not cached) the PoT outputs its bundles and
 * singleton receipts claim, so that the runtime's synchronous slot checks (`potOutputAt` of the
 * chain's verifier cache) find them, e.g. slots from before a restart. Claims that cannot pass the
 * age check are left alone; failures are left to the runtime's check.
 */
export async function prepareBundlePot(
  chain: Pick<ChainApi, 'potVerifier' | 'authoringContext' | 'getHeader'> &
    Pick<DomainChainView, 'runtimeState'>,
  extrinsics: readonly Uint8Array[],
  parentHash: Uint8Array,
): Promise<void> {
  for (const bytes of extrinsics) {
    let claim: { slotNumber: bigint; proofOfTime: Uint8Array };
    try {
      const x = decodeExtrinsic(bytes);
      if (x.type !== 'Bare' || !isDomainsCall(x.call)) continue;
      const d = decodeDomainsCall(x.call.callIndex, x.call.args);
      if (d.type === 'submit_bundle') claim = d.bundle.sealedHeader.header.proofOfElection;
      else if (d.type === 'submit_receipt') claim = d.receipt.singletonReceipt.proofOfElection;
      else continue;
    } catch {
      continue;
    }
    try {
      // The block after which the slot was produced (at most BundleLongevity + 1 back).
      let hash = parentHash;
      let slot = chain.runtimeState(hash).slot;
      for (let i = 0; i <= BUNDLE_LONGEVITY && slot >= claim.slotNumber; i++) {
        const h = chain.getHeader(hash);
        if (h === undefined || h.number === 0) break;
        hash = h.parentHash;
        slot = chain.runtimeState(hash).slot;
      }
      if (slot >= claim.slotNumber) continue;
      const ctx = chain.authoringContext(hash);
      await chain.potVerifier.isOutputValid(
        ctx.nextSlotInput,
        Number(claim.slotNumber - slot),
        claim.proofOfTime,
        ctx.potParametersChange,
      );
    } catch {
      // left to the runtime's check
    }
  }
}

/** The domain state of a consensus block's runtime state (throws when the chain has no domains). */
export function domainsAt(chain: DomainChainView, n: number): DomainsState {
  const d = chain.runtimeState(n).domains;
  if (d === undefined) throw new Error('this chain has no domains');
  return d;
}

/** What a consensus reorg did to a follower's derived domain chain. */
export interface DomainReorg {
  /** The newest consensus block the old and the new best chain share. */
  readonly ancestor: number;
  /** The consensus block processed before (the old best). */
  readonly oldProcessed: number;
  /** The domain head before and right after the revert (before the enacted blocks are derived). */
  readonly oldDomainHead: number;
  readonly domainHead: number;
  /** Domain transactions of the dropped domain blocks put back into the pool. */
  readonly returned: number;
  /**
   * Of those, how many were dropped again once the enacted blocks were derived: invalid on the
   * new chain (a nonce it used, the fee no longer payable). 0 until then.
   */
  dropped: number;
}

/** A processed consensus block: its hash and the domain head after it. */
interface Processed {
  readonly hash: string;
  readonly domainHead: number;
}

const hexOfBytes = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Follows the best chain and derives the domain chain. `catchUp` processes every consensus block
 * of the best chain in order. When the best chain no longer contains a processed block (a consensus
 * reorg), the domain blocks derived from the retracted blocks are dropped first: the derivation is
 * reverted to the common ancestor, the transactions of the dropped domain blocks go back into the
 * pool, and the enacted blocks are then derived from their own bundles like any new block.
 */
export class DomainFollower {
  private current: DomainOperator;
  /** Processed consensus blocks by number (index 0: genesis). */
  private trail: Processed[];
  /** The extrinsics of each derived domain block (index = domain block number; 0 is genesis). */
  private domainExtrinsics: Uint8Array[][] = [[]];
  private running: Promise<void> = Promise.resolve();
  /** Consensus reorgs this follower went through (newest last; at most 16 kept). */
  readonly reorgs: DomainReorg[] = [];
  /** Called after a reorg's revert, before the enacted blocks are derived. */
  onReorg: ((r: DomainReorg) => void) | undefined;
  /** Transactions returned by reorgs, re-validated once the best chain is derived. */
  private returnedTxs = new Set<string>();

  constructor(
    readonly chain: DomainChainView,
    readonly config: DomainGenesisConfig,
    private readonly operatorId: bigint,
    private readonly keys: OperatorKeys,
  ) {
    this.current = this.fresh();
    const genesis = chain.getHeader(0);
    this.trail = [{ hash: genesis === undefined ? '' : hexOfBytes(headerHash(genesis)), domainHead: 0 }];
  }

  /** The derived domain chain (reverted to the common ancestor by a consensus reorg). */
  get derive(): DomainOperator {
    return this.current;
  }

  /** The last consensus block processed. */
  get processed(): number {
    return this.trail.length - 1;
  }

  private fresh(): DomainOperator {
    return new DomainOperator(
      this.config.domainId,
      this.operatorId,
      this.keys,
      domainRuntime(),
      domainGenesisEntries(this.config),
    );
  }

  /**
   * Processes consensus blocks up to the best one (serialized), first reverting what a reorg
   * retracted. `onBlock(n)` runs after block `n` of the best chain is processed.
   */
  catchUp(onBlock: (n: number) => void | Promise<void>): Promise<void> {
    const run = async () => {
      let rechecked = false;
      for (;;) {
        await this.followReorg();
        const n = this.processed + 1;
        if (n > this.chain.head().number) {
          this.revalidateReturned();
          return;
        }
        const header = this.chain.getHeader(n);
        if (header === undefined) throw new Error(`block ${n} is not available`);
        if (hexOfBytes(header.parentHash) !== this.trail[n - 1]!.hash) {
          // A reorg between the ancestor check and here: check once more.
          if (rechecked) throw new Error(`block ${n} does not extend the processed chain`);
          rechecked = true;
          continue;
        }
        rechecked = false;
        const hash = headerHash(header);
        await this.deriveFrom(n, hash);
        this.trail.push({ hash: hexOfBytes(hash), domainHead: this.current.headNumber });
        // Returned transactions are re-checked on the best head before any bundle is built from
        // the pool there: one a reorg made stale must not reach a bundle (its author would be
        // slashed for an invalid bundle).
        if (n === this.chain.head().number) this.revalidateReturned();
        await onBlock(n);
      }
    };
    this.running = this.running.then(run, run);
    return this.running;
  }

  /** The newest processed block still on the best chain. */
  private commonAncestor(): number {
    let n = Math.min(this.processed, this.chain.head().number);
    for (; n > 0; n--) {
      const h = this.chain.getHeader(n);
      if (h !== undefined && hexOfBytes(headerHash(h)) === this.trail[n]!.hash) break;
    }
    return n;
  }

  /** Reverts the derivation to the common ancestor with the best chain (nothing when none retracted). */
  private async followReorg(): Promise<void> {
    const ancestor = this.commonAncestor();
    const oldProcessed = this.processed;
    if (ancestor === oldProcessed) return;
    const oldDomainHead = this.current.headNumber;
    const keep = this.trail[ancestor]!.domainHead;
    const pool = this.current.pool;
    let returned = 0;
    if (keep < oldDomainHead) {
      // The transactions of the dropped blocks, except those still pending (the enacted blocks'
      // derivation removes what they include again).
      const pending = new Set(pool.map(hexOfBytes));
      const back: Uint8Array[] = [];
      for (const exts of this.domainExtrinsics.slice(keep + 1)) {
        for (const x of exts) {
          const h = hexOfBytes(x);
          if (pending.has(h) || this.isInherent(x)) continue;
          pending.add(h);
          back.push(x);
        }
      }
      // Drop the derived blocks after the ancestor's domain head (the cost of a reorg is its depth).
      this.current.revertTo(keep);
      this.current.pool.unshift(...back);
      this.domainExtrinsics.length = keep + 1;
      returned = back.length;
      for (const x of back) this.returnedTxs.add(hexOfBytes(x));
    }
    this.trail = this.trail.slice(0, ancestor + 1);
    const r: DomainReorg = { ancestor, oldProcessed, oldDomainHead, domainHead: keep, returned, dropped: 0 };
    this.reorgs.push(r);
    if (this.reorgs.length > 16) this.reorgs.shift();
    this.onReorg?.(r);
  }

  /**
   * Re-validates the transactions reorgs returned against the derived head of the new best chain:
   * the pool is replayed in order on the head state (so a signer's queued transactions count);
   * a returned transaction that does not apply is dropped unless its nonce is still ahead of its
   * signer's (a future transaction). Others' transactions are left as they are.
   */
  private revalidateReturned(): void {
    const returned = this.returnedTxs;
    if (returned.size === 0) return;
    this.returnedTxs = new Set();
    const d = this.current;
    const head = d.stateAt(d.headNumber);
    if (head === undefined) return;
    const runtime = domainRuntime();
    const state = new OverlayState(head);
    let dropped = 0;
    for (let i = 0; i < d.pool.length; ) {
      const x = d.pool[i]!;
      if (runtime.checkExtrinsic(new OverlayState(state), x)) {
        const step = new OverlayState(state);
        runtime.applyExtrinsic(step, x);
        state.commit(step);
        i++;
      } else if (!returned.has(hexOfBytes(x)) || isFutureTx(state, x)) i++;
      else {
        d.pool.splice(i, 1);
        dropped++;
      }
    }
    const last = this.reorgs.at(-1);
    if (last !== undefined) last.dropped += dropped;
  }

  /** Whether a domain block extrinsic is an inherent (not a pool transaction). */
  private isInherent(x: Uint8Array): boolean {
    return domainRuntime().inspect(x)?.isInherent ?? false;
  }

  private async deriveFrom(n: number, hash: Uint8Array): Promise<void> {
    const block = await this.deriveInto(this.current, n, hash);
    if (block !== undefined) this.domainExtrinsics.push(block.extrinsics);
  }

  /** Derives the domain block of consensus block `n` (`hash`) into `op`, if it has bundles. */
  private async deriveInto(op: DomainOperator, n: number, hash: Uint8Array) {
    const block = await this.chain.getBlock(hash);
    if (block === undefined) throw new Error(`block ${n} is not available`);
    const bundles = bundlesInBlock(block.extrinsics, this.config.domainId);
    if (bundles.length === 0) return undefined;
    const state = this.chain.runtimeState(hash);
    return op.deriveBlock(
      {
        number: n,
        hash,
        blockRandomness: blake3(state.proofOfTime),
        timestamp: state.timestamp,
        consensusTransactionByteFee: DOMAIN_CONSENSUS_BYTE_FEE,
      },
      bundles,
      { verifyXdm: xdmVerifier(domainRuntime(), chainMmrRoots(this.chain, hash, n), n) },
    );
  }
}

/**
 * The MMR roots XDMs in the bundles of consensus block `n` (`hash`) are checked against (decex §5
 * step 1d, as the preprocessor's `verify_proof` at that block): `MmrRootHashes[x]` for x ≤ n, from
 * block `n`'s own state while in its 1024-root window, older ones from block x's state on the
 * best chain (the node keeps every block's state; Substrate nodes rebuild them off-chain).
 */
export function chainMmrRoots(
  chain: Pick<DomainChainView, 'runtimeState'>,
  hash: Uint8Array,
  n: number,
): { mmrRoot(x: number): Uint8Array | undefined } {
  return {
    mmrRoot: (x) => {
      if (!(x >= 1 && x <= n)) return undefined;
      const recent = chain.runtimeState(hash).mmr?.rootHashes.get(x);
      if (recent !== undefined) return recent;
      try {
        return chain.runtimeState(x).mmr?.rootHashes.get(x);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Whether a signed `BalancesRuntime` transaction's nonce (u32 LE after the kind byte and the
 * 32-byte signer) is above its signer's nonce in `state`.
 */
function isFutureTx(state: StateView, x: Uint8Array): boolean {
  const signer = domainRuntime().inspect(x)?.signer;
  if (signer === undefined || x.length < 37) return false;
  const nonce = new DataView(x.buffer, x.byteOffset + 33, 4).getUint32(0, true);
  return nonce > domainRuntime().account(state, signer).nonce;
}

/** The domain genesis storage of a config. */
export function domainGenesisEntries(config: DomainGenesisConfig): [Uint8Array, Uint8Array][] {
  return BalancesRuntime.genesis(config.balances);
}
