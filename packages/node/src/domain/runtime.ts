/**
 * The Domains pallet in the node's runtime (decex.md §4–§7, pot-consensus-dsn B.11): the unsigned
 * calls `Domains.submit_bundle` (`0c 00`), `submit_fraud_proof` (`0c 0f`) and `submit_receipt`
 * (`0c 15`) executed in consensus blocks by `@autonomys/decex`'s `DomainConsensus` (bundle checks
 * in the pallet's order, the block tree of receipts, confirmation after the challenge period,
 * pruning and slashing on a proven bad receipt) over one shared `StakingLedger`.
 *
 * The domain state is part of the runtime state ({@link DomainsState} in `RuntimeState.domains`),
 * copied per block (copy on write: a block's execution clones its parent's), so forks, rejected
 * blocks and restarts (the chain replays its journal) are deterministic. The items fraud proofs
 * read are in the state trie: `Domains::SuccessfulBundles`, `Domains::BlockInherentExtrinsicData`,
 * with `HeadReceiptNumber`, `HeadDomainNumber`, `BlockTree` and `LatestConfirmedDomainExecutionReceipt`.
 *
 * Bundles may claim any slot whose PoT output is on this chain (decex §4 step 6): not after the
 * block's slot + `BLOCK_AUTHORING_DELAY` (`SlotInTheFuture`), produced after a block at most
 * {@link BUNDLE_LONGEVITY} blocks old (`SlotInThePast`), and its output checked against the PoT
 * chain following that block (`InvalidProofOfTime`; {@link DomainPotSource}).
 *
 * Stakes come out of `System.Account` (the executor binds the ledger to the block's accounts,
 * {@link LedgerAccounts}): a genesis operator owned by an account has its stake taken from that
 * account's free balance; unlocks and the treasury's share of slashes are credited back. Bundles
 * and singleton receipts pay `byte fee × SCALE size` from the operator's storage fund (decex §3).
 */

import {
  AI3,
  BalancesRuntime,
  type Bundle,
  blockInherentExtrinsicDataKey,
  bundleCodec,
  bundleRejected,
  DecexError,
  DomainConsensus,
  type DomainEvent,
  type DomainParams,
  decodeWith,
  encodeInherentExtrinsicData,
  encodeWith,
  executionReceiptCodec,
  extrinsicsShufflingSeed,
  type FraudProof,
  fraudProofCodec,
  genesisReceipt,
  type H256,
  hexOf,
  invalidArgument,
  type LedgerAccounts,
  receiptHash,
  type SealedSingletonReceipt,
  StakingLedger,
  sealedSingletonReceiptCodec,
  successfulBundlesKey,
  TrieState,
} from '@autonomys/decex';
import { blake3, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import type { ChainSpec } from '../consensus/api.js';
import type { Call, Extrinsic } from '../runtime/extrinsic.js';
import { storageKey, twox64Concat } from '../runtime/hashing.js';
import { type MmrState, mmrRootSource } from '../runtime/mmr.js';
import { ConsensusTransporter } from './transporter.js';

/** Pallet index of Domains (B.11). */
export const DOMAINS_PALLET_INDEX = 12;
/** Call indices of the Domains calls the node executes (B.11). */
export const DOMAINS_CALL_INDEX = {
  submit_bundle: 0x00,
  submit_fraud_proof: 0x0f,
  submit_receipt: 0x15,
} as const;
/** Call indices of the signed staking calls the node executes (pallet-domains `call_index`). */
export const DOMAINS_STAKING_CALL_INDEX = {
  nominate_operator: 5,
  deregister_operator: 8,
  withdraw_stake: 9,
  unlock_funds: 10,
  unlock_nominator: 11,
} as const;
/** `BundleLongevity`: the block after which a bundle's slot was produced is at most this many blocks old. */
export const BUNDLE_LONGEVITY = 5;
/** `BLOCK_AUTHORING_DELAY`: a bundle's slot is at most this many slots after the block's own. */
export const DOMAIN_BLOCK_AUTHORING_DELAY = 4n;
/** How many consensus blocks the domain state remembers (the block being built and {@link BUNDLE_LONGEVITY} ancestors). */
export const RECENT_SLOTS = BUNDLE_LONGEVITY + 1;

/**
 * The PoT chain as the consensus node knows it (a `VoteCheckEnv` is one): the output of `slot` on
 * the PoT chain that follows block `parentHash` (verified proofs only), and whether the block is
 * being replayed from the node's own storage (checked at import: PoT checks skipped).
 */
export interface DomainPotSource {
  readonly trusted?: boolean;
  potOutputAt(parentHash: Uint8Array, slot: bigint): Uint8Array | undefined;
}

/** What the domain state remembers of a recent consensus block. */
export interface RecentBlock {
  readonly number: number;
  readonly slot: bigint;
  readonly parentHash: Uint8Array;
  /** PoT output of `slot` (the pre-digest's, verified at import). */
  readonly proofOfTime: Uint8Array;
  /** PoT output of `slot + BLOCK_AUTHORING_DELAY` (the pre-digest's future proof of time). */
  readonly futureProofOfTime: Uint8Array;
}
/**
 * `consensus_transaction_byte_fee` the node reports in the inherent data and the default byte fee
 * of bundle storage fees (the executor's `TRANSACTION_BYTE_FEE`; dynamic cost of storage is not modelled).
 */
export const DOMAIN_CONSENSUS_BYTE_FEE = 1n;

/** One operator staked at genesis. */
export interface DomainGenesisOperator {
  /** sr25519 public signing key (32 bytes). */
  readonly signingKey: Uint8Array;
  /**
   * Owner: a 32-byte account id (or its hex), whose `System.Account` pays the stake (it must be a
   * funded genesis account; `InsufficientBalance` otherwise), or any other label, whose stake is
   * endowed at genesis (added to the total issuance, like a genesis balance staked at once).
   */
  readonly owner: string | Uint8Array;
  /** Stake in Shannon (default 1 000 AI3). */
  readonly stake?: bigint;
  /** Nomination tax, percent (default 5). */
  readonly nominationTax?: number;
}

/** A domain instantiated at genesis. */
export interface DomainGenesisConfig {
  readonly domainId: number;
  /** Domain genesis balances (the `BalancesRuntime`'s accounts). */
  readonly balances: readonly (readonly [Uint8Array, bigint])[];
  readonly operators: readonly DomainGenesisOperator[];
  /** Bundle slot probability (default `[1, 1]`: one election per claimed slot). */
  readonly bundleSlotProbability?: readonly [bigint, bigint];
  /** Max bundle body size in bytes (default 1 MiB). */
  readonly maxBundleSize?: number;
  /** Max bundle weight (default refTime 10^15, proofSize 2^40). */
  readonly maxBundleWeight?: { readonly refTime: bigint; readonly proofSize: bigint };
  /** Challenge period in domain blocks (`BlockTreePruningDepth`; dev default 5). */
  readonly challengePeriod?: number;
  /** Epoch duration in domain blocks (default 100). */
  readonly epochDuration?: number;
  /** Withdrawal locking period in domain blocks (default 5). */
  readonly withdrawalPeriod?: number;
  /** Byte fee of bundle storage fees (default {@link DOMAIN_CONSENSUS_BYTE_FEE}; 0 disables them). */
  readonly transactionByteFee?: bigint;
}

/** A chain spec with domains instantiated at genesis (an extension of `ChainSpec`, in-process). */
export type DomainChainSpec = ChainSpec & { readonly domains?: readonly DomainGenesisConfig[] };

/** The domain part of the runtime state after a block. Treat as immutable. */
export interface DomainsState {
  readonly ledger: StakingLedger;
  readonly domains: ReadonlyMap<number, DomainConsensus>;
  /** The last {@link RECENT_SLOTS} consensus blocks (this one last), oldest first. */
  readonly recentBlocks: readonly RecentBlock[];
  /** `BlockInherentExtrinsicData` of this block (set at finalization). */
  readonly inherentData: Uint8Array | undefined;
  /** Domain events of this block, by domain. */
  readonly events: ReadonlyMap<number, readonly DomainEvent[]>;
  /** `AccumulatedTreasuryFunds`: treasury credits waiting until the treasury account can exist. */
  readonly accumulatedTreasuryFunds: bigint;
  /**
   * The Messenger outbox and transporter accounting (`Transporter.transfer`, `DomainBalances`;
   * transporter.ts): this block's own instance, mutated while the block executes.
   */
  readonly transporter: ConsensusTransporter;
}

/** A mutable holder used while a block executes (the MMR source reads the block's MMR state). */
interface Working {
  state: DomainsState;
  mmr: MmrState | undefined;
  pot: DomainPotSource | undefined;
}

const runtime = new BalancesRuntime();

/** The domain runtime fraud proofs are verified against (shared, stateless but for a signature cache). */
export function domainRuntime(): BalancesRuntime {
  return runtime;
}

function paramsOf(c: DomainGenesisConfig): DomainParams {
  return {
    domainId: c.domainId,
    bundleSlotProbability: c.bundleSlotProbability ?? [1n, 1n],
    maxBundleSize: c.maxBundleSize ?? 1 << 20,
    maxBundleWeight: c.maxBundleWeight ?? { refTime: 10n ** 15n, proofSize: 1n << 40n },
    pruningDepth: c.challengePeriod ?? 5,
    epochDuration: c.epochDuration ?? 100,
    transactionByteFee: c.transactionByteFee ?? DOMAIN_CONSENSUS_BYTE_FEE,
  };
}

/** The genesis receipt of a domain config (its genesis state root). */
export function domainGenesisReceipt(c: DomainGenesisConfig) {
  return genesisReceipt(TrieState.fromEntries(BalancesRuntime.genesis(c.balances)).root());
}

function components(w: Working, ledger: StakingLedger) {
  return {
    ledger,
    runtime,
    mmr: { mmrRoot: (n: number) => (w.mmr === undefined ? undefined : mmrRootSource(w.mmr).mmrRoot(n)) },
    slots: { checkSlot: (slot: bigint, pot: Uint8Array) => checkBundleSlot(w, slot, pot) },
    // confirmed receipts' transfers move the block's `DomainBalances` (read at call time)
    transfers: {
      applyReceiptTransfers: (d: number, t: Parameters<ConsensusTransporter['applyReceiptTransfers']>[1]) =>
        w.state.transporter.applyReceiptTransfers(d, t),
    },
  };
}

/**
 * The slot checks of `submit_bundle` / `submit_receipt` (decex §4 step 6) in the block being
 * executed (the last of `recentBlocks`).
 */
function checkBundleSlot(
  w: Working,
  slot: bigint,
  pot: Uint8Array,
): 'SlotInTheFuture' | 'SlotInThePast' | 'InvalidProofOfTime' | undefined {
  const blocks = w.state.recentBlocks;
  const cur = blocks[blocks.length - 1];
  if (cur === undefined || slot > cur.slot + DOMAIN_BLOCK_AUTHORING_DELAY) return 'SlotInTheFuture';
  // The block after which the slot was produced: the newest one with a smaller slot.
  let i = blocks.length - 1;
  while (i >= 0 && blocks[i]!.slot >= slot) i--;
  // Before the oldest remembered block: its parent (only genesis can still be recent enough).
  const afterNumber = i >= 0 ? blocks[i]!.number : blocks[0]!.number - 1;
  if (afterNumber < cur.number - BUNDLE_LONGEVITY || slot <= 0n) return 'SlotInThePast';
  // Outputs the block headers carry (verified at import).
  const same = (a: Uint8Array) => hexOf(a) === hexOf(pot);
  const exact = blocks.find((b) => b.slot === slot);
  if (exact !== undefined) return same(exact.proofOfTime) ? undefined : 'InvalidProofOfTime';
  if (slot === cur.slot + DOMAIN_BLOCK_AUTHORING_DELAY)
    return same(cur.futureProofOfTime) ? undefined : 'InvalidProofOfTime';
  const src = w.pot;
  if (src === undefined) return 'InvalidProofOfTime';
  if (src.trusted === true) return undefined;
  // The hash of the block after which the slot was produced is the parent hash of its child;
  // for the block being executed itself (hash unknown yet) the PoT chain is the same from its
  // parent (parameter changes take effect later than the authoring delay).
  const from =
    i === blocks.length - 1 || i < 0 ? blocks[Math.max(i, 0)]!.parentHash : blocks[i + 1]!.parentHash;
  const known = src.potOutputAt(from, slot);
  return known !== undefined && same(known) ? undefined : 'InvalidProofOfTime';
}

/** The ledger's key of a genesis operator's owner (lower-case hex for an account id). */
export function domainOwnerKey(owner: string | Uint8Array): string {
  if (typeof owner !== 'string') {
    if (owner.length !== 32) throw invalidArgument('operator owner', 'account ids are 32 bytes');
    return hexOf(owner);
  }
  return /^(0x)?[0-9a-fA-F]{64}$/.test(owner) ? owner.replace(/^0x/, '').toLowerCase() : owner;
}

/**
 * The genesis domain state of a spec (`undefined` when it has no domains). With `accounts` (the
 * genesis `System.Account`s) operators owned by accounts pay their stake from them.
 */
export function genesisDomainsState(spec: ChainSpec, accounts?: LedgerAccounts): DomainsState | undefined {
  const configs = (spec as DomainChainSpec).domains;
  if (configs === undefined || configs.length === 0) return undefined;
  const ledger = new StakingLedger({ withdrawalPeriod: configs[0]!.withdrawalPeriod ?? 5 });
  ledger.accounts = accounts;
  const w: Working = { state: undefined as unknown as DomainsState, mmr: undefined, pot: undefined };
  const domains = new Map<number, DomainConsensus>();
  for (const c of configs) {
    const dc = new DomainConsensus(paramsOf(c), domainGenesisReceipt(c), components(w, ledger));
    for (const op of c.operators) {
      const stake = op.stake ?? 1_000n * AI3;
      const owner = domainOwnerKey(op.owner);
      if (accounts?.owns(owner) !== true) ledger.mint(owner, stake);
      ledger.registerOperator(owner, c.domainId, stake, {
        signingKey: op.signingKey,
        minimumNominatorStake: AI3,
        nominationTax: op.nominationTax ?? 5,
      });
    }
    ledger.transitionEpoch(c.domainId); // the genesis operators join the election
    ledger.onFinalize(c.domainId);
    domains.set(c.domainId, dc);
  }
  w.state = {
    ledger,
    domains,
    recentBlocks: [],
    inherentData: undefined,
    events: new Map(),
    accumulatedTreasuryFunds: 0n,
    // each domain starts with its genesis balances (`initialize_domain_balance`)
    transporter: new ConsensusTransporter(
      configs.map((c) => [c.domainId, c.balances.reduce((a, [, v]) => a + v, 0n)] as const),
    ),
  };
  return w.state;
}

/** The part of the runtime state the domain hooks read and write. */
export interface DomainsHost {
  number: number;
  timestamp: bigint;
  mmr?: MmrState;
  domains?: DomainsState;
}

const working = new WeakMap<DomainsState, Working>();

/**
 * `on_initialize` of block `s.number` (after the MMR's): copies the parent's domain state and
 * starts the block in every domain.
 */
export function domainsOnInitialize(
  s: DomainsHost,
  parentHash: H256,
  slot: bigint,
  proofOfTime: Uint8Array,
  futureProofOfTime: Uint8Array = new Uint8Array(16),
): void {
  const prev = s.domains;
  if (prev === undefined) return;
  const ledger = prev.ledger.clone();
  const w: Working = { state: prev, mmr: s.mmr, pot: undefined };
  const domains = new Map<number, DomainConsensus>();
  for (const [id, dc] of prev.domains) {
    const next = dc.clone(components(w, ledger));
    next.initializeBlock(s.number, parentHash);
    domains.set(id, next);
  }
  const recentBlocks = [
    ...prev.recentBlocks,
    { number: s.number, slot, parentHash, proofOfTime, futureProofOfTime },
  ].slice(-RECENT_SLOTS);
  w.state = {
    ledger,
    domains,
    recentBlocks,
    inherentData: undefined,
    events: new Map(),
    accumulatedTreasuryFunds: prev.accumulatedTreasuryFunds,
    transporter: prev.transporter.clone(),
  };
  working.set(w.state, w);
  s.domains = w.state;
}

/** Whether a call is one of the Domains calls this runtime executes. */
export function isDomainsCall(call: Call): call is Extract<Call, { type: 'Opaque' }> {
  return call.type === 'Opaque' && call.palletIndex === DOMAINS_PALLET_INDEX;
}

/** A decoded Domains call. */
export type DomainsCall =
  | { readonly type: 'submit_bundle'; readonly bundle: Bundle }
  | { readonly type: 'submit_fraud_proof'; readonly fraudProof: FraudProof }
  | { readonly type: 'submit_receipt'; readonly receipt: SealedSingletonReceipt };

/** Decodes the arguments of a Domains call (`DECEX_INVALID_ENCODING` on bad bytes; unknown calls `DECEX_INVALID_ARGUMENT`). */
export function decodeDomainsCall(callIndex: number, args: Uint8Array): DomainsCall {
  switch (callIndex) {
    case DOMAINS_CALL_INDEX.submit_bundle:
      return { type: 'submit_bundle', bundle: decodeWith(bundleCodec, args, 'OpaqueBundle') };
    case DOMAINS_CALL_INDEX.submit_fraud_proof:
      return { type: 'submit_fraud_proof', fraudProof: decodeWith(fraudProofCodec, args, 'FraudProof') };
    case DOMAINS_CALL_INDEX.submit_receipt:
      return {
        type: 'submit_receipt',
        receipt: decodeWith(sealedSingletonReceiptCodec, args, 'SealedSingletonReceipt'),
      };
    default:
      throw invalidArgument('Domains call', `unknown call index ${callIndex}`);
  }
}

/** The unsigned (`Bare`, v5) extrinsic of a Domains call. */
export function domainsExtrinsic(call: DomainsCall): Extrinsic {
  let index: number;
  let args: Uint8Array;
  switch (call.type) {
    case 'submit_bundle':
      index = DOMAINS_CALL_INDEX.submit_bundle;
      args = encodeWith(bundleCodec, call.bundle, 1024);
      break;
    case 'submit_fraud_proof':
      index = DOMAINS_CALL_INDEX.submit_fraud_proof;
      args = encodeWith(fraudProofCodec, call.fraudProof, 4096);
      break;
    case 'submit_receipt':
      index = DOMAINS_CALL_INDEX.submit_receipt;
      args = encodeWith(sealedSingletonReceiptCodec, call.receipt, 1024);
      break;
  }
  return {
    type: 'Bare',
    version: 5,
    call: { type: 'Opaque', palletIndex: DOMAINS_PALLET_INDEX, callIndex: index, args },
  } as Extrinsic;
}

function domainOf(st: DomainsState, domainId: number): DomainConsensus {
  const dc = st.domains.get(domainId);
  if (dc === undefined) throw bundleRejected('InvalidDomainId');
  return dc;
}

/**
 * Executes a Domains call in the block being executed. Throws (a `DecexError` with the pallet's
 * reason) and changes nothing when the call is rejected. `pot` checks bundle slots that are not
 * those of recent block headers (without it only those are accepted).
 */
export function applyDomainsCall(
  s: DomainsHost,
  call: Extract<Call, { type: 'Opaque' }>,
  pot?: DomainPotSource,
): DomainsCall {
  const st = s.domains;
  if (st === undefined) throw invalidArgument('Domains call', 'no domains on this chain');
  const w = working.get(st);
  if (w !== undefined) {
    w.mmr = s.mmr;
    w.pot = pot;
  }
  const decoded = decodeDomainsCall(call.callIndex, call.args);
  switch (decoded.type) {
    case 'submit_bundle':
      domainOf(st, decoded.bundle.sealedHeader.header.proofOfElection.domainId).submitBundle(decoded.bundle);
      break;
    case 'submit_fraud_proof':
      domainOf(st, decoded.fraudProof.domainId).submitFraudProof(decoded.fraudProof);
      break;
    case 'submit_receipt':
      domainOf(st, decoded.receipt.singletonReceipt.proofOfElection.domainId).submitSingletonReceipt(
        decoded.receipt,
      );
      break;
  }
  return decoded;
}

/** `on_finalize`: finalizes every domain, records this block's inherent data and events. */
export function domainsOnFinalize(s: DomainsHost, proofOfTime: Uint8Array): void {
  const st = s.domains;
  if (st === undefined) return;
  const events = new Map<number, DomainEvent[]>();
  for (const [id, dc] of st.domains) {
    dc.finalizeBlock();
    events.set(id, dc.events.splice(0));
  }
  const inherentData = encodeInherentExtrinsicData({
    extrinsicsShufflingSeed: extrinsicsShufflingSeed(blake3(proofOfTime)),
    timestamp: s.timestamp,
    consensusTransactionByteFee: DOMAIN_CONSENSUS_BYTE_FEE,
  });
  const next: DomainsState = { ...st, inherentData, events };
  working.delete(st);
  s.domains = next;
}

/** A decoded signed staking call of the Domains pallet. */
export type DomainsStakingCall =
  | { readonly type: 'nominate_operator'; readonly operatorId: bigint; readonly amount: bigint }
  | { readonly type: 'deregister_operator'; readonly operatorId: bigint }
  | { readonly type: 'withdraw_stake'; readonly operatorId: bigint; readonly shares: bigint }
  | { readonly type: 'unlock_funds'; readonly operatorId: bigint }
  | { readonly type: 'unlock_nominator'; readonly operatorId: bigint };

/** Whether a call is one of the signed staking calls this runtime executes. */
export function isDomainsStakingCall(call: Call): call is Extract<Call, { type: 'Opaque' }> {
  return (
    call.type === 'Opaque' &&
    call.palletIndex === DOMAINS_PALLET_INDEX &&
    Object.values(DOMAINS_STAKING_CALL_INDEX).includes(call.callIndex as 5)
  );
}

function u128le(r: ScaleReader, what: string): bigint {
  const lo = r.u64(what);
  return lo | (r.u64(what) << 64n);
}

/**
 * Decodes a staking call's arguments (`operator_id: u64`, then `amount` / `shares` as u128 LE);
 * `DECEX_INVALID_ENCODING` on bad bytes, `DECEX_INVALID_ARGUMENT` for another call.
 */
export function decodeDomainsStakingCall(callIndex: number, args: Uint8Array): DomainsStakingCall {
  const I = DOMAINS_STAKING_CALL_INDEX;
  const r = new ScaleReader(args, 'Domains staking call');
  const read = <T>(f: () => T): T => {
    try {
      const v = f();
      r.finish();
      return v;
    } catch (e) {
      throw new DecexError({
        code: 'DECEX_INVALID_ENCODING',
        what: 'Domains staking call',
        reason: (e as Error).message,
      });
    }
  };
  switch (callIndex) {
    case I.nominate_operator:
      return read(() => ({
        type: 'nominate_operator' as const,
        operatorId: r.u64('operator_id'),
        amount: u128le(r, 'amount'),
      }));
    case I.withdraw_stake:
      return read(() => ({
        type: 'withdraw_stake' as const,
        operatorId: r.u64('operator_id'),
        shares: u128le(r, 'shares'),
      }));
    case I.deregister_operator:
      return read(() => ({ type: 'deregister_operator' as const, operatorId: r.u64('operator_id') }));
    case I.unlock_funds:
      return read(() => ({ type: 'unlock_funds' as const, operatorId: r.u64('operator_id') }));
    case I.unlock_nominator:
      return read(() => ({ type: 'unlock_nominator' as const, operatorId: r.u64('operator_id') }));
    default:
      throw invalidArgument('Domains call', `unknown staking call index ${callIndex}`);
  }
}

/** The call bytes' arguments of a staking call (for building transactions). */
export function encodeDomainsStakingCall(call: DomainsStakingCall): Extract<Call, { type: 'Opaque' }> {
  const w = new ScaleWriter(24).u64(call.operatorId);
  if (call.type === 'nominate_operator' || call.type === 'withdraw_stake') {
    const v = call.type === 'nominate_operator' ? call.amount : call.shares;
    w.u64(v & 0xffff_ffff_ffff_ffffn).u64(v >> 64n);
  }
  return {
    type: 'Opaque',
    palletIndex: DOMAINS_PALLET_INDEX,
    callIndex: DOMAINS_STAKING_CALL_INDEX[call.type],
    args: w.finish(),
  };
}

/**
 * Dispatches a signed staking call from `who` on the block's ledger (bound to the block's
 * `System.Account` by the executor): deposits leave the account's free balance, unlocks return
 * to it. Throws (a `DecexError` with the pallet's reason) and changes nothing when rejected.
 */
export function applyDomainsStakingCall(
  s: DomainsHost,
  who: Uint8Array,
  call: Extract<Call, { type: 'Opaque' }>,
): DomainsStakingCall {
  const st = s.domains;
  if (st === undefined) throw invalidArgument('Domains call', 'no domains on this chain');
  const decoded = decodeDomainsStakingCall(call.callIndex, call.args);
  const ledger = st.ledger;
  const account = hexOf(who);
  switch (decoded.type) {
    case 'nominate_operator':
      ledger.nominateOperator(account, decoded.operatorId, decoded.amount);
      break;
    case 'deregister_operator':
      ledger.deregisterOperator(account, decoded.operatorId);
      break;
    case 'withdraw_stake':
      ledger.withdrawStake(account, decoded.operatorId, decoded.shares);
      break;
    case 'unlock_funds':
      ledger.unlockFunds(account, decoded.operatorId);
      break;
    case 'unlock_nominator':
      ledger.unlockNominator(account, decoded.operatorId);
      break;
  }
  return decoded;
}

function le32(n: number): Uint8Array {
  return new ScaleWriter(4).u32(n).finish();
}

/** The storage entries of the domain state (none without domains). */
export function domainsStorageEntries(st: DomainsState | undefined): [Uint8Array, Uint8Array][] {
  if (st === undefined) return [];
  const out: [Uint8Array, Uint8Array][] = [];
  if (st.inherentData !== undefined) out.push([blockInherentExtrinsicDataKey(), st.inherentData]);
  if (st.accumulatedTreasuryFunds > 0n) {
    const v = new ScaleWriter(16)
      .u64(st.accumulatedTreasuryFunds & 0xffff_ffff_ffff_ffffn)
      .u64(st.accumulatedTreasuryFunds >> 64n);
    out.push([storageKey('Domains', 'AccumulatedTreasuryFunds'), v.finish()]);
  }
  out.push(...st.transporter.storageEntries());
  for (const [id, dc] of st.domains) {
    const w = new ScaleWriter(8 + 32 * dc.successfulBundles.length).compact(dc.successfulBundles.length);
    for (const h of dc.successfulBundles) w.bytes(h);
    out.push([successfulBundlesKey(id), w.finish()]);
    const key = twox64Concat(le32(id));
    out.push([storageKey('Domains', 'HeadReceiptNumber', key), le32(dc.headReceiptNumber)]);
    out.push([storageKey('Domains', 'HeadDomainNumber', key), le32(dc.headDomainNumber)]);
    out.push([
      storageKey('Domains', 'LatestConfirmedDomainExecutionReceipt', key),
      encodeWith(executionReceiptCodec, dc.latestConfirmed, 1024),
    ]);
    for (const [n, h] of dc.blockTree)
      out.push([storageKey('Domains', 'BlockTree', key, twox64Concat(le32(n))), Buffer.from(h, 'hex')]);
  }
  return out;
}

/** The receipt hash of the head receipt of a domain in a state (for tools). */
export function headReceiptHash(st: DomainsState, domainId: number): H256 | undefined {
  const dc = st.domains.get(domainId);
  const er = dc?.receiptAt(dc.headReceiptNumber);
  return er === undefined ? undefined : receiptHash(er);
}
