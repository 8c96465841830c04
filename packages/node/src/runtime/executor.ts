/**
 * Block execution of the minimal runtime: `on_initialize` of pallet-subspace (solution ranges, era
 * change, `PotSlotIterations`, entropy injection of A.5, root plot key), the inherents
 * (`Timestamp.set`, `Subspace.store_segment_headers`), signed transactions (nonce, mortality,
 * signature, transfers, batches), and `on_finalize` (rewards of B.8, `NextSolutionRange`). The same
 * code builds blocks (invalid transactions dropped) and imports them (any invalid extrinsic rejects).
 */

import { LEDGER_TREASURY, type LedgerAccounts } from '@autonomys/decex';
import { deriveNextSolutionRange } from '@autonomys/plotter';
import { blake3, type SegmentHeader } from '@autonomys/primitives';
import {
  BLOCK_SLOT_COUNT,
  EXPECTED_VOTES_PER_BLOCK,
  MAX_BLOCK_LENGTH_BYTES,
  NORMAL_DISPATCH_RATIO_PERCENT,
  POT_ENTROPY_INJECTION_DELAY_SLOTS,
  POT_ENTROPY_INJECTION_INTERVAL_BLOCKS,
  POT_ENTROPY_INJECTION_LOOKBACK_DEPTH,
  PROPOSER_TAX_ON_VOTES,
} from '../chain/constants.js';
import type { ConsensusLog, PreDigest } from '../chain/subspace-digest.js';
import type { AccountInfo, ChainSpec, TransactionInvalidCode } from '../consensus/api.js';
import {
  applyVote,
  checkVote,
  decodeSignedVote,
  VOTE_REJECTION_VALIDITY,
  type VoteCheckEnv,
} from '../consensus/vote.js';
import {
  applyDomainsCall,
  applyDomainsStakingCall,
  decodeDomainsStakingCall,
  domainsOnFinalize,
  domainsOnInitialize,
  genesisDomainsState,
  isDomainsCall,
  isDomainsStakingCall,
} from '../domain/runtime.js';
import { decodeTransporterCall, isTransporterCall } from '../domain/transporter.js';
import { NodeError } from '../errors.js';
import {
  type Call,
  decodeExtrinsic,
  type Extrinsic,
  eraBirth,
  eraDeath,
  verifyExtrinsicSignature,
} from './extrinsic.js';
import { genesisMmrState, mmrOnFinalize, mmrOnInitialize } from './mmr.js';
import {
  accountKey,
  cloneState,
  EMPTY_ACCOUNT,
  type MutableRuntimeState,
  NEW_LOGIC_FLAG,
  type RuntimeState,
  solutionOwnerKey,
  stateRootOf,
} from './state.js';
import { EMPTY_TRIE_ROOT, orderedTrieRoot } from './trie.js';

/** Existential deposit: 10^13 Shannon (0.00001 AI3). */
export const EXISTENTIAL_DEPOSIT = 10n ** 13n;
/** `System.BlockHash` keeps this many recent hashes (genesis forever). */
export const BLOCK_HASH_COUNT = 250;
/** Byte fee used by the blockspace-usage decrease of the block reward (fees are not modelled; see README). */
export const TRANSACTION_BYTE_FEE = 1n;
const U64_MAX = (1n << 64n) - 1n;
const MAX_NORMAL_LENGTH = BigInt(Math.floor((MAX_BLOCK_LENGTH_BYTES * NORMAL_DISPATCH_RATIO_PERCENT) / 100));

/** Why an extrinsic cannot be included. */
export class InvalidExtrinsic extends Error {
  constructor(
    readonly code: TransactionInvalidCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The chain-level inputs of one block's execution. */
export interface ExecuteContext {
  readonly spec: ChainSpec;
  readonly genesisHash: Uint8Array;
}

export interface ExecuteInput {
  readonly parent: RuntimeState;
  readonly parentHash: Uint8Array;
  readonly preDigest: PreDigest;
  /** Wire encodings, inherents first. */
  readonly extrinsics: readonly Uint8Array[];
  /** `build`: invalid transactions are dropped; `import`: any invalid extrinsic throws. */
  readonly mode: 'build' | 'import';
  /** The segment headers this block must store (B.10); empty when none are due. */
  readonly expectedSegmentHeaders: readonly SegmentHeader[];
  /**
   * Checks of `Subspace.vote` extrinsics (B.7); without it a vote is an invalid extrinsic. Its PoT
   * chain (`potOutputAt`, `trusted`) also checks the slots bundles claim (`Domains.submit_bundle`);
   * without it a bundle may only claim a slot whose PoT output a recent block header carries.
   */
  readonly votes?: VoteCheckEnv;
}

export interface ExecuteOutput {
  readonly state: RuntimeState;
  /** Consensus logs in deposit order (the pre-digest precedes them, the seal follows). */
  readonly logs: readonly ConsensusLog[];
  /** The extrinsics included (build mode drops invalid transactions). */
  readonly extrinsics: readonly Uint8Array[];
  /** Dropped in build mode: index into the input and why. */
  readonly dropped: readonly { index: number; code: TransactionInvalidCode; detail: string }[];
  readonly stateRoot: Uint8Array;
  readonly extrinsicsRoot: Uint8Array;
}

/**
 * `Subspace.vote` in a block (pre-dispatch checks of B.7, then its effect on the voters); returns
 * why it is invalid, or `undefined` (an equivocating vote is included, its rewards revoked).
 */
function executeVote(
  s: MutableRuntimeState,
  signedVote: Uint8Array,
  env: VoteCheckEnv | undefined,
): { code: TransactionInvalidCode; detail: string } | undefined {
  if (env === undefined) return { code: 'CALL', detail: 'votes are not checked by this executor' };
  let r: ReturnType<typeof checkVote>;
  try {
    r = checkVote(decodeSignedVote(signedVote), s, true, env);
  } catch (e) {
    return { code: 'MALFORMED', detail: (e as Error).message };
  }
  if (!r.ok) return { code: VOTE_REJECTION_VALIDITY[r.code], detail: `${r.code}: ${r.detail}` };
  applyVote(s, r);
  return undefined;
}

/** Thrown in import mode: an extrinsic or inherent of the block is invalid. */
export class BlockExecutionError extends Error {
  constructor(
    readonly kind: 'INVALID_EXTRINSIC' | 'BAD_INHERENTS',
    readonly index: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

// ---- balances ----

function getAccount(s: MutableRuntimeState, id: Uint8Array): AccountInfo {
  return s.accounts.get(accountKey(id)) ?? EMPTY_ACCOUNT;
}

function exists(s: MutableRuntimeState, id: Uint8Array): boolean {
  return s.accounts.has(accountKey(id));
}

/** Credits `amount` (creating the account when it reaches the existential deposit). Returns what was credited. */
export function deposit(
  s: Pick<MutableRuntimeState, 'accounts' | 'number'>,
  id: Uint8Array,
  amount: bigint,
): bigint {
  if (amount <= 0n) return 0n;
  return depositKey(s, accountKey(id), amount);
}

function depositKey(
  s: Pick<MutableRuntimeState, 'accounts' | 'number'>,
  key: string,
  amount: bigint,
): bigint {
  const a = s.accounts.get(key);
  if (a === undefined) {
    if (amount < EXISTENTIAL_DEPOSIT) return 0n;
    s.accounts.set(key, {
      ...EMPTY_ACCOUNT,
      nonce: s.number,
      providers: 1,
      free: amount,
      flags: NEW_LOGIC_FLAG,
    });
  } else {
    s.accounts.set(key, { ...a, free: a.free + amount });
  }
  return amount;
}

function setFree(s: MutableRuntimeState, id: Uint8Array, free: bigint): void {
  const key = accountKey(id);
  const a = s.accounts.get(key) ?? EMPTY_ACCOUNT;
  if (free < EXISTENTIAL_DEPOSIT && a.reserved === 0n) {
    // Reaped: the dust is burnt.
    s.totalIssuance -= free;
    s.accounts.delete(key);
    return;
  }
  s.accounts.set(key, { ...a, free });
}

function transfer(
  s: MutableRuntimeState,
  from: Uint8Array,
  to: Uint8Array,
  value: bigint,
  keepAlive: boolean,
): void {
  const a = getAccount(s, from);
  const spendable = a.free - (a.frozen > a.reserved ? a.frozen - a.reserved : 0n);
  if (value > spendable) throw new Error('Balances.InsufficientBalance');
  const remainder = a.free - value;
  if (keepAlive && remainder < EXISTENTIAL_DEPOSIT) throw new Error('Balances.Expendability');
  if (value === 0n || accountKey(from) === accountKey(to)) return;
  if (!exists(s, to) && value < EXISTENTIAL_DEPOSIT) throw new Error('Balances.ExistentialDeposit');
  setFree(s, from, remainder);
  deposit(s, to, value);
}

function isTransfer(call: Call): boolean {
  switch (call.type) {
    case 'Balances.transfer_allow_death':
    case 'Balances.transfer_keep_alive':
    case 'Balances.transfer_all':
      return true;
    case 'Utility.batch':
    case 'Utility.batch_all':
    case 'Utility.force_batch':
      return call.calls.some(isTransfer);
    default:
      return false;
  }
}

function hasStakingCall(call: Call): boolean {
  if (
    call.type === 'Utility.batch' ||
    call.type === 'Utility.batch_all' ||
    call.type === 'Utility.force_batch'
  )
    return call.calls.some(hasStakingCall);
  return isDomainsStakingCall(call);
}

function hasTransporterCall(call: Call): boolean {
  if (
    call.type === 'Utility.batch' ||
    call.type === 'Utility.batch_all' ||
    call.type === 'Utility.force_batch'
  )
    return call.calls.some(hasTransporterCall);
  return isTransporterCall(call);
}

/**
 * `Transporter.transfer` to a domain (decex §8; domain/transporter.ts): the amount is burnt from
 * the signer (keep-alive: `Preservation::Preserve`) and leaves the total issuance, and the
 * outbox message to the domain's channel 0 is written. Throws and changes nothing when rejected.
 */
function transporterTransfer(s: MutableRuntimeState, who: Uint8Array, call: Call): void {
  if (call.type !== 'Opaque') throw new Error('BadOrigin');
  const t = decodeTransporterCall(call.args);
  const tp = s.domains?.transporter;
  const dst = t.dstLocation;
  if (tp === undefined || typeof dst.chainId !== 'number' || !tp.hasChannel(dst.chainId))
    throw new Error('Transporter.InvalidChainId');
  if (dst.accountId.type !== 'AccountId32') throw new Error('Transporter.InvalidAccountId');
  if (t.amount <= 0n) throw new Error('Transporter.InvalidAmount');
  const a = getAccount(s, who);
  const spendable = a.free - (a.frozen > a.reserved ? a.frozen - a.reserved : 0n);
  if (t.amount > spendable || a.free - t.amount < EXISTENTIAL_DEPOSIT)
    throw new Error('Transporter.LowBalance');
  tp.send(dst.chainId, who, dst.accountId.id, t.amount);
  s.accounts.set(accountKey(who), { ...a, free: a.free - t.amount });
  s.totalIssuance -= t.amount;
}

/**
 * A restore point before dispatching `call`: the state, and for staking calls also the ledger's
 * contents (restored in place: the domains keep their reference) and the block's ledger flow.
 */
function snapshotOf(s: MutableRuntimeState, call: Call): () => void {
  const state = cloneState(s);
  const ledger = s.domains !== undefined && hasStakingCall(call) ? s.domains.ledger : undefined;
  const saved = ledger?.clone();
  const flow = ledgerFlows.get(s);
  const net = flow?.net ?? 0n;
  const accumulated = flow?.accumulated ?? 0n;
  const transporter = hasTransporterCall(call) ? s.domains?.transporter.snapshot() : undefined;
  return () => {
    Object.assign(s, state);
    transporter?.();
    if (ledger !== undefined && saved !== undefined) {
      const bound = ledger.accounts;
      Object.assign(ledger, saved);
      ledger.accounts = bound;
    }
    if (flow !== undefined) {
      flow.net = net;
      flow.accumulated = accumulated;
    }
  };
}

/** Dispatches a signed call; a failure reverts the call's effects only (the nonce stays bumped). */
function dispatchSigned(s: MutableRuntimeState, who: Uint8Array, call: Call): void {
  switch (call.type) {
    case 'System.remark':
    case 'System.remark_with_event':
      return;
    case 'Balances.transfer_allow_death':
      transfer(s, who, call.dest, call.value, false);
      return;
    case 'Balances.transfer_keep_alive':
      transfer(s, who, call.dest, call.value, true);
      return;
    case 'Balances.transfer_all': {
      const a = getAccount(s, who);
      const value = call.keepAlive ? a.free - EXISTENTIAL_DEPOSIT : a.free;
      if (value <= 0n) return;
      transfer(s, who, call.dest, value, call.keepAlive);
      return;
    }
    case 'Utility.batch':
      for (const c of call.calls) {
        const restore = snapshotOf(s, c);
        try {
          dispatchSigned(s, who, c);
        } catch {
          restore();
          return;
        }
      }
      return;
    case 'Utility.force_batch':
      for (const c of call.calls) {
        const restore = snapshotOf(s, c);
        try {
          dispatchSigned(s, who, c);
        } catch {
          restore();
        }
      }
      return;
    case 'Utility.batch_all':
      for (const c of call.calls) dispatchSigned(s, who, c);
      return;
    default:
      // Staking (nominate, withdraw, unlock, deregister) moves balance between the account and the ledger.
      if (isDomainsStakingCall(call)) {
        applyDomainsStakingCall(s, who, call);
        return;
      }
      if (isTransporterCall(call)) {
        transporterTransfer(s, who, call);
        return;
      }
      throw new Error('BadOrigin');
  }
}

function dispatchable(call: Call): boolean {
  switch (call.type) {
    case 'System.remark':
    case 'System.remark_with_event':
    case 'Balances.transfer_allow_death':
    case 'Balances.transfer_keep_alive':
    case 'Balances.transfer_all':
      return true;
    case 'Utility.batch':
    case 'Utility.batch_all':
    case 'Utility.force_batch':
      return call.calls.every(dispatchable);
    default:
      // a staking or transporter call whose arguments do not decode is invalid (CALL), not a failed dispatch
      if (isTransporterCall(call) && call.type === 'Opaque') {
        try {
          decodeTransporterCall(call.args);
          return true;
        } catch {
          return false;
        }
      }
      if (!isDomainsStakingCall(call)) return false;
      try {
        decodeDomainsStakingCall(call.callIndex, call.args);
        return true;
      } catch {
        return false;
      }
  }
}

/**
 * Validates a signed transaction against a state being executed at block `s.number` (`CheckNonZeroSender`,
 * `CheckMortality`, signature with the implicit bytes, `CheckNonce`, the transfer switch). With
 * `allowFutureNonce` a nonce above the account's is accepted (the pool's "future").
 */
export function validateTransaction(
  s: RuntimeState,
  x: Extrinsic,
  ctx: ExecuteContext,
  allowFutureNonce: boolean,
): 'ready' | 'future' {
  if (x.type !== 'Signed') throw new InvalidExtrinsic('CALL', `${x.type} extrinsics are not transactions`);
  if (x.signer.every((b) => b === 0)) throw new InvalidExtrinsic('BAD_PROOF', 'all-zero signer');
  if (!dispatchable(x.call))
    throw new InvalidExtrinsic('CALL', `call ${x.call.type} is not supported by this runtime`);
  if (!s.enableBalanceTransfers && isTransfer(x.call))
    throw new InvalidExtrinsic('TRANSFERS_DISABLED', 'balance transfers are disabled');
  const current = s.number;
  if (current >= eraDeath(x.era, current)) throw new InvalidExtrinsic('STALE', 'transaction era has ended');
  const birth = eraBirth(x.era, current);
  const birthHash = birth === 0 ? ctx.genesisHash : s.blockHashes.get(birth);
  if (birthHash === undefined)
    throw new InvalidExtrinsic('ANCIENT_BIRTH_BLOCK', `birth block ${birth} unknown`);
  const implicit = {
    specVersion: ctx.spec.specVersion,
    transactionVersion: ctx.spec.transactionVersion,
    genesisHash: ctx.genesisHash,
    birthHash,
  };
  if (!verifyExtrinsicSignature(x, implicit)) throw new InvalidExtrinsic('BAD_PROOF', 'bad signature');
  const account = s.accounts.get(accountKey(x.signer));
  const nonce = account?.nonce ?? 0;
  if (x.nonce < nonce) throw new InvalidExtrinsic('STALE', `nonce ${x.nonce} < ${nonce}`);
  if (x.nonce > nonce) {
    if (allowFutureNonce) return 'future';
    throw new InvalidExtrinsic('STALE', `nonce ${x.nonce} is in the future (expected ${nonce})`);
  }
  if (account === undefined) throw new InvalidExtrinsic('PAYMENT', 'the signer has no account');
  if (x.tip > 0n && account.free - x.tip < EXISTENTIAL_DEPOSIT)
    throw new InvalidExtrinsic('PAYMENT', 'cannot pay the tip and stay alive');
  return 'ready';
}

// ---- staking ledger accounts (decex §3; domain/runtime.ts) ----

/**
 * The treasury account, `PalletId(*b"py/trsry").into_account_truncating()`: `modl ‖ py/trsry`
 * zero-padded to 32 bytes (the usual Substrate treasury; confirm against the live runtime).
 */
export const TREASURY_ACCOUNT: Uint8Array = (() => {
  const a = new Uint8Array(32);
  a.set(new TextEncoder().encode('modlpy/trsry'));
  return a;
})();
const TREASURY_KEY = accountKey(TREASURY_ACCOUNT);

/** What moved between `System.Account` and the staking ledger while a block (or genesis) executed. */
interface LedgerFlow {
  /** Credited to accounts minus debited from them. */
  net: bigint;
  /** `AccumulatedTreasuryFunds` (treasury credits below the existential deposit of a missing account). */
  accumulated: bigint;
  /** `ledger.heldValue()` and the accumulated funds when the flow started. */
  readonly heldBefore: bigint;
  readonly accumulatedBefore: bigint;
}

const ledgerFlows = new WeakMap<MutableRuntimeState, LedgerFlow>();

function ledgerKey(account: string): string | undefined {
  if (account === LEDGER_TREASURY) return TREASURY_KEY;
  return /^[0-9a-f]{64}$/.test(account) ? account : undefined;
}

/**
 * The ledger's view of `System.Account`: 32-byte account ids (lower-case hex) and the treasury.
 * A deposit may use the free balance above the existential deposit and what is frozen beyond
 * the reserve (the pallet's `reducible_balance(Preserve, Polite)`). Without `flow` it is read-only.
 */
function ledgerAccounts(
  s: Pick<MutableRuntimeState, 'accounts' | 'number'>,
  flow?: LedgerFlow,
): LedgerAccounts {
  const readOnly = (): never => {
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'staking ledger',
      reason: 'the ledger of an executed block is read-only',
    });
  };
  return {
    owns: (account) => ledgerKey(account) !== undefined,
    free: (account) => {
      const a = s.accounts.get(ledgerKey(account)!);
      if (a === undefined) return 0n;
      const locked = a.frozen > a.reserved ? a.frozen - a.reserved : 0n;
      const r = a.free - locked - EXISTENTIAL_DEPOSIT;
      return r > 0n ? r : 0n;
    },
    credit: (account, amount) => {
      if (flow === undefined) return readOnly();
      const key = ledgerKey(account)!;
      if (key !== TREASURY_KEY) {
        flow.net += depositKey(s, key, amount);
        return;
      }
      const total = amount + flow.accumulated;
      const paid = depositKey(s, key, total);
      flow.net += paid;
      flow.accumulated = total - paid;
    },
    debit: (account, amount) => {
      if (flow === undefined) return readOnly();
      const key = ledgerKey(account)!;
      const a = s.accounts.get(key);
      if (a === undefined || a.free < amount) throw new Error('Balances.InsufficientBalance');
      s.accounts.set(key, { ...a, free: a.free - amount });
      flow.net -= amount;
    },
  };
}

function startLedgerFlow(s: MutableRuntimeState): LedgerFlow | undefined {
  const d = s.domains;
  if (d === undefined) return undefined;
  const flow: LedgerFlow = {
    net: 0n,
    accumulated: d.accumulatedTreasuryFunds,
    heldBefore: d.ledger.heldValue(),
    accumulatedBefore: d.accumulatedTreasuryFunds,
  };
  d.ledger.accounts = ledgerAccounts(s, flow);
  ledgerFlows.set(s, flow);
  return flow;
}

/**
 * Ends a block's ledger flow: the bundle storage fees the ledger collected go to the block
 * author (like the tips: the storage-fee escrow is not modelled), value that entered or left
 * the consensus chain through the ledger (confirmed fees minted, dust) moves the total issuance,
 * and the ledger is left bound read-only to the block's accounts.
 */
function endLedgerFlow(s: MutableRuntimeState, flow: LedgerFlow | undefined, author: Uint8Array): void {
  const d = s.domains;
  if (d === undefined || flow === undefined) return;
  const fees = d.ledger.consensusStorageFees;
  if (fees > 0n) {
    d.ledger.consensusStorageFees = 0n;
    flow.net += deposit(s, author, fees);
  }
  s.totalIssuance +=
    flow.net + (d.ledger.heldValue() - flow.heldBefore) + (flow.accumulated - flow.accumulatedBefore);
  d.ledger.accounts = ledgerAccounts(s);
  if (flow.accumulated !== d.accumulatedTreasuryFunds)
    s.domains = { ...d, accumulatedTreasuryFunds: flow.accumulated };
}

// ---- rewards ----

/** `reference_subsidy(points, h)` (B.8). */
export function referenceSubsidy(points: readonly (readonly [number, bigint])[], h: number): bigint {
  if (points.length === 0 || h < points[0]![0]) return 0n;
  for (let i = 0; i + 1 < points.length; i++) {
    const [b0, s0] = points[i]!;
    const [b1, s1] = points[i + 1]!;
    if (h >= b0 && h < b1) {
      if (s1 > s0) return 0n;
      return s0 - ((s0 - s1) / BigInt(b1 - b0)) * BigInt(h - b0);
    }
  }
  return points[points.length - 1]![1];
}

function pay(s: MutableRuntimeState, to: Uint8Array, amount: bigint): void {
  const capped = amount > s.rewards.remainingIssuance ? s.rewards.remainingIssuance : amount;
  const paid = deposit(s, to, capped);
  s.totalIssuance += paid;
  s.rewards = { ...s.rewards, remainingIssuance: s.rewards.remainingIssuance - paid };
}

function finalizeRewards(s: MutableRuntimeState, usedBytes: bigint): void {
  const author = s.currentBlockAuthor?.rewardAddress;
  let r = s.rewards;
  if (r.enabledAt === undefined) {
    const at = r.enableRewardsAt;
    const enable =
      (at.type === 'Height' && s.number >= at.height) ||
      (at.type === 'SolutionRange' && s.solutionRanges.current <= at.solutionRange);
    if (!enable) return;
    const shift = (p: readonly (readonly [number, bigint])[]) =>
      p.map(([b, v]) => [b + s.number, v] as const);
    r = {
      ...r,
      enabledAt: s.number,
      proposerSubsidyPoints: shift(r.proposerSubsidyPoints),
      voterSubsidyPoints: shift(r.voterSubsidyPoints),
    };
  }
  const h = s.number;
  const avg =
    h <= 100 ? (r.avgBlockspaceUsage + usedBytes) / 2n : (2n * usedBytes + 99n * r.avgBlockspaceUsage) / 101n;
  r = { ...r, avgBlockspaceUsage: avg };
  s.rewards = r;
  const subsidy = referenceSubsidy(r.proposerSubsidyPoints, h);
  const cap = MAX_NORMAL_LENGTH * TRANSACTION_BYTE_FEE;
  const decrease = (avg * (subsidy < cap ? subsidy : cap)) / MAX_NORMAL_LENGTH;
  if (author !== undefined) pay(s, author, subsidy - decrease);
  payVoters(s, author, h);
}

/** Each voter with a reward address gets the voter subsidy, less the proposer tax paid to the author (B.8). */
function payVoters(s: MutableRuntimeState, author: Uint8Array | undefined, h: number): void {
  for (const key of [...s.currentBlockVoters.keys()].sort()) {
    const to = s.currentBlockVoters.get(key)!.rewardAddress;
    if (to === undefined) continue;
    const reward = referenceSubsidy(s.rewards.voterSubsidyPoints, h);
    const [num, den] = PROPOSER_TAX_ON_VOTES;
    const tax = author === undefined ? 0n : (reward / BigInt(den)) * BigInt(num);
    pay(s, to, reward - tax);
    if (author !== undefined) pay(s, author, tax);
  }
}

/** `ParentBlock*` from `CurrentBlock*`, and the ranges votes at this height are checked with (pallet-subspace `do_finalize`). */
function finalizeVoteData(s: MutableRuntimeState): void {
  s.parentBlockAuthor = s.currentBlockAuthor;
  s.parentVoteRanges = {
    solutionRange: s.solutionRanges.current,
    votingSolutionRange: s.solutionRanges.votingCurrent,
  };
  s.parentBlockVoters = s.currentBlockVoters;
}

// ---- consensus MMR and Domains (decex.md §7a, §4–§7; runtime/mmr.ts, domain/runtime.ts) ----

const stateRoots = new WeakMap<RuntimeState, Uint8Array>();
/** A state's root, memoized per state object (block N's MMR leaf needs N − 1's). */
function memoStateRoot(s: RuntimeState): Uint8Array {
  let r = stateRoots.get(s);
  if (r === undefined) {
    r = stateRootOf(s);
    stateRoots.set(s, r);
  }
  return r;
}

/**
 * `pallet_mmr::on_initialize` (leaf of the parent) then the Domains pallet's block start, with
 * the staking ledger bound to the block's accounts (the returned flow).
 */
function extensionsOnInitialize(
  s: MutableRuntimeState,
  parent: RuntimeState,
  parentHash: Uint8Array,
  pre: PreDigest,
): LedgerFlow | undefined {
  s.mmr = mmrOnInitialize(s.mmr ?? genesisMmrState(EMPTY_TRIE_ROOT), s.number, {
    hash: parentHash,
    stateRoot: memoStateRoot(parent),
  });
  domainsOnInitialize(s, parentHash, pre.slot, pre.potInfo.proofOfTime, pre.potInfo.futureProofOfTime);
  return startLedgerFlow(s);
}

/** A Domains call (unsigned): `undefined` when applied, else why it was rejected (state unchanged). */
function executeDomainsCall(
  s: MutableRuntimeState,
  call: Call,
  pot: VoteCheckEnv | undefined,
): string | undefined {
  if (!isDomainsCall(call)) return 'not a Domains call';
  try {
    applyDomainsCall(s, call, pot);
    return undefined;
  } catch (e) {
    const t = (e as { code?: string; type?: { reason?: string } }).type;
    return `Domains: ${(e as { code?: string }).code ?? 'ERROR'} ${t?.reason ?? (e as Error).message}`;
  }
}

function extensionsOnFinalize(
  s: MutableRuntimeState,
  pre: PreDigest,
  extrinsicsRoot: Uint8Array,
  flow: LedgerFlow | undefined,
): void {
  domainsOnFinalize(s, pre.potInfo.proofOfTime);
  endLedgerFlow(s, flow, pre.solution.rewardAddress);
  if (s.mmr !== undefined) s.mmr = mmrOnFinalize(s.mmr, extrinsicsRoot);
}

// ---- the block ----

function initialize(
  s: MutableRuntimeState,
  pre: PreDigest,
  parentHash: Uint8Array,
  ctx: ExecuteContext,
): ConsensusLog[] {
  const logs: ConsensusLog[] = [];
  const b = s.number;
  s.blockHashes.set(b - 1, parentHash);
  const oldest = b - 1 - BLOCK_HASH_COUNT;
  if (oldest > 0) s.blockHashes.delete(oldest);
  s.slot = pre.slot;
  s.proofOfTime = pre.potInfo.proofOfTime;
  if (b === 1 && !s.allowAuthoringByAnyone && s.rootPlotPublicKey === undefined) {
    s.rootPlotPublicKey = pre.solution.publicKey;
    logs.push({ type: 'RootPlotPublicKeyUpdate', publicKey: pre.solution.publicKey });
  }
  // The scheduled ranges become current.
  const sr = s.solutionRanges;
  s.solutionRanges = {
    current: sr.next ?? sr.current,
    next: undefined,
    votingCurrent: sr.votingNext ?? sr.votingCurrent,
    votingNext: undefined,
  };
  logs.push({ type: 'SolutionRange', solutionRange: s.solutionRanges.current });
  {
    const sol = pre.solution;
    const author = {
      publicKey: sol.publicKey,
      sectorIndex: sol.sectorIndex,
      pieceOffset: sol.pieceOffset,
      chunk: sol.chunk,
      slot: pre.slot,
      rewardAddress: sol.rewardAddress,
    };
    // An author whose solution was a vote in the parent block gets no author info (no reward).
    s.currentBlockAuthor = s.parentBlockVoters.has(solutionOwnerKey(author)) ? undefined : author;
    s.currentBlockVoters = new Map();
  }
  s.blockSlots.push([b, pre.slot]);
  while (s.blockSlots.length > BLOCK_SLOT_COUNT) s.blockSlots.shift();
  if (b % ctx.spec.eraDuration === 0) enactEraChange(s, ctx);
  logs.push({ type: 'PotSlotIterations', slotIterations: s.potSlotIterations });
  // A.5 step 0
  const u = s.potSlotIterationsUpdate;
  if (u !== undefined && u.targetSlot !== undefined && u.targetSlot <= pre.slot) {
    s.potSlotIterations = u.slotIterations;
    s.potSlotIterationsUpdate = undefined;
  }
  // Steps 1-2
  const I = POT_ENTROPY_INJECTION_INTERVAL_BLOCKS;
  const source = Math.floor(b / I) * I - POT_ENTROPY_INJECTION_LOOKBACK_DEPTH * I;
  if (b % I === 0) {
    const input = new Uint8Array(48);
    input.set(pre.solution.chunk, 0);
    input.set(pre.potInfo.proofOfTime, 32);
    s.potEntropy.set(b, { entropy: blake3(input), targetSlot: undefined });
    const src = source >= 0 ? s.potEntropy.get(source) : undefined;
    if (src !== undefined) {
      const target = pre.slot + BigInt(POT_ENTROPY_INJECTION_DELAY_SLOTS);
      s.potEntropy.set(source, { ...src, targetSlot: target });
      const pending = s.potSlotIterationsUpdate;
      if (pending !== undefined && pending.targetSlot === undefined)
        s.potSlotIterationsUpdate = { ...pending, targetSlot: target };
    }
  }
  // Step 3
  const src = source >= 0 ? s.potEntropy.get(source) : undefined;
  if (src?.targetSlot !== undefined) {
    const p = s.potSlotIterationsUpdate;
    logs.push({
      type: 'PotParametersChange',
      slot: src.targetSlot,
      slotIterations:
        p !== undefined && p.targetSlot === src.targetSlot ? p.slotIterations : s.potSlotIterations,
      entropy: src.entropy,
    });
  }
  // Step 4
  let first: number | undefined;
  for (const k of s.potEntropy.keys()) if (first === undefined || k < first) first = k;
  if (first !== undefined) {
    const e = s.potEntropy.get(first)!;
    if (e.targetSlot !== undefined && e.targetSlot < pre.slot) s.potEntropy.delete(first);
  }
  return logs;
}

function enactEraChange(s: MutableRuntimeState, ctx: ExecuteContext): void {
  const sr = s.solutionRanges;
  let next: bigint;
  let voting: bigint;
  if (!s.shouldAdjustSolutionRange) {
    next = sr.current;
    voting = sr.current;
  } else if (s.nextSolutionRangeOverride !== undefined) {
    next = s.nextSolutionRangeOverride.solutionRange;
    voting = s.nextSolutionRangeOverride.votingSolutionRange;
    s.nextSolutionRangeOverride = undefined;
  } else {
    next = deriveNextSolutionRange({
      eraStartSlot: s.eraStartSlot ?? 0n,
      currentSlot: s.slot,
      currentSolutionRange: sr.current,
      eraDuration: BigInt(ctx.spec.eraDuration),
    });
    const v = next * BigInt(EXPECTED_VOTES_PER_BLOCK + 1);
    voting = v > U64_MAX ? U64_MAX : v;
  }
  s.solutionRanges = { ...sr, next, votingNext: voting };
  s.eraStartSlot = s.slot;
}

function sameHeaders(a: readonly SegmentHeader[], b: readonly SegmentHeader[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((h, i) => {
    const o = b[i]!;
    return (
      h.segmentIndex === o.segmentIndex &&
      Buffer.from(h.segmentCommitment).equals(o.segmentCommitment) &&
      Buffer.from(h.prevSegmentHeaderHash).equals(o.prevSegmentHeaderHash) &&
      h.lastArchivedBlock.number === o.lastArchivedBlock.number &&
      JSON.stringify(h.lastArchivedBlock.archivedProgress) ===
        JSON.stringify(o.lastArchivedBlock.archivedProgress)
    );
  });
}

function storeSegmentHeaders(
  s: MutableRuntimeState,
  headers: readonly SegmentHeader[],
  logs: ConsensusLog[],
): void {
  if (headers.length === 0) throw new Error('empty segment headers');
  let expected = BigInt(s.segmentCommitments.size);
  for (const h of headers) {
    if (h.segmentIndex !== expected)
      throw new Error(`segment ${h.segmentIndex} stored out of order (expected ${expected})`);
    s.segmentCommitments.set(h.segmentIndex, h.segmentCommitment);
    logs.push({
      type: 'SegmentCommitment',
      segmentIndex: h.segmentIndex,
      segmentCommitment: h.segmentCommitment,
    });
    expected++;
  }
}

/**
 * Executes a block on its parent's state. In `import` mode the first extrinsic must be the
 * `Timestamp.set` inherent, the segment-headers inherent must be present exactly when headers are
 * due (with those headers), and every transaction must be valid; otherwise {@link BlockExecutionError}.
 */
export function executeBlock(input: ExecuteInput, ctx: ExecuteContext): ExecuteOutput {
  const s = cloneState(input.parent);
  s.number = input.parent.number + 1;
  const logs = initialize(s, input.preDigest, input.parentHash, ctx);
  const flow = extensionsOnInitialize(s, input.parent, input.parentHash, input.preDigest);
  const included: Uint8Array[] = [];
  const dropped: { index: number; code: TransactionInvalidCode; detail: string }[] = [];
  let sawTimestamp = false;
  let sawHeaders = false;
  let tips = 0n;
  function fail(kind: 'INVALID_EXTRINSIC' | 'BAD_INHERENTS', index: number, detail: string): never {
    throw new BlockExecutionError(kind, index, detail);
  }
  for (const [index, bytes] of input.extrinsics.entries()) {
    let x: Extrinsic;
    try {
      x = decodeExtrinsic(bytes);
    } catch (e) {
      if (input.mode === 'build') {
        dropped.push({ index, code: 'MALFORMED', detail: (e as Error).message });
        continue;
      }
      fail('INVALID_EXTRINSIC', index, `does not decode: ${(e as Error).message}`);
    }
    if (x.type === 'Bare') {
      if (x.call.type === 'Timestamp.set') {
        if (index !== 0 || sawTimestamp)
          fail('BAD_INHERENTS', index, 'Timestamp.set must be the first extrinsic, once');
        if (x.call.now < s.timestamp) fail('BAD_INHERENTS', index, 'timestamp goes backwards');
        s.timestamp = x.call.now;
        sawTimestamp = true;
      } else if (x.call.type === 'Subspace.store_segment_headers') {
        if (sawHeaders) fail('BAD_INHERENTS', index, 'segment headers stored twice');
        if (!sameHeaders(x.call.segmentHeaders, input.expectedSegmentHeaders))
          fail('BAD_INHERENTS', index, 'segment headers differ from the locally archived ones');
        try {
          storeSegmentHeaders(s, x.call.segmentHeaders, logs);
        } catch (e) {
          fail('BAD_INHERENTS', index, (e as Error).message);
        }
        sawHeaders = true;
      } else if (x.call.type === 'Subspace.vote') {
        if (!sawTimestamp) fail('BAD_INHERENTS', index, 'missing Timestamp.set inherent');
        const problem = executeVote(s, x.call.signedVote, input.votes);
        if (problem !== undefined) {
          if (input.mode === 'build') {
            dropped.push({ index, code: problem.code, detail: problem.detail });
            continue;
          }
          fail('INVALID_EXTRINSIC', index, `${problem.code}: ${problem.detail}`);
        }
      } else if (isDomainsCall(x.call)) {
        if (!sawTimestamp) fail('BAD_INHERENTS', index, 'missing Timestamp.set inherent');
        const problem = executeDomainsCall(s, x.call, input.votes);
        if (problem !== undefined) {
          if (input.mode === 'build') {
            dropped.push({ index, code: 'CALL', detail: problem });
            continue;
          }
          fail('INVALID_EXTRINSIC', index, problem);
        }
      } else {
        fail('INVALID_EXTRINSIC', index, `bare ${x.call.type} is not an inherent`);
      }
      included.push(bytes);
      continue;
    }
    if (!sawTimestamp) fail('BAD_INHERENTS', index, 'missing Timestamp.set inherent');
    try {
      if (x.type === 'General')
        throw new InvalidExtrinsic(
          'CALL',
          `general ${x.call.type} extrinsics are not supported (votes are bare)`,
        );
      validateTransaction(s, x, ctx, false);
    } catch (e) {
      if (!(e instanceof InvalidExtrinsic)) throw e;
      if (input.mode === 'build') {
        dropped.push({ index, code: e.code, detail: e.detail });
        continue;
      }
      fail('INVALID_EXTRINSIC', index, `${e.code}: ${e.detail}`);
    }
    const signed = x as Extract<Extrinsic, { type: 'Signed' }>;
    const key = accountKey(signed.signer);
    const acc = s.accounts.get(key)!;
    s.accounts.set(key, { ...acc, nonce: acc.nonce + 1, free: acc.free - signed.tip });
    tips += signed.tip;
    const restore = snapshotOf(s, signed.call);
    try {
      dispatchSigned(s, signed.signer, signed.call);
    } catch {
      restore();
    }
    included.push(bytes);
  }
  if (!sawTimestamp) fail('BAD_INHERENTS', 0, 'missing Timestamp.set inherent');
  if (!sawHeaders && input.expectedSegmentHeaders.length > 0)
    fail('BAD_INHERENTS', included.length, 'missing the segment headers inherent');
  // Tips go to the author (fees are not modelled).
  if (tips > 0n) {
    s.totalIssuance -= tips;
    s.totalIssuance += deposit(s, input.preDigest.solution.rewardAddress, tips);
  }
  let used = 0n;
  for (const x of included) used += BigInt(x.length);
  finalizeRewards(s, used);
  finalizeVoteData(s);
  if (s.solutionRanges.next !== undefined)
    logs.push({ type: 'NextSolutionRange', solutionRange: s.solutionRanges.next });
  const extrinsicsRoot = orderedTrieRoot(included);
  extensionsOnFinalize(s, input.preDigest, extrinsicsRoot, flow);
  const state: RuntimeState = s;
  return {
    state,
    logs,
    extrinsics: included,
    dropped,
    stateRoot: memoStateRoot(state),
    extrinsicsRoot,
  };
}

/**
 * The genesis domain state: operators owned by genesis accounts pay their stake from them (the
 * ledger holds it: total issuance unchanged); stakes of label owners are endowed (added to it).
 */
function domainsGenesis(
  spec: ChainSpec,
  accounts: Map<string, AccountInfo>,
): { domains?: NonNullable<RuntimeState['domains']>; issued: bigint } {
  const flow: LedgerFlow = { net: 0n, accumulated: 0n, heldBefore: 0n, accumulatedBefore: 0n };
  const host = { accounts, number: 0 };
  const domains = genesisDomainsState(spec, ledgerAccounts(host, flow));
  if (domains === undefined) return { issued: 0n };
  domains.ledger.accounts = ledgerAccounts(host);
  const issued = flow.net + domains.ledger.heldValue() + flow.accumulated;
  return {
    domains: flow.accumulated === 0n ? domains : { ...domains, accumulatedTreasuryFunds: flow.accumulated },
    issued,
  };
}

/** The genesis state of a chain spec. */
export function genesisState(spec: ChainSpec): RuntimeState {
  const accounts = new Map<string, AccountInfo>();
  let total = 0n;
  for (const a of spec.balances) {
    if (a.accountId.length !== 32)
      throw new NodeError({
        code: 'NODE_INVALID_ARGUMENT',
        what: 'genesis account',
        reason: 'account ids are 32 bytes',
      });
    accounts.set(accountKey(a.accountId), {
      ...EMPTY_ACCOUNT,
      providers: 1,
      free: a.balance,
      flags: NEW_LOGIC_FLAG,
    });
    total += a.balance;
  }
  const { issued, ...domains } = domainsGenesis(spec, accounts);
  return {
    number: 0,
    blockHashes: new Map(),
    accounts,
    totalIssuance: total + issued,
    timestamp: spec.genesisTimestamp,
    solutionRanges: {
      current: spec.initialSolutionRange,
      next: undefined,
      votingCurrent: spec.adjustSolutionRange
        ? spec.initialSolutionRange * BigInt(EXPECTED_VOTES_PER_BLOCK + 1) > U64_MAX
          ? U64_MAX
          : spec.initialSolutionRange * BigInt(EXPECTED_VOTES_PER_BLOCK + 1)
        : spec.initialSolutionRange,
      votingNext: undefined,
    },
    shouldAdjustSolutionRange: spec.adjustSolutionRange,
    nextSolutionRangeOverride: undefined,
    eraStartSlot: undefined,
    segmentCommitments: new Map(),
    potSlotIterations: spec.potSlotIterations,
    potSlotIterationsUpdate: undefined,
    potEntropy: new Map(),
    blockSlots: [],
    rootPlotPublicKey: spec.allowAuthoringBy === 'RootFarmer' ? spec.rootPlotPublicKey : undefined,
    allowAuthoringByAnyone: spec.allowAuthoringBy === 'Anyone',
    rewards: {
      enabledAt: undefined,
      enableRewardsAt: spec.enableRewardsAt,
      remainingIssuance: spec.remainingIssuance,
      avgBlockspaceUsage: 0n,
      proposerSubsidyPoints: spec.proposerSubsidyPoints,
      voterSubsidyPoints: spec.voterSubsidyPoints,
    },
    enableBalanceTransfers: spec.enableBalanceTransfers,
    slot: 0n,
    proofOfTime: new Uint8Array(16),
    parentVoteRanges: undefined,
    parentBlockAuthor: undefined,
    currentBlockAuthor: undefined,
    parentBlockVoters: new Map(),
    currentBlockVoters: new Map(),
    mmr: genesisMmrState(EMPTY_TRIE_ROOT),
    ...domains,
  };
}
