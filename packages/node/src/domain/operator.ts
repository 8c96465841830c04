/**
 * The operator role: follows the consensus chain, derives the domain chain, and after every
 * consensus block runs the bundle election for every slot not elected yet whose PoT output is known
 * (up to the block's slot + the authoring delay); for each slot it wins it
 * builds a bundle from its domain transaction pool carrying the execution receipt the chain expects
 * next (or a singleton receipt while the receipt gap is above one) and submits it as an unsigned
 * `Domains.submit_bundle` / `submit_receipt` extrinsic.
 *
 * `tamperReceipt` makes an adversarial operator (tests, demonstrations): the receipt it submits is
 * replaced by the function's result (and the bundle re-sealed).
 */

import {
  type Bundle,
  type BundleHeader,
  bundleExtrinsicsRoot,
  type ExecutionReceipt,
  hexOf,
  type OperatorKeys,
  sealBundleHeader,
  sealSingletonReceipt,
  type Weight,
} from '@autonomys/decex';
import type { ChainApi } from '../consensus/api.js';
import { encodeExtrinsic } from '../runtime/extrinsic.js';
import { chainSlotPot, type DomainChainView, DomainFollower, domainsAt } from './follower.js';
import {
  BUNDLE_LONGEVITY,
  DOMAIN_BLOCK_AUTHORING_DELAY,
  type DomainGenesisConfig,
  type DomainsCall,
  domainsExtrinsic,
} from './runtime.js';

/** What an operator (or watchtower) did. */
export type DomainRoleEvent =
  | { type: 'domain:derived'; role: string; consensusBlock: number; domainBlock: number }
  | {
      type: 'domain:bundle';
      role: string;
      consensusBlock: number;
      slot: bigint;
      receiptNumber: number;
      extrinsics: number;
    }
  | { type: 'domain:receipt'; role: string; consensusBlock: number; receiptNumber: number }
  | { type: 'domain:fraud-proof'; role: string; consensusBlock: number; domainBlock: number; kind: string }
  /** The relayer handed the relay of consensus -> domain message `nonce` (written in `consensusBlock`) to the operators. */
  | { type: 'domain:relayed'; role: string; consensusBlock: number; nonce: bigint }
  | { type: 'domain:error'; role: string; error: unknown };

export interface DomainOperatorRoleInit {
  chain: DomainChainView;
  config: DomainGenesisConfig;
  operatorId: bigint;
  keys: OperatorKeys;
  /** Hands a Domains extrinsic (wire bytes) to the block author (see `DomainExtrinsicPool`). */
  submit: (extrinsic: Uint8Array) => void;
  /** Adversarial: replaces the receipt put into each bundle. */
  tamperReceipt?: (er: ExecutionReceipt) => ExecutionReceipt;
  /**
   * Adversarial: replaces the body (and optionally the estimated weight) of a bundle it built; the
   * extrinsics root is recomputed and the header re-sealed. `undefined` keeps the bundle.
   */
  tamperBundle?: (bundle: {
    readonly header: BundleHeader;
    readonly extrinsics: readonly Uint8Array[];
  }) => { extrinsics: readonly Uint8Array[]; estimatedBundleWeight?: Weight } | undefined;
  onEvent?: (e: DomainRoleEvent) => void;
  /**
   * Whether the operator takes part in bundle production after the next block (default always):
   * while `false` it only derives the domain chain, and runs no election (its slots are skipped).
   */
  active?: () => boolean;
  /** A label in events (default `operator-<id>`). */
  name?: string;
  /**
   * The PoT output of a slot on the best chain (verified proofs only), so that the operator runs
   * the election for every slot. Default: {@link chainSlotPot} when `chain` is a chain core (it has
   * a `potVerifier`); without a source it elects on the slot of each new block only.
   */
  slotPot?: (slot: bigint) => Uint8Array | undefined;
}

/** An operator of one domain, driven by the chain's new heads ({@link DomainOperatorRole.onNewHead}). */
export class DomainOperatorRole {
  readonly follower: DomainFollower;
  readonly name: string;
  private readonly init: DomainOperatorRoleInit;
  private readonly slotPot: ((slot: bigint) => Uint8Array | undefined) | undefined;

  constructor(init: DomainOperatorRoleInit) {
    this.init = init;
    this.name = init.name ?? `operator-${init.operatorId}`;
    const c = init.chain as Partial<ChainApi> & DomainChainView;
    this.slotPot =
      init.slotPot ??
      (c.potVerifier !== undefined && typeof c.authoringContext === 'function'
        ? chainSlotPot(c as ChainApi & DomainChainView)
        : undefined);
    this.follower = new DomainFollower(init.chain, init.config, init.operatorId, init.keys);
  }

  /** The domain transaction pool (extrinsic bodies of the domain runtime). */
  get pool(): Uint8Array[] {
    return this.follower.derive.pool;
  }

  /** Adds a domain transaction to the pool. */
  submitTransaction(ext: Uint8Array): void {
    this.follower.derive.pool.push(ext);
  }

  /** Processes new consensus blocks (call on every new best block; serialized internally). */
  onNewHead(): Promise<void> {
    return this.follower
      .catchUp((n) => this.afterBlock(n))
      .catch((error) => {
        this.init.onEvent?.({ type: 'domain:error', role: this.name, error });
      });
  }

  private emit(e: DomainRoleEvent): void {
    try {
      this.init.onEvent?.(e);
    } catch {
      // reporting must not break the role
    }
  }

  /** The next slot to elect (every slot is elected once, in order). */
  private nextSlot = 1n;

  /** The slots to elect after best block `n`, with their PoT outputs. */
  private slotsToElect(n: number): [bigint, Uint8Array][] {
    const { chain } = this.init;
    const state = chain.runtimeState(n);
    const pot = this.slotPot;
    if (pot === undefined) {
      // No PoT source: the slot of the new block only (its pre-digest's output).
      if (state.slot < this.nextSlot) return [];
      this.nextSlot = state.slot + 1n;
      return [[state.slot, state.proofOfTime]];
    }
    // A bundle in the next block may claim a slot produced after block n + 1 - BundleLongevity,
    // up to this block's slot + the authoring delay (the PoT known now).
    const oldest = n + 1 - BUNDLE_LONGEVITY;
    const lower = oldest <= 0 ? 1n : chain.runtimeState(oldest).slot + 1n;
    const upper = state.slot + DOMAIN_BLOCK_AUTHORING_DELAY;
    const out: [bigint, Uint8Array][] = [];
    for (let s = this.nextSlot > lower ? this.nextSlot : lower; s <= upper; s++) {
      const p = s === state.slot ? state.proofOfTime : pot(s);
      if (p === undefined) break;
      out.push([s, p]);
      this.nextSlot = s + 1n;
    }
    return out;
  }

  private afterBlock(n: number): void {
    const { chain, config, operatorId, keys } = this.init;
    const derive = this.follower.derive;
    const head = derive.headNumber;
    if (head > 0 && derive.receiptAt(head)?.consensusBlockNumber === n)
      this.emit({ type: 'domain:derived', role: this.name, consensusBlock: n, domainBlock: head });
    // Only elect after the best block (older heads are catch-up).
    if (n !== chain.head().number) return;
    if (this.init.active?.() === false) return;
    const domains = domainsAt(chain, n);
    const dc = domains.domains.get(config.domainId);
    const slots = this.slotsToElect(n);
    if (dc === undefined) return;
    const stake = domains.ledger.operatorStakeInfo(config.domainId, operatorId);
    if (stake === undefined || !domains.ledger.canSubmitBundle(operatorId)) return;
    const tamper = this.init.tamperReceipt ?? ((er: ExecutionReceipt) => er);
    const used = new Set<string>();
    for (const [slot, proofOfTime] of slots) {
      const input = {
        slot,
        proofOfTime,
        operatorStake: stake.stake,
        totalStake: stake.total,
        bundleSlotProbability: dc.params.bundleSlotProbability,
      };
      const vrf = derive.elect(input);
      if (vrf === undefined) continue;
      let call: DomainsCall;
      if (dc.headDomainNumber - dc.headReceiptNumber > 1) {
        // One singleton receipt per new block while the receipt gap is above one.
        if (used.has('singleton')) continue;
        used.add('singleton');
        const number = dc.headReceiptNumber + 1;
        const er = derive.receiptAt(number);
        if (er === undefined) return;
        const poe = {
          domainId: config.domainId,
          slotNumber: slot,
          proofOfTime,
          vrfSignature: vrf,
          operatorId,
        };
        call = {
          type: 'submit_receipt',
          receipt: sealSingletonReceipt(
            { proofOfElection: poe, receipt: tamper(er) },
            keys.secretKey,
            keys.publicKey,
          ),
        };
        this.emit({ type: 'domain:receipt', role: this.name, consensusBlock: n, receiptNumber: number });
      } else {
        const number = Math.min(dc.headReceiptNumber + 1, dc.headDomainNumber);
        if (derive.receiptAt(number) === undefined) return;
        let bundle: Bundle = derive.buildBundle(input, vrf, number, dc.params, used);
        const honest = bundle.sealedHeader.header.receipt;
        const er = tamper(honest);
        const body = this.init.tamperBundle?.({
          header: bundle.sealedHeader.header,
          extrinsics: bundle.extrinsics,
        });
        if (er !== honest || body !== undefined) {
          const extrinsics = body === undefined ? bundle.extrinsics : [...body.extrinsics];
          const header: BundleHeader = {
            ...bundle.sealedHeader.header,
            receipt: er,
            ...(body === undefined
              ? {}
              : {
                  bundleExtrinsicsRoot: bundleExtrinsicsRoot(extrinsics),
                  estimatedBundleWeight:
                    body.estimatedBundleWeight ?? bundle.sealedHeader.header.estimatedBundleWeight,
                }),
          };
          bundle = { sealedHeader: sealBundleHeader(header, keys.secretKey, keys.publicKey), extrinsics };
        }
        for (const x of bundle.extrinsics) used.add(hexOf(x));
        call = { type: 'submit_bundle', bundle };
        this.emit({
          type: 'domain:bundle',
          role: this.name,
          consensusBlock: n,
          slot,
          receiptNumber: number,
          extrinsics: bundle.extrinsics.length,
        });
      }
      this.init.submit(encodeExtrinsic(domainsExtrinsic(call)));
    }
  }
}
