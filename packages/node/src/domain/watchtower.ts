/**
 * The watchtower role: follows the consensus chain, derives every domain block itself (the same
 * deterministic derivation as operators), and checks each receipt the chain adds to the block tree
 * against its own; on the first mismatch it builds a fraud proof (`@autonomys/decex`'s
 * `generateFraudProof`, with MMR and storage proofs from this node's chain) and submits it as an
 * unsigned `Domains.submit_fraud_proof` extrinsic.
 */

import { type ExecutionReceipt, type FraudProof, hexOf, receiptHash } from '@autonomys/decex';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { encodeExtrinsic } from '../runtime/extrinsic.js';
import { ChainProofSource, type DomainChainView, DomainFollower, domainsAt } from './follower.js';
import type { DomainRoleEvent } from './operator.js';
import { type DomainGenesisConfig, domainsExtrinsic } from './runtime.js';

/** Blocks a receipt's check may keep failing before the watchtower reports it (it keeps retrying). */
export const DEFER_REPORT_BLOCKS = 4;

export interface WatchtowerInit {
  chain: DomainChainView;
  config: DomainGenesisConfig;
  submit: (extrinsic: Uint8Array) => void;
  onEvent?: (e: DomainRoleEvent) => void;
  name?: string;
}

/** A watchtower of one domain, driven by the chain's new heads ({@link Watchtower.onNewHead}). */
export class Watchtower {
  readonly follower: DomainFollower;
  readonly proofs: ChainProofSource;
  readonly name: string;
  /** Fraud proofs generated, by bad receipt hash. */
  readonly fraudProofs = new Map<string, FraudProof>();
  /**
   * Receipts whose check failed for now (e.g. an InvalidXDM proof needs the MMR leaf of the XDM's
   * block + 1, appended one block later), by receipt hash: retried at every processed block while
   * the receipt is still in the block tree (reported as a `domain:error` once it has failed for
   * {@link DEFER_REPORT_BLOCKS} blocks).
   */
  private readonly deferred = new Map<string, { receipt: ExecutionReceipt; since: number }>();
  private readonly init: WatchtowerInit;

  constructor(init: WatchtowerInit) {
    this.init = init;
    this.name = init.name ?? 'watchtower';
    // The derivation needs no key of its own (it never signs): a fixed dummy key.
    this.follower = new DomainFollower(
      init.chain,
      init.config,
      0n,
      sr25519PairFromSeed(new Uint8Array(32).fill(0x77)),
    );
    this.proofs = new ChainProofSource(init.chain);
  }

  onNewHead(): Promise<void> {
    return this.follower
      .catchUp((n) => this.check(n))
      .catch((error) => {
        try {
          this.init.onEvent?.({ type: 'domain:error', role: this.name, error });
        } catch {
          // ignore
        }
      });
  }

  private check(n: number): void {
    const { chain, config } = this.init;
    const dc = domainsAt(chain, n).domains.get(config.domainId);
    const events = domainsAt(chain, n).events.get(config.domainId) ?? [];
    if (dc === undefined) return;
    const todo: { receipt: ExecutionReceipt; since: number }[] = [];
    for (const [key, d] of this.deferred) {
      this.deferred.delete(key);
      if (dc.node(receiptHash(d.receipt)) !== undefined) todo.push(d);
    }
    for (const ev of events) {
      if (ev.type !== 'ReceiptAdded') continue;
      const node = dc.node(ev.receiptHash);
      if (node !== undefined) todo.push({ receipt: node.receipt, since: n });
    }
    for (const { receipt, since } of todo) this.checkOne(n, receipt, since);
  }

  private checkOne(n: number, receipt: ExecutionReceipt, since: number): void {
    const key = hexOf(receiptHash(receipt));
    if (this.fraudProofs.has(key)) return;
    let fp: FraudProof | undefined;
    try {
      fp = this.follower.derive.checkReceipt(receipt, this.proofs);
    } catch (error) {
      // Not provable yet (or a transient failure): try again at the next block.
      this.deferred.set(key, { receipt, since });
      if (n - since === DEFER_REPORT_BLOCKS) this.emit({ type: 'domain:error', role: this.name, error });
      return;
    }
    if (fp === undefined) return;
    this.fraudProofs.set(key, fp);
    this.emit({
      type: 'domain:fraud-proof',
      role: this.name,
      consensusBlock: n,
      domainBlock: receipt.domainBlockNumber,
      kind: fp.proof.type,
    });
    this.init.submit(encodeExtrinsic(domainsExtrinsic({ type: 'submit_fraud_proof', fraudProof: fp })));
  }

  private emit(e: DomainRoleEvent): void {
    try {
      this.init.onEvent?.(e);
    } catch {
      // a listener's failure is not the watchtower's
    }
  }
}
