/**
 * The relayer of consensus -> domain messages (decex §7a.6, §8): for the transporter messages a
 * consensus block `m` wrote into its Messenger outbox, once the block `c = m + 1` is at least
 * `confirmationDepth` blocks below the best block, it builds the relay extrinsic
 * (`0x04 ‖ SCALE(CrossDomainMessage)`, xdm-relay.ts of `@autonomys/decex`) with
 * `Proof::Consensus { consensus_chain_mmr_proof, message_proof }`: the MMR proof of block m's leaf
 * against `MmrRootHashes[c]` (`consensus_block_number = c`, as the live relayer proves domain-bound
 * messages on the already deep block c) and the storage proof of `Outbox[(dst, 0, nonce)]` in
 * block m's state; and hands it to the domain's operators (their transaction pools).
 *
 * Each message is relayed once per content (a consensus reorg that rewrites a block's outbox
 * re-relays it); messages the domain already delivered (nonce below the channel's inbox nonce at
 * an operator's derived head, e.g. after a restart) are skipped, since a replay would make the
 * bundle carrying it invalid. A relay that is lost (never included) is not retried.
 */

import { consensusRelayMessage, hexOf, relayMessageExtrinsic } from '@autonomys/decex';
import { headerHash } from '../chain/header.js';
import { ChainProofSource, type DomainChainView } from './follower.js';
import type { DomainRoleEvent } from './operator.js';

/** Default depth of the relayer's confirmed block below the best block. */
export const RELAY_CONFIRMATION_DEPTH = 2;

export interface RelayerInit {
  readonly chain: DomainChainView;
  readonly domainId: number;
  /** Hands a relay extrinsic (a domain transaction) to the domain's operators. */
  readonly submit: (extrinsic: Uint8Array) => void;
  /** How far below the best block the confirmed block c must be (default {@link RELAY_CONFIRMATION_DEPTH}). */
  readonly confirmationDepth?: number;
  /** The next inbox nonce of channel 0 from the consensus chain at the domain's derived head. */
  readonly deliveredNonce?: () => bigint;
  readonly onEvent?: (e: DomainRoleEvent) => void;
  readonly name?: string;
}

/** A relayed message (for tools and tests). */
export interface RelayedMessage {
  readonly nonce: bigint;
  /** The consensus block whose state holds the outbox entry. */
  readonly sourceBlock: number;
  /** The block whose MMR root the proof is checked against (`consensus_block_number`). */
  readonly proofBlock: number;
  readonly extrinsic: Uint8Array;
}

export class Relayer {
  readonly proofs: ChainProofSource;
  readonly name: string;
  /** Every relay handed to the operators, in order. */
  readonly relayed: RelayedMessage[] = [];
  private readonly init: RelayerInit;
  /** Scanned blocks (number -> hash hex), to notice a reorg below the scanned height. */
  private readonly scanned = new Map<number, string>();
  private last = 0;
  /** Relayed contents (nonce:message hex). */
  private readonly sent = new Set<string>();

  constructor(init: RelayerInit) {
    this.init = init;
    this.name = init.name ?? 'relayer';
    this.proofs = new ChainProofSource(init.chain);
  }

  private hashAt(n: number): string | undefined {
    const h = this.init.chain.getHeader(n);
    return h === undefined ? undefined : hexOf(headerHash(h));
  }

  /** Relays what newly confirmed blocks wrote (call on every new best block). */
  onNewHead(): void {
    try {
      this.step();
    } catch (error) {
      try {
        this.init.onEvent?.({ type: 'domain:error', role: this.name, error });
      } catch {
        // reporting must not break the role
      }
    }
  }

  private step(): void {
    const { chain, domainId } = this.init;
    // A reorg below what was scanned: rescan from the fork.
    while (this.last > 0 && this.scanned.get(this.last) !== this.hashAt(this.last)) {
      this.scanned.delete(this.last);
      this.last--;
    }
    const c = chain.head().number - (this.init.confirmationDepth ?? RELAY_CONFIRMATION_DEPTH);
    const delivered = this.init.deliveredNonce?.() ?? 0n;
    for (let m = this.last + 1; m < c; m++) {
      const tp = chain.runtimeState(m).domains?.transporter;
      const prev = chain.runtimeState(m - 1).domains?.transporter;
      const from = prev?.nextOutboxNonce.get(domainId) ?? 0n;
      const to = tp?.nextOutboxNonce.get(domainId) ?? 0n;
      const fresh = (tp?.messages(domainId, from, to) ?? []).filter(
        (e) => e.message.nonce >= delivered && !this.sent.has(`${e.message.nonce}:${hexOf(e.encoded)}`),
      );
      if (fresh.length > 0) {
        const proofBlock = m + 1;
        const mmrProof = this.proofs.mmr.proof(m, proofBlock);
        const storageProof = this.proofs.storageProof(
          m,
          fresh.map((e) => e.key),
        );
        for (const e of fresh) {
          const extrinsic = relayMessageExtrinsic(consensusRelayMessage(e.message, mmrProof, storageProof));
          this.sent.add(`${e.message.nonce}:${hexOf(e.encoded)}`);
          this.relayed.push({ nonce: e.message.nonce, sourceBlock: m, proofBlock, extrinsic });
          this.init.submit(extrinsic);
          this.init.onEvent?.({
            type: 'domain:relayed',
            role: this.name,
            consensusBlock: m,
            nonce: e.message.nonce,
          });
        }
      }
      const h = this.hashAt(m);
      if (h === undefined) break;
      this.scanned.set(m, h);
      this.last = m;
    }
  }
}
