/**
 * A node on the network: the chain core plugged into `@autonomys/dsn`. One libp2p host per node
 * carries the storage network (pieces and segment headers served from the chain, validated
 * retrieval, DSN sync of the archived history) and the chain protocols (block announcements, block
 * requests, proof-of-time gossip).
 *
 * Sync: at start (and after a minute without imports) DSN sync fetches the segment headers from
 * peers, downloads the segments the chain has not archived yet and imports their blocks in order
 * (`'sync'`), then block requests fetch the tail that is not archived yet. Announced blocks the
 * chain lacks are requested with their missing ancestors (bounded) and imported as `'network'`.
 */
import { availableParallelism } from 'node:os';
import { segmentGeometry } from '@autonomys/archiver';
import {
  type BlockAnnounce,
  type BlockData,
  ChainNetwork,
  type ComposedPieceGetter,
  createDsnNode,
  createPieceValidator,
  DsnError,
  type DsnNode,
  type DsnNodeOptions,
  DsnSync,
  type DsnSyncResult,
  MemorySegmentHeaderStore,
  type PieceCache,
  type PieceValidator,
  type PlotReader,
} from '@autonomys/dsn';
import type { GossipProof, PotGossipValidator } from '@autonomys/pot';
import { bytesToHex } from '@autonomys/primitives';
import { decodeSignedBlock } from '../chain/block.js';
import { encodeHeader } from '../chain/header.js';
import type {
  BlockInfo,
  BlockOrigin,
  ChainApi,
  ImportRejectionCode,
  ImportResult,
} from '../consensus/api.js';
import { kzgPowersFor } from '../consensus/chain.js';
import { chainBlockProvider, chainPieceCache, chainSegmentHeaderStore } from './handlers.js';
import { networkPieceGetter } from './piece-getter.js';

type PeerId = ReturnType<DsnNode['connectedPeers']>[number];

/** Options of {@link NodeNetwork.start}. */
export interface NodeNetworkOptions {
  /** Listen multiaddrs (default `/ip4/0.0.0.0/tcp/30433`; tests: `/ip4/127.0.0.1/tcp/0`). */
  readonly listen?: readonly string[];
  /** Multiaddrs ending in `/p2p/<peer id>`, dialled at start. */
  readonly bootstrapPeers?: readonly string[];
  /** Peers kept connected. */
  readonly reservedPeers?: readonly string[];
  /** The Ed25519 identity (random when absent; farmers: `peerKeyFromFarmerSecret`). */
  readonly privateKey?: DsnNodeOptions['privateKey'];
  /** Accept loopback and private addresses (local networks, tests). Default false. */
  readonly allowNonGlobalAddresses?: boolean;
  readonly connectionLimits?: DsnNodeOptions['connectionLimits'];
  /** Also serve a farmer's L2 cache (its pieces first, then the chain's). */
  readonly pieceCache?: PieceCache;
  /** Serve a farmer's plots on `piece-by-index`. */
  readonly plotReader?: PlotReader;
  /** Serve the chain's archived pieces (default true). */
  readonly servePieces?: boolean;
  /** A validator to share; otherwise one is created (and closed on stop). */
  readonly validator?: PieceValidator;
  /** Worker threads of the created validator (default: 0 for small presets, else one per core). */
  readonly validatorThreads?: number;
  /** Proof-of-time gossip rules; received proofs go through it, its `onProof` should call {@link NodeNetwork.gossipPot}. */
  readonly pot?: PotGossipValidator;
  /** Run DSN sync and block sync at start and when imports stall (default true). */
  readonly sync?: boolean;
  /** No import for this long while peers are connected: sync again (default 60 s). */
  readonly syncIdleMs?: number;
  /** Most missing ancestors fetched for one announcement (default 512); farther: block sync. */
  readonly maxAncestors?: number;
  /** How long start-up waits for a bootstrap peer before syncing (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Request timeout of the DSN protocols (default 20 s). */
  readonly requestTimeoutMs?: number;
  /** Announce new best blocks (default true). */
  readonly announce?: boolean;
  /** Network events from the start (see also {@link NodeNetwork.onEvent}). */
  readonly onEvent?: (e: NetworkEvent) => void;
  readonly log?: (msg: string) => void;
}

/** What happened on the network (for logs and the CLI). */
export type NetworkEvent =
  | { type: 'imported'; origin: BlockOrigin; number: number; hash: Uint8Array; from: string }
  | { type: 'rejected'; origin: BlockOrigin; code: ImportRejectionCode; detail: string; from: string }
  | { type: 'dsn-sync'; result: DsnSyncResult }
  | { type: 'dsn-sync-segment'; segmentIndex: bigint; blocks: number }
  | { type: 'sync-error'; error: unknown };

/** Rejections that prove the sender sent an invalid block (it is banned); others are benign. */
const BANNABLE: ReadonlySet<ImportRejectionCode> = new Set<ImportRejectionCode>([
  'MALFORMED',
  'TOO_LARGE',
  'BAD_DIGEST',
  'UNSEALED',
  'BAD_SEAL',
  'MISSING_JUSTIFICATION',
  'BAD_SIGNATURE',
  'STATE_ROOT_MISMATCH',
  'EXTRINSICS_ROOT_MISMATCH',
  'DIGEST_MISMATCH',
  'INVALID_SEGMENT_COMMITMENT',
]);

const MAX_BLOCKS = 128;
const SMALL_PIECE = 64 * 1024;

/**
 * The chain core on the network.
 * @example
 * const net = await NodeNetwork.start(chain, { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, bootstrapPeers });
 * const farmerPieceGetter = net.plotterPieceGetter; // FarmerInit.pieceGetter
 * await net.stop();
 */
export class NodeNetwork {
  readonly chain: ChainApi;
  readonly dsn: DsnNode;
  readonly chainNetwork: ChainNetwork;
  /** Validated pieces: the local chain, then L2, then L1 (a farmer's `pieceGetter`). */
  readonly pieceGetter: ComposedPieceGetter;
  /** Verified segment headers: the chain's, plus the ones DSN sync learnt ahead of it. */
  readonly segmentHeaders: MemorySegmentHeaderStore;
  readonly validator: PieceValidator;
  /** DSN sync (re-created when the chain's own archiver got ahead of it). */
  dsnSync: DsnSync;
  /** The first segment whose blocks DSN sync has not imported yet. */
  private dsnNext: bigint;
  private readonly o: NodeNetworkOptions;
  private readonly ownValidator: boolean;
  private readonly listeners: Array<(e: NetworkEvent) => void> = [];
  private readonly detach: Array<() => void> = [];
  private work: Promise<void> = Promise.resolve();
  private queued = 0;
  private announcing: Promise<void> | undefined;
  private nextAnnounce: BlockInfo | undefined;
  private syncing: Promise<void> | undefined;
  private lastImportMs = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  private constructor(
    chain: ChainApi,
    dsn: DsnNode,
    validator: PieceValidator,
    ownValidator: boolean,
    o: NodeNetworkOptions,
  ) {
    this.chain = chain;
    this.dsn = dsn;
    this.validator = validator;
    this.ownValidator = ownValidator;
    this.o = o;
    const params = chain.spec.archiving;
    const perSegment = BigInt(segmentGeometry(params).numPieces);
    this.segmentHeaders = new MemorySegmentHeaderStore();
    for (let i = 0n; i <= chain.lastSegmentIndex(); i++) {
      const h = chain.getSegmentHeader(i);
      if (h === undefined) break;
      this.segmentHeaders.add(h);
    }
    this.pieceGetter = networkPieceGetter({
      node: dsn,
      validator,
      params,
      segmentHeader: (s) => chain.getSegmentHeader(s) ?? this.segmentHeaders.getSegmentHeader(s),
      local: (i) => (i < (chain.lastSegmentIndex() + 1n) * perSegment ? chain.getPiece(i) : undefined),
      historyPieces: () =>
        BigInt(Math.max(this.segmentHeaders.count, Number(chain.lastSegmentIndex()) + 1)) * perSegment,
      bootstrapPeers: [...(o.bootstrapPeers ?? []), ...(o.reservedPeers ?? [])],
      ...(o.log === undefined ? {} : { log: o.log }),
    });
    if (o.onEvent !== undefined) this.listeners.push(o.onEvent);
    this.dsnNext = chain.lastSegmentIndex() + 1n;
    this.dsnSync = this.newDsnSync(this.dsnNext);
    this.chainNetwork = new ChainNetwork(dsn, {
      blocks: chainBlockProvider(chain),
      onBlockAnnounce: (a, from) => this.onAnnounce(a, from),
      ...(o.pot === undefined ? {} : { pot: o.pot }),
    });
  }

  private newDsnSync(startSegment: bigint): DsnSync {
    return new DsnSync({
      node: this.dsn,
      getter: this.pieceGetter,
      store: this.segmentHeaders,
      params: this.chain.spec.archiving,
      startSegment,
      onProgress: (e) => this.log(`dsn sync: ${e.phase} ${e.segmentIndex} of ${e.of}`),
      importer: (blocks, segmentIndex) => this.importSegmentBlocks(blocks, segmentIndex),
      ...(this.o.log === undefined ? {} : { log: this.o.log }),
    });
  }

  /** Starts the host, the protocols and (unless `sync: false`) the first sync. */
  static async start(chain: ChainApi, o: NodeNetworkOptions = {}): Promise<NodeNetwork> {
    const params = chain.spec.archiving;
    const pieceSize = segmentGeometry(params).pieceSize;
    const own = o.validator === undefined;
    const validator =
      o.validator ??
      createPieceValidator({
        params,
        parameters: { g1Count: kzgPowersFor(chain.spec) },
        threads: o.validatorThreads ?? (pieceSize < SMALL_PIECE ? 0 : availableParallelism()),
      });
    const chainCache = o.servePieces === false ? undefined : chainPieceCache(chain);
    const farmerCache = o.pieceCache;
    const pieceCache: PieceCache | undefined =
      farmerCache !== undefined && chainCache !== undefined
        ? {
            getPiece: async (i) => (await farmerCache.getPiece(i)) ?? (await chainCache.getPiece(i)),
            hasPiece: (i) => farmerCache.hasPiece(i) || chainCache.hasPiece(i),
          }
        : (farmerCache ?? chainCache);
    let dsn: DsnNode;
    try {
      dsn = await createDsnNode({
        genesisHash: chain.genesisHash,
        pieceSize,
        segmentHeaderStore: chainSegmentHeaderStore(chain),
        ...(pieceCache === undefined ? {} : { pieceCache }),
        ...(o.plotReader === undefined ? {} : { plotReader: o.plotReader }),
        ...(o.listen === undefined ? {} : { listen: o.listen }),
        ...(o.bootstrapPeers === undefined ? {} : { bootstrapPeers: o.bootstrapPeers }),
        ...(o.reservedPeers === undefined ? {} : { reservedPeers: o.reservedPeers }),
        ...(o.privateKey === undefined ? {} : { privateKey: o.privateKey }),
        ...(o.allowNonGlobalAddresses === undefined
          ? {}
          : { allowNonGlobalAddresses: o.allowNonGlobalAddresses }),
        ...(o.connectionLimits === undefined ? {} : { connectionLimits: o.connectionLimits }),
        ...(o.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: o.requestTimeoutMs }),
        ...(o.log === undefined ? {} : { log: o.log }),
      });
    } catch (e) {
      if (own) await validator.close();
      throw e;
    }
    const net = new NodeNetwork(chain, dsn, validator, own, o);
    await net.chainNetwork.start();
    net.attach();
    if (o.sync !== false) {
      void net.sync();
      const idle = o.syncIdleMs ?? 60_000;
      net.timer = setInterval(
        () => {
          if (Date.now() - net.lastImportMs >= idle && net.dsn.connectedPeers().length > 0) void net.sync();
        },
        Math.min(idle, 10_000),
      );
      net.timer.unref?.();
    }
    return net;
  }

  private attach(): void {
    const chain = this.chain;
    const onHead = (info: BlockInfo) => {
      if (this.o.announce !== false) this.announce(info);
    };
    const onImported = () => {
      this.lastImportMs = Date.now();
    };
    const onSegment = (e: { header: Parameters<MemorySegmentHeaderStore['add']>[0] }) => {
      try {
        this.segmentHeaders.add(e.header);
      } catch {
        // Out of order only if DSN sync is behind the chain's archiver: the chain stays the source.
      }
    };
    chain.on('newHead', onHead);
    chain.on('blockImported', onImported);
    chain.on('segmentArchived', onSegment);
    this.detach.push(
      () => chain.off('newHead', onHead),
      () => chain.off('blockImported', onImported),
      () => chain.off('segmentArchived', onSegment),
    );
  }

  /** Subscribes to network events; returns the unsubscribe function. */
  onEvent(f: (e: NetworkEvent) => void): () => void {
    this.listeners.push(f);
    return () => {
      const i = this.listeners.indexOf(f);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(e: NetworkEvent): void {
    for (const f of this.listeners) {
      try {
        f(e);
      } catch {
        // a listener's failure is not the network's
      }
    }
  }

  private log(msg: string): void {
    this.o.log?.(msg);
  }

  /** Listening addresses with `/p2p/<peer id>` (give one to other nodes as a bootstrap peer). */
  get addresses(): string[] {
    return this.dsn.addresses.map((a) => a.toString());
  }

  /** The `pieceGetter` of a farmer role or of `plotSector`: `(index, { signal }) => piece`. */
  readonly plotterPieceGetter = (pieceIndex: bigint, opts?: { signal?: AbortSignal }) =>
    this.pieceGetter.getPiece(pieceIndex, opts?.signal === undefined ? {} : { signal: opts.signal });

  // -------------------------------------------------------------------------------------------
  // Announcements

  /** Announces a best block (coalesced: while one announcement is in flight only the newest waits). */
  announce(info: BlockInfo): void {
    if (this.stopped) return;
    this.nextAnnounce = info;
    this.announcing ??= (async () => {
      while (this.nextAnnounce !== undefined && !this.stopped) {
        const b = this.nextAnnounce;
        this.nextAnnounce = undefined;
        await this.chainNetwork
          .announceBlock({ number: b.number, hash: b.hash, header: encodeHeader(b.header), isBest: true })
          .catch(() => 0);
      }
    })().finally(() => {
      this.announcing = undefined;
    });
  }

  private onAnnounce(a: BlockAnnounce, from: PeerId): void {
    if (this.stopped || this.known(a.hash)) return;
    // While syncing (DSN sync, then block sync of the tail), announcements are left to the sync:
    // fetching their ancestors one request at a time would race it over the archived history.
    if (this.syncing !== undefined) return;
    this.enqueue(async () => {
      if (this.known(a.hash)) return;
      const head = this.chain.head().number;
      if (a.number > head + (this.o.maxAncestors ?? 512)) await this.syncFromPeer(from);
      else await this.fetchWithAncestors(from, a.hash);
    });
  }

  /** Runs network imports one at a time (at most 64 waiting; more announcements are dropped). */
  private enqueue(task: () => Promise<void>): boolean {
    if (this.queued >= 64 || this.stopped) return false;
    this.queued++;
    this.work = this.work
      .then(task)
      .catch((e) => {
        if (!this.stopped) this.log(`network import: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        this.queued--;
      });
    return true;
  }

  private known(hash: Uint8Array): boolean {
    return this.chain.getBlockInfo(hash) !== undefined;
  }

  private async importFrom(
    bytes: Uint8Array,
    origin: BlockOrigin,
    from: PeerId | undefined,
  ): Promise<ImportResult> {
    const r = await this.chain.importBlock(bytes, origin);
    const who = from?.toString() ?? 'dsn';
    if (r.status === 'imported') {
      this.lastImportMs = Date.now();
      this.emit({ type: 'imported', origin, number: r.number, hash: r.hash, from: who });
    } else if (r.status === 'rejected') {
      this.emit({ type: 'rejected', origin, code: r.rejection.code, detail: r.rejection.detail, from: who });
      if (from !== undefined && BANNABLE.has(r.rejection.code)) {
        await this.dsn.ban(from, `invalid block: ${r.rejection.code} ${r.rejection.detail}`);
      }
    }
    return r;
  }

  /**
   * Fetches a block by hash from `peer` with the ancestors the chain lacks (descending requests,
   * at most `maxAncestors` blocks), then imports them oldest first.
   */
  private async fetchWithAncestors(
    peer: PeerId,
    hash: Uint8Array,
    origin: BlockOrigin = 'network',
  ): Promise<void> {
    const max = this.o.maxAncestors ?? 512;
    const pending: BlockData[] = [];
    let cursor = hash;
    while (pending.length < max && !this.stopped) {
      const got = await this.chainNetwork.requestBlocks(peer, {
        from: { type: 'hash', hash: cursor },
        direction: 'descending',
        max: Math.min(MAX_BLOCKS, max - pending.length),
      });
      if (got === undefined || got.length === 0) break;
      let done = false;
      for (const b of got) {
        if (this.known(b.hash)) {
          done = true;
          break;
        }
        pending.push(b);
      }
      const oldest = pending[pending.length - 1];
      if (done || oldest === undefined) break;
      let parent: Uint8Array;
      try {
        parent = decodeSignedBlock(oldest.block).header.parentHash;
      } catch (e) {
        await this.dsn.ban(peer, `malformed block: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (this.known(parent)) break;
      cursor = parent;
    }
    for (let i = pending.length - 1; i >= 0 && !this.stopped; i--) {
      const r = await this.importFrom(pending[i]!.block, origin, peer);
      if (r.status === 'rejected') break;
    }
  }

  /**
   * Block sync from one peer: ascending requests from the head's successor until the peer has no
   * more; a successor on another fork is fetched with its ancestors.
   */
  async syncFromPeer(peer: PeerId): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const head = this.chain.head();
      const got = await this.chainNetwork.requestBlocks(peer, {
        from: { type: 'number', number: head.number + 1 },
        direction: 'ascending',
        max: MAX_BLOCKS,
      });
      if (got === undefined || got.length === 0) return;
      for (const b of got) {
        const r = await this.importFrom(b.block, 'sync', peer);
        if (r.status === 'rejected') {
          if (r.rejection.code === 'UNKNOWN_PARENT') await this.fetchWithAncestors(peer, b.hash, 'sync');
          break;
        }
      }
      if (this.chain.head().number <= head.number) return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sync

  private async importSegmentBlocks(
    blocks: ReadonlyArray<readonly [number, Uint8Array]>,
    segmentIndex: bigint,
  ): Promise<void> {
    let imported = 0;
    for (const [number, bytes] of blocks) {
      if (number === 0 || this.stopped) continue;
      const r = await this.importFrom(bytes, 'sync', undefined);
      if (r.status === 'rejected') {
        throw new DsnError({
          code: 'DSN_SYNC_FAILED',
          reason: `block ${number} of segment ${segmentIndex}: ${r.rejection.code} ${r.rejection.detail}`,
        });
      }
      if (r.status === 'imported') imported++;
    }
    this.dsnNext = segmentIndex + 1n;
    this.emit({ type: 'dsn-sync-segment', segmentIndex, blocks: imported });
  }

  /**
   * DSN sync of the archived history the chain lacks, then block sync of the tail from connected
   * peers. Concurrent calls share one run; failures are reported as `sync-error` events.
   */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    try {
      await this.waitForPeers(this.o.connectTimeoutMs ?? 5_000);
      if (this.dsn.connectedPeers().length === 0 || this.stopped) return;
      try {
        // Segments the chain archived itself (its own blocks, or imported ones) are not fetched.
        const start = this.chain.lastSegmentIndex() + 1n;
        if (start > this.dsnNext) {
          this.dsnNext = start;
          this.dsnSync = this.newDsnSync(start);
        }
        this.log(`dsn sync: from segment ${this.dsnNext}`);
        const result = await this.dsnSync.run();
        this.emit({ type: 'dsn-sync', result });
      } catch (e) {
        if (this.stopped) return;
        this.log(`dsn sync: ${e instanceof Error ? e.message : String(e)}`);
        this.emit({ type: 'sync-error', error: e });
      }
      for (const peer of this.dsn.connectedPeers()) {
        if (this.stopped) return;
        // In the import queue, so that announcements and block sync do not interleave.
        await new Promise<void>((resolve) => {
          if (!this.enqueue(() => this.syncFromPeer(peer).finally(resolve))) resolve();
        });
      }
    } catch (e) {
      if (!this.stopped) this.emit({ type: 'sync-error', error: e });
    }
  }

  /** Waits until a connected peer has identified (its protocols are known), or the timeout. */
  private async waitForPeers(timeoutMs: number): Promise<void> {
    const wanted = [...(this.o.bootstrapPeers ?? []), ...(this.o.reservedPeers ?? [])];
    if (wanted.length === 0 && this.dsn.connectedPeers().length === 0) return;
    await Promise.allSettled(wanted.map((a) => this.dsn.dial(a, AbortSignal.timeout(timeoutMs))));
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs && !this.stopped) {
      for (const p of this.dsn.connectedPeers()) {
        const info = await this.dsn.libp2p.peerStore.get(p).catch(() => undefined);
        if (info?.protocols.some((x) => x.startsWith('/subspace/segment-headers'))) return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Proof of time

  /**
   * Gossips a proof of time to every connected peer except `from` (call it from the
   * `PotGossipValidator`'s `onProof` to re-gossip, and for the timekeeper's own proofs).
   */
  gossipPot(proof: GossipProof, from?: string): Promise<number> {
    return this.chainNetwork.gossipPot(proof, from);
  }

  /** Stops syncing, the host and (if created here) the validator. The chain stays open. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const d of this.detach) d();
    this.pieceGetter.watchdog.stop();
    await this.dsn.stop();
    await Promise.allSettled([this.work, this.syncing, this.announcing]);
    if (this.ownValidator) await this.validator.close();
  }

  /** Short peer id, for logs. */
  toString(): string {
    return `NodeNetwork(${this.dsn.peerId.toString().slice(-8)}, head ${bytesToHex(this.chain.head().hash).slice(0, 8)})`;
  }
}
