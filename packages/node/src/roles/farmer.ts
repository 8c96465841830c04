/**
 * The farmer role (farming §4-§7): plots its sectors from the node's archived pieces, audits every
 * slot the node announces, proves the best candidates and submits the solutions; signs the blocks
 * its solutions won; replots sectors as they expire. It talks to the node only through
 * {@link FarmerNode}, so the same farmer runs in the node's process or over JSON-RPC.
 */
import type { Kzg } from '@autonomys/kzg';
import {
  auditPlot,
  type PieceGetter,
  type PosTableGenerator,
  plotSector,
  proveSolutions,
  type SectorMetadata,
  type SectorSource,
  sectorExpirationCheckSegmentIndex,
  sectorExpirationStatus,
} from '@autonomys/plotter';
import type { Plot } from '@autonomys/plotter/plot';
import {
  equalBytes,
  publicKeyHash,
  REWARD_SIGNING_CONTEXT,
  type SegmentHeader,
  sectorExpirationHistorySize,
  sectorId,
  sr25519Sign,
} from '@autonomys/primitives';
import type { PlottingStatus } from '../rpc/methods.js';
import type { FarmerAppInfo, FarmerNode, RewardSigningInfo, SlotInfo, Unsubscribe } from './types.js';

/** What a farmer reports as it works. */
export type FarmerEvent =
  | { type: 'plotting'; sectorIndex: number; fraction: number; replot: boolean }
  | { type: 'sector-plotted'; sectorIndex: number; historySize: bigint; ms: number; replot: boolean }
  | { type: 'audited'; slot: bigint; candidates: number; ms: number }
  | { type: 'solution'; slot: bigint; sectorIndex: number; auditMs: number; proveMs: number }
  | { type: 'signed'; hash: Uint8Array }
  | { type: 'error'; where: string; error: unknown };

/** Options of {@link Farmer}. */
export interface FarmerInit {
  node: FarmerNode;
  /** sr25519 key pair of the farmer (64-byte secret key as @polkadot/util-crypto's). */
  keypair: { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Account that receives rewards (default: the farmer's public key). */
  rewardAddress?: Uint8Array;
  /** Sectors to plot (sector indexes 0..sectorCount-1). */
  sectorCount: number;
  /** Records per sector (≤ the chain's maxPiecesInSector). */
  piecesInSector: number;
  tableGenerator: PosTableGenerator;
  /** KZG with at least numChunks powers (proving). */
  kzg: Kzg;
  /**
   * A plot on disk (`@autonomys/plotter/plot`, crash-safe); sectors are kept in memory without one.
   * Its parameters must match `sectorCount`, `piecesInSector` and the chain's geometry.
   */
  plot?: Plot;
  /** Where pieces come from (default: the node's `piece`). */
  pieceGetter?: PieceGetter;
  /** Solutions submitted per slot at most (default 1). */
  maxSolutionsPerSlot?: number;
  /** Records encoded at once while plotting (default 1). */
  plottingConcurrency?: number;
  onEvent?: (event: FarmerEvent) => void;
}

interface MemorySector {
  metadata: SectorMetadata;
  sector: SectorSource;
}

/**
 * @example
 * const farmer = new Farmer({ node, keypair, sectorCount: 2, piecesInSector: 16, tableGenerator, kzg });
 * await farmer.start(); // plots, then farms every slot
 * await farmer.stop();
 */
export class Farmer {
  private readonly init: FarmerInit;
  private app: FarmerAppInfo | undefined;
  private readonly memory = new Map<number, MemorySector>();
  private readonly unsubs: Unsubscribe[] = [];
  private readonly ac = new AbortController();
  private pendingSlot: SlotInfo | undefined;
  private farming: Promise<void> | undefined;
  private replotting: Promise<void> = Promise.resolve();
  private readonly replotQueue = new Set<number>();
  private plotted = 0;
  private current = 0;
  private replots = 0;
  private started = false;
  /** Counters: slots audited, solutions submitted, blocks signed. */
  readonly stats = { slots: 0, solutions: 0, signed: 0, skippedSlots: 0 };

  constructor(init: FarmerInit) {
    this.init = init;
  }

  /** Plotting progress (for node status and progress bars). */
  plotting(): PlottingStatus {
    return {
      sectorsTotal: this.init.sectorCount,
      sectorsPlotted: this.plotted,
      currentSector: this.current,
      replots: this.replots,
    };
  }

  private emit(e: FarmerEvent): void {
    try {
      this.init.onEvent?.(e);
    } catch {
      // reporting must not break farming
    }
  }

  private get numChunks(): number {
    return this.app?.numChunks ?? 32_768;
  }

  /** The plotted sectors as audited (`auditPlot`'s input). */
  sectorSources(): { metadata: SectorMetadata; sector: SectorSource }[] {
    return this.sources();
  }

  private sources(): { metadata: SectorMetadata; sector: SectorSource }[] {
    if (this.init.plot !== undefined) return this.init.plot.sectorSources();
    return [...this.memory.values()];
  }

  private metadataOf(sectorIndex: number): SectorMetadata | undefined {
    return this.init.plot !== undefined
      ? this.init.plot.sectorMetadata(sectorIndex)
      : this.memory.get(sectorIndex)?.metadata;
  }

  /**
   * Reads the chain's farming parameters, subscribes to reward signing (first, so a block won
   * while plotting is still signed), plots the missing sectors and starts farming.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { node } = this.init;
    this.app = await node.farmerAppInfo();
    this.unsubs.push(await node.onRewardSigning((info) => void this.onRewardSigning(info)));
    for (let i = 0; i < this.init.sectorCount; i++) {
      if (this.ac.signal.aborted) return;
      if (this.metadataOf(i) !== undefined) {
        this.plotted++;
        continue;
      }
      await this.plotOne(i, false);
    }
    this.unsubs.push(await node.onSlotInfo((info) => this.onSlot(info)));
    this.unsubs.push(await node.onArchivedSegmentHeader((h) => this.onSegment(h)));
  }

  /** Stops farming and waits for the work in progress. */
  async stop(): Promise<void> {
    this.ac.abort();
    for (const u of this.unsubs.splice(0)) u();
    await this.farming?.catch(() => {});
    await this.replotting.catch(() => {});
  }

  private async plotOne(sectorIndex: number, replot: boolean): Promise<void> {
    const { node } = this.init;
    const app = await node.farmerAppInfo();
    this.app = app;
    const historySize = app.protocolInfo.historySize;
    const pieceGetter: PieceGetter = this.init.pieceGetter ?? ((index) => node.piece(index));
    const t0 = performance.now();
    let done = 0;
    const onProgress = (e: { type: string }) => {
      if (e.type !== 'plot:record-encoded') return;
      done++;
      this.current = done / this.init.piecesInSector;
      this.emit({ type: 'plotting', sectorIndex, fraction: this.current, replot });
    };
    this.current = 0;
    this.emit({ type: 'plotting', sectorIndex, fraction: 0, replot });
    const common = {
      historySize,
      pieceGetter,
      tableGenerator: this.init.tableGenerator,
      signal: this.ac.signal,
      onProgress,
      ...(this.init.plottingConcurrency === undefined ? {} : { concurrency: this.init.plottingConcurrency }),
    };
    if (this.init.plot !== undefined) {
      await this.init.plot.plotSector(sectorIndex, common);
    } else {
      const { sector, metadata } = await plotSector({
        ...common,
        publicKey: this.init.keypair.publicKey,
        sectorIndex,
        piecesInSector: this.init.piecesInSector,
        maxPiecesInSector: app.protocolInfo.maxPiecesInSector,
        numChunks: app.numChunks,
      });
      this.memory.set(sectorIndex, { sector, metadata });
    }
    if (!replot) this.plotted++;
    else this.replots++;
    this.current = 0;
    this.emit({ type: 'sector-plotted', sectorIndex, historySize, ms: performance.now() - t0, replot });
  }

  private onSlot(info: SlotInfo): void {
    if (this.ac.signal.aborted) return;
    // Only the newest slot matters: a slot still waiting when a newer one comes is skipped.
    if (this.pendingSlot !== undefined) this.stats.skippedSlots++;
    this.pendingSlot = info;
    if (this.farming === undefined)
      this.farming = this.farmLoop().finally(() => {
        this.farming = undefined;
      });
  }

  private async farmLoop(): Promise<void> {
    while (this.pendingSlot !== undefined && !this.ac.signal.aborted) {
      const info = this.pendingSlot;
      this.pendingSlot = undefined;
      try {
        await this.farmSlot(info);
      } catch (error) {
        this.emit({ type: 'error', where: `slot ${info.slotNumber}`, error });
      }
    }
  }

  /** Audit and prove one slot; returns the solutions submitted. */
  async farmSlot(info: SlotInfo): Promise<number> {
    const { keypair, node } = this.init;
    const sectors = this.sources();
    if (sectors.length === 0) return 0;
    const t0 = performance.now();
    const audits = await auditPlot({
      publicKey: keypair.publicKey,
      sectors,
      globalChallenge: info.globalChallenge,
      solutionRange: info.votingSolutionRange,
      numChunks: this.numChunks,
    });
    const auditMs = performance.now() - t0;
    this.stats.slots++;
    this.emit({ type: 'audited', slot: info.slotNumber, candidates: audits.length, ms: auditMs });
    const max = this.init.maxSolutionsPerSlot ?? 1;
    let submitted = 0;
    for (const audit of audits) {
      if (submitted >= max) break;
      const src = sectors.find((s) => s.metadata.sectorIndex === audit.sectorIndex);
      if (src === undefined) continue;
      const t1 = performance.now();
      for await (const solution of proveSolutions({
        publicKey: keypair.publicKey,
        rewardAddress: this.init.rewardAddress ?? keypair.publicKey,
        metadata: src.metadata,
        sector: src.sector,
        tableGenerator: this.init.tableGenerator,
        kzg: this.init.kzg,
        audit,
        maxSolutions: max - submitted,
        numChunks: this.numChunks,
      })) {
        await node.submitSolution({ slotNumber: info.slotNumber, solution });
        submitted++;
        this.stats.solutions++;
        this.emit({
          type: 'solution',
          slot: info.slotNumber,
          sectorIndex: audit.sectorIndex,
          auditMs,
          proveMs: performance.now() - t1,
        });
      }
    }
    return submitted;
  }

  private async onRewardSigning(info: RewardSigningInfo): Promise<void> {
    const { keypair, node } = this.init;
    if (!equalBytes(info.publicKey, keypair.publicKey)) return;
    try {
      const signature = sr25519Sign(keypair.secretKey, keypair.publicKey, info.hash, {
        context: REWARD_SIGNING_CONTEXT,
      });
      await node.submitRewardSignature({ hash: info.hash, signature });
      this.stats.signed++;
      this.emit({ type: 'signed', hash: info.hash });
    } catch (error) {
      this.emit({ type: 'error', where: 'reward signing', error });
    }
  }

  /** farming §4.8: on every archived segment, replot the sectors that are about to expire. */
  private onSegment(header: SegmentHeader): void {
    if (this.ac.signal.aborted) return;
    void this.checkExpiry(header).catch((error) =>
      this.emit({ type: 'error', where: 'expiry check', error }),
    );
  }

  private async checkExpiry(header: SegmentHeader): Promise<void> {
    const pkHash = publicKeyHash(this.init.keypair.publicKey);
    for (const { metadata } of this.sources()) {
      const checkIndex = sectorExpirationCheckSegmentIndex(metadata.historySize);
      if (checkIndex > header.segmentIndex) continue;
      const check =
        checkIndex === header.segmentIndex ? header : (await this.init.node.segmentHeaders([checkIndex]))[0];
      if (check === undefined) continue;
      const id = sectorId(pkHash, metadata.sectorIndex, metadata.historySize);
      const expiresAt = sectorExpirationHistorySize(id, metadata.historySize, check.segmentCommitment);
      if (expiresAt === undefined) continue;
      if (sectorExpirationStatus(expiresAt, header.segmentIndex) === 'active') continue;
      this.scheduleReplot(metadata.sectorIndex);
    }
  }

  private scheduleReplot(sectorIndex: number): void {
    if (this.replotQueue.has(sectorIndex)) return;
    this.replotQueue.add(sectorIndex);
    this.replotting = this.replotting
      .then(async () => {
        if (this.ac.signal.aborted) return;
        await this.plotOne(sectorIndex, true);
      })
      .catch((error) => this.emit({ type: 'error', where: `replot ${sectorIndex}`, error }))
      .finally(() => this.replotQueue.delete(sectorIndex));
  }
}
