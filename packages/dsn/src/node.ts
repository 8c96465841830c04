/**
 * `createDsnNode`: a js-libp2p host with the storage network's stack (C.1): TCP, Noise, Yamux,
 * identify announcing `/subspace/2/<genesis hash>` on `/ipfs/id/1.0.0`, Kademlia under
 * `/subspace/kad/0.1.0` for routing only, ping, connection limits, temporary bans, reserved and
 * bootstrap peers; and the three request-response protocols (C.3) served from pluggable handlers.
 */
import { abytes, bytesToHex, PIECE_SIZE, type SegmentHeader } from '@autonomys/primitives';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { identify } from '@libp2p/identify';
import type { Connection, IdentifyResult, Libp2p, PeerId, PrivateKey, Stream } from '@libp2p/interface';
import { type KadDHT, kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht';
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import * as Digest from 'multiformats/hashes/digest';
import { BanList } from './bans.js';
import {
  CACHED_PIECE_BY_INDEX_PROTOCOL,
  IDENTIFY_VERSION_PREFIX,
  KADEMLIA_PROTOCOL,
  KADEMLIA_QUERY_TIMEOUT_MS,
  MAX_CACHED_PIECES,
  MAX_REQUEST_SIZE,
  MAX_RESPONSE_SIZE,
  MAX_SEGMENT_HEADERS_PER_REQUEST,
  NODE_CONNECTION_LIMITS,
  PIECE_BY_INDEX_PROTOCOL,
  REQUEST_TIMEOUT_MS,
  SEGMENT_HEADERS_PROTOCOL,
  UPGRADE_TIMEOUT_MS,
} from './constants.js';
import { DsnError } from './errors.js';
import { readFrame, writeFrame } from './framing.js';
import type { PieceCache, PlotReader, SegmentHeaderStore } from './handlers.js';
import { keyDistance, pieceKey } from './keys.js';
import {
  type CachedPieceByIndexResponse,
  type ClosestPeer,
  decodeCachedPieceByIndexResponse,
  decodePieceByIndexResponse,
  decodePieceRequest,
  decodeSegmentHeaderRequest,
  decodeSegmentHeaderResponse,
  encodeCachedPieceByIndexResponse,
  encodePieceByIndexResponse,
  encodePieceRequest,
  encodeSegmentHeaderRequest,
  encodeSegmentHeaderResponse,
  type PieceByIndexResponse,
  type SegmentHeaderRequest,
  truncateCachedPieces,
} from './messages.js';
import { installPromiseWithResolvers } from './node20.js';

export interface DsnNodeOptions {
  /** The chain's genesis hash (32 bytes): the identify version is `/subspace/2/<hex>`. */
  readonly genesisHash: Uint8Array;
  /** The Ed25519 identity (see `peerKeyFromFarmerSecret`); random when absent. */
  readonly privateKey?: PrivateKey;
  /** Listen multiaddrs (default `/ip4/0.0.0.0/tcp/30433`). */
  readonly listen?: readonly string[];
  /** Peers dialled at start and added to the routing table (multiaddrs ending in `/p2p/<id>`). */
  readonly bootstrapPeers?: readonly string[];
  /** Peers kept connected (re-dialled when they drop). */
  readonly reservedPeers?: readonly string[];
  /** Connection limits (default the node's 100 in / 100 out; farmers use 300 / 100). */
  readonly connectionLimits?: { readonly maxIncoming: number; readonly maxOutgoing: number };
  /** Accept and announce loopback/private addresses (tests, local networks). Default false. */
  readonly allowNonGlobalAddresses?: boolean;
  /** Bytes of a piece (default the network's 1 048 672; small archiving presets differ). */
  readonly pieceSize?: number;
  /** What this node serves; absent handlers answer "no response". */
  readonly pieceCache?: PieceCache;
  readonly plotReader?: PlotReader;
  readonly segmentHeaderStore?: SegmentHeaderStore;
  /** Inbound request rate limit per peer (token bucket). Default 100/s, burst 200. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /** Request timeout (default 20 s). */
  readonly requestTimeoutMs?: number;
  /** First ban duration (default 5 s, doubling up to 30 min). */
  readonly banInitialMs?: number;
  /** Called on notable events (bans, refusals); default silent. */
  readonly log?: (msg: string) => void;
}

/** A peer's identify outcome as seen by the DSN node. */
export interface DsnNodeEvents {
  'peer:banned': { peer: string; reason: string; untilMs: number };
}

type RoutingTableInternals = { remove?(peer: PeerId): Promise<void>; size: number };

function isGlobalAddress(ma: Multiaddr): boolean {
  for (const c of ma.getComponents()) {
    const v = c.value ?? '';
    if (c.name === 'ip4') {
      const [a = 0, b = 0] = v.split('.').map(Number);
      if (a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32))
        return false;
      if (a === 192 && b === 168) return false;
      if (a === 100 && b >= 64 && b < 128) return false;
    }
    if (c.name === 'ip6') {
      const l = v.toLowerCase();
      if (l === '::1' || l === '::' || l.startsWith('fe80') || l.startsWith('fc') || l.startsWith('fd'))
        return false;
    }
  }
  return true;
}

/**
 * A storage-network node. Create with {@link createDsnNode}; `stop()` when done.
 */
export class DsnNode {
  readonly libp2p: Libp2p<{ dht: KadDHT }>;
  readonly peerId: PeerId;
  readonly protocolVersion: string;
  readonly pieceSize: number;
  readonly bans: BanList;
  /**
   * Kademlia store requests from peers refused (C.1: Kademlia is for routing only): `PUT_VALUE`
   * records are refused (no answer) and `ADD_PROVIDER` records dropped, nothing is stored.
   */
  readonly kadStoresRefused = { putValue: 0, addProvider: 0 };
  private readonly opts: DsnNodeOptions;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly banListeners: Array<(e: DsnNodeEvents['peer:banned']) => void> = [];

  /** @internal use {@link createDsnNode} */
  constructor(libp2p: Libp2p<{ dht: KadDHT }>, opts: DsnNodeOptions, protocolVersion: string, bans: BanList) {
    this.libp2p = libp2p;
    this.peerId = libp2p.peerId;
    this.opts = opts;
    this.protocolVersion = protocolVersion;
    this.pieceSize = opts.pieceSize ?? PIECE_SIZE;
    this.bans = bans;
  }

  private log(msg: string): void {
    this.opts.log?.(msg);
  }

  /** Listening addresses including `/p2p/<id>`. */
  get addresses(): Multiaddr[] {
    return this.libp2p.getMultiaddrs();
  }

  /** Subscribes to bans (e.g. for metrics). */
  onBan(f: (e: DsnNodeEvents['peer:banned']) => void): void {
    this.banListeners.push(f);
  }

  /** Connected peers, not banned. */
  connectedPeers(): PeerId[] {
    return this.libp2p.getPeers().filter((p) => !this.bans.isBanned(p.toString()));
  }

  /** Temporarily bans a peer: disconnect, drop from routing, refuse its connections until the ban ends. */
  async ban(peer: PeerId, reason: string): Promise<void> {
    const entry = this.bans.ban(peer.toString(), reason);
    this.log(`banned ${peer} for ${entry.untilMs - Date.now()} ms: ${reason}`);
    for (const f of this.banListeners) f({ peer: peer.toString(), reason, untilMs: entry.untilMs });
    const rt = (this.libp2p.services.dht as unknown as { routingTable?: RoutingTableInternals }).routingTable;
    await Promise.allSettled([rt?.remove?.(peer), this.libp2p.hangUp(peer)]);
  }

  /** Dials a multiaddr (with `/p2p/`) or a known peer. */
  async dial(target: string | Multiaddr | PeerId, signal?: AbortSignal): Promise<Connection> {
    const t = typeof target === 'string' ? multiaddr(target) : target;
    return this.libp2p.dial(t, signal ? { signal } : {});
  }

  /** Peers closest to `key` by Kademlia (`get_closest_peers`), with their addresses. */
  async getClosestPeers(key: Uint8Array, opts: { signal?: AbortSignal } = {}): Promise<ClosestPeerInfo[]> {
    const signal = opts.signal ?? AbortSignal.timeout(KADEMLIA_QUERY_TIMEOUT_MS);
    const found = new Map<string, ClosestPeerInfo>();
    try {
      for await (const e of this.libp2p.services.dht.getClosestPeers(key, { signal })) {
        if (e.name === 'FINAL_PEER' && !this.bans.isBanned(e.peer.id.toString())) {
          found.set(e.peer.id.toString(), { id: e.peer.id, multiaddrs: e.peer.multiaddrs });
        }
      }
    } catch (e) {
      if (found.size === 0 && !(signal.aborted && opts.signal === undefined)) throw e;
    }
    return [...found.values()];
  }

  /** Locally known peers closest to `key` (from the peer store), excluding `exclude`. */
  async localClosestPeers(key: Uint8Array, count: number, exclude?: PeerId): Promise<ClosestPeerInfo[]> {
    const peers = await this.libp2p.peerStore.all();
    return peers
      .filter(
        (p) =>
          p.addresses.length > 0 &&
          !(exclude && p.id.equals(exclude)) &&
          !p.id.equals(this.peerId) &&
          !this.bans.isBanned(p.id.toString()) &&
          p.protocols.includes(CACHED_PIECE_BY_INDEX_PROTOCOL),
      )
      .map((p) => ({
        info: { id: p.id, multiaddrs: p.addresses.map((a) => a.multiaddr) },
        d: keyDistance(p.id, key),
      }))
      .sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : 0))
      .slice(0, count)
      .map((x) => x.info);
  }

  /** Adds a peer's addresses to the peer store (e.g. from a `ClosestPeers` answer). */
  async addPeer(peer: PeerId, addrs: Multiaddr[]): Promise<void> {
    if (this.bans.isBanned(peer.toString()) || peer.equals(this.peerId)) return;
    const usable = this.opts.allowNonGlobalAddresses ? addrs : addrs.filter(isGlobalAddress);
    if (usable.length > 0) await this.libp2p.peerStore.merge(peer, { multiaddrs: usable });
  }

  private async request(
    peer: PeerId,
    protocol: string,
    payload: Uint8Array,
    signal?: AbortSignal,
  ): Promise<Uint8Array | undefined> {
    const banned = this.bans.banned(peer.toString());
    if (banned)
      throw new DsnError({ code: 'DSN_PEER_BANNED', peer: peer.toString(), untilMs: banned.untilMs });
    const ms = this.opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(ms);
    const s = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let stream: Stream | undefined;
    try {
      stream = await this.libp2p.dialProtocol(peer, protocol, { signal: s });
      const onAbort = () => stream?.abort(new Error('aborted'));
      s.addEventListener('abort', onAbort, { once: true });
      try {
        await writeFrame(stream, payload);
        return await readFrame(stream.source, MAX_RESPONSE_SIZE, `${protocol} response`);
      } finally {
        s.removeEventListener('abort', onAbort);
      }
    } catch (e) {
      stream?.abort(e instanceof Error ? e : new Error(String(e)));
      if (e instanceof DsnError) throw e;
      if (signal?.aborted) throw new DsnError({ code: 'DSN_ABORTED' });
      if (timeout.aborted) throw new DsnError({ code: 'DSN_TIMEOUT', protocol, ms });
      throw e;
    } finally {
      if (stream && stream.status === 'open') void stream.close().catch(() => {});
    }
  }

  /** `/subspace/piece-by-index/0.1.0`; `undefined` is the peer's "no response". */
  async requestPieceByIndex(
    peer: PeerId,
    pieceIndex: bigint,
    cachedPieces: readonly bigint[] = [],
    signal?: AbortSignal,
  ): Promise<PieceByIndexResponse | undefined> {
    const bytes = await this.request(
      peer,
      PIECE_BY_INDEX_PROTOCOL,
      encodePieceRequest({ pieceIndex, cachedPieces: truncateCachedPieces(cachedPieces) }),
      signal,
    );
    return bytes && decodePieceByIndexResponse(bytes, { pieceSize: this.pieceSize });
  }

  /** `/subspace/cached-piece-by-index/0.1.0`. */
  async requestCachedPiece(
    peer: PeerId,
    pieceIndex: bigint,
    cachedPieces: readonly bigint[] = [],
    signal?: AbortSignal,
  ): Promise<CachedPieceByIndexResponse | undefined> {
    const bytes = await this.request(
      peer,
      CACHED_PIECE_BY_INDEX_PROTOCOL,
      encodePieceRequest({ pieceIndex, cachedPieces: truncateCachedPieces(cachedPieces) }),
      signal,
    );
    return bytes && decodeCachedPieceByIndexResponse(bytes, { pieceSize: this.pieceSize });
  }

  /** `/subspace/segment-headers-by-indexes/0.1.0`. */
  async requestSegmentHeaders(
    peer: PeerId,
    req: SegmentHeaderRequest,
    signal?: AbortSignal,
  ): Promise<SegmentHeader[] | undefined> {
    const bytes = await this.request(peer, SEGMENT_HEADERS_PROTOCOL, encodeSegmentHeaderRequest(req), signal);
    return bytes && [...decodeSegmentHeaderResponse(bytes).segmentHeaders];
  }

  /** Token bucket per peer: false when the peer exceeded its rate. */
  private admit(peer: string): boolean {
    const { perSecond, burst } = this.opts.rateLimit ?? { perSecond: 100, burst: 200 };
    const now = Date.now();
    const b = this.buckets.get(peer) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(peer, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** @internal registers one request-response protocol. */
  async serve(protocol: string, respond: (req: Uint8Array, peer: PeerId) => Promise<Uint8Array | undefined>) {
    await this.libp2p.handle(
      protocol,
      ({ stream, connection }) => {
        const peer = connection.remotePeer;
        void (async () => {
          try {
            if (this.bans.isBanned(peer.toString()) || !this.admit(peer.toString())) {
              this.log(
                `refused ${protocol} from ${peer}: ${this.bans.isBanned(peer.toString()) ? 'banned' : 'rate limit'}`,
              );
              await stream.close();
              return;
            }
            const signal = AbortSignal.timeout(this.opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
            const onTimeout = () => stream.abort(new Error('request timeout'));
            signal.addEventListener('abort', onTimeout, { once: true });
            try {
              const req = await readFrame(stream.source, MAX_REQUEST_SIZE, `${protocol} request`);
              const res = req === undefined ? undefined : await respond(req, peer);
              if (res === undefined) await stream.close();
              else await writeFrame(stream, res);
            } finally {
              signal.removeEventListener('abort', onTimeout);
            }
          } catch (e) {
            // Malformed or oversized requests, handler failures: "no response", never a crash.
            this.log(`${protocol} from ${peer}: ${e instanceof Error ? e.message : String(e)}`);
            stream.abort(e instanceof Error ? e : new Error(String(e)));
          }
        })();
      },
      { maxInboundStreams: 64, maxOutboundStreams: 64 },
    );
  }

  /** Stops the node. */
  async stop(): Promise<void> {
    await this.libp2p.stop();
  }
}

export interface ClosestPeerInfo {
  readonly id: PeerId;
  readonly multiaddrs: Multiaddr[];
}

/** Converts a `ClosestPeers` entry from the wire to a peer id and multiaddrs. */
export function closestPeerFromWire(p: ClosestPeer): ClosestPeerInfo {
  const code = p.peerId[0] ?? 0;
  const digest = Digest.create(code, p.peerId.subarray(2));
  return { id: peerIdFromMultihash(digest), multiaddrs: p.addresses.map((a) => multiaddr(a)) };
}

function toWire(info: ClosestPeerInfo): ClosestPeer {
  const id = info.id.toMultihash().bytes;
  const addresses = info.multiaddrs.map(
    (m) => (m.getPeerId() === null ? m.encapsulate(`/p2p/${info.id.toString()}`) : m).bytes,
  );
  return { peerId: id, addresses };
}

/** The identify protocol version string of a chain. @example identifyVersion(genesisHash) // '/subspace/2/92e9…' */
export function identifyVersion(genesisHash: Uint8Array): string {
  abytes(genesisHash, 32, 'genesis hash');
  return `${IDENTIFY_VERSION_PREFIX}${bytesToHex(genesisHash)}`;
}

type KadHandler = { handle(peer: PeerId, msg: unknown): Promise<unknown> };

/**
 * Kademlia for routing only (C.1): the stock service stores `PUT_VALUE` records (any key without a
 * registered validator, and `/pk/` keys) and `ADD_PROVIDER` records sent by peers. Their handlers
 * are replaced: a `PUT_VALUE` is refused (no answer: the sender sees a failed put) and an
 * `ADD_PROVIDER` (which has no answer) is dropped; nothing reaches the datastore. `GET_VALUE` and
 * `GET_PROVIDERS` keep answering with closer peers and, nothing being stored, no records.
 */
function routingOnly(svc: unknown, refused: { putValue: number; addProvider: number }): void {
  const handlers = (svc as { rpc?: { handlers?: Record<string, KadHandler> } }).rpc?.handlers;
  if (handlers?.PUT_VALUE === undefined || handlers.ADD_PROVIDER === undefined) {
    throw new DsnError({
      code: 'DSN_INVALID_ARGUMENT',
      what: '@libp2p/kad-dht',
      reason: 'unsupported version: cannot make Kademlia routing-only',
    });
  }
  handlers.PUT_VALUE = {
    async handle() {
      refused.putValue++;
      throw new DsnError({
        code: 'DSN_INVALID_ARGUMENT',
        what: 'Kademlia PUT_VALUE',
        reason: 'routing only',
      });
    },
  };
  handlers.ADD_PROVIDER = {
    async handle() {
      refused.addProvider++;
      return undefined;
    },
  };
}

/**
 * Creates and starts a storage-network node.
 * @example const node = await createDsnNode({ genesisHash, listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true })
 */
export async function createDsnNode(opts: DsnNodeOptions): Promise<DsnNode> {
  installPromiseWithResolvers(); // js-libp2p's modules call it; Node 20 lacks it
  const protocolVersion = identifyVersion(opts.genesisHash);
  const privateKey = opts.privateKey ?? (await generateKeyPair('Ed25519'));
  const limits = opts.connectionLimits ?? NODE_CONNECTION_LIMITS;
  const bans = new BanList(opts.banInitialMs);
  const allowLocal = opts.allowNonGlobalAddresses === true;
  let inbound = 0;
  const baseIdentify = identify({ timeout: 10_000 });
  const refused = { putValue: 0, addProvider: 0 };
  const libp2p = await createLibp2p({
    privateKey,
    addresses: { listen: [...(opts.listen ?? ['/ip4/0.0.0.0/tcp/30433'])] },
    transports: [tcp({ inboundSocketInactivityTimeout: 0, outboundSocketInactivityTimeout: 0 })],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      maxConnections: limits.maxIncoming + limits.maxOutgoing,
      inboundUpgradeTimeout: UPGRADE_TIMEOUT_MS,
      maxParallelDials: 50,
    },
    connectionGater: {
      denyDialPeer: (peer) => bans.isBanned(peer.toString()),
      denyDialMultiaddr: (ma) => !allowLocal && !isGlobalAddress(ma),
      denyInboundConnection: () => inbound >= limits.maxIncoming,
      denyInboundEncryptedConnection: (peer) => bans.isBanned(peer.toString()),
      denyOutboundEncryptedConnection: (peer) => bans.isBanned(peer.toString()),
    },
    services: {
      // The stock identify announces `<prefix>/<version>` and would rename its protocol with the
      // prefix; we keep `/ipfs/id/1.0.0` and set the announced version string after construction.
      identify: (components: Parameters<ReturnType<typeof identify>>[0]) => {
        const svc = baseIdentify(components) as unknown as { host?: { protocolVersion: string } };
        if (svc.host === undefined || typeof svc.host.protocolVersion !== 'string') {
          throw new DsnError({
            code: 'DSN_INVALID_ARGUMENT',
            what: '@libp2p/identify',
            reason: 'unsupported version: cannot set the protocol version',
          });
        }
        svc.host.protocolVersion = protocolVersion;
        return svc;
      },
      ping: ping(),
      dht: (components: Parameters<ReturnType<typeof kadDHT>>[0]) => {
        const svc = kadDHT({
          protocol: KADEMLIA_PROTOCOL,
          clientMode: false,
          peerInfoMapper: allowLocal ? passthroughMapper : removePrivateAddressesMapper,
          allowQueryWithZeroPeers: true,
          initialQuerySelfInterval: 1000,
        })(components);
        routingOnly(svc, refused);
        return svc;
      },
    },
  });
  const node = new DsnNode(libp2p as unknown as Libp2p<{ dht: KadDHT }>, opts, protocolVersion, bans);
  // The node's counters are the ones the refusing handlers update.
  Object.defineProperty(node, 'kadStoresRefused', { value: refused });

  libp2p.addEventListener('connection:open', (e) => {
    if (e.detail.direction === 'inbound') inbound++;
  });
  libp2p.addEventListener('connection:close', (e) => {
    if (e.detail.direction === 'inbound') inbound--;
  });
  libp2p.addEventListener('peer:identify', (e: CustomEvent<IdentifyResult>) => {
    if (e.detail.protocolVersion !== protocolVersion) {
      void node.ban(e.detail.peerId, `identify protocol version ${JSON.stringify(e.detail.protocolVersion)}`);
    }
  });

  const pieceSize = node.pieceSize;
  const { pieceCache, plotReader, segmentHeaderStore } = opts;
  const cachedSubset = (list: readonly bigint[]) =>
    pieceCache ? list.slice(0, MAX_CACHED_PIECES).filter((i) => pieceCache.hasPiece(i)) : [];

  await node.serve(PIECE_BY_INDEX_PROTOCOL, async (bytes) => {
    if (!pieceCache && !plotReader) return undefined;
    const req = decodePieceRequest(bytes);
    const piece =
      (await pieceCache?.getPiece(req.pieceIndex)) ?? (await plotReader?.readPiece(req.pieceIndex));
    return encodePieceByIndexResponse({ piece, cachedPieces: cachedSubset(req.cachedPieces) }, { pieceSize });
  });
  await node.serve(CACHED_PIECE_BY_INDEX_PROTOCOL, async (bytes, peer) => {
    if (!pieceCache) return undefined;
    const req = decodePieceRequest(bytes);
    const cachedPieces = cachedSubset(req.cachedPieces);
    const piece = await pieceCache.getPiece(req.pieceIndex);
    if (piece)
      return encodeCachedPieceByIndexResponse(
        { result: { type: 'piece', piece }, cachedPieces },
        { pieceSize },
      );
    const closest = await node.localClosestPeers(pieceKey(req.pieceIndex), 20, peer);
    if (closest.length === 0) return undefined;
    return encodeCachedPieceByIndexResponse(
      { result: { type: 'closestPeers', peers: closest.map(toWire) }, cachedPieces },
      { pieceSize },
    );
  });
  await node.serve(SEGMENT_HEADERS_PROTOCOL, async (bytes) => {
    if (!segmentHeaderStore) return undefined;
    const req = decodeSegmentHeaderRequest(bytes);
    let headers: SegmentHeader[];
    if (req.type === 'lastSegmentHeaders') {
      headers = segmentHeaderStore.lastSegmentHeaders(Math.min(req.limit, MAX_SEGMENT_HEADERS_PER_REQUEST));
    } else {
      headers = [];
      for (const i of req.segmentIndexes) {
        const h = segmentHeaderStore.getSegmentHeader(i);
        if (h === undefined) return undefined; // any unknown header: no response (C.3)
        headers.push(h);
      }
    }
    return encodeSegmentHeaderResponse({ segmentHeaders: headers });
  });

  for (const addr of opts.reservedPeers ?? []) {
    const ma = multiaddr(addr);
    const id = ma.getPeerId();
    if (id === null)
      throw new DsnError({
        code: 'DSN_INVALID_ARGUMENT',
        what: 'reserved peer',
        reason: `${addr} has no /p2p/`,
      });
    await libp2p.peerStore.merge(peerIdFromString(id), {
      multiaddrs: [ma],
      tags: { 'keep-alive-reserved': { value: 100 }, 'keep-alive': { value: 1 } },
    });
  }
  const initial = [...(opts.bootstrapPeers ?? []), ...(opts.reservedPeers ?? [])];
  await Promise.allSettled(initial.map((a) => libp2p.dial(multiaddr(a))));
  return node;
}
