/**
 * `autonomys dev --nodes N`: a local multi-node network in one process. Every node has its own data
 * directory (`<root>/node-<i>`: the shared parameters, its own farmer key, chain database, plot and
 * object index), its own libp2p identity (derived from its farmer key, dsn C.1) listening on
 * 127.0.0.1, and its own JSON-RPC server. Node 0 runs the timekeeper; the others bootstrap from node
 * 0, take proofs of time only from PoT gossip and sync blocks over the network. Every node authors
 * with its own farmer; the farmers of nodes ≥ 1 plot pieces fetched over the DSN (L2 then L1,
 * validated), not from their node's chain. {@link DevCluster.addNode} starts a late joiner: it syncs
 * the archived history from the DSN (C.9), then the tail by block requests, then follows.
 *
 * One process (not N): the nodes share the KZG parameters and the CPU budget is easier to see; they
 * talk only over loopback sockets, exactly as separate processes would (nothing else is shared).
 */

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerKeyFromFarmerSecret } from '@autonomys/dsn';
import type { Kzg } from '@autonomys/kzg';
import type { PosTableGenerator } from '@autonomys/plotter';
import type { Plot } from '@autonomys/plotter/plot';
import type { Sr25519Keypair } from '@autonomys/primitives';
import type { ChainApi, ChainSpec } from '../consensus/api.js';
import { Chain } from '../consensus/chain.js';
import { FileObjectIndex } from '../gateway/object-index.js';
import { type NetworkEvent, NodeNetwork } from '../network/node-network.js';
import { networkPieceGetter } from '../network/piece-getter.js';
import { PotGossipSource } from '../network/pot.js';
import { ServiceError } from '../rpc/errors.js';
import { type DevParams, loadOrCreateKey, readParams, specFromParams, writeParams } from './config.js';
import { type DevEvent, type DevNetworkOptions, newDevParams, openPlot } from './dev.js';
import { NodeService, type ServiceEvent } from './node.js';
import { farmerTableGenerator } from './pos.js';

/** Options of {@link startDevCluster}. */
export interface DevClusterOptions extends Omit<DevNetworkOptions, 'dataDir' | 'rpc' | 'onEvent' | 'farm'> {
  /** Nodes started at once (≥ 1). */
  nodes: number;
  /** Root directory (node i in `<root>/node-<i>`); default a temporary one, removed on stop. */
  dataDir?: string;
  /**
   * JSON-RPC of every node: node i listens on `port + i` (all on ephemeral ports when `port` is 0);
   * `false` for none.
   */
  rpc?: { port?: number; host?: string } | false;
  /** First libp2p TCP port (node i on `p2pPort + i`); default 0: ephemeral ports. */
  p2pPort?: number;
  /** Run a farmer on every node (default true). */
  farm?: boolean;
  /**
   * Where the farmers of nodes ≥ 1 get pieces: `'dsn'` (default) only over the network (L2, then
   * L1, validated); `'local-first'` their node's chain first.
   */
  farmerPieces?: 'dsn' | 'local-first';
  /** Piece-validation worker threads of every node (default: the network's, 0 for small presets). */
  validatorThreads?: number;
  /** DSN request timeout, ms (default the network's 20 s). */
  requestTimeoutMs?: number;
  onEvent?: (node: number, event: ServiceEvent | DevEvent | ClusterEvent) => void;
}

/** What the cluster itself reports, per node. */
export type ClusterEvent =
  | {
      type: 'cluster:node';
      dataDir: string;
      peerId: string;
      addresses: readonly string[];
      timekeeper: boolean;
      late: boolean;
    }
  | { type: 'cluster:network'; event: NetworkEvent }
  | { type: 'cluster:synced'; head: number; segments: bigint; ms: number }
  | { type: 'cluster:log'; message: string };

/** One node of a {@link DevCluster}. */
export interface ClusterNode {
  readonly index: number;
  readonly dataDir: string;
  readonly chain: ChainApi;
  readonly network: NodeNetwork;
  readonly service: NodeService;
  readonly pot: PotGossipSource;
  readonly keypair: Sr25519Keypair;
  /** Pieces this node's farmer received from the network (0 for node 0, which plots from its chain). */
  readonly dsnPieces: () => number;
  /** The JSON-RPC URL, when it runs a server. */
  readonly rpcUrl: string | undefined;
}

/** A running local network. */
export interface DevCluster {
  readonly nodes: readonly ClusterNode[];
  readonly spec: ChainSpec;
  readonly params: DevParams;
  readonly dataDir: string;
  /**
   * Starts one more node (a late joiner): it syncs the archived history from the DSN, then the tail,
   * before its service (author, farmer, RPC) starts; resolves once it is running.
   */
  addNode(): Promise<ClusterNode>;
  /** Stops every node (last started first) and removes a temporary root. */
  stop(): Promise<void>;
}

const nodeDir = (root: string, i: number) => join(root, `node-${i}`);
const canonical = (p: DevParams) =>
  JSON.stringify(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The parameters of a new cluster, or the ones of an existing root (node 0's directory). */
function clusterParams(
  opts: DevClusterOptions,
  dir0: string,
  endowed: Uint8Array,
  emit: (e: DevEvent) => void,
): { params: DevParams; created: boolean } {
  const existing = readParams(dir0);
  if (existing !== undefined) return { params: existing, created: false };
  // Node 0 proves; every other node verifies each slot's proof (a fraction of the proving cost).
  // The N farmers together should win about one slot in `slotsPerBlock`.
  const farmers = opts.farm === false ? 1 : Math.max(1, opts.nodes);
  const params = newDevParams(opts, endowed, farmers, emit);
  return { params, created: true };
}

/**
 * Starts (or resumes) a local network of `nodes` nodes in this process.
 * @example
 * const cluster = await startDevCluster({ nodes: 3, fastPos: true, rpc: { port: 0 } });
 * for (const n of cluster.nodes) console.log(n.index, n.rpcUrl);
 * const late = await cluster.addNode(); // syncs from the DSN first
 * await cluster.stop();
 */
export async function startDevCluster(opts: DevClusterOptions): Promise<DevCluster> {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1)
    throw new ServiceError({
      code: 'SERVICE_INVALID_CONFIG',
      what: 'nodes',
      reason: 'expected an integer ≥ 1',
    });
  const emit = (i: number, e: ServiceEvent | DevEvent | ClusterEvent) => {
    try {
      opts.onEvent?.(i, e);
    } catch {
      // reporting must not break the network
    }
  };
  const temporary = opts.dataDir === undefined;
  const root = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'autonomys-cluster-'));
  const dir0 = nodeDir(root, 0);
  const key0 = loadOrCreateKey(dir0).keypair;
  const { params, created } = clusterParams(opts, dir0, key0.publicKey, (e) => emit(0, e));
  const spec = specFromParams(params);
  const tableGenerator: PosTableGenerator = farmerTableGenerator({
    shim: params.shimProofOfSpace,
    ...(opts.posThreads === undefined ? {} : { threads: opts.posThreads }),
  });
  let kzg: Kzg | undefined = opts.kzg;
  const nodes: ClusterNode[] = [];
  const closers: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;

  const startNode = async (i: number, late: boolean): Promise<ClusterNode> => {
    const dir = nodeDir(root, i);
    const mine = readParams(dir);
    if (mine === undefined) writeParams(dir, params);
    else if (canonical(mine) !== canonical(params))
      throw new ServiceError({
        code: 'SERVICE_INVALID_CONFIG',
        what: dir,
        reason: 'its parameters differ from node 0 (another network)',
      });
    const { keypair } = i === 0 ? { keypair: key0 } : loadOrCreateKey(dir);
    emit(i, {
      type: 'dev:params',
      params,
      created: i === 0 ? created : mine === undefined,
      dataDir: dir,
      temporary,
    });
    const t0 = performance.now();
    emit(i, { type: 'dev:chain-opening', dataDir: dir });
    const chain = await Chain.open({
      spec,
      dataDir: join(dir, 'chain'),
      ...(kzg === undefined ? {} : { kzg }),
    });
    kzg ??= chain.kzg;
    emit(i, { type: 'dev:chain-opened', head: chain.head().number, ms: performance.now() - t0 });
    const own: Array<() => Promise<void> | void> = [() => chain.close()];
    const close = async () => {
      for (const f of own.splice(0).reverse()) await Promise.resolve(f()).catch(() => {});
    };
    try {
      const pot = new PotGossipSource({ chain });
      own.push(() => pot.stop());
      const boot = nodes[0]?.network.addresses ?? [];
      const network = await NodeNetwork.start(chain, {
        listen: [
          `/ip4/127.0.0.1/tcp/${opts.p2pPort === undefined || opts.p2pPort === 0 ? 0 : opts.p2pPort + i}`,
        ],
        allowNonGlobalAddresses: true,
        privateKey: await peerKeyFromFarmerSecret(keypair.secretKey),
        ...(boot.length === 0 ? {} : { bootstrapPeers: boot }),
        pot: pot.validator,
        ...(opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs }),
        ...(opts.validatorThreads === undefined ? {} : { validatorThreads: opts.validatorThreads }),
        // Sync waits for a bootstrap peer to identify (returns as soon as one has): generous, for
        // loaded machines.
        connectTimeoutMs: 30_000,
        onEvent: (event) => emit(i, { type: 'cluster:network', event }),
        log: (message) => emit(i, { type: 'cluster:log', message }),
      });
      own.push(() => network.stop());
      pot.attach(network);
      emit(i, {
        type: 'cluster:node',
        dataDir: dir,
        peerId: network.dsn.peerId.toString(),
        addresses: network.addresses,
        timekeeper: i === 0,
        late,
      });
      if (i > 0) {
        // The history first (DSN sync, then block sync of the tail): the author and the farmer start
        // on the network's head, not on a fork of their own from genesis.
        const s0 = performance.now();
        // A failed round (no header answers yet, a peer busy) is retried a few times with backoff.
        for (let attempt = 0, failed = true; failed && attempt < 5; attempt++) {
          failed = false;
          const off = network.onEvent((e) => {
            if (e.type === 'sync-error') failed = true;
          });
          await network.sync();
          off();
          if (failed) await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        }
        emit(i, {
          type: 'cluster:synced',
          head: chain.head().number,
          segments: chain.lastSegmentIndex() + 1n,
          ms: performance.now() - s0,
        });
      }
      let plot: Plot | undefined;
      if (opts.farm !== false) {
        plot = await openPlot(join(dir, 'plot'), keypair.publicKey, params, spec.maxPiecesInSector);
        const p = plot;
        own.push(() => p.close());
      }
      const objectIndex = new FileObjectIndex(join(dir, 'objects.log'));
      own.push(() => objectIndex.close());
      let dsnPieces = 0;
      // The gateway's fallback when a piece is not in this node's own archive: the DSN.
      const pieceSources: Array<(index: bigint) => Promise<Uint8Array | undefined>> = [];
      let pieceGetter:
        | ((index: bigint, o?: { signal?: AbortSignal }) => Promise<Uint8Array | undefined>)
        | undefined;
      if (i > 0) {
        const getter = networkPieceGetter({
          node: network.dsn,
          validator: network.validator,
          params: spec.archiving,
          segmentHeader: (s) => chain.getSegmentHeader(s) ?? network.segmentHeaders.getSegmentHeader(s),
          ...(opts.farmerPieces === 'local-first' ? { local: (x: bigint) => chain.getPiece(x) } : {}),
          bootstrapPeers: boot,
          log: (message) => emit(i, { type: 'cluster:log', message }),
        });
        own.push(() => getter.watchdog.stop());
        pieceSources.push((index) => getter.getPiece(index));
        pieceGetter = async (index, o) => {
          const piece = await getter.getPiece(index, o?.signal === undefined ? {} : { signal: o.signal });
          if (piece !== undefined) dsnPieces++;
          return piece;
        };
      }
      const rpc = opts.rpc;
      const service = await NodeService.start({
        chain,
        closeChain: false,
        timekeeper: i === 0,
        ...(i === 0 ? {} : { potSource: pot }),
        slotDurationMs: opts.slotDurationMs ?? params.slotDurationMs,
        rpc:
          rpc === false
            ? false
            : {
                port: rpc?.port === undefined || rpc.port === 0 ? 0 : rpc.port + i,
                ...(rpc?.host === undefined ? {} : { host: rpc.host }),
              },
        // Uploads are signed by node 0's key (the endowed account); other nodes serve reads only.
        storage: { index: objectIndex, pieceSources, ...(i === 0 ? { publisher: keypair } : {}) },
        ...(plot === undefined
          ? {}
          : {
              farmer: {
                keypair,
                sectorCount: params.sectors,
                piecesInSector: params.piecesInSector,
                tableGenerator,
                kzg: chain.kzg,
                plot,
                ...(pieceGetter === undefined ? {} : { pieceGetter }),
              },
            }),
        onEvent: (e) => emit(i, e),
      });
      own.push(() => service.stop());
      if (i === 0 && service.timekeeper !== undefined) pot.relayFrom(service.timekeeper);
      const node: ClusterNode = {
        index: i,
        dataDir: dir,
        chain,
        network,
        service,
        pot,
        keypair,
        dsnPieces: () => dsnPieces,
        rpcUrl: service.rpc?.url,
      };
      closers.push(close);
      return node;
    } catch (e) {
      await close();
      throw e;
    }
  };

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Stop every service first (no new blocks), then the networks and the stores, last node first.
      await Promise.allSettled(nodes.map((n) => n.service.stop()));
      for (const c of closers.splice(0).reverse()) await c();
      await tableGenerator.close?.();
      if (temporary) rmSync(root, { recursive: true, force: true });
    })();
    return stopping;
  };

  // Resume every node directory present, at least `nodes`.
  const present = existsSync(root) ? readdirSync(root).filter((d) => /^node-\d+$/.test(d)).length : 0;
  const count = Math.max(opts.nodes, present);
  try {
    for (let i = 0; i < count; i++) nodes.push(await startNode(i, false));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    nodes,
    spec,
    params,
    dataDir: root,
    async addNode() {
      if (stopping !== undefined)
        throw new ServiceError({ code: 'SERVICE_INVALID_CONFIG', what: 'cluster', reason: 'stopped' });
      const n = await startNode(nodes.length, true);
      nodes.push(n);
      return n;
    },
    stop,
  };
}
