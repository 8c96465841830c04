/**
 * The operator role: follows the consensus chain, derives the domain chain, and after every
 * consensus block runs the bundle election for that block's slot (its PoT output); when it wins it
 * builds a bundle from its domain transaction pool carrying the execution receipt the chain expects
 * next (or a singleton receipt while the receipt gap is above one) and submits it as an unsigned
 * `Domains.submit_bundle` / `submit_receipt` extrinsic.
 *
 * `tamperReceipt` makes an adversarial operator (tests, demonstrations): the receipt it submits is
 * replaced by the function's result (and the bundle re-sealed).
 */

import {
  type Bundle,
  type ExecutionReceipt,
  type OperatorKeys,
  sealBundleHeader,
  sealSingletonReceipt,
} from '@autonomys/decex';
import { encodeExtrinsic } from '../runtime/extrinsic.js';
import { type DomainChainView, DomainFollower, domainsAt } from './follower.js';
import { type DomainGenesisConfig, type DomainsCall, domainsExtrinsic } from './runtime.js';

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
  onEvent?: (e: DomainRoleEvent) => void;
  /** A label in events (default `operator-<id>`). */
  name?: string;
}

/** An operator of one domain, driven by the chain's new heads ({@link DomainOperatorRole.onNewHead}). */
export class DomainOperatorRole {
  readonly follower: DomainFollower;
  readonly name: string;
  private readonly init: DomainOperatorRoleInit;

  constructor(init: DomainOperatorRoleInit) {
    this.init = init;
    this.name = init.name ?? `operator-${init.operatorId}`;
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

  private afterBlock(n: number): void {
    const { chain, config, operatorId, keys } = this.init;
    const derive = this.follower.derive;
    const head = derive.headNumber;
    if (head > 0 && derive.receiptAt(head)?.consensusBlockNumber === n)
      this.emit({ type: 'domain:derived', role: this.name, consensusBlock: n, domainBlock: head });
    // Only elect on the best block's slot (older heads are catch-up).
    if (n !== chain.head().number) return;
    const state = chain.runtimeState(n);
    const domains = domainsAt(chain, n);
    const dc = domains.domains.get(config.domainId);
    if (dc === undefined) return;
    const stake = domains.ledger.operatorStakeInfo(config.domainId, operatorId);
    if (stake === undefined || !domains.ledger.canSubmitBundle(operatorId)) return;
    const input = {
      slot: state.slot,
      proofOfTime: state.proofOfTime,
      operatorStake: stake.stake,
      totalStake: stake.total,
      bundleSlotProbability: dc.params.bundleSlotProbability,
    };
    const vrf = derive.elect(input);
    if (vrf === undefined) return;
    const tamper = this.init.tamperReceipt ?? ((er: ExecutionReceipt) => er);
    let call: DomainsCall;
    if (dc.headDomainNumber - dc.headReceiptNumber > 1) {
      const number = dc.headReceiptNumber + 1;
      const er = derive.receiptAt(number);
      if (er === undefined) return;
      const poe = {
        domainId: config.domainId,
        slotNumber: input.slot,
        proofOfTime: input.proofOfTime,
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
      let bundle: Bundle = derive.buildBundle(input, vrf, number, dc.params);
      const honest = bundle.sealedHeader.header.receipt;
      const er = tamper(honest);
      if (er !== honest)
        bundle = {
          ...bundle,
          sealedHeader: sealBundleHeader(
            { ...bundle.sealedHeader.header, receipt: er },
            keys.secretKey,
            keys.publicKey,
          ),
        };
      call = { type: 'submit_bundle', bundle };
      this.emit({
        type: 'domain:bundle',
        role: this.name,
        consensusBlock: n,
        slot: input.slot,
        receiptNumber: number,
        extrinsics: bundle.extrinsics.length,
      });
    }
    this.init.submit(encodeExtrinsic(domainsExtrinsic(call)));
  }
}
