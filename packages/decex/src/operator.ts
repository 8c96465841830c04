/**
 * A domain operator (and watchtower): keeps its own derived domain chain, takes part in the bundle
 * election each slot, builds bundles within the domain's size and weight limits, derives the
 * domain block of every consensus block with bundles, and checks other receipts, generating a
 * fraud proof for the first mismatch. The node wires it to its consensus client; everything it
 * needs from the chain comes in through arguments and `ConsensusProofSource`.
 */
import { blake3 } from '@autonomys/primitives';
import {
  bundleWeight,
  type ConsensusBlockInfo,
  type DerivedBlock,
  type DeriveOptions,
  deriveDomainBlock,
  extrinsicsShufflingSeed,
} from './block.js';
import {
  bundleBodySize,
  bundleExtrinsicsRoot,
  genesisReceipt,
  receiptHash,
  sealBundleHeader,
} from './bundle.js';
import type { ConsensusProofSource } from './chain.js';
import { invalidArgument } from './errors.js';
import { generateFraudProof, type HonestExecution } from './fraud.js';
import type { DomainRuntime } from './runtime.js';
import { hexOf } from './staking.js';
import { TrieState } from './trie.js';
import type {
  Bundle,
  DomainId,
  ExecutionReceipt,
  FraudProof,
  H256,
  InherentExtrinsicData,
  OperatorId,
  Weight,
} from './types.js';
import {
  calculateThreshold,
  globalChallenge,
  signerIdHash,
  signerInTxRange,
  tryElect,
  vrfHashU256,
} from './vrf.js';

export interface OperatorKeys {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

interface ChainEntry {
  block: DerivedBlock | undefined;
  receipt: ExecutionReceipt;
  receiptHash: H256;
  /** Post-state of the block (the genesis state for block 0). */
  state: TrieState;
  parentState: TrieState | undefined;
  bundles: Bundle[];
  inherentData: InherentExtrinsicData | undefined;
}

export interface ElectionInput {
  slot: bigint;
  proofOfTime: Uint8Array;
  operatorStake: bigint;
  totalStake: bigint;
  bundleSlotProbability: readonly [bigint, bigint];
}

export interface BundleLimits {
  maxBundleSize: number;
  maxBundleWeight: Weight;
}

/** An operator of one domain. */
export class DomainOperator {
  readonly domainId: DomainId;
  readonly operatorId: OperatorId;
  private readonly keys: OperatorKeys;
  private readonly runtime: DomainRuntime;
  /** Derived chain by domain block number. */
  private readonly chain: ChainEntry[] = [];
  /** Pending extrinsic bodies (the tx pool). */
  readonly pool: Uint8Array[] = [];

  constructor(
    domainId: DomainId,
    operatorId: OperatorId,
    keys: OperatorKeys,
    runtime: DomainRuntime,
    genesisEntries: Iterable<readonly [Uint8Array, Uint8Array]>,
  ) {
    this.domainId = domainId;
    this.operatorId = operatorId;
    this.keys = keys;
    this.runtime = runtime;
    const state = TrieState.fromEntries(genesisEntries);
    const receipt = genesisReceipt(state.root());
    this.chain.push({
      block: undefined,
      receipt,
      receiptHash: receiptHash(receipt),
      state,
      parentState: undefined,
      bundles: [],
      inherentData: undefined,
    });
  }

  /** The genesis receipt of the domain (what `instantiate_domain` stores). */
  get genesisReceipt(): ExecutionReceipt {
    return this.chain[0]!.receipt;
  }
  /** The receipt of domain block `n` as this operator derived it. */
  receiptAt(n: number): ExecutionReceipt | undefined {
    return this.chain[n]?.receipt;
  }
  get headNumber(): number {
    return this.chain.length - 1;
  }

  /**
   * Drops the derived blocks after domain block `n` (a consensus reorg retracted the blocks they
   * were derived from); deriving continues from block `n`. The pool is left as it is.
   * @example operator.revertTo(ancestorDomainBlock)
   */
  revertTo(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.headNumber)
      throw invalidArgument('revertTo', `no derived domain block ${n} (head ${this.headNumber})`);
    this.chain.length = n + 1;
  }
  /** The state after domain block `n` (read-only use). */
  stateAt(n: number): TrieState | undefined {
    return this.chain[n]?.state;
  }

  /** Runs the election for one slot; the VRF signature if this operator won. */
  elect(input: ElectionInput) {
    const challenge = globalChallenge(blake3(input.proofOfTime), input.slot);
    const threshold = calculateThreshold(input.operatorStake, input.totalStake, input.bundleSlotProbability);
    if (threshold === undefined) return undefined;
    return tryElect(this.keys.secretKey, this.keys.publicKey, this.domainId, challenge, threshold);
  }

  /**
   * Builds a bundle for a won slot carrying the receipt of domain block `receiptNumber`, with pool
   * extrinsics that are in this bundle's tx range, up to the size and weight limits. `exclude`
   * (hex of extrinsic bodies) leaves out what other bundles of this operator already carry.
   */
  buildBundle(
    input: ElectionInput,
    vrfSignature: { preOutput: Uint8Array; proof: Uint8Array },
    receiptNumber: number,
    limits: BundleLimits,
    exclude?: ReadonlySet<string>,
  ): Bundle {
    const receipt = this.chain[receiptNumber]?.receipt;
    if (receipt === undefined) throw new Error(`operator has no receipt for domain block ${receiptNumber}`);
    const vrf = vrfHashU256(vrfSignature);
    const chosen: Uint8Array[] = [];
    for (const x of this.pool) {
      if (exclude?.has(hexOf(x))) continue;
      const info = this.runtime.inspect(x);
      if (info === undefined) continue;
      if (info.signer !== undefined && !signerInTxRange(vrf, signerIdHash(info.signer))) continue;
      const next = [...chosen, x];
      const w = bundleWeight(this.runtime, next);
      if (bundleBodySize(next) > limits.maxBundleSize) break;
      if (w.refTime > limits.maxBundleWeight.refTime || w.proofSize > limits.maxBundleWeight.proofSize) break;
      chosen.push(x);
    }
    const header = {
      proofOfElection: {
        domainId: this.domainId,
        slotNumber: input.slot,
        proofOfTime: input.proofOfTime,
        vrfSignature,
        operatorId: this.operatorId,
      },
      receipt,
      estimatedBundleWeight: bundleWeight(this.runtime, chosen),
      bundleExtrinsicsRoot: bundleExtrinsicsRoot(chosen),
    };
    return {
      sealedHeader: sealBundleHeader(header, this.keys.secretKey, this.keys.publicKey),
      extrinsics: chosen,
    };
  }

  /** Drops pool extrinsics that were included in a derived block. */
  private prunePool(included: readonly Uint8Array[]): void {
    const inc = new Set(included.map(hexOf));
    for (let i = this.pool.length - 1; i >= 0; i--) if (inc.has(hexOf(this.pool[i]!))) this.pool.splice(i, 1);
  }

  /**
   * Derives the domain block of a consensus block from its (inbox-ordered) bundles and appends it
   * to this operator's chain. A runtime with XDMs needs `opts.verifyXdm` (decex §5 step 1d; see
   * `xdmVerifier`): without it XDM MMR proofs are not checked.
   */
  deriveBlock(
    consensus: ConsensusBlockInfo,
    bundles: readonly Bundle[],
    opts: DeriveOptions = {},
  ): DerivedBlock {
    const parent = this.chain[this.chain.length - 1]!;
    const parentTrie = parent.state.toTrie();
    const state = TrieState.fromProof(parentTrie.root, [...parentTrie.db.values()]);
    const block = deriveDomainBlock(
      this.runtime,
      { receipt: parent.receipt, receiptHash: parent.receiptHash },
      state,
      consensus,
      bundles,
      opts,
    );
    this.chain.push({
      block,
      receipt: block.receipt,
      receiptHash: block.receiptHash,
      state: block.state,
      parentState: parent.state,
      bundles: [...bundles],
      inherentData: {
        extrinsicsShufflingSeed: extrinsicsShufflingSeed(consensus.blockRandomness),
        timestamp: consensus.timestamp,
        consensusTransactionByteFee: consensus.consensusTransactionByteFee,
      },
    });
    this.prunePool(block.extrinsics);
    return block;
  }

  /**
   * Watchtower check: compares a receipt from the chain with this operator's derivation of the same
   * block and returns a fraud proof for the first mismatch (or `undefined` if it agrees or the
   * block is not derived yet).
   */
  checkReceipt(er: ExecutionReceipt, consensus: ConsensusProofSource): FraudProof | undefined {
    const mine = this.chain[er.domainBlockNumber];
    if (mine === undefined || mine.block === undefined || er.domainBlockNumber === 0) return undefined;
    const bad = receiptHash(er);
    if (hexOf(bad) === hexOf(mine.receiptHash)) return undefined;
    const parent = this.chain[er.domainBlockNumber - 1]!;
    const honest: HonestExecution = {
      block: mine.block,
      parentState: mine.parentState!,
      bundles: mine.bundles,
      consensus,
      inherentData: mine.inherentData!,
    };
    return generateFraudProof(this.domainId, this.runtime, er, bad, parent.receipt, honest);
  }
}
