/**
 * The chain core (`Chain`): block import with the stateless and stateful checks of
 * pot-consensus-dsn B.4 in order, fork choice by weight (B.5) and reorgs, block building for
 * authors (B.3), the transaction pool, the runtime state per block, archiving at depth K with
 * segment headers entering the chain through the next due block (B.10), and persistence in the
 * node's LMDB store (`../storage/store.ts`). See `./api.ts` for the published interface.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Archiver,
  type ArchiverState,
  type KzgSegmentCommitter,
  kzgSegmentCommitter,
  restartArchiverState,
  segmentGeometry,
} from '@autonomys/archiver';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import {
  isShimProofValid,
  PlotterError,
  sectorExpirationCheckSegmentIndex,
  solutionPieceIndex,
  verifySolution,
} from '@autonomys/plotter';
import { genesisSlotInput, nextSlotInput, PotVerifier } from '@autonomys/pot';
import {
  decodeSegmentHeader,
  encodeSegmentHeader,
  REWARD_SIGNING_CONTEXT,
  type SegmentHeader,
  sr25519Verify,
} from '@autonomys/primitives';
import { chacha8 } from '@noble/ciphers/chacha.js';
import { decodeSignedBlock, encodeArchivedBlock, encodeSignedBlock } from '../chain/block.js';
import { MAX_BLOCK_LENGTH_BYTES, POT_CHECKPOINTS_SIZE } from '../chain/constants.js';
import { encodeDigestItem } from '../chain/digest.js';
import { type Header, headerHash, headerPreHash, unsealHeader } from '../chain/header.js';
import {
  decodeSubspaceJustification,
  SUBSPACE_ENGINE_ID_HEX,
  subspaceJustification,
} from '../chain/justification.js';
import { sealHeader } from '../chain/seal.js';
import {
  consensusLogItem,
  extractSubspaceDigestItems,
  type PreDigest,
  preDigestItem,
  type SubspaceDigestItems,
} from '../chain/subspace-digest.js';
import { prepareBundlePot } from '../domain/follower.js';
import { NodeError } from '../errors.js';
import { chainBlockObjects } from '../gateway/block-objects.js';
import {
  BlockExecutionError,
  executeBlock,
  genesisState,
  InvalidExtrinsic,
  validateTransaction,
} from '../runtime/executor.js';
import { decodeExtrinsic, encodeExtrinsic, extrinsicHash } from '../runtime/extrinsic.js';
import {
  accountKey,
  cloneState,
  EMPTY_ACCOUNT,
  nextPotParametersChange,
  type RuntimeState,
  stateRootOf,
} from '../runtime/state.js';
import { EMPTY_TRIE_ROOT } from '../runtime/trie.js';
import { type CanonicalUpdate, ChainStore, STORE_FILE } from '../storage/store.js';
import type {
  AccountInfo,
  AuthoringContext,
  BlockId,
  BlockInfo,
  BlockOrigin,
  BuildBlockParams,
  ChainApi,
  ChainOpenOptions,
  ChainSpec,
  ImportRejection,
  ImportResult,
  PotParameters,
  PotSlotInput,
  ReorgEvent,
  RuntimeVersion,
  SignedBlock,
  SolutionRanges,
  SubmitResult,
  UnsealedBlock,
} from './api.js';
import {
  checkVote,
  decodeSignedVote,
  type SignedVote,
  VOTE_REJECTION_VALIDITY,
  type VoteCheckEnv,
} from './vote.js';

const U64_MAX = (1n << 64n) - 1n;
/** Largest `SignedBlock` accepted: the 5 MiB block length plus room for header and justification. */
export const MAX_SIGNED_BLOCK_SIZE = MAX_BLOCK_LENGTH_BYTES + 1024 * 1024;
/** Transactions kept in the pool. */
export const MAX_POOL_SIZE = 8192;
const BLOCK_AUTHORING_DELAY = 4n;

/** The file of the append-only journal of earlier versions: such a directory is refused. */
const OLD_JOURNAL_FILE = 'chain.journal';

/** A rejection travelling as an exception inside the import pipeline. */
class Reject extends Error {
  constructor(readonly rejection: ImportRejection) {
    super(rejection.detail);
  }
}
const reject = (r: ImportRejection): never => {
  throw new Reject(r);
};

interface Entry {
  readonly info: BlockInfo;
  readonly block: SignedBlock;
  readonly state: RuntimeState;
  readonly items: SubspaceDigestItems | undefined;
}

interface SegmentEntry {
  readonly header: SegmentHeader;
  /** In-memory pieces (a chain without a data directory; `undefined` once pruned). */
  readonly pieces: Uint8Array | undefined;
}

interface PoolEntry {
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly signer: string;
  readonly nonce: number;
  /** A vote's height (votes live for two blocks). */
  readonly voteHeight?: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(b);

/** The KZG powers a spec needs: the segment commitment (2 × raw records) and record chunks. */
export function kzgPowersFor(spec: ChainSpec): number {
  return Math.max(2 * spec.archiving.numRawRecords, spec.archiving.numChunks);
}

/** The genesis header of a spec (its state root is the genesis state's). */
export function genesisHeader(spec: ChainSpec): Header {
  return {
    parentHash: new Uint8Array(32),
    number: 0,
    stateRoot: stateRootOf(genesisState(spec)),
    extrinsicsRoot: EMPTY_TRIE_ROOT.slice(),
    digest: [],
  };
}

/**
 * The archived form of genesis (B.10): its `SignedBlock` encoding extended to exactly one recorded
 * history segment, the tail from ChaCha8 keyed by the genesis state root.
 */
export function archivedGenesisBytes(spec: ChainSpec, genesis: SignedBlock): Uint8Array {
  const size = segmentGeometry(spec.archiving).segmentSize;
  const encoded = encodeSignedBlock(genesis);
  const out = new Uint8Array(Math.max(size, encoded.length));
  out.set(encoded, 0);
  if (size > encoded.length) {
    const tail = chacha8(genesis.header.stateRoot, new Uint8Array(12), new Uint8Array(size - encoded.length));
    out.set(tail, encoded.length);
  }
  return out;
}

/**
 * Genesis segments already computed in this process, by genesis hash (several nodes of one dev
 * network, or tests, open the same genesis; archiving it is the slowest part of opening).
 */
const GENESIS_SEGMENTS = new Map<
  string,
  { segments: { header: SegmentHeader; pieces: Uint8Array }[]; state: ArchiverState }
>();

/**
 * Where the time of the last fully checked import went, in ms (wall clock, `performance.now()`):
 * `stateless` = B.4 steps 1-7 including `potCheckpoints` (the justification's checkpoint
 * verification, or their insertion into the cache when trusted); `stateful` = the parent checks,
 * the PoT walk from the parent and the full solution verification; `execution` = the runtime, the
 * digest and the roots; `storage` = the durable commit of the block; `total` includes all of them.
 */
export interface ImportTimings {
  readonly stateless: number;
  readonly potCheckpoints: number;
  readonly stateful: number;
  readonly execution: number;
  /** Waiting for the block's durable commit (0 without a data directory). */
  readonly storage: number;
  readonly total: number;
}

/** The chain core. Open with {@link Chain.open}. */
export class Chain extends EventEmitter implements ChainApi {
  readonly spec: ChainSpec;
  readonly kzg: Kzg;
  readonly genesisHash: Uint8Array;
  readonly potVerifier: PotVerifier;
  private readonly entries = new Map<string, Entry>();
  /** Best chain: number -> hash hex. */
  private canonical: string[] = [];
  private best!: Entry;
  private readonly segments: SegmentEntry[] = [];
  /** Segments by the block whose archiving completed them (their headers are due at that + 1 + K). */
  private readonly segmentsByBlock = new Map<number, SegmentHeader[]>();
  private archiver!: Archiver;
  private lastArchived = -1;
  private readonly pool = new Map<string, PoolEntry>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly verifyPot: boolean;
  private readonly keepPieces: number | undefined;
  private replaying = false;
  /** The archiving queue: runs behind import; block building/import wait only for what they need. */
  private archiving: Promise<void> = Promise.resolve();
  private archivingError: unknown;
  private potCheckpointsMs = 0;
  private timings: ImportTimings | undefined;

  private constructor(
    spec: ChainSpec,
    kzg: Kzg,
    private readonly committer: KzgSegmentCommitter,
    private readonly store: ChainStore | undefined,
    private readonly dataDir: string | undefined,
    opts: ChainOpenOptions,
  ) {
    super();
    this.spec = spec;
    this.kzg = kzg;
    this.verifyPot = opts.verifyPotCheckpoints ?? true;
    this.keepPieces = opts.keepPiecesOfSegments;
    this.potVerifier = opts.potVerifier ?? new PotVerifier();
    const genesis: SignedBlock = { header: genesisHeader(spec), extrinsics: [], justifications: [] };
    this.genesisHash = headerHash(genesis.header);
    const info: BlockInfo = {
      hash: this.genesisHash,
      number: 0,
      parentHash: genesis.header.parentHash,
      slot: 0n,
      weight: 0n,
      header: genesis.header,
    };
    const state = genesisState(spec);
    const entry: Entry = { info, block: genesis, state, items: undefined };
    this.entries.set(hex(this.genesisHash), entry);
    this.canonical = [hex(this.genesisHash)];
    this.best = entry;
  }

  /**
   * Opens a chain: in memory, or from/into `dataDir` (created when absent). A directory of another
   * spec (or of an earlier version's journal) is `NODE_DATA_DIR_MISMATCH`; a damaged one
   * `NODE_CORRUPT_DATA`; one open in another process `NODE_DATA_DIR_LOCKED`.
   * @example const chain = await Chain.open({ spec: devChainSpec() });
   */
  static async open(opts: ChainOpenOptions): Promise<Chain> {
    const spec = opts.spec;
    const g1Count = kzgPowersFor(spec);
    const kzg = opts.kzg ?? new Kzg(await loadPublicParameters({ g1Count }));
    const committer = kzgSegmentCommitter({ threads: opts.archiverThreads ?? 0, parameters: { g1Count } });
    let store: ChainStore | undefined;
    const genesisHash = headerHash(genesisHeader(spec));
    if (opts.dataDir !== undefined) {
      mkdirSync(opts.dataDir, { recursive: true });
      lockDataDir(opts.dataDir);
      try {
        if (existsSync(join(opts.dataDir, OLD_JOURNAL_FILE)))
          throw new NodeError({
            code: 'NODE_DATA_DIR_MISMATCH',
            path: opts.dataDir,
            expected: `an LMDB chain store (${STORE_FILE})`,
            found: `the chain journal of an earlier version (${OLD_JOURNAL_FILE}); start on a new data directory`,
          });
        store = await ChainStore.open(join(opts.dataDir, STORE_FILE));
        const found = store.genesisHash();
        if (found === undefined) await store.initialize(genesisHash);
        else if (!eq(found, genesisHash))
          throw new NodeError({
            code: 'NODE_DATA_DIR_MISMATCH',
            path: opts.dataDir,
            expected: hex(genesisHash),
            found: hex(found),
          });
      } catch (e) {
        await store?.close();
        await committer.close();
        unlockDataDir(opts.dataDir);
        throw e;
      }
    }
    const chain = new Chain(spec, kzg, committer, store, opts.dataDir, opts);
    try {
      await chain.restore();
    } catch (e) {
      await chain.close();
      throw e;
    }
    return chain;
  }

  // ---- restore ----

  /**
   * Loads a stored chain: segment headers, then every stored block replayed in import order (they
   * were fully verified when first imported; the replay re-executes them for their state and checks
   * the state roots), then the archiver's resume point.
   */
  private async restore(): Promise<void> {
    const store = this.store;
    if (store === undefined) {
      await this.restoreArchiver();
      return;
    }
    const headers = store.segmentHeaders();
    for (const [i, bytes] of headers.entries()) {
      let header: SegmentHeader;
      try {
        header = decodeSegmentHeader(bytes);
      } catch (e) {
        throw this.corrupt(`segment ${i}: ${(e as Error).message}`);
      }
      if (header.segmentIndex !== BigInt(i))
        throw this.corrupt(`segment ${i} stored as ${header.segmentIndex}`);
      this.addSegment(header, undefined);
    }
    this.replaying = true;
    try {
      for (const hash of store.blockHashesInOrder()) {
        const bytes = store.blockBytes(hash);
        if (bytes === undefined) throw this.corrupt(`block ${hex(hash)} listed but not stored`);
        const result = await this.doImport(bytes, 'file');
        if (result.status !== 'imported' || !eq(result.hash, hash))
          throw this.corrupt(
            `stored block ${hex(hash)} does not replay: ${
              result.status === 'rejected'
                ? `${result.rejection.code} ${result.rejection.detail}`
                : result.status
            }`,
          );
      }
    } finally {
      this.replaying = false;
    }
    // The best-chain index is derived data: the replay decides; a stale index is rewritten.
    const stale =
      store.canonicalLength() !== this.canonical.length ||
      this.canonical.some((h, n) => {
        const stored = store.canonicalHash(n);
        return stored === undefined || hex(stored) !== h;
      });
    if (stale)
      await store.rewriteCanonical({
        from: 0,
        hashes: this.canonical.map((h) => Buffer.from(h, 'hex')),
        oldBest: Math.max(store.canonicalLength() - 1, this.canonical.length - 1),
      });
    await this.restoreArchiver();
  }

  private corrupt(reason: string): NodeError {
    return new NodeError({
      code: 'NODE_CORRUPT_DATA',
      path: this.store?.path ?? ':memory:',
      offset: 0,
      reason,
    });
  }

  /** The archiver continues after the last stored segment (re-adding the blocks after it). */
  private async restoreArchiver(): Promise<void> {
    const last = this.segments[this.segments.length - 1];
    const opts = { params: this.spec.archiving, committer: this.committer };
    if (last === undefined) {
      this.archiver = new Archiver(opts);
      this.lastArchived = -1;
    } else {
      const n = last.header.lastArchivedBlock.number;
      const endBlock =
        n === 0 ? archivedGenesisBytes(this.spec, this.entryAt(0)!.block) : this.archivedBytes(n);
      const state: ArchiverState = restartArchiverState(last.header, endBlock);
      this.archiver = new Archiver(opts, state);
      this.lastArchived = n;
    }
    // Blocks confirmed but not yet archived (none were lost: the archiver is deterministic).
    await this.archiveConfirmed(true);
  }

  private archivedBytes(n: number): Uint8Array {
    const e = this.entryAt(n);
    if (e === undefined) throw this.corrupt(`block ${n} missing`);
    return encodeArchivedBlock(e.block);
  }

  // ---- queries ----

  head(): BlockInfo {
    return this.best.info;
  }

  private entryAt(n: number): Entry | undefined {
    const h = this.canonical[n];
    return h === undefined ? undefined : this.entries.get(h);
  }

  private entry(id: BlockId | undefined): Entry | undefined {
    if (id === undefined) return this.best;
    if (typeof id === 'number') return Number.isInteger(id) && id >= 0 ? this.entryAt(id) : undefined;
    return this.entries.get(hex(id));
  }

  private must(id: BlockId | undefined): Entry {
    const e = this.entry(id);
    if (e === undefined)
      throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what: 'block id', reason: 'unknown block' });
    return e;
  }

  getBlockInfo(id: BlockId): BlockInfo | undefined {
    return this.entry(id)?.info;
  }

  getHeader(id: BlockId): Header | undefined {
    return this.entry(id)?.info.header;
  }

  async getBlock(id: BlockId): Promise<SignedBlock | undefined> {
    return this.entry(id)?.block;
  }

  async getBlockBytes(id: BlockId): Promise<Uint8Array | undefined> {
    const e = this.entry(id);
    if (e === undefined) return undefined;
    // As received (the stored bytes), or encoded (genesis, a chain in memory).
    return this.store?.blockBytes(e.info.hash) ?? encodeSignedBlock(e.block);
  }

  account(accountId: Uint8Array, at?: BlockId): AccountInfo {
    return this.must(at).state.accounts.get(accountKey(accountId)) ?? EMPTY_ACCOUNT;
  }

  nextNonce(accountId: Uint8Array): number {
    const key = accountKey(accountId);
    let nonce = this.best.state.accounts.get(key)?.nonce ?? 0;
    const mine = new Set<number>();
    for (const p of this.pool.values()) if (p.signer === key) mine.add(p.nonce);
    while (mine.has(nonce)) nonce++;
    return nonce;
  }

  solutionRanges(at?: BlockId): SolutionRanges {
    return this.must(at).state.solutionRanges;
  }

  potParameters(at?: BlockId): PotParameters {
    const s = this.must(at).state;
    return { slotIterations: s.potSlotIterations, nextChange: nextPotParametersChange(s) };
  }

  historySize(at?: BlockId): bigint {
    const n = BigInt(this.must(at).state.segmentCommitments.size);
    return n > 0n ? n : 1n;
  }

  segmentCommitment(segmentIndex: bigint, at?: BlockId): Uint8Array | undefined {
    return this.must(at).state.segmentCommitments.get(segmentIndex);
  }

  totalIssuance(at?: BlockId): bigint {
    return this.must(at).state.totalIssuance;
  }

  stateRoot(at?: BlockId): Uint8Array {
    return this.must(at).info.header.stateRoot;
  }

  runtimeVersion(): RuntimeVersion {
    return {
      specName: 'subspace',
      implName: 'subspace',
      specVersion: this.spec.specVersion,
      transactionVersion: this.spec.transactionVersion,
    };
  }

  /** The runtime state after a block (read-only; for tools and tests). */
  runtimeState(at?: BlockId): RuntimeState {
    return this.must(at).state;
  }

  getSegmentHeader(segmentIndex: bigint): SegmentHeader | undefined {
    return segmentIndex >= 0n && segmentIndex < BigInt(this.segments.length)
      ? this.segments[Number(segmentIndex)]!.header
      : undefined;
  }

  lastSegmentIndex(): bigint {
    return BigInt(this.segments.length - 1);
  }

  async getPiece(pieceIndex: bigint): Promise<Uint8Array | undefined> {
    const g = segmentGeometry(this.spec.archiving);
    const seg = this.segments[Number(pieceIndex / BigInt(g.numPieces))];
    if (pieceIndex < 0n || seg === undefined) return undefined;
    const i = Number(pieceIndex % BigInt(g.numPieces));
    if (seg.pieces !== undefined) return seg.pieces.slice(i * g.pieceSize, (i + 1) * g.pieceSize);
    return this.store?.getPiece(pieceIndex);
  }

  // ---- authoring ----

  /** The PoT input of the slot after a block (genesis: slot 1 from the genesis seed). */
  private slotInputAfter(e: Entry): PotSlotInput {
    if (e.info.number === 0)
      return genesisSlotInput(this.genesisHash, this.spec.potExternalEntropy, this.spec.potSlotIterations);
    const params = this.potParameters(e.info.hash);
    return nextSlotInput(e.info.slot, params.slotIterations, e.state.proofOfTime, params.nextChange);
  }

  /**
   * The PoT output of `slot` on the PoT chain following block `parentHash`, from verified
   * checkpoints only (the verifier's cache); `undefined` when unknown.
   */
  private potOutputAt(parentHash: Uint8Array, slot: bigint): Uint8Array | undefined {
    const parent = this.entries.get(hex(parentHash));
    if (parent === undefined || slot <= parent.info.slot || slot - parent.info.slot > 1024n) return undefined;
    const change = this.potParameters(parent.info.hash).nextChange;
    let input = this.slotInputAfter(parent);
    for (;;) {
      const cps = this.potVerifier.getCheckpoints(input.seed, input.slotIterations);
      if (cps === undefined) return undefined;
      const out = cps.subarray(POT_CHECKPOINTS_SIZE - 16);
      if (input.slot === slot) return out;
      input = nextSlotInput(input.slot, input.slotIterations, out, change);
    }
  }

  /** What vote checks need from the chain (B.7). */
  private voteEnv(): VoteCheckEnv {
    const g = segmentGeometry(this.spec.archiving);
    return {
      trusted: this.replaying,
      maxPiecesInSector: this.spec.maxPiecesInSector,
      segmentIndexOf: (solution) =>
        solutionPieceIndex(solution, this.spec.maxPiecesInSector) / BigInt(g.numPieces),
      verifySolution: (solution, params) => verifySolution(solution, params, this.verifyOptions()),
      potOutputAt: (parentHash, slot) => this.potOutputAt(parentHash, slot),
    };
  }

  /**
   * Before executing a block: verifies (and caches) the proofs of time the block's votes refer to,
   * up to their future slot, so that the synchronous vote checks find them. Votes for slots after
   * the block's own are left alone (they are refused anyway).
   */
  private async prepareVotePot(
    extrinsics: readonly Uint8Array[],
    blockNumber: number,
    blockSlot: bigint,
  ): Promise<void> {
    if (this.replaying) return;
    for (const bytes of extrinsics) {
      let sv: SignedVote;
      try {
        const x = decodeExtrinsic(bytes);
        if (x.type !== 'Bare' || x.call.type !== 'Subspace.vote') continue;
        sv = decodeSignedVote(x.call.signedVote);
      } catch {
        continue;
      }
      const parent = this.entries.get(hex(sv.vote.parentHash));
      // Only votes that can pass the height checks (parent = block - 1 or - 2): no proving from far back.
      if (parent === undefined || parent.info.number + 2 < blockNumber) continue;
      if (sv.vote.slot > blockSlot || sv.vote.slot <= parent.info.slot) continue;
      try {
        await this.potVerifier.isOutputValid(
          this.slotInputAfter(parent),
          Number(sv.vote.slot + BLOCK_AUTHORING_DELAY - parent.info.slot),
          sv.vote.futureProofOfTime,
          this.potParameters(parent.info.hash).nextChange,
        );
      } catch {
        // Left to the check.
      }
    }
  }

  /** Where the time of the last imported block went (not counting waits for the archiver). */
  lastImportTimings(): ImportTimings | undefined {
    return this.timings;
  }

  authoringContext(parentHash?: Uint8Array): AuthoringContext {
    const p = this.must(parentHash);
    const sr = p.state.solutionRanges;
    const params = this.potParameters(p.info.hash);
    return {
      parentHash: p.info.hash,
      parentNumber: p.info.number,
      parentSlot: p.info.slot,
      solutionRange: sr.next ?? sr.current,
      votingSolutionRange: sr.votingNext ?? sr.votingCurrent,
      historySize: this.historySize(p.info.hash),
      rootPlotPublicKey: p.state.rootPlotPublicKey,
      nextSlotInput: this.slotInputAfter(p),
      potParametersChange: params.nextChange,
      firstJustificationSlot: p.info.number === 0 ? 1n : p.info.slot + BLOCK_AUTHORING_DELAY + 1n,
    };
  }

  /** Segment headers due in the child of block `parentNumber` (B.10). */
  private dueSegmentHeaders(parentNumber: number): SegmentHeader[] {
    const number = parentNumber + 1;
    if (number === 1) return this.segmentsByBlock.get(0) ?? [];
    const source = number - 1 - this.spec.confirmationDepthK;
    return source >= 1 ? (this.segmentsByBlock.get(source) ?? []) : [];
  }

  async buildBlock(params: BuildBlockParams): Promise<UnsealedBlock> {
    return this.serial(async () => {
      const parent = this.entries.get(hex(params.parentHash));
      if (parent === undefined) throw new NodeError({ code: 'NODE_BUILD_FAILED', reason: 'unknown parent' });
      if (params.slot <= parent.info.slot)
        throw new NodeError({
          code: 'NODE_BUILD_FAILED',
          reason: `slot ${params.slot} is not after the parent's ${parent.info.slot}`,
        });
      const pre: PreDigest = {
        slot: params.slot,
        solution: params.solution,
        potInfo: { proofOfTime: params.proofOfTime, futureProofOfTime: params.futureProofOfTime },
      };
      const now = params.timestamp ?? BigInt(Date.now());
      const timestamp = now > parent.state.timestamp ? now : parent.state.timestamp;
      await this.archivedUpTo(parent.info.number - this.spec.confirmationDepthK);
      const due = this.dueSegmentHeaders(parent.info.number);
      const inherents = [
        encodeExtrinsic({ type: 'Bare', version: 5, call: { type: 'Timestamp.set', now: timestamp } }),
      ];
      if (due.length > 0)
        inherents.push(
          encodeExtrinsic({
            type: 'Bare',
            version: 5,
            call: { type: 'Subspace.store_segment_headers', segmentHeaders: due },
          }),
        );
      const txs = params.extrinsics ?? this.poolOrdered();
      const budget = Math.floor((MAX_BLOCK_LENGTH_BYTES * 75) / 100);
      const chosen: Uint8Array[] = [];
      let used = 0;
      for (const x of txs) {
        if (used + x.length > budget) break;
        chosen.push(x);
        used += x.length;
      }
      await this.prepareVotePot(chosen, parent.info.number + 1, params.slot);
      const out = executeBlock(
        {
          parent: parent.state,
          parentHash: parent.info.hash,
          preDigest: pre,
          extrinsics: [...inherents, ...chosen],
          mode: 'build',
          expectedSegmentHeaders: due,
          votes: this.voteEnv(),
        },
        { spec: this.spec, genesisHash: this.genesisHash },
      );
      for (const d of out.dropped) {
        if (d.code === 'STALE' && d.detail.includes('future')) continue;
        const bytes = [...inherents, ...chosen][d.index];
        if (bytes !== undefined) this.pool.delete(hex(extrinsicHash(bytes)));
      }
      const header: Header = {
        parentHash: parent.info.hash,
        number: parent.info.number + 1,
        stateRoot: out.stateRoot,
        extrinsicsRoot: out.extrinsicsRoot,
        digest: [preDigestItem(pre), ...out.logs.map(consensusLogItem)],
      };
      const justifications = [
        subspaceJustification({ seed: params.checkpointsSeed, checkpoints: params.checkpoints }),
      ];
      return { header, extrinsics: out.extrinsics, justifications, preHash: headerPreHash(header) };
    });
  }

  // ---- transactions ----

  private poolOrdered(): Uint8Array[] {
    return [...this.pool.values()]
      .sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : a.nonce - b.nonce))
      .map((p) => p.bytes);
  }

  pendingExtrinsics(): readonly Uint8Array[] {
    return this.poolOrdered();
  }

  submitExtrinsic(extrinsic: Uint8Array): SubmitResult {
    if (!(extrinsic instanceof Uint8Array) || extrinsic.length > MAX_BLOCK_LENGTH_BYTES)
      return { status: 'invalid', code: 'EXHAUSTS_RESOURCES', detail: 'not bytes, or larger than a block' };
    const hash = extrinsicHash(extrinsic);
    if (this.pool.has(hex(hash)))
      return { status: 'invalid', code: 'ALREADY_IN_POOL', detail: 'already pooled' };
    if (this.pool.size >= MAX_POOL_SIZE)
      return { status: 'invalid', code: 'EXHAUSTS_RESOURCES', detail: 'pool full' };
    let x: ReturnType<typeof decodeExtrinsic>;
    try {
      x = decodeExtrinsic(extrinsic);
    } catch (e) {
      return { status: 'invalid', code: 'MALFORMED', detail: (e as Error).message };
    }
    const s = cloneState(this.best.state);
    s.number = this.best.info.number + 1;
    s.blockHashes.set(this.best.info.number, this.best.info.hash);
    if (x.type === 'Bare' && x.call.type === 'Subspace.vote')
      return this.submitVote(extrinsic, hash, x.call.signedVote, s);
    if (x.type !== 'Signed')
      return { status: 'invalid', code: 'CALL', detail: `${x.type} extrinsics are not accepted by the pool` };
    let status: 'ready' | 'future';
    try {
      status = validateTransaction(s, x, { spec: this.spec, genesisHash: this.genesisHash }, true);
    } catch (e) {
      if (e instanceof InvalidExtrinsic) return { status: 'invalid', code: e.code, detail: e.detail };
      throw e;
    }
    const signer = accountKey(x.signer);
    for (const p of this.pool.values())
      if (p.signer === signer && p.nonce === x.nonce)
        return { status: 'invalid', code: 'ALREADY_IN_POOL', detail: `nonce ${x.nonce} already pooled` };
    if (status === 'future' && x.nonce < this.nextNonce(x.signer)) status = 'ready';
    this.pool.set(hex(hash), { bytes: extrinsic, hash, signer, nonce: x.nonce });
    this.emit('transactionAdded', hash);
    return { status, hash };
  }

  /** A `Subspace.vote` into the pool: the checks of B.7 without the pre-dispatch ones (quick PoT check). */
  private submitVote(
    extrinsic: Uint8Array,
    hash: Uint8Array,
    signedVote: Uint8Array,
    s: ReturnType<typeof cloneState>,
  ): SubmitResult {
    let sv: SignedVote;
    try {
      sv = decodeSignedVote(signedVote);
    } catch (e) {
      return { status: 'invalid', code: 'MALFORMED', detail: (e as Error).message };
    }
    const r = checkVote(sv, s, false, this.voteEnv());
    if (!r.ok)
      return { status: 'invalid', code: VOTE_REJECTION_VALIDITY[r.code], detail: `${r.code}: ${r.detail}` };
    if (r.equivocated)
      return {
        status: 'invalid',
        code: 'BAD_SIGNER',
        detail: 'EQUIVOCATED: the farmer used this solution already',
      };
    for (const p of this.pool.values())
      if (p.voteHeight !== undefined && eq(p.bytes.subarray(p.bytes.length - 64), sv.signature))
        return { status: 'invalid', code: 'ALREADY_IN_POOL', detail: 'this vote is already pooled' };
    this.pool.set(hex(hash), { bytes: extrinsic, hash, signer: '', nonce: 0, voteHeight: sv.vote.height });
    this.emit('transactionAdded', hash);
    return { status: 'ready', hash };
  }

  private repool(reorg: ReorgEvent): void {
    for (const r of reorg.retracted)
      for (const x of this.entries.get(hex(r.hash))?.block.extrinsics ?? []) {
        try {
          if (decodeExtrinsic(x).type === 'Signed') this.submitExtrinsic(x);
        } catch {
          // Not decodable: was never a transaction.
        }
      }
  }

  private prunePool(): void {
    if (this.pool.size === 0) return;
    for (const x of this.best.block.extrinsics) this.pool.delete(hex(extrinsicHash(x)));
    for (const [k, p] of this.pool) {
      if (p.voteHeight !== undefined) {
        if (p.voteHeight < this.best.info.number) this.pool.delete(k);
        continue;
      }
      const nonce = this.best.state.accounts.get(p.signer)?.nonce ?? 0;
      if (p.nonce < nonce) this.pool.delete(k);
    }
  }

  // ---- import ----

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new NodeError({ code: 'NODE_CLOSED' }));
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  importBlock(block: SignedBlock | Uint8Array, origin: BlockOrigin = 'network'): Promise<ImportResult> {
    return this.serial(() => this.doImport(block, origin));
  }

  /** Stateless checks (B.4 steps 1-7). Returns the digest items and the block hash. */
  private async statelessChecks(block: SignedBlock, origin: BlockOrigin): Promise<SubspaceDigestItems> {
    const { header } = block;
    // 1
    if (origin === 'network' && header.number + this.spec.confirmationDepthK < this.best.info.number)
      reject({
        code: 'BELOW_ARCHIVING_POINT',
        detail: `block ${header.number} is more than K below the best ${this.best.info.number}`,
      });
    if (header.number === 0)
      reject({ code: 'MALFORMED', detail: 'a block numbered 0 that is not our genesis' });
    // 2
    let items: SubspaceDigestItems;
    try {
      items = extractSubspaceDigestItems(header.digest);
    } catch (e) {
      if (e instanceof NodeError && e.type.code === 'NODE_BAD_SEAL')
        return reject({ code: 'BAD_SEAL', detail: e.message });
      return reject({ code: 'BAD_DIGEST', detail: (e as Error).message });
    }
    // 4
    let unsealed: ReturnType<typeof unsealHeader>;
    try {
      unsealed = unsealHeader(header);
    } catch (e) {
      if (e instanceof NodeError && e.type.code === 'NODE_UNSEALED')
        return reject({ code: 'UNSEALED', detail: 'no seal' });
      return reject({ code: 'BAD_SEAL', detail: (e as Error).message });
    }
    const pre = items.preDigest;
    // 5
    const sub = block.justifications.find((j) => hex(j.engine) === SUBSPACE_ENGINE_ID_HEX);
    if (sub === undefined) return reject({ code: 'MISSING_JUSTIFICATION', detail: 'no SUB_ justification' });
    let just: ReturnType<typeof decodeSubspaceJustification>;
    try {
      just = decodeSubspaceJustification(sub.data);
    } catch (e) {
      return reject({ code: 'INVALID_JUSTIFICATION', detail: (e as Error).message });
    }
    const count = just.checkpoints.length;
    if (count === 0) return reject({ code: 'INVALID_JUSTIFICATION', detail: 'no checkpoints' });
    const lastOut = just.checkpoints[count - 1]!.subarray(POT_CHECKPOINTS_SIZE - 16);
    if (!eq(lastOut, pre.potInfo.futureProofOfTime))
      return reject({
        code: 'INVALID_FUTURE_PROOF_OF_TIME',
        detail: 'last checkpoint output differs from future_proof_of_time',
      });
    const futureSlot = pre.slot + BLOCK_AUTHORING_DELAY;
    if (BigInt(count - 1) >= futureSlot)
      return reject({ code: 'INVALID_JUSTIFICATION', detail: 'more checkpoints than slots' });
    const firstSlot = futureSlot - BigInt(count - 1);
    const change = items.potParametersChange;
    if (!this.replaying) {
      const potStart = performance.now();
      let input = {
        slot: firstSlot,
        slotIterations:
          change !== undefined && change.slot <= firstSlot ? change.slotIterations : items.potSlotIterations,
        seed: just.seed,
      };
      for (let i = 0; i < count; i++) {
        const cps = just.checkpoints[i]!;
        let ok: boolean;
        try {
          if (this.verifyPot)
            ok = await this.potVerifier.verifyCheckpoints(input.seed, input.slotIterations, cps);
          else {
            this.potVerifier.injectVerifiedCheckpoints(input.seed, input.slotIterations, cps);
            ok = true;
          }
        } catch (e) {
          ok = false;
          void e;
        }
        if (!ok)
          return reject({
            code: 'INVALID_POT_CHECKPOINTS',
            detail: `checkpoints of slot ${input.slot} do not verify`,
          });
        if (i + 1 < count)
          input = nextSlotInput(
            input.slot,
            input.slotIterations,
            cps.subarray(POT_CHECKPOINTS_SIZE - 16),
            change,
          );
      }
      this.potCheckpointsMs = performance.now() - potStart;
      // 6
      const preHash = headerPreHash(unsealed.header);
      let sigOk = false;
      try {
        sigOk = sr25519Verify(unsealed.signature, preHash, pre.solution.publicKey, {
          context: REWARD_SIGNING_CONTEXT,
        });
      } catch {
        sigOk = false;
      }
      if (!sigOk) return reject({ code: 'BAD_SIGNATURE', detail: 'seal signature does not verify' });
      // 7
      this.checkSolution(pre, items.solutionRange, undefined);
    }
    return items;
  }

  private verifyOptions() {
    return this.spec.shimProofOfSpace
      ? { kzg: this.kzg, isProofValid: isShimProofValid, numChunks: this.spec.archiving.numChunks }
      : { kzg: this.kzg, numChunks: this.spec.archiving.numChunks };
  }

  private checkSolution(pre: PreDigest, solutionRange: bigint, parent: Entry | undefined): void {
    let pieceCheck: Parameters<typeof verifySolution>[1]['pieceCheck'];
    if (parent !== undefined) {
      const g = segmentGeometry(this.spec.archiving);
      let segmentIndex: bigint;
      try {
        segmentIndex = solutionPieceIndex(pre.solution, this.spec.maxPiecesInSector) / BigInt(g.numPieces);
      } catch (e) {
        throw new Reject({
          code: 'INVALID_SOLUTION',
          detail: (e as Error).message,
          cause: (e as PlotterError).code ?? 'UNKNOWN',
        });
      }
      const seg = this.getSegmentHeader(segmentIndex);
      if (seg === undefined)
        throw new Reject({
          code: 'UNKNOWN_SEGMENT_COMMITMENT',
          detail: `segment ${segmentIndex} of the solution's piece is not known`,
          segmentIndex,
        });
      const expiry = this.getSegmentHeader(sectorExpirationCheckSegmentIndex(pre.solution.historySize));
      pieceCheck = {
        maxPiecesInSector: this.spec.maxPiecesInSector,
        segmentCommitment: seg.segmentCommitment,
        currentHistorySize: this.historySize(parent.info.hash),
        ...(expiry === undefined ? {} : { sectorExpirationCheckSegmentCommitment: expiry.segmentCommitment }),
      };
    }
    try {
      verifySolution(
        pre.solution,
        {
          slot: pre.slot,
          potOutput: pre.potInfo.proofOfTime,
          solutionRange,
          ...(pieceCheck === undefined ? {} : { pieceCheck }),
        },
        this.verifyOptions(),
      );
    } catch (e) {
      const cause = e instanceof PlotterError ? e.code : 'UNKNOWN';
      throw new Reject({ code: 'INVALID_SOLUTION', detail: (e as Error).message, cause });
    }
  }

  private async doImport(input: SignedBlock | Uint8Array, origin: BlockOrigin): Promise<ImportResult> {
    let block: SignedBlock;
    let bytes: Uint8Array;
    try {
      if (input instanceof Uint8Array) {
        if (input.length > MAX_SIGNED_BLOCK_SIZE)
          return {
            status: 'rejected',
            hash: undefined,
            rejection: { code: 'TOO_LARGE', detail: 'block too large', size: input.length },
          };
        bytes = input;
        block = decodeSignedBlock(input);
      } else {
        block = input;
        bytes = encodeSignedBlock(input);
      }
    } catch (e) {
      return {
        status: 'rejected',
        hash: undefined,
        rejection: { code: 'MALFORMED', detail: (e as Error).message },
      };
    }
    let hash: Uint8Array;
    try {
      hash = headerHash(block.header);
    } catch (e) {
      return {
        status: 'rejected',
        hash: undefined,
        rejection: { code: 'MALFORMED', detail: (e as Error).message },
      };
    }
    if (bytes.length > MAX_SIGNED_BLOCK_SIZE)
      return {
        status: 'rejected',
        hash,
        rejection: { code: 'TOO_LARGE', detail: 'block too large', size: bytes.length },
      };
    const known = this.entries.get(hex(hash));
    if (known !== undefined) return { status: 'known', hash, number: known.info.number };
    let bodyLength = 0;
    for (const x of block.extrinsics) bodyLength += x.length;
    if (bodyLength > MAX_BLOCK_LENGTH_BYTES)
      return {
        status: 'rejected',
        hash,
        rejection: { code: 'TOO_LARGE', detail: 'extrinsics exceed the block length', size: bodyLength },
      };
    try {
      return await this.importChecked(block, bytes, hash, origin);
    } catch (e) {
      if (e instanceof Reject) return { status: 'rejected', hash, rejection: e.rejection };
      throw e;
    }
  }

  private async importChecked(
    block: SignedBlock,
    bytes: Uint8Array,
    hash: Uint8Array,
    origin: BlockOrigin,
  ): Promise<ImportResult> {
    const t0 = performance.now();
    this.potCheckpointsMs = 0;
    const items = await this.statelessChecks(block, origin);
    const t1 = performance.now();
    const { header } = block;
    const pre = items.preDigest;
    // Stateful (block_import.rs order)
    const parent = this.entries.get(hex(header.parentHash));
    if (parent === undefined) return reject({ code: 'UNKNOWN_PARENT', detail: 'parent block unknown' });
    if (header.number !== parent.info.number + 1)
      return reject({
        code: 'MALFORMED',
        detail: `number ${header.number} after parent ${parent.info.number}`,
      });
    const root = parent.state.rootPlotPublicKey;
    if (root !== undefined && !parent.state.allowAuthoringByAnyone && !eq(root, pre.solution.publicKey))
      return reject({ code: 'NOT_ROOT_FARMER', detail: 'only the root farmer may author' });
    if (pre.slot <= parent.info.slot)
      return reject({
        code: 'SLOT_NOT_INCREASING',
        detail: `slot ${pre.slot} is not after the parent's ${parent.info.slot}`,
      });
    const psr = parent.state.solutionRanges;
    if (items.solutionRange !== (psr.next ?? psr.current))
      return reject({
        code: 'WRONG_SOLUTION_RANGE',
        detail: `solution range ${items.solutionRange}, expected ${psr.next ?? psr.current}`,
      });
    if (items.potSlotIterations !== parent.state.potSlotIterations)
      return reject({
        code: 'WRONG_POT_SLOT_ITERATIONS',
        detail: `PotSlotIterations ${items.potSlotIterations}, expected ${parent.state.potSlotIterations}`,
      });
    const just = decodeSubspaceJustification(
      block.justifications.find((j) => hex(j.engine) === SUBSPACE_ENGINE_ID_HEX)!.data,
    );
    const parentParams = this.potParameters(parent.info.hash);
    if (!this.replaying) {
      const start = this.slotInputAfter(parent);
      let valid = false;
      try {
        valid = await this.potVerifier.isOutputValid(
          start,
          Number(pre.slot - parent.info.slot),
          pre.potInfo.proofOfTime,
          parentParams.nextChange,
        );
      } catch {
        valid = false;
      }
      if (!valid)
        return reject({
          code: 'INVALID_PROOF_OF_TIME',
          detail: `proof of time of slot ${pre.slot} does not follow the parent`,
        });
    }
    // Justification seed and count
    const futureSlot = pre.slot + BLOCK_AUTHORING_DELAY;
    let seed: Uint8Array;
    let count: bigint;
    if (parent.info.number === 0) {
      seed = this.slotInputAfter(parent).seed;
      count = futureSlot;
    } else {
      const parentPre = parent.items!.preDigest;
      seed = nextSlotInput(
        parent.info.slot + BLOCK_AUTHORING_DELAY,
        items.potSlotIterations,
        parentPre.potInfo.futureProofOfTime,
        items.potParametersChange,
      ).seed;
      count = futureSlot - (parent.info.slot + BLOCK_AUTHORING_DELAY);
    }
    if (!eq(seed, just.seed) || BigInt(just.checkpoints.length) !== count)
      return reject({
        code: 'INVALID_JUSTIFICATION',
        detail: `justification must start from the parent's future slot with ${count} checkpoint sets`,
      });
    if (!this.replaying) this.checkSolution(pre, items.solutionRange, parent);
    // Execute
    const t2 = performance.now();
    if (!this.replaying) await this.archivedUpTo(parent.info.number - this.spec.confirmationDepthK);
    const t3 = performance.now();
    const due = this.dueSegmentHeaders(parent.info.number);
    let out: ReturnType<typeof executeBlock>;
    await this.prepareVotePot(block.extrinsics, header.number, pre.slot);
    if (!this.replaying) await prepareBundlePot(this, block.extrinsics, header.parentHash);
    try {
      out = executeBlock(
        {
          parent: parent.state,
          parentHash: parent.info.hash,
          preDigest: pre,
          extrinsics: block.extrinsics,
          mode: 'import',
          expectedSegmentHeaders: due,
          votes: this.voteEnv(),
        },
        { spec: this.spec, genesisHash: this.genesisHash },
      );
    } catch (e) {
      if (e instanceof BlockExecutionError)
        return reject(
          e.kind === 'BAD_INHERENTS'
            ? { code: 'BAD_INHERENTS', detail: e.detail }
            : { code: 'INVALID_EXTRINSIC', detail: e.detail, index: e.index },
        );
      throw e;
    }
    for (const [index, commitment] of items.segmentCommitments) {
      const local = this.getSegmentHeader(index);
      if (local === undefined)
        return reject({
          code: 'UNKNOWN_SEGMENT_COMMITMENT',
          detail: `segment ${index} is not archived locally`,
          segmentIndex: index,
        });
      if (!eq(local.segmentCommitment, commitment))
        return reject({
          code: 'INVALID_SEGMENT_COMMITMENT',
          detail: `segment ${index} commitment differs from the local one`,
          segmentIndex: index,
        });
    }
    const expected = [preDigestItem(pre), ...out.logs.map(consensusLogItem)];
    const got = header.digest.slice(0, -1);
    if (
      expected.length !== got.length ||
      expected.some((it, i) => !eq(encodeDigestItem(it), encodeDigestItem(got[i]!)))
    )
      return reject({ code: 'DIGEST_MISMATCH', detail: 'the digest differs from the runtime logs' });
    if (!eq(out.extrinsicsRoot, header.extrinsicsRoot))
      return reject({ code: 'EXTRINSICS_ROOT_MISMATCH', detail: 'extrinsics root differs' });
    if (!eq(out.stateRoot, header.stateRoot))
      return reject({ code: 'STATE_ROOT_MISMATCH', detail: 'state root differs' });
    const t4 = performance.now();
    // Import
    const weight = parent.info.weight + (U64_MAX - items.solutionRange);
    const info: BlockInfo = {
      hash,
      number: header.number,
      parentHash: header.parentHash,
      slot: pre.slot,
      weight,
      header,
    };
    const isBest = weight > this.best.info.weight;
    // Durable before it is reported (or used): the block and the best-chain index in one commit.
    const t5 = performance.now();
    if (this.store !== undefined && origin !== 'file')
      await this.store.putBlock(hash, bytes, isBest ? this.canonicalUpdate(info) : undefined);
    const storageMs = performance.now() - t5;
    const entry: Entry = { info, block, state: out.state, items };
    this.entries.set(hex(hash), entry);
    let reorg: ReorgEvent | undefined;
    if (isBest) reorg = this.setBest(entry);
    if (!this.replaying) {
      this.emit('blockImported', info, isBest);
      if (isBest) {
        if (reorg !== undefined) this.emit('reorg', reorg);
        this.emit('newHead', info);
      }
    }
    if (!this.replaying)
      this.timings = {
        stateless: t1 - t0,
        potCheckpoints: this.potCheckpointsMs,
        stateful: t2 - t1,
        execution: t4 - t3,
        storage: storageMs,
        total: performance.now() - t0 - (t3 - t2),
      };
    if (isBest) {
      // Transactions of retracted blocks go back to the pool when still valid on the new best.
      if (reorg !== undefined && !this.replaying) this.repool(reorg);
      this.prunePool();
      if (!this.replaying) this.scheduleArchiving();
    }
    return reorg === undefined
      ? { status: 'imported', hash, number: header.number, isBest }
      : { status: 'imported', hash, number: header.number, isBest, reorg };
  }

  /** The best-chain index change when `info` (not yet in `entries`) becomes the best block. */
  private canonicalUpdate(info: BlockInfo): CanonicalUpdate {
    const hashes: Uint8Array[] = [info.hash];
    let cur = this.entries.get(hex(info.parentHash))!;
    while (this.canonical[cur.info.number] !== hex(cur.info.hash)) {
      hashes.unshift(cur.info.hash);
      cur = this.entries.get(hex(cur.info.parentHash))!;
    }
    return { from: cur.info.number + 1, hashes, oldBest: this.best.info.number };
  }

  private setBest(entry: Entry): ReorgEvent | undefined {
    const old = this.best;
    this.best = entry;
    if (eq(entry.info.parentHash, old.info.hash)) {
      this.canonical[entry.info.number] = hex(entry.info.hash);
      this.canonical.length = entry.info.number + 1;
      return undefined;
    }
    // Walk back to the common ancestor.
    const enacted: BlockInfo[] = [];
    let cur: Entry = entry;
    while (this.canonical[cur.info.number] !== hex(cur.info.hash)) {
      enacted.unshift(cur.info);
      cur = this.entries.get(hex(cur.info.parentHash))!;
    }
    const ancestor = cur.info;
    const retracted: BlockInfo[] = [];
    for (let n = old.info.number; n > ancestor.number; n--)
      retracted.push(this.entries.get(this.canonical[n]!)!.info);
    this.canonical.length = ancestor.number + 1;
    for (const b of enacted) this.canonical[b.number] = hex(b.hash);
    return { oldBest: old.info, newBest: entry.info, ancestor, retracted, enacted };
  }

  // ---- archiving ----

  private addSegment(header: SegmentHeader, pieces: Uint8Array | undefined): void {
    this.segments.push({ header, pieces });
    const n = header.lastArchivedBlock.number;
    const list = this.segmentsByBlock.get(n) ?? [];
    list.push(header);
    this.segmentsByBlock.set(n, list);
    if (this.keepPieces !== undefined && this.segments.length > this.keepPieces) {
      const old = this.segments.length - 1 - this.keepPieces;
      const e = this.segments[old]!;
      if (e.pieces !== undefined) this.segments[old] = { ...e, pieces: undefined };
    }
  }

  private genesisCacheKey(): string {
    return `${hex(this.genesisHash)}:${this.spec.archiving.numChunks}:${this.spec.archiving.numRawRecords}`;
  }

  private scheduleArchiving(): void {
    this.archiving = this.archiving
      .then(() => this.archiveConfirmed(false))
      .catch((e: unknown) => {
        this.archivingError = e;
      });
  }

  /** Waits until block `n` is archived (its segments known), when it is confirmed. */
  private async archivedUpTo(n: number): Promise<void> {
    while (this.lastArchived < n && this.best.info.number - this.spec.confirmationDepthK >= n) {
      const pending = this.archiving;
      await pending;
      if (this.archivingError !== undefined) throw this.archivingError;
      if (pending === this.archiving && this.lastArchived < n) this.scheduleArchiving();
    }
  }

  /** Resolves when the archiver has caught up with the best chain's confirmed blocks. */
  async archivingIdle(): Promise<void> {
    await this.archiving;
    if (this.archivingError !== undefined) throw this.archivingError;
  }

  /** Archives every best-chain block that is K deep and not archived yet (genesis at once). */
  private async archiveConfirmed(restoring: boolean): Promise<void> {
    const target = this.best.info.number - this.spec.confirmationDepthK;
    const upTo = Math.max(target, 0);
    while (this.lastArchived < upTo) {
      const n = this.lastArchived + 1;
      const e = this.entryAt(n)!;
      let segments: readonly { header: SegmentHeader; pieces: Uint8Array }[];
      let archivedObjects: Awaited<ReturnType<Archiver['addBlock']>>['objects'] = [];
      const cached = n === 0 ? GENESIS_SEGMENTS.get(this.genesisCacheKey()) : undefined;
      if (cached !== undefined) {
        segments = cached.segments;
        this.archiver = new Archiver(
          { params: this.spec.archiving, committer: this.committer },
          cached.state,
        );
      } else {
        const bytes = n === 0 ? archivedGenesisBytes(this.spec, e.block) : encodeArchivedBlock(e.block);
        // Object mappings (ai3 §1.2): every remark of the block, located in the archived history.
        const objects = n === 0 ? [] : chainBlockObjects(e.block);
        const r = await this.archiver.addBlock(bytes, objects, { number: n });
        segments = r.segments;
        archivedObjects = r.objects;
        if (n === 0)
          GENESIS_SEGMENTS.set(this.genesisCacheKey(), {
            segments: [...segments],
            state: this.archiver.state,
          });
      }
      for (const s of segments) {
        if (s.header.segmentIndex < BigInt(this.segments.length)) continue; // already stored (restart)
        if (this.store !== undefined) await this.storeSegment(s.header, s.pieces);
        this.addSegment(s.header, this.store === undefined ? s.pieces : undefined);
        this.emit('segmentArchived', { header: s.header, atBlock: n });
      }
      // Only now: block import and building wait on `lastArchived` for the headers they carry, and
      // the objects' pieces can be read.
      this.lastArchived = n;
      if (archivedObjects.length > 0)
        this.emit('objectsArchived', { blockNumber: n, objects: archivedObjects });
      if (!restoring) this.emit('blockArchived', e.info);
    }
  }

  /** Stores a segment durably (pruning the pieces of the segment `keepPiecesOfSegments` back). */
  private async storeSegment(header: SegmentHeader, pieces: Uint8Array): Promise<void> {
    const g = segmentGeometry(this.spec.archiving);
    const perSegment = BigInt(g.numPieces);
    const old = this.keepPieces === undefined ? -1n : header.segmentIndex - BigInt(this.keepPieces);
    await this.store!.putSegment(
      header.segmentIndex,
      encodeSegmentHeader(header),
      pieces,
      g.pieceSize,
      header.segmentIndex * perSegment,
      old >= 0n ? { firstPiece: old * perSegment, count: g.numPieces } : undefined,
    );
  }

  // ---- lifecycle ----

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.archiving;
    await this.committer.close();
    await this.store?.close();
    if (this.dataDir !== undefined) unlockDataDir(this.dataDir);
    this.removeAllListeners();
  }
}

/** Seals an unsealed block with the farmer key (sr25519, context `subspace_reward`). */
export function sealBlock(block: UnsealedBlock, secretKey: Uint8Array, publicKey: Uint8Array): SignedBlock {
  return {
    header: sealHeader(block.header, secretKey, publicKey),
    extrinsics: block.extrinsics,
    justifications: block.justifications,
  };
}

// ---- data directory lock ----

function lockDataDir(dir: string): void {
  const path = join(dir, 'LOCK');
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
    return;
  } catch {
    const pid = Number(readFileSync(path, 'utf8'));
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) throw new NodeError({ code: 'NODE_DATA_DIR_LOCKED', path: dir, pid });
    writeFileSync(path, String(process.pid));
  }
}

function unlockDataDir(dir: string): void {
  rmSync(join(dir, 'LOCK'), { force: true });
}
