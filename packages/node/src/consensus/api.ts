/**
 * The published API of the chain core of `@autonomys/node` (issue #7): what the roles, the RPC
 * server and the CLI code against. {@link ChainApi} is implemented by `Chain` in `./chain.ts`
 * (`Chain.open(...)`); blocks are sealed with `sealBlock` from there. Types here are stable; later additions are optional members only.
 *
 * Integers: u64 values (slots, solution ranges, segment and piece indexes, history sizes) and
 * balances (u128) are `bigint`; u32 values (block numbers, slot iterations, nonces) are `number`.
 * Hashes are 32-byte `Uint8Array`s (BLAKE2-256 of the SCALE header, seal included).
 */
import type { ArchivingParams } from '@autonomys/archiver';
import type { Kzg } from '@autonomys/kzg';
import type { PotVerifier } from '@autonomys/pot';
import type { GlobalObject, SegmentHeader, Solution } from '@autonomys/primitives';
import type { EnableRewardsAt } from '../chain/constants.js';
import type { Header } from '../chain/header.js';
import type { Justification } from '../chain/justification.js';

// ---------------------------------------------------------------------------------------------
// Blocks

/** A block: its header and its extrinsics (each the full wire encoding, with its length prefix). */
export interface Block {
  readonly header: Header;
  readonly extrinsics: readonly Uint8Array[];
}

/** `SignedBlock`: the block and its justifications (the `SUB_` PoT checkpoints on non-genesis blocks). */
export interface SignedBlock extends Block {
  readonly justifications: readonly Justification[];
}

/** A block or a header is addressed by hash (32 bytes) or by number on the best chain. */
export type BlockId = Uint8Array | number;

/** What the chain knows of an imported block (cheap; no body). */
export interface BlockInfo {
  readonly hash: Uint8Array;
  readonly number: number;
  readonly parentHash: Uint8Array;
  /** The claimed slot (0 for genesis). */
  readonly slot: bigint;
  /** Sum of `u64::MAX - solution_range` from block 1 (B.5), u128. */
  readonly weight: bigint;
  readonly header: Header;
}

// ---------------------------------------------------------------------------------------------
// Chain spec / genesis

/** An endowed account at genesis. */
export interface GenesisAccount {
  /** 32-byte account id (sr25519 public key). */
  readonly accountId: Uint8Array;
  /** Free balance in Shannon. */
  readonly balance: bigint;
}

/**
 * The chain spec: consensus genesis (B.1), runtime genesis and the small-preset knobs of test and
 * development chains. Build one with `devChainSpec(overrides)` (exported by `./spec.ts`).
 */
export interface ChainSpec {
  /** Human name, e.g. `Autonomys Development`. */
  readonly name: string;
  /** Protocol id, e.g. `autonomys-dev`. */
  readonly protocolId: string;
  /** PoT iterations per slot at genesis (a multiple of 16, see `calibrateSlotIterations`). */
  readonly potSlotIterations: number;
  /** `potExternalEntropy` (UTF-8 bytes feed the genesis PoT seed, A.4). */
  readonly potExternalEntropy: string;
  /** Archiving depth K: 5 on dev chains, 100 in production (B.10). */
  readonly confirmationDepthK: number;
  /** Blocks per era (B.6): 2016 in production; dev default 2016 too. */
  readonly eraDuration: number;
  /** `SolutionRanges.current` at genesis (also the voting range while adjustment is off). */
  readonly initialSolutionRange: bigint;
  /** Whether solution range adjustment (and so voting) is on at genesis (production: false). */
  readonly adjustSolutionRange: boolean;
  /** Who may author: `Anyone`, `FirstFarmer` (block 1's key becomes the root plot key) or `RootFarmer` (`rootPlotPublicKey`). */
  readonly allowAuthoringBy: 'Anyone' | 'FirstFarmer' | 'RootFarmer';
  /** The root plot public key of a `RootFarmer` chain. */
  readonly rootPlotPublicKey?: Uint8Array;
  /** When rewards start. */
  readonly enableRewardsAt: EnableRewardsAt;
  /** `(block, subsidy in Shannon)` points (B.8). */
  readonly proposerSubsidyPoints: readonly (readonly [number, bigint])[];
  readonly voterSubsidyPoints: readonly (readonly [number, bigint])[];
  /** Rewards pot, in Shannon. */
  readonly remainingIssuance: bigint;
  /** Balance transfers allowed (RuntimeConfigs). */
  readonly enableBalanceTransfers: boolean;
  /** Endowed accounts. */
  readonly balances: readonly GenesisAccount[];
  /** `MAX_PIECES_IN_SECTOR` of the runtime (1000 in production). */
  readonly maxPiecesInSector: number;
  /** Archiving geometry (record chunks, raw records per segment): `NETWORK_ARCHIVING_PARAMS` or a small preset. */
  readonly archiving: ArchivingParams;
  /** `true`: the shim proof of space (test/dev); `false`: Chia K = 20 as on the network. */
  readonly shimProofOfSpace: boolean;
  /** `spec_version` / `transaction_version` signed into transactions (B.11). */
  readonly specVersion: number;
  readonly transactionVersion: number;
  /** Genesis timestamp (ms), kept in `Timestamp.Now` of the genesis state. */
  readonly genesisTimestamp: bigint;
}

// ---------------------------------------------------------------------------------------------
// Opening

export interface ChainOpenOptions {
  readonly spec: ChainSpec;
  /**
   * Directory of the database; absent = in memory (tests). Opening a directory made by another
   * spec (different genesis) is `NODE_DATA_DIR_MISMATCH`; a damaged one `NODE_CORRUPT_DATA`.
   */
  readonly dataDir?: string;
  /**
   * KZG with public parameters covering `2 * numRawRecords` and `numChunks` powers (the solution
   * and piece checks). Loaded from `@autonomys/kzg`'s default parameters when absent.
   */
  readonly kzg?: Kzg;
  /** Worker threads of the segment committer (default 1). */
  readonly archiverThreads?: number;
  /** Keep pieces of this many most recent segments in the database (default: all). */
  readonly keepPiecesOfSegments?: number;
  /**
   * The PoT verifier whose cache the chain uses (share the timekeeper's so that its proofs make
   * justification checks a comparison). A fresh one by default.
   */
  readonly potVerifier?: PotVerifier;
  /**
   * Verify the PoT checkpoints of every justification (default `true`). With `false` they are
   * inserted into the verifier cache as known-good (what B.9 does for unsampled sync blocks, and
   * what a node whose timekeeper proved the slots itself can afford); the proof-of-time and
   * justification-chain checks still run against the cache.
   */
  readonly verifyPotCheckpoints?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Import

/** Where a block came from (B.4 step 1: network blocks below the archiving point are rejected). */
export type BlockOrigin = 'own' | 'network' | 'sync' | 'file';

/** The outcome of {@link ChainApi.importBlock}. Rejections never throw. */
export type ImportResult =
  | {
      readonly status: 'imported';
      readonly hash: Uint8Array;
      readonly number: number;
      /** The new block is the best block now. */
      readonly isBest: boolean;
      /** Set when the best chain switched forks. */
      readonly reorg?: ReorgEvent;
    }
  /** Already in the chain: nothing done (B.4 "re-imported with not best"). */
  | { readonly status: 'known'; readonly hash: Uint8Array; readonly number: number }
  | {
      readonly status: 'rejected';
      readonly hash: Uint8Array | undefined;
      readonly rejection: ImportRejection;
    };

/**
 * Why a block was refused, one code per check of B.4 (stateless then stateful) and of the
 * runtime's execution. `detail` is a human sentence; the other fields are per code.
 */
export type ImportRejection =
  | { readonly code: 'MALFORMED'; readonly detail: string }
  | { readonly code: 'TOO_LARGE'; readonly detail: string; readonly size: number }
  | { readonly code: 'BELOW_ARCHIVING_POINT'; readonly detail: string }
  | { readonly code: 'BAD_DIGEST'; readonly detail: string }
  | { readonly code: 'UNSEALED'; readonly detail: string }
  | { readonly code: 'BAD_SEAL'; readonly detail: string }
  | { readonly code: 'MISSING_JUSTIFICATION'; readonly detail: string }
  | { readonly code: 'INVALID_JUSTIFICATION'; readonly detail: string }
  | { readonly code: 'BAD_SIGNATURE'; readonly detail: string }
  | { readonly code: 'INVALID_SOLUTION'; readonly detail: string; readonly cause: string }
  | { readonly code: 'NOT_ROOT_FARMER'; readonly detail: string }
  | { readonly code: 'UNKNOWN_PARENT'; readonly detail: string }
  | { readonly code: 'SLOT_NOT_INCREASING'; readonly detail: string }
  | { readonly code: 'WRONG_SOLUTION_RANGE'; readonly detail: string }
  | { readonly code: 'WRONG_POT_SLOT_ITERATIONS'; readonly detail: string }
  | { readonly code: 'INVALID_PROOF_OF_TIME'; readonly detail: string }
  | { readonly code: 'INVALID_FUTURE_PROOF_OF_TIME'; readonly detail: string }
  | { readonly code: 'INVALID_POT_CHECKPOINTS'; readonly detail: string }
  | { readonly code: 'UNKNOWN_SEGMENT_COMMITMENT'; readonly detail: string; readonly segmentIndex: bigint }
  | { readonly code: 'INVALID_SEGMENT_COMMITMENT'; readonly detail: string; readonly segmentIndex: bigint }
  | { readonly code: 'BAD_INHERENTS'; readonly detail: string }
  | { readonly code: 'INVALID_EXTRINSIC'; readonly detail: string; readonly index: number }
  | { readonly code: 'STATE_ROOT_MISMATCH'; readonly detail: string }
  | { readonly code: 'EXTRINSICS_ROOT_MISMATCH'; readonly detail: string }
  | { readonly code: 'DIGEST_MISMATCH'; readonly detail: string };

export type ImportRejectionCode = ImportRejection['code'];

// ---------------------------------------------------------------------------------------------
// Authoring

/** The proof-of-time input of slot `slot` on top of a block (B.3 step 2; A.4). */
export interface PotSlotInput {
  readonly slot: bigint;
  readonly slotIterations: number;
  readonly seed: Uint8Array;
}

/** What an author needs to claim a slot on a parent (B.3). */
export interface AuthoringContext {
  readonly parentHash: Uint8Array;
  readonly parentNumber: number;
  readonly parentSlot: bigint;
  /** Block range (`next ?? current` of the parent's runtime): win iff distance ≤ range / 2. */
  readonly solutionRange: bigint;
  /** Voting range (`voting_next ?? voting_current`). */
  readonly votingSolutionRange: bigint;
  /** History size the chain has at the parent (segments, ≥ 1): what sectors are checked against. */
  readonly historySize: bigint;
  /** Root plot public key, when authoring is restricted. */
  readonly rootPlotPublicKey: Uint8Array | undefined;
  /** PoT input of slot `parentSlot + 1` (walk from here to the claimed slot; genesis: slot 1). */
  readonly nextSlotInput: PotSlotInput;
  /** The parent's PoT parameters change, applied while walking slots (A.4). */
  readonly potParametersChange: PotParametersChangeValue | undefined;
  /** The first slot whose checkpoints go in the justification: `future(parent) + 1`. */
  readonly firstJustificationSlot: bigint;
}

export interface PotParametersChangeValue {
  readonly slot: bigint;
  readonly slotIterations: number;
  readonly entropy: Uint8Array;
}

/** Input of {@link ChainApi.buildBlock}. */
export interface BuildBlockParams {
  readonly parentHash: Uint8Array;
  /** The claimed slot `c` (> parent slot). */
  readonly slot: bigint;
  /** The winning solution for slot `c` (distance within the block range). */
  readonly solution: Solution;
  /** PoT output of slot `c`. */
  readonly proofOfTime: Uint8Array;
  /** PoT output of slot `c + 4`. */
  readonly futureProofOfTime: Uint8Array;
  /**
   * Checkpoints (128 bytes each) of every slot from `firstJustificationSlot` (see
   * {@link AuthoringContext}) to `c + 4`, oldest first.
   */
  readonly checkpoints: readonly Uint8Array[];
  /** Its first slot's input seed. */
  readonly checkpointsSeed: Uint8Array;
  /**
   * Extrinsics to include after the inherents (wire encodings); default: take from the pool.
   * Invalid ones are dropped (and dropped from the pool).
   */
  readonly extrinsics?: readonly Uint8Array[];
  /** `Timestamp.set` value, ms (default `Date.now()`). */
  readonly timestamp?: bigint;
}

/** A built block before the seal: sign `preHash` (sr25519, context `subspace_reward`) with the solution key. */
export interface UnsealedBlock {
  readonly header: Header;
  readonly extrinsics: readonly Uint8Array[];
  readonly justifications: readonly Justification[];
  /** BLAKE2-256 of the unsealed header: what the farmer signs. */
  readonly preHash: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Transactions

export type SubmitResult =
  | { readonly status: 'ready' | 'future'; readonly hash: Uint8Array }
  | { readonly status: 'invalid'; readonly code: TransactionInvalidCode; readonly detail: string };

export type TransactionInvalidCode =
  | 'MALFORMED'
  | 'BAD_PROOF'
  | 'STALE'
  | 'PAYMENT'
  | 'ANCIENT_BIRTH_BLOCK'
  | 'TRANSFERS_DISABLED'
  | 'CALL'
  | 'EXHAUSTS_RESOURCES'
  | 'ALREADY_IN_POOL'
  /** A vote for a later height or slot, or a proof of time the node has not seen yet (B.7). */
  | 'FUTURE'
  /** An equivocating vote (B.7). */
  | 'BAD_SIGNER';

// ---------------------------------------------------------------------------------------------
// State queries

/** `System.Account` value (B.11). */
export interface AccountInfo {
  readonly nonce: number;
  readonly consumers: number;
  readonly providers: number;
  readonly sufficients: number;
  readonly free: bigint;
  readonly reserved: bigint;
  readonly frozen: bigint;
  readonly flags: bigint;
}

/** `SolutionRanges` of pallet-subspace. */
export interface SolutionRanges {
  readonly current: bigint;
  readonly next: bigint | undefined;
  readonly votingCurrent: bigint;
  readonly votingNext: bigint | undefined;
}

/** `pot_parameters()` runtime API (A.5). */
export interface PotParameters {
  readonly slotIterations: number;
  readonly nextChange: PotParametersChangeValue | undefined;
}

export interface RuntimeVersion {
  readonly specName: string;
  readonly implName: string;
  readonly specVersion: number;
  readonly transactionVersion: number;
}

// ---------------------------------------------------------------------------------------------
// Events

export interface ReorgEvent {
  readonly oldBest: BlockInfo;
  readonly newBest: BlockInfo;
  /** The common ancestor. */
  readonly ancestor: BlockInfo;
  /** Blocks that left the best chain (old best first). */
  readonly retracted: readonly BlockInfo[];
  /** Blocks that joined it (ancestor's child first). */
  readonly enacted: readonly BlockInfo[];
}

export interface SegmentArchivedEvent {
  readonly header: SegmentHeader;
  /** The block whose import made the segment (its block `K` deep became confirmed). */
  readonly atBlock: number;
}

/** {@link ChainEvents.objectsArchived}. */
export interface ObjectsArchivedEvent {
  readonly blockNumber: number;
  readonly objects: readonly GlobalObject[];
}

export interface ChainEvents {
  /** Every block imported (best or not). */
  blockImported: (block: BlockInfo, isBest: boolean) => void;
  /** The best block changed. */
  newHead: (block: BlockInfo) => void;
  /** The best chain switched forks (emitted before `newHead`). */
  reorg: (event: ReorgEvent) => void;
  /** A segment was archived; its pieces are available through `getPiece`. */
  segmentArchived: (event: SegmentArchivedEvent) => void;
  /** A block became confirmed (`K` deep on the best chain) and was handed to the archiver. */
  blockArchived: (block: BlockInfo) => void;
  /**
   * Where the remarks of an archived block lie in the history (ai3 §1.2), emitted as the archiver
   * places them (objects of a block still in the partial segment arrive when that segment forms).
   */
  objectsArchived: (event: ObjectsArchivedEvent) => void;
  /** A transaction entered the pool. */
  transactionAdded: (hash: Uint8Array) => void;
}

// ---------------------------------------------------------------------------------------------
// The chain

/** The chain core. Implemented by `Chain` (`Chain.open(opts)`). Calls are not re-entrant-safe across `close()`. */
export interface ChainApi {
  readonly spec: ChainSpec;
  readonly genesisHash: Uint8Array;
  readonly kzg: Kzg;
  /**
   * The PoT verifier whose cache import and vote checks consult: a timekeeper or a PoT gossip
   * source injects the proofs it verified here (`injectVerifiedCheckpoints`) so that justification
   * checks become comparisons.
   */
  readonly potVerifier: PotVerifier;

  /** The best block. */
  head(): BlockInfo;
  /** Best-chain block of that number, or any known block of that hash. */
  getBlockInfo(id: BlockId): BlockInfo | undefined;
  getHeader(id: BlockId): Header | undefined;
  getBlock(id: BlockId): Promise<SignedBlock | undefined>;
  /** SCALE `SignedBlock` bytes (header, extrinsics, `Option<Justifications>`). */
  getBlockBytes(id: BlockId): Promise<Uint8Array | undefined>;

  /** Verifies and imports (B.4); rejections are results, never exceptions. Serialised internally. */
  importBlock(block: SignedBlock | Uint8Array, origin?: BlockOrigin): Promise<ImportResult>;

  /** What an author needs to claim a slot on `parentHash` (default: the best block). */
  authoringContext(parentHash?: Uint8Array): AuthoringContext;
  /** Builds (executes) a block on `parentHash`; the result must be sealed with {@link sealBlock}. */
  buildBlock(params: BuildBlockParams): Promise<UnsealedBlock>;

  /** Validates a transaction (wire encoding) against the best state and pools it. */
  submitExtrinsic(extrinsic: Uint8Array): SubmitResult;
  /** Pool contents, ready ones first. */
  pendingExtrinsics(): readonly Uint8Array[];

  // State at a block (default: best)
  account(accountId: Uint8Array, at?: BlockId): AccountInfo;
  /** The nonce the next transaction of this account must carry (pool-aware). */
  nextNonce(accountId: Uint8Array): number;
  solutionRanges(at?: BlockId): SolutionRanges;
  potParameters(at?: BlockId): PotParameters;
  /** History size in segments (≥ 1) at a block. */
  historySize(at?: BlockId): bigint;
  /** The segment commitment stored on chain (at the best block) for an index. */
  segmentCommitment(segmentIndex: bigint, at?: BlockId): Uint8Array | undefined;
  totalIssuance(at?: BlockId): bigint;
  stateRoot(at?: BlockId): Uint8Array;
  runtimeVersion(): RuntimeVersion;

  // Archiving outputs (local archiver, may run ahead of the chain by up to K blocks)
  /** Segment headers produced locally, by index. */
  getSegmentHeader(segmentIndex: bigint): SegmentHeader | undefined;
  /** The highest locally archived segment index (segment 0 exists from genesis). */
  lastSegmentIndex(): bigint;
  /** A piece (record ‖ commitment ‖ witness) by global index, while kept. */
  getPiece(pieceIndex: bigint): Promise<Uint8Array | undefined>;

  /** Resolves when the archiver has caught up with the confirmed blocks of the best chain. */
  archivingIdle(): Promise<void>;

  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): this;
  off<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): this;

  /** Flushes and closes the database and the archiver's workers. */
  close(): Promise<void>;
}

/** Seals an {@link UnsealedBlock} with the farmer key (sr25519, context `subspace_reward`). */
export type SealBlock = (block: UnsealedBlock, secretKey: Uint8Array, publicKey: Uint8Array) => SignedBlock;
