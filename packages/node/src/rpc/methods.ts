/**
 * The node's JSON-RPC method table: Substrate's `system_*`, `chain_*`, `state_*`, `author_*`
 * families and the reference's `subspace_*` farmer API, plus `autonomys_*` extensions (node status
 * with plotting progress, accounts). Handlers validate every parameter (-32602 on bad input) and
 * never throw anything but typed errors.
 */
import type { SegmentHeader } from '@autonomys/primitives';
import type { BlockId, BlockInfo, ChainApi } from '../consensus/api.js';
import type { FarmingHub } from '../roles/hub.js';
import {
  farmerAppInfoToJson,
  headerToJson,
  rewardSignatureResponseFromJson,
  rewardSigningInfoToJson,
  segmentHeaderToJson,
  signedBlockToJson,
  slotInfoToJson,
  solutionResponseFromJson,
  u64ToJson,
} from './codec.js';
import { RpcError } from './errors.js';
import { RpcRouter, type RpcRouterLimits } from './jsonrpc.js';
import {
  hexParam,
  objectParam,
  optionalHexParam,
  optionalU32Param,
  toHex,
  toHexNumber,
  u64Param,
} from './params.js';

/** Most segment headers or pieces asked in one call (the reference allows 1000 headers). */
export const MAX_SEGMENT_HEADERS_PER_REQUEST = 1000;

/** What `autonomys_nodeStatus` reports about plotting (from the in-process farmer, if any). */
export interface PlottingStatus {
  readonly sectorsTotal: number;
  readonly sectorsPlotted: number;
  /** Fraction of the sector being plotted, 0..1. */
  readonly currentSector: number;
  readonly replots: number;
}

/** The node's roles and progress, for `autonomys_nodeStatus` and `system_health`. */
export interface NodeStatusSource {
  readonly name: string;
  readonly version: string;
  roles(): { timekeeper: boolean; farmer: boolean; author: boolean };
  plotting(): PlottingStatus | undefined;
  /** Last slot proved or heard of. */
  slot(): bigint | undefined;
  blocksAuthored(): number;
}

/** Inputs of {@link buildNodeRouter}. */
export interface NodeRpcInit {
  chain: ChainApi;
  hub: FarmingHub;
  status: NodeStatusSource;
  limits?: RpcRouterLimits;
}

function blockIdParam(method: string, params: readonly unknown[]): BlockId | undefined {
  return optionalHexParam(method, params, 0, 'hash', 32);
}

/** The finalized block: `K` below the head (archived history is final; pot-consensus-dsn B.10). */
function finalizedInfo(chain: ChainApi): BlockInfo {
  const head = chain.head();
  const n = Math.max(0, head.number - chain.spec.confirmationDepthK);
  return chain.getBlockInfo(n) ?? head;
}

/**
 * Builds the router of a node.
 * @example const server = await startRpcServer(buildNodeRouter({ chain, hub, status }), { port: 9944 });
 */
export function buildNodeRouter(init: NodeRpcInit): RpcRouter {
  const { chain, hub, status } = init;
  const r = new RpcRouter(init.limits);
  // Every subscription adds a listener to the chain's events; many clients are expected.
  const emitter = chain as { setMaxListeners?: (n: number) => unknown; getMaxListeners?: () => number };
  if (typeof emitter.setMaxListeners === 'function' && (emitter.getMaxListeners?.() ?? 0) < 1000)
    emitter.setMaxListeners(1000);

  // ---- system_* ----
  r.method('system_name', () => status.name);
  r.method('system_version', () => status.version);
  r.method('system_chain', () => chain.spec.name);
  r.method('system_chainType', () => 'Development');
  r.method('system_properties', () => ({ ss58Format: 6094, tokenDecimals: 18, tokenSymbol: 'AI3' }));
  r.method('system_health', () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }));
  r.method('system_syncState', () => {
    const n = chain.head().number;
    return { startingBlock: 0, currentBlock: n, highestBlock: n };
  });
  r.method('system_accountNextIndex', (p) =>
    chain.nextNonce(hexParam('system_accountNextIndex', p, 0, 'accountId', 32)),
  );
  r.method('rpc_methods', () => ({ version: 1, methods: r.methodNames() }));

  // ---- chain_* ----
  r.method('chain_getHeader', (p) => {
    const id = blockIdParam('chain_getHeader', p);
    const h = chain.getHeader(id ?? chain.head().hash);
    return h === undefined ? null : headerToJson(h);
  });
  r.method('chain_getBlock', async (p) => {
    const id = blockIdParam('chain_getBlock', p);
    const b = await chain.getBlock(id ?? chain.head().hash);
    return b === undefined ? null : signedBlockToJson(b);
  });
  r.method('chain_getBlockHash', (p) => {
    const n = optionalU32Param('chain_getBlockHash', p, 0, 'number');
    if (n === undefined) return toHex(chain.head().hash);
    const info = chain.getBlockInfo(n);
    return info === undefined ? null : toHex(info.hash);
  });
  r.method('chain_getFinalizedHead', () => toHex(finalizedInfo(chain).hash));
  const headSubscription =
    (event: 'newHead' | 'blockImported' | 'finalized') =>
    (_p: readonly unknown[], emit: (v: unknown) => void) => {
      if (event === 'finalized') {
        let last = -1;
        const l = () => {
          const f = finalizedInfo(chain);
          if (f.number !== last) {
            last = f.number;
            emit(headerToJson(f.header));
          }
        };
        l();
        chain.on('newHead', l);
        return () => chain.off('newHead', l);
      }
      const l = (b: BlockInfo) => emit(headerToJson(b.header));
      if (event === 'newHead') emit(headerToJson(chain.head().header));
      chain.on(event, l);
      return () => chain.off(event, l);
    };
  r.subscription('chain_subscribeNewHeads', {
    notification: 'chain_newHead',
    unsubscribe: 'chain_unsubscribeNewHeads',
    subscribe: headSubscription('newHead'),
  });
  r.subscription('chain_subscribeAllHeads', {
    notification: 'chain_allHead',
    unsubscribe: 'chain_unsubscribeAllHeads',
    subscribe: headSubscription('blockImported'),
  });
  r.subscription('chain_subscribeFinalizedHeads', {
    notification: 'chain_finalizedHead',
    unsubscribe: 'chain_unsubscribeFinalizedHeads',
    subscribe: headSubscription('finalized'),
  });

  // ---- state_* ----
  r.method('state_getRuntimeVersion', () => {
    const v = chain.runtimeVersion();
    return { ...v, authoringVersion: 0, implVersion: 0, apis: [], stateVersion: 1 };
  });

  // ---- author_* ----
  r.method('author_submitExtrinsic', (p) => {
    const bytes = hexParam('author_submitExtrinsic', p, 0, 'extrinsic');
    const result = chain.submitExtrinsic(bytes);
    if (result.status === 'invalid')
      throw new RpcError({
        code: 'RPC_REJECTED',
        method: 'author_submitExtrinsic',
        reason: `Invalid transaction (${result.code}): ${result.detail}`,
      });
    return toHex(result.hash);
  });
  r.method('author_pendingExtrinsics', () => chain.pendingExtrinsics().map(toHex));

  // ---- subspace_* (reference: sc-consensus-subspace-rpc) ----
  r.method('subspace_getFarmerAppInfo', async () => farmerAppInfoToJson(await hub.farmerAppInfo()));
  r.method('subspace_submitSolutionResponse', async (p) => {
    const o = objectParam('subspace_submitSolutionResponse', p, 0, 'solutionResponse');
    let response: ReturnType<typeof solutionResponseFromJson>;
    try {
      response = solutionResponseFromJson(o);
    } catch (e) {
      throw new RpcError({
        code: 'RPC_INVALID_PARAMS',
        method: 'subspace_submitSolutionResponse',
        reason: (e as Error).message,
      });
    }
    await hub.submitSolution(response);
    return null;
  });
  r.method('subspace_submitRewardSignature', async (p) => {
    const o = objectParam('subspace_submitRewardSignature', p, 0, 'rewardSignature');
    let response: ReturnType<typeof rewardSignatureResponseFromJson>;
    try {
      response = rewardSignatureResponseFromJson(o);
    } catch (e) {
      throw new RpcError({
        code: 'RPC_INVALID_PARAMS',
        method: 'subspace_submitRewardSignature',
        reason: (e as Error).message,
      });
    }
    await hub.submitRewardSignature(response);
    return null;
  });
  r.subscription('subspace_subscribeSlotInfo', {
    notification: 'subspace_slot_info',
    unsubscribe: 'subspace_unsubscribeSlotInfo',
    subscribe: (_p, emit) => {
      let stop: (() => void) | undefined;
      let cancelled = false;
      void hub
        .onSlotInfo((info) => emit(slotInfoToJson(info)))
        .then((u) => {
          if (cancelled) u();
          else stop = u;
        });
      return () => {
        cancelled = true;
        stop?.();
      };
    },
  });
  r.subscription('subspace_subscribeRewardSigning', {
    notification: 'subspace_reward_signing',
    unsubscribe: 'subspace_unsubscribeRewardSigning',
    subscribe: (_p, emit) => {
      let stop: (() => void) | undefined;
      let cancelled = false;
      void hub
        .onRewardSigning((info) => emit(rewardSigningInfoToJson(info)))
        .then((u) => {
          if (cancelled) u();
          else stop = u;
        });
      return () => {
        cancelled = true;
        stop?.();
      };
    },
  });
  r.subscription('subspace_subscribeArchivedSegmentHeader', {
    notification: 'subspace_archived_segment_header',
    unsubscribe: 'subspace_unsubscribeArchivedSegmentHeader',
    subscribe: (_p, emit) => {
      const l = (e: { header: SegmentHeader }) => emit(segmentHeaderToJson(e.header));
      chain.on('segmentArchived', l);
      return () => chain.off('segmentArchived', l);
    },
  });
  r.subscription('subspace_subscribeNodeSyncStatusChange', {
    notification: 'subspace_node_sync_status_change',
    unsubscribe: 'subspace_unsubscribeNodeSyncStatusChange',
    subscribe: (_p, emit) => {
      // A single dev node is always synced; the network layer will emit changes.
      emit('synced');
      return () => {};
    },
  });
  r.method('subspace_segmentHeaders', (p) => {
    const list = p[0];
    if (!Array.isArray(list) || list.length > MAX_SEGMENT_HEADERS_PER_REQUEST)
      throw new RpcError({
        code: 'RPC_INVALID_PARAMS',
        method: 'subspace_segmentHeaders',
        reason: `segmentIndexes: expected an array of at most ${MAX_SEGMENT_HEADERS_PER_REQUEST} indexes`,
      });
    return list.map((_v, i) => {
      const h = chain.getSegmentHeader(u64Param('subspace_segmentHeaders', list, i, `segmentIndexes[${i}]`));
      return h === undefined ? null : segmentHeaderToJson(h);
    });
  });
  r.method('subspace_lastSegmentHeaders', (p) => {
    const limit = u64Param('subspace_lastSegmentHeaders', p, 0, 'limit');
    const n =
      limit > BigInt(MAX_SEGMENT_HEADERS_PER_REQUEST) ? BigInt(MAX_SEGMENT_HEADERS_PER_REQUEST) : limit;
    const last = chain.lastSegmentIndex();
    const out: unknown[] = [];
    for (let i = last - n + 1n; i <= last; i++) {
      if (i < 0n) continue;
      const h = chain.getSegmentHeader(i);
      out.push(h === undefined ? null : segmentHeaderToJson(h));
    }
    return out;
  });
  r.method('subspace_piece', async (p) => {
    const piece = await chain.getPiece(u64Param('subspace_piece', p, 0, 'pieceIndex'));
    return piece === undefined ? null : toHex(piece);
  });
  // The reference waits for farmers to acknowledge a segment before archiving goes on; a local
  // node keeps every piece, so the acknowledgement is accepted and has no effect.
  r.method('subspace_acknowledgeArchivedSegmentHeader', (p) => {
    u64Param('subspace_acknowledgeArchivedSegmentHeader', p, 0, 'segmentIndex');
    return null;
  });

  // ---- autonomys_* (extensions) ----
  r.method('autonomys_nodeStatus', () => {
    const head = chain.head();
    const fin = finalizedInfo(chain);
    const slot = status.slot();
    return {
      name: status.name,
      version: status.version,
      chain: chain.spec.name,
      genesisHash: toHex(chain.genesisHash),
      roles: status.roles(),
      best: { number: head.number, hash: toHex(head.hash), slot: u64ToJson(head.slot) },
      finalized: { number: fin.number, hash: toHex(fin.hash) },
      sync: { isSyncing: false, peers: 0 },
      slot: slot === undefined ? null : u64ToJson(slot),
      lastSegmentIndex: u64ToJson(chain.lastSegmentIndex()),
      historySize: u64ToJson(chain.historySize()),
      farmers: hub.farmerCount,
      solutions: hub.stats,
      blocksAuthored: status.blocksAuthored(),
      plotting: status.plotting() ?? null,
    };
  });
  // The history size at a block (its parent's, for checking that block's solution).
  r.method('autonomys_historySize', (p) => {
    const id = blockIdParam('autonomys_historySize', p);
    if (id !== undefined && chain.getBlockInfo(id) === undefined) return null;
    return u64ToJson(chain.historySize(id));
  });
  r.method('autonomys_account', (p) => {
    const a = chain.account(hexParam('autonomys_account', p, 0, 'accountId', 32));
    return {
      nonce: a.nonce,
      free: toHexNumber(a.free),
      reserved: toHexNumber(a.reserved),
      frozen: toHexNumber(a.frozen),
    };
  });
  return r;
}
