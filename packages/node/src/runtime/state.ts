/**
 * The minimal runtime state of the consensus chain (pot-consensus-dsn A.5, B.6, B.8, B.10, B.11):
 * accounts (balances, nonces), total issuance, timestamp, block hashes, the Subspace pallet's
 * solution ranges / era / segment commitments / PoT parameters and entropy / block slots / root
 * plot key, the rewards pallet's issuance and subsidy points, and the runtime configs. The state is
 * a plain value (cloned per block); {@link storageEntries} maps it to Substrate storage keys and
 * SCALE values, whose V1 trie root is the block's state root.
 */
import { ScaleWriter } from '@autonomys/primitives';
import type { EnableRewardsAt } from '../chain/constants.js';
import type { AccountInfo, PotParametersChangeValue, SolutionRanges } from '../consensus/api.js';
import { type DomainsState, domainsStorageEntries } from '../domain/runtime.js';
import { blake2128Concat, storageKey, twox64Concat } from './hashing.js';
import { type MmrState, mmrStorageEntries } from './mmr.js';
import { TrieRootCache } from './trie-cache.js';

/** The pending slot-iterations update (`PotSlotIterationsUpdate`). */
export interface PotSlotIterationsUpdate {
  readonly targetSlot: bigint | undefined;
  readonly slotIterations: number;
}

/** One entry of `PotEntropy` (A.5). */
export interface PotEntropyValue {
  readonly entropy: Uint8Array;
  readonly targetSlot: bigint | undefined;
}

/** The rewards pallet's state (B.8). */
export interface RewardsState {
  /** The block from which rewards are paid (subsidy points shifted by it), once enabled. */
  readonly enabledAt: number | undefined;
  readonly enableRewardsAt: EnableRewardsAt;
  readonly remainingIssuance: bigint;
  /** Average blockspace usage in bytes. */
  readonly avgBlockspaceUsage: bigint;
  readonly proposerSubsidyPoints: readonly (readonly [number, bigint])[];
  readonly voterSubsidyPoints: readonly (readonly [number, bigint])[];
}

/**
 * A farmer's solution as the Subspace pallet remembers it for vote checks (B.7): the key
 * `(public_key, sector_index, piece_offset, chunk, slot)` and the reward address (`undefined`
 * once revoked for equivocation).
 */
export interface SolutionOwner {
  readonly publicKey: Uint8Array;
  readonly sectorIndex: number;
  readonly pieceOffset: number;
  readonly chunk: Uint8Array;
  readonly slot: bigint;
  readonly rewardAddress: Uint8Array | undefined;
}

/** A voter of a block (`CurrentBlockVoters` / `ParentBlockVoters` value with its key). */
export interface VoterInfo extends SolutionOwner {
  readonly signature: Uint8Array;
}

/**
 * The map key of a solution owner: hex of the key fields in SCALE order, so that sorting the keys
 * sorts as the pallet's `BTreeMap` does.
 */
export function solutionOwnerKey(o: Omit<SolutionOwner, 'rewardAddress'>): string {
  return (
    Buffer.from(o.publicKey).toString('hex') +
    o.sectorIndex.toString(16).padStart(4, '0') +
    o.pieceOffset.toString(16).padStart(4, '0') +
    Buffer.from(o.chunk).toString('hex') +
    o.slot.toString(16).padStart(16, '0')
  );
}

/** The whole runtime state after a block. */
export interface RuntimeState {
  /** The block this is the state after. */
  readonly number: number;
  /** `System.BlockHash`: hashes of recent blocks (genesis kept forever). */
  readonly blockHashes: ReadonlyMap<number, Uint8Array>;
  /** `System.Account`, keyed by hex account id. */
  readonly accounts: ReadonlyMap<string, AccountInfo>;
  readonly totalIssuance: bigint;
  /** `Timestamp.Now`, ms. */
  readonly timestamp: bigint;
  readonly solutionRanges: SolutionRanges;
  readonly shouldAdjustSolutionRange: boolean;
  readonly nextSolutionRangeOverride:
    | { readonly solutionRange: bigint; readonly votingSolutionRange: bigint }
    | undefined;
  readonly eraStartSlot: bigint | undefined;
  /** `SegmentCommitment` map (index -> 48 bytes). */
  readonly segmentCommitments: ReadonlyMap<bigint, Uint8Array>;
  readonly potSlotIterations: number;
  readonly potSlotIterationsUpdate: PotSlotIterationsUpdate | undefined;
  /** `PotEntropy`: block number -> entropy (sorted by block). */
  readonly potEntropy: ReadonlyMap<number, PotEntropyValue>;
  /** `BlockSlots`: the last `BLOCK_SLOT_COUNT` (block, slot) pairs. */
  readonly blockSlots: readonly (readonly [number, bigint])[];
  readonly rootPlotPublicKey: Uint8Array | undefined;
  readonly allowAuthoringByAnyone: boolean;
  readonly rewards: RewardsState;
  readonly enableBalanceTransfers: boolean;
  /** The slot of this block (genesis: 0). */
  readonly slot: bigint;
  /** Proof of time of this block (genesis: zeros). */
  readonly proofOfTime: Uint8Array;
  /**
   * `ParentVoteVerificationData`'s ranges: the block and voting ranges in force in this block (set
   * at finalisation; votes at the previous height are checked with them). Genesis: none.
   */
  readonly parentVoteRanges:
    | { readonly solutionRange: bigint; readonly votingSolutionRange: bigint }
    | undefined;
  /** `ParentBlockAuthorInfo` (reward address not kept). */
  readonly parentBlockAuthor: SolutionOwner | undefined;
  /** `CurrentBlockAuthorInfo`: none when the author's solution was a vote of the parent block. */
  readonly currentBlockAuthor: SolutionOwner | undefined;
  /** `ParentBlockVoters`, by {@link solutionOwnerKey} (replaced, never mutated). */
  readonly parentBlockVoters: ReadonlyMap<string, VoterInfo>;
  /** `CurrentBlockVoters`, by {@link solutionOwnerKey} (replaced, never mutated). */
  readonly currentBlockVoters: ReadonlyMap<string, VoterInfo>;
  /** The consensus MMR (decex.md §7a; `runtime/mmr.ts`); absent = no leaf yet. */
  readonly mmr?: MmrState;
  /** The Domains pallet's state (`domain/runtime.ts`); absent on chains without domains. */
  readonly domains?: DomainsState;
}

/** A mutable working copy used while executing a block. */
export type MutableRuntimeState = { -readonly [K in keyof RuntimeState]: RuntimeState[K] } & {
  blockHashes: Map<number, Uint8Array>;
  accounts: Map<string, AccountInfo>;
  segmentCommitments: Map<bigint, Uint8Array>;
  potEntropy: Map<number, PotEntropyValue>;
  blockSlots: (readonly [number, bigint])[];
};

/** A working copy of a state (maps copied; values are immutable). */
export function cloneState(s: RuntimeState): MutableRuntimeState {
  return {
    ...s,
    blockHashes: new Map(s.blockHashes),
    accounts: new Map(s.accounts),
    segmentCommitments: new Map(s.segmentCommitments),
    potEntropy: new Map(s.potEntropy),
    blockSlots: [...s.blockSlots],
  };
}

/** Hex of an account id (the `accounts` map key). */
export function accountKey(id: Uint8Array): string {
  return Buffer.from(id).toString('hex');
}

/** An account that does not exist reads as all zero. */
export const EMPTY_ACCOUNT: AccountInfo = Object.freeze({
  nonce: 0,
  consumers: 0,
  providers: 0,
  sufficients: 0,
  free: 0n,
  reserved: 0n,
  frozen: 0n,
  flags: 0n,
});

/** `flags` of accounts under the current balances logic. */
export const NEW_LOGIC_FLAG = 1n << 127n;

/** The pallet-subspace `pot_parameters()` next change for a state (A.5 step 3). */
export function nextPotParametersChange(s: RuntimeState): PotParametersChangeValue | undefined {
  const interval = 50;
  const lookback = 2;
  const lastInjection = Math.floor(s.number / interval) * interval;
  const source = lastInjection - lookback * interval;
  if (source < 0) return undefined;
  const entry = s.potEntropy.get(source);
  if (entry === undefined || entry.targetSlot === undefined) return undefined;
  const u = s.potSlotIterationsUpdate;
  const slotIterations =
    u !== undefined && u.targetSlot === entry.targetSlot ? u.slotIterations : s.potSlotIterations;
  return { slot: entry.targetSlot, slotIterations, entropy: entry.entropy };
}

// ---- storage layout ----

function u128(w: ScaleWriter, v: bigint): ScaleWriter {
  return w.u64(v & ((1n << 64n) - 1n)).u64(v >> 64n);
}

/** SCALE `AccountInfo` (80 bytes). */
export function encodeAccountInfo(a: AccountInfo): Uint8Array {
  const w = new ScaleWriter(80);
  w.u32(a.nonce).u32(a.consumers).u32(a.providers).u32(a.sufficients);
  u128(u128(u128(u128(w, a.free), a.reserved), a.frozen), a.flags);
  return w.finish();
}

function u32le(n: number): Uint8Array {
  return new ScaleWriter(4).u32(n).finish();
}
function u64le(n: bigint): Uint8Array {
  return new ScaleWriter(8).u64(n).finish();
}
function opt(v: Uint8Array | undefined): Uint8Array {
  return v === undefined ? Uint8Array.of(0) : Uint8Array.of(1, ...v);
}
function optU64(v: bigint | undefined): Uint8Array {
  return opt(v === undefined ? undefined : u64le(v));
}

/**
 * The storage (key, value) pairs of a state. Keys use the runtime's pallet and item names and
 * hashers; values are SCALE in the pallets' layouts where the node models the whole item.
 */
export function storageEntries(s: RuntimeState): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = [];
  const put = (k: Uint8Array, v: Uint8Array) => out.push([k, v]);
  for (const [hex, info] of s.accounts) {
    put(storageKey('System', 'Account', blake2128Concat(Buffer.from(hex, 'hex'))), encodeAccountInfo(info));
  }
  for (const [n, h] of s.blockHashes) put(storageKey('System', 'BlockHash', twox64Concat(u32le(n))), h);
  put(storageKey('System', 'Number'), u32le(s.number));
  put(storageKey('Balances', 'TotalIssuance'), u128(new ScaleWriter(16), s.totalIssuance).finish());
  put(storageKey('Timestamp', 'Now'), u64le(s.timestamp));
  const sr = s.solutionRanges;
  put(
    storageKey('Subspace', 'SolutionRanges'),
    new ScaleWriter(34)
      .u64(sr.current)
      .bytes(optU64(sr.next))
      .u64(sr.votingCurrent)
      .bytes(optU64(sr.votingNext))
      .finish(),
  );
  put(
    storageKey('Subspace', 'ShouldAdjustSolutionRange'),
    Uint8Array.of(s.shouldAdjustSolutionRange ? 1 : 0),
  );
  if (s.nextSolutionRangeOverride !== undefined)
    put(
      storageKey('Subspace', 'NextSolutionRangeOverride'),
      new ScaleWriter(16)
        .u64(s.nextSolutionRangeOverride.solutionRange)
        .u64(s.nextSolutionRangeOverride.votingSolutionRange)
        .finish(),
    );
  if (s.eraStartSlot !== undefined) put(storageKey('Subspace', 'EraStartSlot'), u64le(s.eraStartSlot));
  for (const [i, c] of s.segmentCommitments)
    put(storageKey('Subspace', 'SegmentCommitment', twox64Concat(u64le(i))), c);
  put(storageKey('Subspace', 'CounterForSegmentCommitment'), u32le(s.segmentCommitments.size));
  {
    const w = new ScaleWriter(32).u32(s.potSlotIterations);
    const u = s.potSlotIterationsUpdate;
    if (u === undefined) w.u8(0);
    else w.u8(1).bytes(optU64(u.targetSlot)).u32(u.slotIterations);
    put(storageKey('Subspace', 'PotSlotIterations'), w.finish());
  }
  {
    const w = new ScaleWriter(64).compact(s.potEntropy.size);
    for (const [n, e] of [...s.potEntropy].sort((a, b) => a[0] - b[0]))
      w.u32(n).bytes(e.entropy).bytes(optU64(e.targetSlot));
    put(storageKey('Subspace', 'PotEntropy'), w.finish());
  }
  {
    const w = new ScaleWriter(64).compact(s.blockSlots.length);
    for (const [n, slot] of s.blockSlots) w.u32(n).u64(slot);
    put(storageKey('Subspace', 'BlockSlots'), w.finish());
  }
  if (s.rootPlotPublicKey !== undefined)
    put(storageKey('Subspace', 'RootPlotPublicKey'), s.rootPlotPublicKey);
  put(storageKey('Subspace', 'AllowAuthoringByAnyone'), Uint8Array.of(s.allowAuthoringByAnyone ? 1 : 0));
  voteStorageEntries(s, put);
  const r = s.rewards;
  put(storageKey('Rewards', 'RemainingIssuance'), u128(new ScaleWriter(16), r.remainingIssuance).finish());
  put(storageKey('Rewards', 'AvgBlockspaceUsage'), u32le(Number(r.avgBlockspaceUsage & 0xffffffffn)));
  if (r.enabledAt !== undefined) put(storageKey('Rewards', 'RewardsEnabled'), Uint8Array.of(1));
  put(
    storageKey('RuntimeConfigs', 'EnableBalanceTransfers'),
    Uint8Array.of(s.enableBalanceTransfers ? 1 : 0),
  );
  // The consensus MMR and the Domains pallet (runtime/mmr.ts, domain/runtime.ts).
  if (s.mmr !== undefined) out.push(...mmrStorageEntries(s.mmr));
  out.push(...domainsStorageEntries(s.domains));
  return out;
}

function writeOwnerKey(w: ScaleWriter, o: SolutionOwner): ScaleWriter {
  return w.bytes(o.publicKey).u16(o.sectorIndex).u16(o.pieceOffset).bytes(o.chunk).u64(o.slot);
}

function encodeVoters(voters: ReadonlyMap<string, VoterInfo>): Uint8Array {
  const w = new ScaleWriter(64 + voters.size * 200).compact(voters.size);
  for (const k of [...voters.keys()].sort()) {
    const v = voters.get(k)!;
    writeOwnerKey(w, v).bytes(opt(v.rewardAddress)).bytes(v.signature);
  }
  return w.finish();
}

/** The vote-related items of pallet-subspace (B.7); absent while no block was authored. */
function voteStorageEntries(s: RuntimeState, put: (k: Uint8Array, v: Uint8Array) => void): void {
  if (s.number === 0) return;
  const slotOf = (n: number) => s.blockSlots.find(([b]) => b === n)?.[1] ?? s.slot;
  if (s.parentVoteRanges !== undefined)
    put(
      storageKey('Subspace', 'ParentVoteVerificationData'),
      new ScaleWriter(32)
        .u64(s.parentVoteRanges.solutionRange)
        .u64(s.parentVoteRanges.votingSolutionRange)
        .u64(s.slot)
        .u64(s.number > 1 ? slotOf(s.number - 1) : s.slot)
        .finish(),
    );
  if (s.parentBlockAuthor !== undefined)
    put(
      storageKey('Subspace', 'ParentBlockAuthorInfo'),
      writeOwnerKey(new ScaleWriter(80), s.parentBlockAuthor).finish(),
    );
  if (s.currentBlockAuthor !== undefined)
    put(
      storageKey('Subspace', 'CurrentBlockAuthorInfo'),
      writeOwnerKey(new ScaleWriter(112), s.currentBlockAuthor)
        .bytes(opt(s.currentBlockAuthor.rewardAddress))
        .finish(),
    );
  put(storageKey('Subspace', 'ParentBlockVoters'), encodeVoters(s.parentBlockVoters));
  put(storageKey('Subspace', 'CurrentBlockVoters'), encodeVoters(s.currentBlockVoters));
}

const rootCache = new TrieRootCache();

/**
 * The state root: the V1 trie root of {@link storageEntries} (computed incrementally from the
 * previous computation: `TrieRootCache`).
 */
export function stateRootOf(s: RuntimeState): Uint8Array {
  return rootCache.root(storageEntries(s));
}
