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
  TrieState,
} from '@autonomys/decex';
import { blake3 } from '@autonomys/primitives';
import { type Header, headerHash } from '../chain/header.js';
import type { BlockId } from '../consensus/api.js';
import { decodeExtrinsic } from '../runtime/extrinsic.js';
import { ConsensusMmr } from '../runtime/mmr.js';
import { type RuntimeState, storageEntries } from '../runtime/state.js';
import {
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

/** The domain state of a consensus block's runtime state (throws when the chain has no domains). */
export function domainsAt(chain: DomainChainView, n: number): DomainsState {
  const d = chain.runtimeState(n).domains;
  if (d === undefined) throw new Error('this chain has no domains');
  return d;
}

/**
 * Follows the best chain and derives the domain chain. `process(n)` must be called for every
 * consensus block in order (it catches up from the last processed block).
 */
export class DomainFollower {
  readonly derive: DomainOperator;
  /** The last consensus block processed. */
  processed = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(
    readonly chain: DomainChainView,
    readonly config: DomainGenesisConfig,
    operatorId: bigint,
    keys: OperatorKeys,
  ) {
    this.derive = new DomainOperator(
      config.domainId,
      operatorId,
      keys,
      domainRuntime(),
      domainGenesisEntries(config),
    );
  }

  /** Processes consensus blocks up to the best one (serialized). */
  catchUp(onBlock: (n: number) => void | Promise<void>): Promise<void> {
    const run = async () => {
      const head = this.chain.head().number;
      while (this.processed < head) {
        const n = this.processed + 1;
        await this.deriveFrom(n);
        this.processed = n;
        await onBlock(n);
      }
    };
    this.running = this.running.then(run, run);
    return this.running;
  }

  private async deriveFrom(n: number): Promise<void> {
    const block = await this.chain.getBlock(n);
    if (block === undefined) throw new Error(`block ${n} is not available`);
    const bundles = bundlesInBlock(block.extrinsics, this.config.domainId);
    if (bundles.length === 0) return;
    const header = this.chain.getHeader(n)!;
    const state = this.chain.runtimeState(n);
    this.derive.deriveBlock(
      {
        number: n,
        hash: headerHash(header),
        blockRandomness: blake3(state.proofOfTime),
        timestamp: state.timestamp,
        consensusTransactionByteFee: DOMAIN_CONSENSUS_BYTE_FEE,
      },
      bundles,
    );
  }
}

/** The domain genesis storage of a config. */
export function domainGenesisEntries(config: DomainGenesisConfig): [Uint8Array, Uint8Array][] {
  return BalancesRuntime.genesis(config.balances);
}
