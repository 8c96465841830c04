/**
 * The watchtower role: follows the consensus chain, derives every domain block itself (the same
 * deterministic derivation as operators), and checks each receipt the chain adds to the block tree
 * against its own; on the first mismatch it builds a fraud proof (`@autonomys/decex`'s
 * `generateFraudProof`, with MMR and storage proofs from this node's chain) and submits it as an
 * unsigned `Domains.submit_fraud_proof` extrinsic.
 */

import { type FraudProof, hexOf, receiptHash } from '@autonomys/decex';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { encodeExtrinsic } from '../runtime/extrinsic.js';
import { ChainProofSource, type DomainChainView, DomainFollower, domainsAt } from './follower.js';
import type { DomainRoleEvent } from './operator.js';
import { type DomainGenesisConfig, domainsExtrinsic } from './runtime.js';

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
    for (const ev of events) {
      if (ev.type !== 'ReceiptAdded') continue;
      const node = dc.node(ev.receiptHash);
      if (node === undefined) continue;
      const fp = this.follower.derive.checkReceipt(node.receipt, this.proofs);
      if (fp === undefined) continue;
      const key = hexOf(receiptHash(node.receipt));
      if (this.fraudProofs.has(key)) continue;
      this.fraudProofs.set(key, fp);
      try {
        this.init.onEvent?.({
          type: 'domain:fraud-proof',
          role: this.name,
          consensusBlock: n,
          domainBlock: node.receipt.domainBlockNumber,
          kind: fp.proof.type,
        });
      } catch {
        // ignore
      }
      this.init.submit(encodeExtrinsic(domainsExtrinsic({ type: 'submit_fraud_proof', fraudProof: fp })));
    }
  }
}
