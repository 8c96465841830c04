/**
 * The consensus side of one domain (pallet-domains, decex §4, §6, §7): `submit_bundle` and
 * `submit_receipt` validation in the pallet's order, the block tree of receipts (typing, checks,
 * confirmation after the challenge period, pruning), the execution inbox, epoch transitions, and
 * `submit_fraud_proof` with slashing. Every rejection is typed and leaves the state unchanged.
 *
 * The node drives it per consensus block: `initializeBlock(number, parentHash)`, then the domain
 * extrinsics of the block in order, then `finalizeBlock()`.
 */
import { blake3, sr25519Verify } from '@autonomys/primitives';
import {
  bundleHash as blake2Bundle,
  bundleBodySize,
  bundleDigest,
  bundleEncodedSize,
  bundleExtrinsicsRoot,
  receiptHash,
  singletonReceiptHash,
  verifyBundleSignature,
} from './bundle.js';
import { encodeWith } from './codec.js';
import { BLOCK_TREE_PRUNING_DEPTH, OPERATOR_SIGNING_CONTEXT, STAKE_EPOCH_DURATION } from './constants.js';
import { bundleRejected, fraudProofRejected, type ReceiptRejection, receiptRejected } from './errors.js';
import { verifyFraudProof } from './fraud.js';
import { executionTraceRoot } from './merkle.js';
import type { MmrRootSource } from './mmr.js';
import type { DomainRuntime } from './runtime.js';
import { cloneData, hexOf, type StakingLedger } from './staking.js';
import {
  type Bundle,
  type BundleDigest,
  type DomainId,
  type ExecutionReceipt,
  type FraudProof,
  type H256,
  type OperatorId,
  type ProofOfElection,
  type SealedSingletonReceipt,
  sealedSingletonReceiptCodec,
  type Weight,
} from './types.js';
import { calculateThreshold, electionVrfVerify, globalChallenge, isBelowThreshold } from './vrf.js';
import { type DomainChainRewards, payConfirmedChainRewards } from './xdm-fees.js';

/** Slot checks the consensus node performs with its PoT state (decex §4 step 6). */
export interface SlotChecker {
  /** `undefined` if the slot and PoT output are acceptable in the current block, else the reason. */
  checkSlot(
    slot: bigint,
    proofOfTime: Uint8Array,
  ): 'SlotInTheFuture' | 'SlotInThePast' | 'InvalidProofOfTime' | undefined;
}

/** Tracks per-chain balances of domains (the transporter's `DomainBalances`). */
export interface DomainTransfersTracker {
  /** Applies a confirmed receipt's transfers; throws (and changes nothing) if a balance would go negative. */
  applyReceiptTransfers(domainId: DomainId, transfers: ExecutionReceipt['transfers']): void;
}

export interface DomainParams {
  domainId: DomainId;
  bundleSlotProbability: readonly [bigint, bigint];
  maxBundleSize: number;
  maxBundleWeight: Weight;
  /** Challenge period in domain blocks (`BlockTreePruningDepth`). */
  pruningDepth?: number;
  /** `StakeEpochDuration` in domain blocks. */
  epochDuration?: number;
  /** Consensus transaction byte fee (bundle storage fee = byte fee × SCALE size). */
  transactionByteFee?: bigint;
}

export interface DomainConsensusComponents {
  ledger: StakingLedger;
  mmr: MmrRootSource;
  /** The runtime fraud proofs are verified against. */
  runtime: DomainRuntime;
  slots?: SlotChecker;
  transfers?: DomainTransfersTracker;
  /**
   * XDM chain rewards (decex §3): a confirmed receipt's `block_fees.chain_rewards` are paid (the
   * consensus share to `blockAuthor()`, domain shares into `chainRewards`), and a domain's
   * `DomainChainRewards` are split among its rewarded operators at its epoch transition.
   */
  xdm?: { chainRewards: DomainChainRewards; blockAuthor: () => string };
}

interface BlockTreeNode {
  receipt: ExecutionReceipt;
  operatorIds: OperatorId[];
}

type ReceiptType = 'NewHead' | 'CurrentHead';

/** Events a node may surface; tests assert on them. */
export type DomainEvent =
  | { type: 'BundleStored'; operatorId: OperatorId; bundleHash: H256; domainBlockNumber: number }
  | { type: 'ReceiptAdded'; receiptHash: H256; domainBlockNumber: number }
  | { type: 'ReceiptConfirmed'; receiptHash: H256; domainBlockNumber: number }
  | { type: 'ReceiptPruned'; receiptHash: H256; domainBlockNumber: number; slashed: OperatorId[] }
  | { type: 'FraudProofProcessed'; badReceiptHash: H256; domainBlockNumber: number }
  | { type: 'EpochTransition'; epoch: number };

/** One domain's consensus-side state machine. */
export class DomainConsensus {
  readonly domainId: DomainId;
  readonly params: Required<DomainParams>;
  private readonly c: DomainConsensusComponents;

  /** `BlockTree[(domain, n)]`. */
  readonly blockTree = new Map<number, string>();
  /** `BlockTreeNodes[hash]`. */
  readonly nodes = new Map<string, BlockTreeNode>();
  headReceiptNumber = 0;
  headDomainNumber = 0;
  latestConfirmed: ExecutionReceipt;
  private newAddedHeadReceipt: string | undefined;
  /** `ExecutionInbox[(n, consensus_number)]`. */
  private readonly inbox = new Map<string, BundleDigest[]>();
  private readonly inboxedBundleAuthor = new Map<string, OperatorId>();
  /** `ConsensusBlockHash[(domain, n)]`. */
  private readonly consensusBlockHash = new Map<number, H256>();
  private readonly operatorHighestSlot = new Map<OperatorId, bigint>();
  private blockSlots = new Map<OperatorId, Set<bigint>>();
  /** Bundle hashes of this block (`SuccessfulBundles[domain]`). */
  successfulBundles: H256[] = [];
  private bundledThisBlock = false;
  currentBlockNumber = 0;
  private parentHash: H256 = new Uint8Array(32);
  frozen = false;
  readonly events: DomainEvent[] = [];

  constructor(params: DomainParams, genesisReceipt: ExecutionReceipt, components: DomainConsensusComponents) {
    this.domainId = params.domainId;
    this.params = {
      pruningDepth: BLOCK_TREE_PRUNING_DEPTH,
      epochDuration: STAKE_EPOCH_DURATION,
      transactionByteFee: 0n,
      ...params,
    };
    this.c = components;
    const h = hexOf(receiptHash(genesisReceipt));
    this.blockTree.set(0, h);
    this.nodes.set(h, { receipt: genesisReceipt, operatorIds: [] });
    this.latestConfirmed = genesisReceipt;
    components.ledger.addDomain(params.domainId);
  }

  /**
   * An independent deep copy of the domain's state bound to other components (typically a clone
   * of the ledger and the next block's MMR and slot sources): a consensus node keeps one per
   * block, so forks and rejected blocks never touch the parent's state. Events are not copied.
   */
  clone(components: DomainConsensusComponents): DomainConsensus {
    const out = cloneData(this, new Set(['c', 'params', 'events']));
    const w = out as unknown as { c: DomainConsensusComponents; events: DomainEvent[] };
    w.c = components;
    w.events = [];
    return out;
  }

  /** `on_initialize` of consensus block `number`: records the parent hash for receipt checks. */
  initializeBlock(number: number, parentHash: H256): void {
    this.currentBlockNumber = number;
    this.parentHash = parentHash;
    if (number > 0) this.consensusBlockHash.set(number - 1, parentHash);
    this.newAddedHeadReceipt = undefined;
    this.blockSlots = new Map();
    this.successfulBundles = [];
    this.bundledThisBlock = false;
  }

  /** `on_finalize`: operator highest slots, clears the last-epoch distribution. */
  finalizeBlock(): void {
    for (const [op, slots] of this.blockSlots) {
      // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min/max take numbers)
      const max = [...slots].reduce((a, b) => (a > b ? a : b));
      const prev = this.operatorHighestSlot.get(op);
      if (prev === undefined || max > prev) this.operatorHighestSlot.set(op, max);
    }
    this.c.ledger.onFinalize(this.domainId);
  }

  /** The receipt at `n` in the block tree. */
  receiptAt(n: number): ExecutionReceipt | undefined {
    const h = this.blockTree.get(n);
    return h === undefined ? undefined : this.nodes.get(h)?.receipt;
  }
  /** The node of a receipt hash. */
  node(hash: H256): { receipt: ExecutionReceipt; operatorIds: OperatorId[] } | undefined {
    const n = this.nodes.get(hexOf(hash));
    return n && { receipt: n.receipt, operatorIds: [...n.operatorIds] };
  }
  /** `ExecutionInbox[(n, consensus)]` digests. */
  inboxAt(domainBlockNumber: number, consensusBlockNumber: number): BundleDigest[] {
    return [...(this.inbox.get(`${domainBlockNumber}:${consensusBlockNumber}`) ?? [])];
  }

  // -- bundles --------------------------------------------------------------------------------

  /** The receipt number an operator's next bundle must carry (`CurrentHead` once a head was added this block). */
  expectedReceiptNumber(): number {
    if (this.newAddedHeadReceipt !== undefined) return this.headReceiptNumber;
    return Math.min(this.headReceiptNumber + 1, this.headDomainNumber);
  }

  /** `HeadDomainNumber − HeadReceiptNumber` (saturating). */
  receiptGap(): number {
    return Math.max(0, this.headDomainNumber - this.headReceiptNumber);
  }

  /** Eligibility checks shared by bundles and singleton receipts (decex §4 step 6). */
  private checkEligibility(poe: ProofOfElection, signed: () => boolean): void {
    const ledger = this.c.ledger;
    if (this.frozen) throw bundleRejected('DomainFrozen');
    const op = ledger.operators.get(poe.operatorId);
    if (op === undefined) throw bundleRejected('InvalidOperatorId');
    if (!ledger.canSubmitBundle(poe.operatorId) || op.currentDomainId !== this.domainId)
      throw bundleRejected('BadOperator');
    if (!signed()) throw bundleRejected('BadBundleSignature');
    const highest = this.operatorHighestSlot.get(poe.operatorId);
    if (highest !== undefined && poe.slotNumber <= highest)
      throw bundleRejected('SlotSmallerThanPreviousBlockBundle');
    if (this.blockSlots.get(poe.operatorId)?.has(poe.slotNumber)) throw bundleRejected('EquivocatedBundle');
    const stake = ledger.operatorStakeInfo(this.domainId, poe.operatorId);
    if (stake === undefined) throw bundleRejected('BadOperator', 'not in the current operator set');
    const slotIssue = this.c.slots?.checkSlot(poe.slotNumber, poe.proofOfTime);
    if (slotIssue !== undefined) throw bundleRejected(slotIssue);
    if (poe.domainId !== this.domainId) throw bundleRejected('InvalidDomainId');
    const challenge = globalChallenge(blake3(poe.proofOfTime), poe.slotNumber);
    if (!electionVrfVerify(op.signingKey, this.domainId, challenge, poe.vrfSignature))
      throw bundleRejected('BadVrfProof');
    const threshold = calculateThreshold(stake.stake, stake.total, this.params.bundleSlotProbability);
    if (threshold === undefined) throw bundleRejected('InvalidThreshold');
    if (!isBelowThreshold(poe.vrfSignature.preOutput, threshold))
      throw bundleRejected('ThresholdUnsatisfied');
  }

  /**
   * Validates a bundle as `validate_submit_bundle` does; throws `DECEX_BUNDLE_REJECTED` (or
   * `DECEX_RECEIPT_REJECTED` for the receipt checks) without changing any state.
   */
  validateBundle(bundle: Bundle): ReceiptType {
    const header = bundle.sealedHeader.header;
    const poe = header.proofOfElection;
    if (this.receiptGap() > 1) throw bundleRejected('UnexpectedReceiptGap');
    const fee = this.params.transactionByteFee * BigInt(bundleEncodedSize(bundle));
    if (fee > 0n && !this.c.ledger.canPayStorageFee(poe.operatorId, fee))
      throw bundleRejected('UnableToPayBundleStorageFee');
    if (poe.domainId !== this.domainId) throw bundleRejected('InvalidDomainId');
    if (bundleBodySize(bundle.extrinsics) > this.params.maxBundleSize) throw bundleRejected('BundleTooLarge');
    const w = header.estimatedBundleWeight;
    if (
      w.refTime > this.params.maxBundleWeight.refTime ||
      w.proofSize > this.params.maxBundleWeight.proofSize
    )
      throw bundleRejected('BundleTooHeavy');
    if (!eq(bundleExtrinsicsRoot(bundle.extrinsics), header.bundleExtrinsicsRoot))
      throw bundleRejected('InvalidExtrinsicRoot');
    const op = this.c.ledger.operators.get(poe.operatorId);
    this.checkEligibility(
      poe,
      () => op !== undefined && verifyBundleSignature(bundle.sealedHeader, op.signingKey),
    );
    return this.verifyReceipt(header.receipt);
  }

  /** `submit_bundle`: validates, then charges the storage fee, processes the receipt and inboxes the bundle. */
  submitBundle(bundle: Bundle): void {
    const type = this.validateBundle(bundle);
    const header = bundle.sealedHeader.header;
    const op = header.proofOfElection.operatorId;
    const fee = this.params.transactionByteFee * BigInt(bundleEncodedSize(bundle));
    if (fee > 0n) this.c.ledger.chargeStorageFee(op, fee);
    this.processReceipt(header.receipt, op, type);
    if (!this.bundledThisBlock) {
      this.bundledThisBlock = true;
      this.headDomainNumber += 1;
      this.c.ledger.setHeadDomainNumber(this.domainId, this.headDomainNumber);
      if (this.headDomainNumber % this.params.epochDuration === 0) {
        this.c.xdm?.chainRewards.distribute(this.c.ledger, this.domainId);
        this.c.ledger.transitionEpoch(this.domainId);
        this.events.push({
          type: 'EpochTransition',
          epoch: this.c.ledger.stakingSummary(this.domainId).currentEpochIndex,
        });
      }
    }
    const digest = bundleDigest(bundle);
    const key = `${this.headDomainNumber}:${this.currentBlockNumber}`;
    this.inbox.set(key, [...(this.inbox.get(key) ?? []), digest]);
    this.inboxedBundleAuthor.set(hexOf(digest.headerHash), op);
    const slots = this.blockSlots.get(op) ?? new Set();
    slots.add(header.proofOfElection.slotNumber);
    this.blockSlots.set(op, slots);
    const bh = blake2Bundle(bundle);
    this.successfulBundles.push(bh);
    this.events.push({
      type: 'BundleStored',
      operatorId: op,
      bundleHash: bh,
      domainBlockNumber: this.headDomainNumber,
    });
  }

  /** `submit_receipt` (singleton receipt, only while the receipt gap is above 1). */
  submitSingletonReceipt(sealed: SealedSingletonReceipt): void {
    const { proofOfElection: poe, receipt } = sealed.singletonReceipt;
    if (this.receiptGap() <= 1) throw bundleRejected('ExpectingReceiptGap');
    const fee =
      this.params.transactionByteFee * BigInt(encodeWith(sealedSingletonReceiptCodec, sealed).length);
    if (fee > 0n && !this.c.ledger.canPayStorageFee(poe.operatorId, fee))
      throw bundleRejected('UnableToPayBundleStorageFee');
    if (poe.domainId !== this.domainId) throw bundleRejected('InvalidDomainId');
    const op = this.c.ledger.operators.get(poe.operatorId);
    this.checkEligibility(poe, () => {
      if (op === undefined) return false;
      try {
        return sr25519Verify(sealed.signature, singletonReceiptHash(sealed.singletonReceipt), op.signingKey, {
          context: OPERATOR_SIGNING_CONTEXT,
        });
      } catch {
        return false;
      }
    });
    const type = this.verifyReceipt(receipt);
    if (fee > 0n) this.c.ledger.chargeStorageFee(poe.operatorId, fee);
    this.processReceipt(receipt, poe.operatorId, type);
    const slots = this.blockSlots.get(poe.operatorId) ?? new Set();
    slots.add(poe.slotNumber);
    this.blockSlots.set(poe.operatorId, slots);
  }

  // -- receipts -------------------------------------------------------------------------------

  /** `execution_receipt_type` (decex §6). */
  receiptType(er: ExecutionReceipt): ReceiptType | ReceiptRejection {
    const n = er.domainBlockNumber;
    const next = this.headReceiptNumber + 1;
    const extended = this.newAddedHeadReceipt !== undefined;
    if (n > next) return 'InFutureReceipt';
    if (n === next) return extended ? 'InFutureReceipt' : 'NewHead';
    const confirmed = this.latestConfirmed.domainBlockNumber;
    if (confirmed !== 0 && n <= confirmed) return 'PrunedReceipt';
    if (this.blockTree.get(n) !== hexOf(receiptHash(er))) return 'NewBranchReceipt';
    const firstGenesis = n === 0 && this.headDomainNumber === 0;
    if (n === this.headReceiptNumber && (extended || firstGenesis)) return 'CurrentHead';
    return 'StaleReceipt';
  }

  /** `verify_execution_receipt`: typing, then the structural checks in order. */
  verifyReceipt(er: ExecutionReceipt): ReceiptType {
    const type = this.receiptType(er);
    if (type !== 'NewHead' && type !== 'CurrentHead') throw receiptRejected(type);
    const h = hexOf(receiptHash(er));
    if (this.newAddedHeadReceipt !== undefined) {
      if (this.newAddedHeadReceipt !== h) throw receiptRejected('UnmatchedNewHeadReceipt');
      return type;
    }
    if (er.domainBlockNumber === 0) {
      if (this.blockTree.get(0) !== h) throw receiptRejected('BadGenesisReceipt');
      return type;
    }
    if (er.executionTrace.length < 2) throw receiptRejected('InvalidExecutionTrace');
    let expected = this.consensusBlockHash.get(er.consensusBlockNumber);
    if (expected === undefined) {
      if (er.consensusBlockNumber === this.currentBlockNumber - 1) expected = this.parentHash;
      else throw receiptRejected('UnavailableConsensusBlockHash');
    }
    if (!eq(expected, er.consensusBlockHash)) throw receiptRejected('BuiltOnUnknownConsensusBlock');
    const inbox = this.inbox.get(`${er.domainBlockNumber}:${er.consensusBlockNumber}`) ?? [];
    if (
      er.inboxedBundles.length === 0 ||
      er.inboxedBundles.length !== inbox.length ||
      er.inboxedBundles.some((b, i) => !eq(b.extrinsicsRoot, inbox[i]!.extrinsicsRoot))
    )
      throw receiptRejected('InvalidExtrinsicsRoots');
    const root = executionTraceRoot(er.executionTrace);
    if (root === undefined || !eq(root, er.executionTraceRoot)) throw receiptRejected('InvalidTraceRoot');
    if (!eq(er.finalStateRoot, er.executionTrace[er.executionTrace.length - 1]!))
      throw receiptRejected('InvalidStateRoot');
    if (this.blockTree.get(er.domainBlockNumber - 1) !== hexOf(er.parentDomainBlockReceiptHash))
      throw receiptRejected('UnknownParentBlockReceipt');
    return type;
  }

  private processReceipt(er: ExecutionReceipt, submitter: OperatorId, type: ReceiptType): void {
    const h = hexOf(receiptHash(er));
    const n = er.domainBlockNumber;
    if (type === 'CurrentHead') {
      this.nodes.get(h)?.operatorIds.push(submitter);
      return;
    }
    // A stale descendant of a receipt pruned by a fraud proof is replaced now, its submitters slashed.
    const old = this.blockTree.get(n);
    if (old !== undefined && old !== h) this.pruneNode(old, n, true);
    this.blockTree.set(n, h);
    this.nodes.set(h, { receipt: er, operatorIds: [submitter] });
    this.headReceiptNumber = n;
    this.newAddedHeadReceipt = h;
    this.events.push({ type: 'ReceiptAdded', receiptHash: fromHex(h), domainBlockNumber: n });
    // Mark the authors of bundles this receipt calls invalid.
    const inbox = this.inbox.get(`${n}:${er.consensusBlockNumber}`) ?? [];
    er.inboxedBundles.forEach((b, i) => {
      const author = inbox[i] && this.inboxedBundleAuthor.get(hexOf(inbox[i].headerHash));
      if (b.bundle.type === 'Invalid' && author !== undefined)
        this.c.ledger.markInvalidBundleAuthor(author, fromHex(h));
    });
    const toConfirm = n - this.params.pruningDepth;
    if (toConfirm >= 0) this.confirm(toConfirm);
  }

  private confirm(n: number): void {
    const h = this.blockTree.get(n);
    if (h === undefined) return;
    const node = this.nodes.get(h)!;
    const er = node.receipt;
    this.blockTree.delete(n);
    this.nodes.delete(h);
    const key = `${n}:${er.consensusBlockNumber}`;
    const digests = this.inbox.get(key) ?? [];
    const paid = new Map<OperatorId, number>();
    const invalidAuthors: OperatorId[] = [];
    digests.forEach((d, i) => {
      const author = this.inboxedBundleAuthor.get(hexOf(d.headerHash));
      this.inboxedBundleAuthor.delete(hexOf(d.headerHash));
      if (author === undefined) return;
      if (er.inboxedBundles[i]?.bundle.type === 'Invalid') invalidAuthors.push(author);
      else paid.set(author, (paid.get(author) ?? 0) + d.size);
    });
    this.inbox.delete(key);
    this.consensusBlockHash.delete(er.consensusBlockNumber);
    this.latestConfirmed = er;
    if (n > 0) {
      this.c.transfers?.applyReceiptTransfers(this.domainId, er.transfers);
      this.c.ledger.distributeExecutionFee(this.domainId, node.operatorIds, er.blockFees.domainExecutionFee);
      this.c.ledger.refundStorageFees(paid, er.blockFees.consensusStorageFee);
      if (this.c.xdm !== undefined)
        payConfirmedChainRewards(
          this.c.ledger,
          this.c.xdm.blockAuthor(),
          er.blockFees.chainRewards,
          this.c.xdm.chainRewards,
        );
      if (invalidAuthors.length > 0) this.c.ledger.slashOperators(this.domainId, invalidAuthors);
    }
    this.events.push({ type: 'ReceiptConfirmed', receiptHash: fromHex(h), domainBlockNumber: n });
  }

  private pruneNode(h: string, n: number, slash: boolean): void {
    const node = this.nodes.get(h);
    this.blockTree.delete(n);
    this.nodes.delete(h);
    if (node === undefined) return;
    this.c.ledger.unmarkInvalidBundleAuthors(fromHex(h));
    if (slash) this.c.ledger.slashOperators(this.domainId, node.operatorIds);
    this.events.push({
      type: 'ReceiptPruned',
      receiptHash: fromHex(h),
      domainBlockNumber: n,
      slashed: slash ? [...new Set(node.operatorIds)] : [],
    });
  }

  // -- fraud proofs ---------------------------------------------------------------------------

  /** `validate_fraud_proof` pre-checks and the variant's verification; no state change. */
  validateFraudProof(fp: FraudProof): { receipt: ExecutionReceipt; parent: ExecutionReceipt } {
    if (fp.domainId !== this.domainId) throw fraudProofRejected('DomainNotFound');
    const node = this.nodes.get(hexOf(fp.badReceiptHash));
    if (node === undefined) throw fraudProofRejected('BadReceiptNotFound');
    const er = node.receipt;
    if (er.domainBlockNumber === 0) throw fraudProofRejected('ChallengingGenesisReceipt');
    const parentHash = this.blockTree.get(er.domainBlockNumber - 1);
    const parent = parentHash === undefined ? undefined : this.nodes.get(parentHash);
    const parentReceipt =
      parent?.receipt ??
      (this.latestConfirmed.domainBlockNumber === er.domainBlockNumber - 1
        ? this.latestConfirmed
        : undefined);
    if (parentReceipt === undefined || !eq(receiptHash(parentReceipt), er.parentDomainBlockReceiptHash))
      throw fraudProofRejected('ParentReceiptNotFound');
    verifyFraudProof(fp, { badReceipt: er, parentReceipt, mmr: this.c.mmr, runtime: this.c.runtime });
    return { receipt: er, parent: parentReceipt };
  }

  /** `submit_fraud_proof`: on success the bad receipt is pruned, its submitters slashed, the head reverted. */
  submitFraudProof(fp: FraudProof): void {
    const { receipt } = this.validateFraudProof(fp);
    const n = receipt.domainBlockNumber;
    this.pruneNode(hexOf(fp.badReceiptHash), n, true);
    this.headReceiptNumber = n - 1;
    if (this.newAddedHeadReceipt === hexOf(fp.badReceiptHash)) this.newAddedHeadReceipt = undefined;
    this.events.push({
      type: 'FraudProofProcessed',
      badReceiptHash: fp.badReceiptHash,
      domainBlockNumber: n,
    });
  }
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}
