/**
 * A node in one process: the chain core with any of the roles (timekeeper, block author, farmer)
 * and the JSON-RPC server, wired through the role interfaces. `autonomys dev` and `autonomys node`
 * are thin layers over {@link NodeService}.
 */

import { nextSlotInput, type PotSlotProof, PotVerifier, potCheckpointsOutput } from '@autonomys/pot';
import { equalBytes } from '@autonomys/primitives';
import type { BlockInfo, ChainApi, ObjectsArchivedEvent, SegmentArchivedEvent } from '../consensus/api.js';
import { createGateway } from '../gateway/gateway.js';
import { MemoryObjectIndex, type ObjectIndex } from '../gateway/object-index.js';
import { attachProvenanceIndexer } from '../gateway/provenance.js';
import { createStaticHandler, defaultDashboardDir } from '../gateway/static.js';
import { type AuthorEvent, BlockAuthor } from '../roles/author.js';
import { Farmer, type FarmerEvent, type FarmerInit } from '../roles/farmer.js';
import { FarmingHub } from '../roles/hub.js';
import { TimekeeperRole } from '../roles/timekeeper.js';
import type { PotSource } from '../roles/types.js';
import type { RpcRouter } from '../rpc/jsonrpc.js';
import { buildNodeRouter, type NodeStatusSource } from '../rpc/methods.js';
import { type RpcServer, type RpcServerOptions, startRpcServer } from '../rpc/server.js';
import { IMMORTAL, signExtrinsic } from '../runtime/extrinsic.js';

function potVerifierOf(chain: ChainApi): PotVerifier | undefined {
  const v = (chain as { potVerifier?: unknown }).potVerifier;
  return v instanceof PotVerifier ? v : undefined;
}

/** The version reported over RPC. */
export const NODE_VERSION = '0.1.0';

/** What a {@link NodeService} reports (the CLI turns these into log lines and progress bars). */
export type ServiceEvent =
  | { type: 'author'; event: AuthorEvent }
  | { type: 'farmer'; event: FarmerEvent }
  | { type: 'block'; block: BlockInfo; isBest: boolean }
  | { type: 'segment'; event: SegmentArchivedEvent }
  | { type: 'pot-resync'; slot: bigint; reason: string }
  /** A block went into the archiver: how full the next segment is (estimated from block sizes). */
  | { type: 'archiving'; segmentIndex: bigint; fraction: number; block: number }
  | { type: 'rpc'; url: string };

/** Options of {@link NodeService.start}. */
export interface NodeServiceInit {
  chain: ChainApi;
  /** Run a timekeeper (default true); without one, proofs come from `potSource`. */
  timekeeper?: boolean;
  /** An outside proof-of-time source (a remote timekeeper) when `timekeeper` is false. */
  potSource?: PotSource;
  /** Build blocks from farmers' solutions (default true). */
  author?: boolean;
  /** Run a farmer in this process (the hub is its node). */
  farmer?: Omit<FarmerInit, 'node'>;
  /** Slot duration, ms (default 1000). */
  slotDurationMs?: number;
  /** The JSON-RPC server; `false` for none. */
  rpc?: RpcServerOptions | false;
  /** Adds methods to the node's router before the server starts (e.g. a remote PoT source's). */
  extendRouter?: (router: RpcRouter) => void;
  /** Close the chain on stop (default true). */
  closeChain?: boolean;
  /**
   * Permanent storage on the node's HTTP server (ai3 §1.2-1.3): the object-mapping index (default
   * in memory), the gateway (`GET /data/{hash}`, `GET /files/{cid}`; `POST /files` when a
   * `publisher` key is given: each DAG node becomes a `system.remark` signed by it) and the
   * dashboard's files (default: the built apps/dashboard when present; `false` for none).
   */
  storage?: {
    index?: ObjectIndex;
    publisher?: { secretKey: Uint8Array; publicKey: Uint8Array };
    /**
     * Piece sources the gateway tries after this node's own pieces, in order, for an object those
     * did not give whole and verified, e.g. the storage network:
     * `[(i) => net.pieceGetter.getPiece(i)]` (NodeNetwork: validated L2 then L1 pieces).
     */
    pieceSources?: readonly ((pieceIndex: bigint) => Promise<Uint8Array | undefined>)[];
    dashboardDir?: string | false;
  };
  onEvent?: (event: ServiceEvent) => void;
}

/**
 * @example
 * const node = await NodeService.start({ chain, farmer: { keypair, sectorCount: 2, piecesInSector: 16, tableGenerator, kzg }, rpc: { port: 0 } });
 * // ...
 * await node.stop();
 */
export class NodeService {
  readonly chain: ChainApi;
  readonly hub: FarmingHub;
  readonly timekeeper: TimekeeperRole | undefined;
  readonly author: BlockAuthor | undefined;
  readonly farmer: Farmer | undefined;
  rpc: RpcServer | undefined;
  /** Where archived objects are (filled from the chain's `objectsArchived` events). */
  objectIndex: ObjectIndex | undefined;
  private readonly init: NodeServiceInit;
  private farmerStarted: Promise<void> | undefined;
  private readonly detach: (() => void)[] = [];
  private stopped = false;

  private constructor(init: NodeServiceInit) {
    this.init = init;
    this.chain = init.chain;
    this.hub = new FarmingHub(init.chain);
    const ctx = init.chain.authoringContext();
    if (init.timekeeper !== false) {
      const head = init.chain.head();
      this.timekeeper = new TimekeeperRole({
        input: ctx.nextSlotInput,
        parametersChange: ctx.potParametersChange,
        slotDurationMs: init.slotDurationMs ?? 1000,
        // After a restart the slots up to the head's future slot are known: re-prove them at once.
        catchUpTo: head.number === 0 ? 0n : head.slot + 4n,
        // The chain core's verifier (when it has one) learns every proof as known-good (pot A.6).
        ...(potVerifierOf(init.chain) === undefined ? {} : { verifier: potVerifierOf(init.chain)! }),
      });
    }
    const pot = this.timekeeper ?? init.potSource;
    if (pot !== undefined) {
      this.author = new BlockAuthor({
        chain: init.chain,
        hub: this.hub,
        pot,
        announceOnly: init.author === false,
        onEvent: (event) => this.emit({ type: 'author', event }),
      });
    }
    if (init.farmer !== undefined) {
      this.farmer = new Farmer({
        ...init.farmer,
        node: this.hub,
        onEvent: (event) => this.emit({ type: 'farmer', event }),
      });
    }
  }

  /** Starts the RPC server, the roles and the farmer's plotting (farming begins when it is done). */
  static async start(init: NodeServiceInit): Promise<NodeService> {
    const s = new NodeService(init);
    const { chain } = s;
    const onImported = (block: BlockInfo, isBest: boolean) => s.emit({ type: 'block', block, isBest });
    const onSegment = (event: SegmentArchivedEvent) => s.emit({ type: 'segment', event });
    const onHead = () => s.followPotParameters();
    // Archiving progress: archived bytes since the last segment over the segment size (an estimate:
    // the archiver keeps only the SUB_ justification, and a segment's items have small overheads).
    const segmentSize = chain.spec.archiving.numChunks * 31 * chain.spec.archiving.numRawRecords;
    let filled = 0;
    const onArchived = (block: BlockInfo) => {
      void chain.getBlockBytes(block.hash).then((bytes) => {
        filled += bytes?.length ?? 0;
        s.emit({
          type: 'archiving',
          segmentIndex: chain.lastSegmentIndex() + 1n,
          fraction: Math.min(1, filled / segmentSize),
          block: block.number,
        });
      });
    };
    const onSegmentDone = () => {
      filled = filled > segmentSize ? filled - segmentSize : 0;
    };
    chain.on('blockArchived', onArchived);
    chain.on('segmentArchived', onSegmentDone);
    s.detach.push(
      () => chain.off('blockArchived', onArchived),
      () => chain.off('segmentArchived', onSegmentDone),
    );
    chain.on('blockImported', onImported);
    chain.on('segmentArchived', onSegment);
    chain.on('newHead', onHead);
    s.detach.push(
      () => chain.off('blockImported', onImported),
      () => chain.off('segmentArchived', onSegment),
      () => chain.off('newHead', onHead),
    );
    // Object mappings into the index; nodes this node published are served until they are archived.
    const index = init.storage?.index ?? new MemoryObjectIndex();
    s.objectIndex = index;
    const recent = new Map<string, Uint8Array>();
    const onObjects = (e: ObjectsArchivedEvent) => {
      index.put(e.objects);
      for (const o of e.objects) recent.delete(Buffer.from(o.hash).toString('hex'));
    };
    chain.on('objectsArchived', onObjects);
    s.detach.push(() => chain.off('objectsArchived', onObjects));
    const publisher = init.storage?.publisher;
    const publish =
      publisher === undefined
        ? undefined
        : async (node: { bytes: Uint8Array }) => {
            const x = signExtrinsic(
              { type: 'System.remark', remark: node.bytes },
              { era: IMMORTAL, nonce: chain.nextNonce(publisher.publicKey), tip: 0n },
              {
                specVersion: chain.spec.specVersion,
                transactionVersion: chain.spec.transactionVersion,
                genesisHash: chain.genesisHash,
                birthHash: chain.genesisHash,
              },
              publisher.secretKey,
              publisher.publicKey,
            );
            const r = chain.submitExtrinsic(x);
            if (r.status === 'invalid') throw new Error(`remark refused: ${r.code} (${r.detail})`);
          };
    s.detach.push(attachProvenanceIndexer(chain, index));
    const gateway = createGateway({
      index,
      getPiece: (i) => chain.getPiece(i),
      morePieceSources: init.storage?.pieceSources ?? [],
      params: chain.spec.archiving,
      recent,
      ...(publish === undefined ? {} : { publish }),
    });
    const dashboardDir = init.storage?.dashboardDir;
    const statics = createStaticHandler(
      dashboardDir === false ? undefined : (dashboardDir ?? defaultDashboardDir()),
    );
    if (init.rpc !== false) {
      const router = buildNodeRouter({ chain, hub: s.hub, status: s.statusSource() });
      router.subscription('subspace_subscribeObjectMappings', {
        notification: 'subspace_object_mappings',
        unsubscribe: 'subspace_unsubscribeObjectMappings',
        subscribe: (_p, emit) => {
          const l = (e: ObjectsArchivedEvent) => {
            // The reference's ObjectMappingResponse, at most 1000 mappings per notification.
            for (let i = 0; i < e.objects.length; i += 1000)
              emit({
                blockNumber: e.blockNumber,
                v0: {
                  objects: e.objects
                    .slice(i, i + 1000)
                    .map((o) => [Buffer.from(o.hash).toString('hex'), Number(o.pieceIndex), o.offset]),
                },
              });
          };
          chain.on('objectsArchived', l);
          return () => chain.off('objectsArchived', l);
        },
      });
      init.extendRouter?.(router);
      s.rpc = await startRpcServer(router, { ...(init.rpc ?? {}), httpHandlers: [gateway, statics] });
      s.emit({ type: 'rpc', url: s.rpc.url });
    }
    s.author?.start();
    s.timekeeper?.start();
    if (s.farmer !== undefined) {
      s.farmerStarted = s.farmer.start().catch((error) => {
        if (!s.stopped) s.emit({ type: 'farmer', event: { type: 'error', where: 'start', error } });
      });
    }
    return s;
  }

  /** Resolves when the in-process farmer has plotted and farms (at once without one). */
  async farming(): Promise<void> {
    await this.farmerStarted;
  }

  private emit(e: ServiceEvent): void {
    try {
      this.init.onEvent?.(e);
    } catch {
      // a reporting failure must not stop the node
    }
  }

  /**
   * pot A.6: the best block's runtime PoT parameters drive the timekeeper. When a parameters
   * change lands on a slot the timekeeper has already proved without it, proving restarts there.
   */
  private followPotParameters(): void {
    const tk = this.timekeeper;
    if (tk === undefined || this.author === undefined) return;
    const ctx = this.chain.authoringContext();
    const change = ctx.potParametersChange;
    tk.setParametersChange(change);
    if (change === undefined) return;
    const before = this.author.proof(change.slot - 1n);
    const at = this.author.proof(change.slot);
    if (before === undefined || at === undefined) return;
    const expected = nextSlotInput(
      before.slot,
      before.slotIterations,
      potCheckpointsOutput(before.checkpoints),
      change,
    );
    if (equalBytes(expected.seed, at.seed) && expected.slotIterations === at.slotIterations) return;
    tk.setInput(expected);
    this.emit({ type: 'pot-resync', slot: change.slot, reason: 'parameters change (entropy injection)' });
  }

  private statusSource(): NodeStatusSource {
    return {
      name: 'autonomys-ts',
      version: NODE_VERSION,
      roles: () => ({
        timekeeper: this.timekeeper !== undefined,
        farmer: this.farmer !== undefined,
        author: this.author !== undefined && this.init.author !== false,
      }),
      plotting: () => this.farmer?.plotting(),
      slot: () => this.timekeeper?.last?.slot ?? this.hub.currentSlot,
      blocksAuthored: () => this.author?.authored ?? 0,
    };
  }

  /** The last proof of time (from the timekeeper). */
  lastProof(): PotSlotProof | undefined {
    return this.timekeeper?.last;
  }

  /** Stops the roles, then the RPC server, then (unless told otherwise) closes the chain. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.farmer?.stop();
    await this.timekeeper?.stop();
    await this.author?.stop();
    await this.rpc?.close();
    for (const d of this.detach.splice(0)) d();
    this.hub.close();
    if (this.init.closeChain !== false) await this.chain.close();
  }
}
