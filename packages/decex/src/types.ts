/**
 * The network's DecEx types and their SCALE codecs (decex §1–§8), byte for byte. Field order in
 * every `struct` is the SCALE order. Hashes are 32-byte `Uint8Array`s; u64/u128/U256 are bigints;
 * u32 numbers are numbers. Encoders take values as typed here; decoders validate every length, tag
 * and order and throw `DECEX_INVALID_ENCODING`.
 */
import type { ScaleReader, ScaleWriter } from '@autonomys/primitives';
import {
  badEncoding,
  bool,
  bytes,
  type Codec,
  compactU64,
  decodeWith,
  encodeWith,
  fixed,
  h256,
  option,
  pair,
  struct,
  taggedEnum,
  u8,
  u32,
  u64,
  u128,
  u256,
  vec,
} from './codec.js';

export type H256 = Uint8Array;
export type DomainId = number;
export type OperatorId = bigint;
export type Balance = bigint;

// ---------------------------------------------------------------------------------------------
// §1 identifiers

/** `ChainId`: `'consensus'` (tag 0) or a domain id (tag 1 + u32). Consensus sorts first. */
export type ChainId = 'consensus' | DomainId;

export const chainIdCodec: Codec<ChainId> = {
  enc(w, v) {
    if (v === 'consensus') w.u8(0);
    else w.u8(1).u32(v);
  },
  dec(r) {
    const t = r.tag(2, 'ChainId');
    return t === 0 ? 'consensus' : r.u32('DomainId');
  },
};

/** Total order of `ChainId` (BTreeMap key order). */
export function compareChainId(a: ChainId, b: ChainId): number {
  if (a === b) return 0;
  if (a === 'consensus') return -1;
  if (b === 'consensus') return 1;
  return a - b;
}

/** A `BTreeMap<K, V>`: encoded sorted by key; decoding requires strictly increasing keys. */
export function btreeMap<K, V>(
  what: string,
  k: Codec<K>,
  v: Codec<V>,
  cmp: (a: K, b: K) => number,
): Codec<Map<K, V>> {
  return {
    enc(w, m) {
      const entries = [...m.entries()].sort((a, b) => cmp(a[0], b[0]));
      w.compact(entries.length);
      for (const [key, val] of entries) {
        k.enc(w, key);
        v.enc(w, val);
      }
    },
    dec(r) {
      const n = r.compactU32(`${what} length`);
      if (n > r.remaining) throw badEncoding(what, `claims ${n} entries, ${r.remaining} bytes left`);
      const m = new Map<K, V>();
      let prev: K | undefined;
      for (let i = 0; i < n; i++) {
        const key = k.dec(r);
        if (prev !== undefined && cmp(prev, key) >= 0)
          throw badEncoding(what, 'keys not strictly increasing');
        prev = key;
        m.set(key, v.dec(r));
      }
      return m;
    },
  };
}

/** A `BTreeSet<T>`: sorted, unique. */
export function btreeSet<T>(what: string, item: Codec<T>, cmp: (a: T, b: T) => number): Codec<T[]> {
  return {
    enc(w, s) {
      const sorted = [...s].sort(cmp);
      w.compact(sorted.length);
      for (const x of sorted) item.enc(w, x);
    },
    dec(r) {
      const n = r.compactU32(`${what} length`);
      if (n > r.remaining) throw badEncoding(what, `claims ${n} items, ${r.remaining} bytes left`);
      const out: T[] = [];
      for (let i = 0; i < n; i++) {
        const x = item.dec(r);
        const last = out[out.length - 1];
        if (last !== undefined && cmp(last, x) >= 0) throw badEncoding(what, 'items not strictly increasing');
        out.push(x);
      }
      return out;
    },
  };
}

function compareBytesLex(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** `BTreeMap<ChainId, Balance>`. */
export const chainBalancesCodec = btreeMap('BTreeMap<ChainId, Balance>', chainIdCodec, u128, compareChainId);

export const accountId32 = fixed(32);

/** `Weight { ref_time: Compact<u64>, proof_size: Compact<u64> }`. */
export interface Weight {
  refTime: bigint;
  proofSize: bigint;
}
export const weightCodec = struct<Weight>({ refTime: compactU64, proofSize: compactU64 });

/** `MultiAccountId`: AccountId32 (0), AccountId20 (1), Raw (2). */
export type MultiAccountId =
  | { type: 'AccountId32'; id: Uint8Array }
  | { type: 'AccountId20'; id: Uint8Array }
  | { type: 'Raw'; id: Uint8Array };
export const multiAccountIdCodec = taggedEnum<MultiAccountId>('MultiAccountId', [
  { type: 'AccountId32', codec: struct({ id: fixed(32) }) },
  { type: 'AccountId20', codec: struct({ id: fixed(20) }) },
  { type: 'Raw', codec: struct({ id: bytes }) },
]);

// ---------------------------------------------------------------------------------------------
// §2 domains

export type RuntimeType = 'Evm' | 'AutoId';
export const runtimeTypeCodec: Codec<RuntimeType> = {
  enc: (w, v) => w.u8(v === 'Evm' ? 0 : 1),
  dec: (r) => (r.tag(2, 'RuntimeType') === 0 ? 'Evm' : 'AutoId'),
};

/** `PermissionedActionAllowedBy<AccountId>`: Accounts(Vec) (0) | Anyone (1). */
export type PermissionedActionAllowedBy = { type: 'Accounts'; accounts: Uint8Array[] } | { type: 'Anyone' };
export function permissionedActionAllowedByCodec(accountSize: number): Codec<PermissionedActionAllowedBy> {
  return taggedEnum<PermissionedActionAllowedBy>('PermissionedActionAllowedBy', [
    { type: 'Accounts', codec: struct({ accounts: vec(fixed(accountSize), accountSize) }) },
    { type: 'Anyone', codec: null },
  ]);
}

/** `EvmType`: Public (0) | Private { initial_contract_creation_allow_list } (1), over 20-byte EVM accounts. */
export type EvmType =
  | { type: 'Public' }
  | { type: 'Private'; initialContractCreationAllowList: PermissionedActionAllowedBy };
export const evmTypeCodec = taggedEnum<EvmType>('EvmType', [
  { type: 'Public', codec: null },
  {
    type: 'Private',
    codec: struct({ initialContractCreationAllowList: permissionedActionAllowedByCodec(20) }),
  },
]);

/** `DomainRuntimeInfo`: Evm { chain_id, domain_runtime_config: { evm_type } } (0) | AutoId { {} } (1). */
export type DomainRuntimeInfo = { type: 'Evm'; chainId: bigint; evmType: EvmType } | { type: 'AutoId' };
export const domainRuntimeInfoCodec = taggedEnum<DomainRuntimeInfo>('DomainRuntimeInfo', [
  { type: 'Evm', codec: struct({ chainId: u64, evmType: evmTypeCodec }) },
  { type: 'AutoId', codec: null },
]);

/** `OperatorAllowList<AccountId>`: Anyone (0) | Operators(BTreeSet<AccountId>) (1). */
export type OperatorAllowList = { type: 'Anyone' } | { type: 'Operators'; accounts: Uint8Array[] };
export const operatorAllowListCodec = taggedEnum<OperatorAllowList>('OperatorAllowList', [
  { type: 'Anyone', codec: null },
  {
    type: 'Operators',
    codec: struct({ accounts: btreeSet('BTreeSet<AccountId>', accountId32, compareBytesLex) }),
  },
]);

/** `DomainConfig` (decex §2). */
export interface DomainConfig {
  domainName: Uint8Array;
  runtimeId: number;
  maxBundleSize: number;
  maxBundleWeight: Weight;
  bundleSlotProbability: [bigint, bigint];
  operatorAllowList: OperatorAllowList;
  initialBalances: [MultiAccountId, Balance][];
}
export const domainConfigCodec = struct<DomainConfig>({
  domainName: bytes,
  runtimeId: u32,
  maxBundleSize: u32,
  maxBundleWeight: weightCodec,
  bundleSlotProbability: pair(u64, u64),
  operatorAllowList: operatorAllowListCodec,
  initialBalances: vec(pair(multiAccountIdCodec, u128), 17),
});

// ---------------------------------------------------------------------------------------------
// §3 operators and staking

export interface OperatorDeregisteredInfo {
  domainEpoch: [DomainId, number];
  unlockAtConfirmedDomainBlockNumber: number;
}
/** `OperatorStatus` (SCALE indexes 0..5). */
export type OperatorStatus =
  | { type: 'Registered' }
  | ({ type: 'Deregistered' } & OperatorDeregisteredInfo)
  | { type: 'Slashed' }
  | { type: 'PendingSlash' }
  | { type: 'InvalidBundle'; receiptHash: H256 }
  | { type: 'Deactivated'; epoch: number };
export const operatorStatusCodec = taggedEnum<OperatorStatus>('OperatorStatus', [
  { type: 'Registered', codec: null },
  {
    type: 'Deregistered',
    codec: struct<OperatorDeregisteredInfo>({
      domainEpoch: pair(u32, u32),
      unlockAtConfirmedDomainBlockNumber: u32,
    }),
  },
  { type: 'Slashed', codec: null },
  { type: 'PendingSlash', codec: null },
  { type: 'InvalidBundle', codec: struct({ receiptHash: h256 }) },
  { type: 'Deactivated', codec: struct({ epoch: u32 }) },
]);

/** `Operator` storage record. */
export interface OperatorRecord {
  signingKey: Uint8Array;
  currentDomainId: DomainId;
  nextDomainId: DomainId;
  minimumNominatorStake: Balance;
  /** `Percent`: 0..=100. */
  nominationTax: number;
  currentTotalStake: Balance;
  currentTotalShares: bigint;
  partialStatus: OperatorStatus;
  depositsInEpoch: Balance;
  withdrawalsInEpoch: bigint;
  totalStorageFeeDeposit: Balance;
}
const percent: Codec<number> = {
  enc: (w, v) => w.u8(v),
  dec(r) {
    const v = r.u8('Percent');
    if (v > 100) throw badEncoding('Percent', `${v} > 100`);
    return v;
  },
};
export const operatorRecordCodec = struct<OperatorRecord>({
  signingKey: fixed(32),
  currentDomainId: u32,
  nextDomainId: u32,
  minimumNominatorStake: u128,
  nominationTax: percent,
  currentTotalStake: u128,
  currentTotalShares: u128,
  partialStatus: operatorStatusCodec,
  depositsInEpoch: u128,
  withdrawalsInEpoch: u128,
  totalStorageFeeDeposit: u128,
});

/** `StakingSummary` per domain. */
export interface StakingSummary {
  currentEpochIndex: number;
  currentTotalStake: Balance;
  currentOperators: Map<OperatorId, Balance>;
  nextOperators: OperatorId[];
  currentEpochRewards: Map<OperatorId, Balance>;
}
export const stakingSummaryCodec = struct<StakingSummary>({
  currentEpochIndex: u32,
  currentTotalStake: u128,
  currentOperators: btreeMap('BTreeMap<OperatorId, Balance>', u64, u128, cmpBig),
  nextOperators: btreeSet('BTreeSet<OperatorId>', u64, cmpBig),
  currentEpochRewards: btreeMap('BTreeMap<OperatorId, Balance>', u64, u128, cmpBig),
});

// ---------------------------------------------------------------------------------------------
// §4 bundles, §6 receipts

/** `VrfSignature`: 32-byte pre-output ‖ 64-byte proof. */
export interface VrfSignature {
  preOutput: Uint8Array;
  proof: Uint8Array;
}
export const vrfSignatureCodec = struct<VrfSignature>({ preOutput: fixed(32), proof: fixed(64) });

export interface ProofOfElection {
  domainId: DomainId;
  slotNumber: bigint;
  proofOfTime: Uint8Array;
  vrfSignature: VrfSignature;
  operatorId: OperatorId;
}
export const proofOfElectionCodec = struct<ProofOfElection>({
  domainId: u32,
  slotNumber: u64,
  proofOfTime: fixed(16),
  vrfSignature: vrfSignatureCodec,
  operatorId: u64,
});

/** `InvalidBundleType`; SCALE tags differ from the checking order (decex §6). */
export type InvalidBundleType =
  | { type: 'UndecodableTx'; index: number }
  | { type: 'OutOfRangeTx'; index: number }
  | { type: 'IllegalTx'; index: number }
  | { type: 'InvalidXDM'; index: number }
  | { type: 'InherentExtrinsic'; index: number }
  | { type: 'InvalidBundleWeight' };
const idx = struct<{ index: number }>({ index: u32 });
export const invalidBundleTypeCodec = taggedEnum<InvalidBundleType>('InvalidBundleType', [
  { type: 'UndecodableTx', codec: idx },
  { type: 'OutOfRangeTx', codec: idx },
  { type: 'IllegalTx', codec: idx },
  { type: 'InvalidXDM', codec: idx },
  { type: 'InherentExtrinsic', codec: idx },
  { type: 'InvalidBundleWeight', codec: null },
]);

const RULE_ORDER: Record<InvalidBundleType['type'], bigint> = {
  UndecodableTx: 1n,
  OutOfRangeTx: 2n,
  InherentExtrinsic: 3n,
  InvalidXDM: 4n,
  IllegalTx: 5n,
  InvalidBundleWeight: 6n,
};

/** `checking_order = (extrinsic_index << 32) | rule_order`; InvalidBundleWeight uses index u32::MAX. */
export function checkingOrder(t: InvalidBundleType): bigint {
  const index = t.type === 'InvalidBundleWeight' ? 0xffff_ffffn : BigInt(t.index);
  return (index << 32n) | RULE_ORDER[t.type];
}

/** `BundleValidity`: Invalid(InvalidBundleType) (0) | Valid(bundle_digest_hash) (1). */
export type BundleValidity =
  | { type: 'Invalid'; invalid: InvalidBundleType }
  | { type: 'Valid'; digest: H256 };
export const bundleValidityCodec = taggedEnum<BundleValidity>('BundleValidity', [
  { type: 'Invalid', codec: struct({ invalid: invalidBundleTypeCodec }) },
  { type: 'Valid', codec: struct({ digest: h256 }) },
]);

export interface InboxedBundle {
  bundle: BundleValidity;
  extrinsicsRoot: H256;
}
export const inboxedBundleCodec = struct<InboxedBundle>({
  bundle: bundleValidityCodec,
  extrinsicsRoot: h256,
});

export interface BlockFees {
  consensusStorageFee: Balance;
  domainExecutionFee: Balance;
  burnedBalance: Balance;
  chainRewards: Map<ChainId, Balance>;
}
export const blockFeesCodec = struct<BlockFees>({
  consensusStorageFee: u128,
  domainExecutionFee: u128,
  burnedBalance: u128,
  chainRewards: chainBalancesCodec,
});

export interface Transfers {
  transfersIn: Map<ChainId, Balance>;
  transfersOut: Map<ChainId, Balance>;
  rejectedTransfersClaimed: Map<ChainId, Balance>;
  transfersRejected: Map<ChainId, Balance>;
}
export const transfersCodec = struct<Transfers>({
  transfersIn: chainBalancesCodec,
  transfersOut: chainBalancesCodec,
  rejectedTransfersClaimed: chainBalancesCodec,
  transfersRejected: chainBalancesCodec,
});

/** `ExecutionReceiptV0` (decex §6). */
export interface ExecutionReceipt {
  domainBlockNumber: number;
  domainBlockHash: H256;
  domainBlockExtrinsicRoot: H256;
  parentDomainBlockReceiptHash: H256;
  consensusBlockNumber: number;
  consensusBlockHash: H256;
  inboxedBundles: InboxedBundle[];
  finalStateRoot: H256;
  executionTrace: H256[];
  executionTraceRoot: H256;
  blockFees: BlockFees;
  transfers: Transfers;
}
/** The V0 struct (what the receipt hash covers). */
export const executionReceiptV0Codec = struct<ExecutionReceipt>({
  domainBlockNumber: u32,
  domainBlockHash: h256,
  domainBlockExtrinsicRoot: h256,
  parentDomainBlockReceiptHash: h256,
  consensusBlockNumber: u32,
  consensusBlockHash: h256,
  inboxedBundles: vec(inboxedBundleCodec, 33),
  finalStateRoot: h256,
  executionTrace: vec(h256, 32),
  executionTraceRoot: h256,
  blockFees: blockFeesCodec,
  transfers: transfersCodec,
});

/** A versioned enum with the single variant V0 (tag 0). */
function v0<T>(what: string, inner: Codec<T>): Codec<T> {
  return {
    enc(w, v) {
      w.u8(0);
      inner.enc(w, v);
    },
    dec(r) {
      const t = r.u8(`${what} version`);
      if (t !== 0) throw badEncoding(what, `unknown version ${t}`);
      return inner.dec(r);
    },
  };
}
/** `ExecutionReceipt::V0` (tag 0x00 then the V0 struct). */
export const executionReceiptCodec = v0('ExecutionReceipt', executionReceiptV0Codec);

export interface BundleHeader {
  proofOfElection: ProofOfElection;
  receipt: ExecutionReceipt;
  estimatedBundleWeight: Weight;
  bundleExtrinsicsRoot: H256;
}
export const bundleHeaderCodec = struct<BundleHeader>({
  proofOfElection: proofOfElectionCodec,
  receipt: executionReceiptCodec,
  estimatedBundleWeight: weightCodec,
  bundleExtrinsicsRoot: h256,
});

export interface SealedBundleHeader {
  header: BundleHeader;
  signature: Uint8Array;
}
export const sealedBundleHeaderCodec = struct<SealedBundleHeader>({
  header: bundleHeaderCodec,
  signature: fixed(64),
});

/**
 * `Bundle::V0`. `extrinsics` are the opaque extrinsics' bodies; on the wire each is
 * `compact(len) ‖ body` (the extrinsic's own encoding), which is also what the extrinsics root,
 * the body size and the dedup compare.
 */
export interface Bundle {
  sealedHeader: SealedBundleHeader;
  extrinsics: Uint8Array[];
}
export const bundleV0Codec = struct<Bundle>({
  sealedHeader: sealedBundleHeaderCodec,
  extrinsics: vec(bytes, 1),
});
export const bundleCodec = v0('Bundle', bundleV0Codec);

export interface BundleDigest {
  headerHash: H256;
  extrinsicsRoot: H256;
  size: number;
}
export const bundleDigestCodec = struct<BundleDigest>({ headerHash: h256, extrinsicsRoot: h256, size: u32 });

export interface SingletonReceipt {
  proofOfElection: ProofOfElection;
  receipt: ExecutionReceipt;
}
export const singletonReceiptCodec = struct<SingletonReceipt>({
  proofOfElection: proofOfElectionCodec,
  receipt: executionReceiptCodec,
});
export interface SealedSingletonReceipt {
  singletonReceipt: SingletonReceipt;
  signature: Uint8Array;
}
export const sealedSingletonReceiptCodec = struct<SealedSingletonReceipt>({
  singletonReceipt: singletonReceiptCodec,
  signature: fixed(64),
});

/** `ExtrinsicDigest`: Data(Vec<u8>) (0) for encodings < 33 bytes | Hash(H256) (1). */
export type ExtrinsicDigest = { type: 'Data'; data: Uint8Array } | { type: 'Hash'; hash: H256 };
export const extrinsicDigestCodec = taggedEnum<ExtrinsicDigest>('ExtrinsicDigest', [
  { type: 'Data', codec: struct({ data: bytes }) },
  { type: 'Hash', codec: struct({ hash: h256 }) },
]);
/** One entry of a bundle digest: `(Option<AccountId>, ExtrinsicDigest)`. */
export const bundleDigestEntryCodec = pair(option(accountId32), extrinsicDigestCodec);

// ---------------------------------------------------------------------------------------------
// §7a MMR

export interface MmrLeaf {
  blockNumber: number;
  blockHash: H256;
  stateRoot: H256;
  extrinsicsRoot: H256;
}
/** `MmrLeaf::V0(LeafDataV0)`: exactly 101 bytes. */
export const mmrLeafCodec = v0(
  'MmrLeaf',
  struct<MmrLeaf>({ blockNumber: u32, blockHash: h256, stateRoot: h256, extrinsicsRoot: h256 }),
);

export interface LeafProof {
  leafIndices: bigint[];
  leafCount: bigint;
  items: H256[];
}
export const leafProofCodec = struct<LeafProof>({
  leafIndices: vec(u64, 8),
  leafCount: u64,
  items: vec(h256, 32),
});

export interface ConsensusChainMmrLeafProof {
  consensusBlockNumber: number;
  consensusBlockHash: H256;
  /** SCALE of `MmrLeaf` (101 bytes for a well-formed leaf; kept opaque as on the wire). */
  opaqueMmrLeaf: Uint8Array;
  proof: LeafProof;
}
export const consensusChainMmrLeafProofCodec = struct<ConsensusChainMmrLeafProof>({
  consensusBlockNumber: u32,
  consensusBlockHash: h256,
  opaqueMmrLeaf: bytes,
  proof: leafProofCodec,
});

// ---------------------------------------------------------------------------------------------
// §7 fraud proofs

/** `StorageProof`: a set of trie nodes (sorted, unique on the wire). */
export type StorageProof = Uint8Array[];
export const storageProofCodec = btreeSet('StorageProof', bytes, compareBytesLex);

export interface DomainRuntimeCodeAt {
  mmrProof: ConsensusChainMmrLeafProof;
  domainRuntimeCodeProof: StorageProof;
}
export const domainRuntimeCodeAtCodec = struct<DomainRuntimeCodeAt>({
  mmrProof: consensusChainMmrLeafProofCodec,
  domainRuntimeCodeProof: storageProofCodec,
});

export type ApplyExtrinsicMismatch = { type: 'StateRoot'; index: number } | { type: 'Shorter' };
export type FinalizeBlockMismatch = { type: 'StateRoot' } | { type: 'Longer'; index: number };
export type ExecutionPhase =
  | { type: 'InitializeBlock' }
  | { type: 'ApplyExtrinsic'; extrinsicProof: StorageProof; mismatch: ApplyExtrinsicMismatch }
  | { type: 'FinalizeBlock'; mismatch: FinalizeBlockMismatch };
export const executionPhaseCodec = taggedEnum<ExecutionPhase>('ExecutionPhase', [
  { type: 'InitializeBlock', codec: null },
  {
    type: 'ApplyExtrinsic',
    codec: struct({
      extrinsicProof: storageProofCodec,
      mismatch: taggedEnum<ApplyExtrinsicMismatch>('ApplyExtrinsicMismatch', [
        { type: 'StateRoot', codec: idx },
        { type: 'Shorter', codec: null },
      ]),
    }),
  },
  {
    type: 'FinalizeBlock',
    codec: struct({
      mismatch: taggedEnum<FinalizeBlockMismatch>('FinalizeBlockMismatch', [
        { type: 'StateRoot', codec: null },
        { type: 'Longer', codec: idx },
      ]),
    }),
  },
]);

export interface OpaqueBundleWithProof {
  bundle: Bundle;
  bundleIndex: number;
  bundleStorageProof: StorageProof;
}
export const opaqueBundleWithProofCodec = struct<OpaqueBundleWithProof>({
  bundle: bundleCodec,
  bundleIndex: u32,
  bundleStorageProof: storageProofCodec,
});

export interface ValidBundleDigest {
  bundleIndex: number;
  bundleDigest: [Uint8Array | undefined, ExtrinsicDigest][];
}
export const validBundleDigestCodec = struct<ValidBundleDigest>({
  bundleIndex: u32,
  bundleDigest: vec(bundleDigestEntryCodec, 2),
});

export interface MaybeDomainRuntimeUpgradedProof {
  domainRuntimeUpgrades: StorageProof;
  newDomainRuntimeCode: StorageProof | undefined;
}

export interface MmrRootProof {
  mmrProof: ConsensusChainMmrLeafProof;
  mmrRootStorageProof: StorageProof;
}
export const mmrRootProofCodec = struct<MmrRootProof>({
  mmrProof: consensusChainMmrLeafProofCodec,
  mmrRootStorageProof: storageProofCodec,
});

export type InvalidBundlesProofData =
  | { type: 'Extrinsic'; proof: StorageProof }
  | { type: 'Bundle'; bundleWithProof: OpaqueBundleWithProof }
  | { type: 'BundleAndExecution'; bundleWithProof: OpaqueBundleWithProof; executionProof: StorageProof }
  | { type: 'InvalidXDMProofData'; extrinsicProof: StorageProof; mmrRootProof: MmrRootProof | undefined };
export const invalidBundlesProofDataCodec = taggedEnum<InvalidBundlesProofData>('InvalidBundlesProofData', [
  { type: 'Extrinsic', codec: struct({ proof: storageProofCodec }) },
  { type: 'Bundle', codec: struct({ bundleWithProof: opaqueBundleWithProofCodec }) },
  {
    type: 'BundleAndExecution',
    codec: struct({ bundleWithProof: opaqueBundleWithProofCodec, executionProof: storageProofCodec }),
  },
  {
    type: 'InvalidXDMProofData',
    codec: struct({ extrinsicProof: storageProofCodec, mmrRootProof: option(mmrRootProofCodec) }),
  },
]);

/** `FraudProofVariant` with its SCALE indexes 0..6 (Dummy = 100 is test-only and not modelled). */
export type FraudProofVariant =
  | { type: 'InvalidStateTransition'; executionProof: StorageProof; executionPhase: ExecutionPhase }
  | { type: 'ValidBundle'; bundleWithProof: OpaqueBundleWithProof }
  | {
      type: 'InvalidExtrinsicsRoot';
      validBundleDigests: ValidBundleDigest[];
      invalidInherentExtrinsicProofs: StorageProof;
      maybeDomainRuntimeUpgradedProof: MaybeDomainRuntimeUpgradedProof;
      domainChainAllowlistProof: StorageProof;
      domainSudoCallProof: StorageProof;
      evmDomainContractCreationAllowedByCallProof: StorageProof;
    }
  | {
      type: 'InvalidBundles';
      bundleIndex: number;
      invalidBundleType: InvalidBundleType;
      isGoodInvalidFraudProof: boolean;
      proofData: InvalidBundlesProofData;
    }
  | { type: 'InvalidDomainBlockHash'; digestStorageProof: StorageProof }
  | { type: 'InvalidBlockFees'; storageProof: StorageProof }
  | { type: 'InvalidTransfers'; storageProof: StorageProof };

export const fraudProofVariantCodec = taggedEnum<FraudProofVariant>('FraudProofVariant', [
  {
    type: 'InvalidStateTransition',
    codec: struct({ executionProof: storageProofCodec, executionPhase: executionPhaseCodec }),
  },
  { type: 'ValidBundle', codec: struct({ bundleWithProof: opaqueBundleWithProofCodec }) },
  {
    type: 'InvalidExtrinsicsRoot',
    codec: struct({
      validBundleDigests: vec(validBundleDigestCodec, 5),
      invalidInherentExtrinsicProofs: storageProofCodec,
      maybeDomainRuntimeUpgradedProof: struct<MaybeDomainRuntimeUpgradedProof>({
        domainRuntimeUpgrades: storageProofCodec,
        newDomainRuntimeCode: option(storageProofCodec),
      }),
      domainChainAllowlistProof: storageProofCodec,
      domainSudoCallProof: storageProofCodec,
      evmDomainContractCreationAllowedByCallProof: storageProofCodec,
    }),
  },
  {
    type: 'InvalidBundles',
    codec: struct({
      bundleIndex: u32,
      invalidBundleType: invalidBundleTypeCodec,
      isGoodInvalidFraudProof: bool,
      proofData: invalidBundlesProofDataCodec,
    }),
  },
  { type: 'InvalidDomainBlockHash', codec: struct({ digestStorageProof: storageProofCodec }) },
  { type: 'InvalidBlockFees', codec: struct({ storageProof: storageProofCodec }) },
  { type: 'InvalidTransfers', codec: struct({ storageProof: storageProofCodec }) },
]);

/** The `FraudProof` envelope (`submit_fraud_proof`). */
export interface FraudProof {
  domainId: DomainId;
  badReceiptHash: H256;
  maybeMmrProof: ConsensusChainMmrLeafProof | undefined;
  maybeDomainRuntimeCodeProof: DomainRuntimeCodeAt | undefined;
  proof: FraudProofVariant;
}
export const fraudProofCodec = struct<FraudProof>({
  domainId: u32,
  badReceiptHash: h256,
  maybeMmrProof: option(consensusChainMmrLeafProofCodec),
  maybeDomainRuntimeCodeProof: option(domainRuntimeCodeAtCodec),
  proof: fraudProofVariantCodec,
});

/** `InherentExtrinsicData` (proven by `invalid_inherent_extrinsic_proofs`). */
export interface InherentExtrinsicData {
  extrinsicsShufflingSeed: H256;
  timestamp: bigint;
  consensusTransactionByteFee: Balance;
}
export const inherentExtrinsicDataCodec = struct<InherentExtrinsicData>({
  extrinsicsShufflingSeed: h256,
  timestamp: u64,
  consensusTransactionByteFee: u128,
});

// ---------------------------------------------------------------------------------------------
// §8 XDM

export type ChannelState = 'Initiated' | 'Open' | 'Closed';
const CHANNEL_STATES: ChannelState[] = ['Initiated', 'Open', 'Closed'];
export const channelStateCodec: Codec<ChannelState> = {
  enc: (w, v) => w.u8(CHANNEL_STATES.indexOf(v)),
  dec: (r) => CHANNEL_STATES[r.tag(3, 'ChannelState')]!,
};

export interface Channel {
  channelId: bigint;
  state: ChannelState;
  nextInboxNonce: bigint;
  nextOutboxNonce: bigint;
  latestResponseReceivedMessageNonce: bigint | undefined;
  maxOutgoingMessages: number;
  maybeOwner: Uint8Array | undefined;
  channelReserveFee: Balance;
}
export const channelCodec = struct<Channel>({
  channelId: u256,
  state: channelStateCodec,
  nextInboxNonce: u256,
  nextOutboxNonce: u256,
  latestResponseReceivedMessageNonce: option(u256),
  maxOutgoingMessages: u32,
  maybeOwner: option(accountId32),
  channelReserveFee: u128,
});

/** `Endpoint`: Id(u64) (0). */
export const endpointCodec: Codec<bigint> = {
  enc: (w, v) => w.u8(0).u64(v),
  dec(r) {
    r.tag(1, 'Endpoint');
    return r.u64('Endpoint::Id');
  },
};

/** `DispatchError`, with the variants that carry data modelled (others are unit). */
export type DispatchError =
  | { type: 'Other' }
  | { type: 'CannotLookup' }
  | { type: 'BadOrigin' }
  | { type: 'Module'; index: number; error: Uint8Array }
  | { type: 'ConsumerRemaining' }
  | { type: 'NoProviders' }
  | { type: 'TooManyConsumers' }
  | { type: 'Token'; kind: number }
  | { type: 'Arithmetic'; kind: number }
  | { type: 'Transactional'; kind: number }
  | { type: 'Exhausted' }
  | { type: 'Corruption' }
  | { type: 'Unavailable' }
  | { type: 'RootNotAllowed' }
  | { type: 'Trie'; kind: number };
const kind = struct<{ kind: number }>({ kind: u8 });
export const dispatchErrorCodec = taggedEnum<DispatchError>('DispatchError', [
  { type: 'Other', codec: null },
  { type: 'CannotLookup', codec: null },
  { type: 'BadOrigin', codec: null },
  { type: 'Module', codec: struct({ index: u8, error: fixed(4) }) },
  { type: 'ConsumerRemaining', codec: null },
  { type: 'NoProviders', codec: null },
  { type: 'TooManyConsumers', codec: null },
  { type: 'Token', codec: kind },
  { type: 'Arithmetic', codec: kind },
  { type: 'Transactional', codec: kind },
  { type: 'Exhausted', codec: null },
  { type: 'Corruption', codec: null },
  { type: 'Unavailable', codec: null },
  { type: 'RootNotAllowed', codec: null },
  { type: 'Trie', codec: kind },
]);

/** `Result<T, DispatchError>`: Ok (0) | Err (1). */
export type DispatchResult<T> = { ok: true; value: T } | { ok: false; error: DispatchError };
function result<T>(ok: Codec<T>): Codec<DispatchResult<T>> {
  return {
    enc(w, v) {
      if (v.ok) {
        w.u8(0);
        ok.enc(w, v.value);
      } else {
        w.u8(1);
        dispatchErrorCodec.enc(w, v.error);
      }
    },
    dec(r) {
      return r.tag(2, 'Result') === 0
        ? { ok: true, value: ok.dec(r) }
        : { ok: false, error: dispatchErrorCodec.dec(r) };
    },
  };
}
const unit: Codec<null> = { enc: () => {}, dec: () => null };

export interface EndpointRequest {
  srcEndpoint: bigint;
  dstEndpoint: bigint;
  payload: Uint8Array;
}
export const endpointRequestCodec = struct<EndpointRequest>({
  srcEndpoint: endpointCodec,
  dstEndpoint: endpointCodec,
  payload: bytes,
});

/** `VersionedPayload::V1(PayloadV1)` (tag 1) flattened to its four leaves. */
export type MessagePayload =
  | { type: 'ProtocolChannelOpen'; maxOutgoingMessages: number }
  | { type: 'ProtocolChannelClose' }
  | { type: 'ProtocolResponse'; result: DispatchResult<null> }
  | {
      type: 'EndpointRequest';
      req: EndpointRequest;
      collectedFee: { srcChainFee: Balance; dstChainFee: Balance };
    }
  | { type: 'EndpointResponse'; result: DispatchResult<Uint8Array> };
export const messagePayloadCodec: Codec<MessagePayload> = {
  enc(w, v) {
    w.u8(1); // VersionedPayload::V1 has codec index 1
    switch (v.type) {
      case 'ProtocolChannelOpen':
        w.u8(0).u8(0).u8(0).u32(v.maxOutgoingMessages);
        return;
      case 'ProtocolChannelClose':
        w.u8(0).u8(0).u8(1);
        return;
      case 'ProtocolResponse':
        w.u8(0).u8(1);
        result(unit).enc(w, v.result);
        return;
      case 'EndpointRequest':
        w.u8(1).u8(0);
        endpointRequestCodec.enc(w, v.req);
        u128.enc(w, v.collectedFee.srcChainFee); // CollectedFee { src_chain_fee, dst_chain_fee }
        u128.enc(w, v.collectedFee.dstChainFee);
        return;
      case 'EndpointResponse':
        w.u8(1).u8(1);
        result(bytes).enc(w, v.result);
    }
  },
  dec(r) {
    const version = r.u8('VersionedPayload');
    if (version !== 1) throw badEncoding('VersionedPayload', `unknown version ${version}`);
    const kindTag = r.tag(2, 'PayloadV1');
    const rr = r.tag(2, 'RequestResponse');
    if (kindTag === 0) {
      if (rr === 1) return { type: 'ProtocolResponse', result: result(unit).dec(r) };
      return r.tag(2, 'ProtocolMessageRequest') === 0
        ? { type: 'ProtocolChannelOpen', maxOutgoingMessages: r.u32() }
        : { type: 'ProtocolChannelClose' };
    }
    if (rr === 1) return { type: 'EndpointResponse', result: result(bytes).dec(r) };
    const req = endpointRequestCodec.dec(r);
    const srcChainFee = u128.dec(r);
    return { type: 'EndpointRequest', req, collectedFee: { srcChainFee, dstChainFee: u128.dec(r) } };
  },
};

export interface Message {
  srcChainId: ChainId;
  dstChainId: ChainId;
  channelId: bigint;
  nonce: bigint;
  payload: MessagePayload;
  lastDeliveredMessageResponseNonce: bigint | undefined;
}
export const messageCodec = struct<Message>({
  srcChainId: chainIdCodec,
  dstChainId: chainIdCodec,
  channelId: u256,
  nonce: u256,
  payload: messagePayloadCodec,
  lastDeliveredMessageResponseNonce: option(u256),
});

/** `Proof`: Consensus { mmr, message_proof } (0) | Domain { mmr, domain_proof, message_proof } (1). */
export type XdmProof =
  | { type: 'Consensus'; consensusChainMmrProof: ConsensusChainMmrLeafProof; messageProof: StorageProof }
  | {
      type: 'Domain';
      consensusChainMmrProof: ConsensusChainMmrLeafProof;
      domainProof: StorageProof;
      messageProof: StorageProof;
    };
export const xdmProofCodec = taggedEnum<XdmProof>('Proof', [
  {
    type: 'Consensus',
    codec: struct({
      consensusChainMmrProof: consensusChainMmrLeafProofCodec,
      messageProof: storageProofCodec,
    }),
  },
  {
    type: 'Domain',
    codec: struct({
      consensusChainMmrProof: consensusChainMmrLeafProofCodec,
      domainProof: storageProofCodec,
      messageProof: storageProofCodec,
    }),
  },
]);

/** `MessageWeightTag`. */
export type MessageWeightTag =
  | { type: 'ProtocolChannelOpen' }
  | { type: 'ProtocolChannelClose' }
  | { type: 'EndpointRequest'; endpoint: bigint }
  | { type: 'EndpointResponse'; endpoint: bigint }
  | { type: 'None' };
export const messageWeightTagCodec = taggedEnum<MessageWeightTag>('MessageWeightTag', [
  { type: 'ProtocolChannelOpen', codec: null },
  { type: 'ProtocolChannelClose', codec: null },
  { type: 'EndpointRequest', codec: struct({ endpoint: endpointCodec }) },
  { type: 'EndpointResponse', codec: struct({ endpoint: endpointCodec }) },
  { type: 'None', codec: null },
]);

export interface CrossDomainMessage {
  srcChainId: ChainId;
  dstChainId: ChainId;
  channelId: bigint;
  nonce: bigint;
  proof: XdmProof;
  weightTag: MessageWeightTag;
}
export const crossDomainMessageCodec = struct<CrossDomainMessage>({
  srcChainId: chainIdCodec,
  dstChainId: chainIdCodec,
  channelId: u256,
  nonce: u256,
  proof: xdmProofCodec,
  weightTag: messageWeightTagCodec,
});

/** Transporter `Location { chain_id, account_id: MultiAccountId }`. */
export interface Location {
  chainId: ChainId;
  accountId: MultiAccountId;
}
export const locationCodec = struct<Location>({ chainId: chainIdCodec, accountId: multiAccountIdCodec });
/** Transporter `Transfer { amount, sender, receiver }`: the endpoint payload of a transfer. */
export interface Transfer {
  amount: Balance;
  sender: Location;
  receiver: Location;
}
export const transferCodec = struct<Transfer>({
  amount: u128,
  sender: locationCodec,
  receiver: locationCodec,
});

// ---------------------------------------------------------------------------------------------
// encode / decode pairs

type Pair<T> = [(v: T) => Uint8Array, (b: Uint8Array) => T];
function pairOf<T>(codec: Codec<T>, what: string): Pair<T> {
  return [(v) => encodeWith(codec, v), (b) => decodeWith(codec, b, what)];
}

export const [encodeExecutionReceipt, decodeExecutionReceipt] = pairOf(
  executionReceiptCodec,
  'ExecutionReceipt',
);
export const [encodeBundle, decodeBundle] = pairOf(bundleCodec, 'Bundle');
export const [encodeBundleHeader, decodeBundleHeader] = pairOf(bundleHeaderCodec, 'BundleHeader');
export const [encodeFraudProof, decodeFraudProof] = pairOf(fraudProofCodec, 'FraudProof');
export const [encodeDomainConfig, decodeDomainConfig] = pairOf(domainConfigCodec, 'DomainConfig');
export const [encodeOperatorRecord, decodeOperatorRecord] = pairOf(operatorRecordCodec, 'Operator');
export const [encodeStakingSummary, decodeStakingSummary] = pairOf(stakingSummaryCodec, 'StakingSummary');
export const [encodeSealedSingletonReceipt, decodeSealedSingletonReceipt] = pairOf(
  sealedSingletonReceiptCodec,
  'SealedSingletonReceipt',
);
export const [encodeMmrLeaf, decodeMmrLeaf] = pairOf(mmrLeafCodec, 'MmrLeaf');
export const [encodeConsensusChainMmrLeafProof, decodeConsensusChainMmrLeafProof] = pairOf(
  consensusChainMmrLeafProofCodec,
  'ConsensusChainMmrLeafProof',
);
export const [encodeChannel, decodeChannel] = pairOf(channelCodec, 'Channel');
export const [encodeMessage, decodeMessage] = pairOf(messageCodec, 'Message');
export const [encodeCrossDomainMessage, decodeCrossDomainMessage] = pairOf(
  crossDomainMessageCodec,
  'CrossDomainMessage',
);
export const [encodeTransfer, decodeTransfer] = pairOf(transferCodec, 'Transfer');
export const [encodeDomainRuntimeInfo, decodeDomainRuntimeInfo] = pairOf(
  domainRuntimeInfoCodec,
  'DomainRuntimeInfo',
);
export const [encodeBundleDigest, decodeBundleDigest] = pairOf(bundleDigestCodec, 'BundleDigest');
export const [encodeInherentExtrinsicData, decodeInherentExtrinsicData] = pairOf(
  inherentExtrinsicDataCodec,
  'InherentExtrinsicData',
);
export const [encodeBlockFees, decodeBlockFees] = pairOf(blockFeesCodec, 'BlockFees');
export const [encodeTransfers, decodeTransfers] = pairOf(transfersCodec, 'Transfers');

export type { ScaleReader, ScaleWriter };
