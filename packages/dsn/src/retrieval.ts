/**
 * Piece retrieval (C.4, C.5): an L2 getter that walks towards each piece's key with
 * `cached-piece-by-index`, an L1 getter that asks connected peers with `piece-by-index` and then
 * random walks, and a composed getter with fallback, retries with backoff, re-discovery and a
 * no-progress watchdog. Every received piece is validated (C.6) before it is returned; a peer that
 * sends an invalid piece is banned.
 */

import type { SegmentHeader } from '@autonomys/primitives';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PeerId } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { MAX_CACHED_PIECES, NUM_PIECES, WATCHDOG_MS } from './constants.js';
import { DsnError } from './errors.js';
import { keyDistance, pieceKey } from './keys.js';
import { closestPeerFromWire, type DsnNode } from './node.js';
import type { PieceValidator } from './validation.js';

/** Where segment headers come from (the node's chain, or DSN sync's verified chain). */
export type SegmentHeaderSource = (
  segmentIndex: bigint,
) => SegmentHeader | undefined | Promise<SegmentHeader | undefined>;

export interface RetrievalOptions {
  readonly node: DsnNode;
  readonly validator: PieceValidator;
  readonly segmentHeader: SegmentHeaderSource;
  /** Pieces per segment (default 256). */
  readonly piecesPerSegment?: number;
  /** Called with progress messages and stalls. */
  readonly log?: (msg: string) => void;
}

export interface GetPieceOptions {
  readonly signal?: AbortSignal;
}

/** A source of validated pieces. */
export interface PieceGetter {
  getPiece(pieceIndex: bigint, opts?: GetPieceOptions): Promise<Uint8Array | undefined>;
}

const errMsg = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Validates a piece from `peer`; bans the peer when it is invalid. */
export async function acceptPiece(
  o: RetrievalOptions,
  peer: PeerId,
  pieceIndex: bigint,
  piece: Uint8Array,
): Promise<Uint8Array | undefined> {
  const segmentIndex = pieceIndex / BigInt(o.piecesPerSegment ?? NUM_PIECES);
  const header = await o.segmentHeader(segmentIndex);
  // Without the header nothing can be checked: the piece is not used (the peer is not at fault).
  if (header === undefined) return undefined;
  if (await o.validator.validate(pieceIndex, piece, header)) return piece;
  await o.node.ban(peer, `invalid piece ${pieceIndex}`);
  return undefined;
}

function byDistance(key: Uint8Array) {
  return (a: PeerId, b: PeerId) => {
    const da = keyDistance(a, key);
    const db = keyDistance(b, key);
    return da < db ? -1 : da > db ? 1 : 0;
  };
}

export interface L2Options extends RetrievalOptions {
  /** Peers asked at once per piece (Kademlia's α). Default 3. */
  readonly parallelism?: number;
  /** Most peers asked for one piece before giving up. Default 40. */
  readonly maxQueries?: number;
}

/**
 * L2 retrieval: for many pieces at once, the iterative cached-piece walk. Each request carries up
 * to 128 other still-wanted indexes in `cached_pieces`; answers naming some become hints (that
 * peer is asked for them first). Returns the pieces found, validated.
 */
export class L2PieceGetter implements PieceGetter {
  private readonly hints = new Map<bigint, Set<string>>();
  constructor(private readonly o: L2Options) {}

  async getPiece(pieceIndex: bigint, opts: GetPieceOptions = {}): Promise<Uint8Array | undefined> {
    return (await this.getPieces([pieceIndex], opts)).get(pieceIndex);
  }

  /** Looks for all `pieceIndexes`, `concurrency` pieces at a time (default 16). */
  async getPieces(
    pieceIndexes: readonly bigint[],
    opts: GetPieceOptions & { concurrency?: number; onPiece?: (i: bigint, piece: Uint8Array) => void } = {},
  ): Promise<Map<bigint, Uint8Array>> {
    const found = new Map<bigint, Uint8Array>();
    const wanted = new Set(pieceIndexes);
    const queue = [...pieceIndexes];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        if (opts.signal?.aborted) return;
        if (found.has(i)) continue;
        const piece = await this.walk(i, wanted, opts.signal);
        if (piece) {
          found.set(i, piece);
          opts.onPiece?.(i, piece);
        }
        wanted.delete(i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, queue.length) }, worker));
    return found;
  }

  private async walk(
    pieceIndex: bigint,
    wanted: Set<bigint>,
    signal?: AbortSignal,
  ): Promise<Uint8Array | undefined> {
    const node = this.o.node;
    const key = pieceKey(pieceIndex);
    const cmp = byDistance(key);
    const asked = new Set<string>();
    const candidates = new Map<string, PeerId>();
    const hinted = this.hints.get(pieceIndex) ?? new Set<string>();
    for (const p of node.connectedPeers()) candidates.set(p.toString(), p);
    for (const p of await node.localClosestPeers(key, 20)) candidates.set(p.id.toString(), p.id);
    const maxQueries = this.o.maxQueries ?? 40;
    const alpha = this.o.parallelism ?? 3;
    while (asked.size < maxQueries && !signal?.aborted) {
      const next = [...candidates.values()]
        .filter((p) => !asked.has(p.toString()) && !node.bans.isBanned(p.toString()))
        .sort((a, b) => {
          const ha = hinted.has(a.toString()) ? 0 : 1;
          const hb = hinted.has(b.toString()) ? 0 : 1;
          return ha !== hb ? ha - hb : cmp(a, b);
        })
        .slice(0, alpha);
      if (next.length === 0) return undefined;
      for (const p of next) asked.add(p.toString());
      const others = [...wanted].filter((i) => i !== pieceIndex).slice(0, MAX_CACHED_PIECES);
      const answers = await Promise.all(
        next.map(async (peer) => {
          try {
            return { peer, res: await node.requestCachedPiece(peer, pieceIndex, others, signal) };
          } catch (e) {
            this.o.log?.(`cached-piece ${pieceIndex} from ${peer}: ${errMsg(e)}`);
            return { peer, res: undefined };
          }
        }),
      );
      for (const { peer, res } of answers) {
        if (res === undefined) continue;
        for (const i of res.cachedPieces) {
          if (!wanted.has(i)) continue; // only hints for what we asked about
          const s = this.hints.get(i) ?? new Set<string>();
          s.add(peer.toString());
          this.hints.set(i, s);
        }
        if (res.result.type === 'piece') {
          const ok = await acceptPiece(this.o, peer, pieceIndex, res.result.piece);
          if (ok) {
            this.hints.delete(pieceIndex);
            return ok;
          }
        } else {
          for (const w of res.result.peers) {
            try {
              const info = closestPeerFromWire(w);
              if (info.id.equals(node.peerId)) continue;
              await node.addPeer(info.id, info.multiaddrs);
              candidates.set(info.id.toString(), info.id);
            } catch (e) {
              this.o.log?.(`bad closest peer from ${peer}: ${errMsg(e)}`);
            }
          }
        }
      }
    }
    return undefined;
  }
}

export interface L1Options extends RetrievalOptions {
  /** Random walks when no connected peer has the piece. Default 3. */
  readonly rounds?: number;
  /** Connected peers asked at once. Default 4. */
  readonly parallelism?: number;
}

/** L1 retrieval (C.5): connected peers with `piece-by-index`, then random walks. */
export class L1PieceGetter implements PieceGetter {
  constructor(private readonly o: L1Options) {}

  private async askAll(
    peers: PeerId[],
    pieceIndex: bigint,
    signal?: AbortSignal,
  ): Promise<Uint8Array | undefined> {
    const par = this.o.parallelism ?? 4;
    for (let at = 0; at < peers.length; at += par) {
      if (signal?.aborted) return undefined;
      const batch = peers.slice(at, at + par).filter((p) => !this.o.node.bans.isBanned(p.toString()));
      const results = await Promise.all(
        batch.map(async (peer) => {
          try {
            const res = await this.o.node.requestPieceByIndex(peer, pieceIndex, [], signal);
            return res?.piece ? await acceptPiece(this.o, peer, pieceIndex, res.piece) : undefined;
          } catch (e) {
            this.o.log?.(`piece-by-index ${pieceIndex} from ${peer}: ${errMsg(e)}`);
            return undefined;
          }
        }),
      );
      const piece = results.find((r) => r !== undefined);
      if (piece) return piece;
    }
    return undefined;
  }

  async getPiece(pieceIndex: bigint, opts: GetPieceOptions = {}): Promise<Uint8Array | undefined> {
    const node = this.o.node;
    const connected = node.connectedPeers();
    const direct = await this.askAll(connected, pieceIndex, opts.signal);
    if (direct) return direct;
    const asked = new Set(connected.map((p) => p.toString()));
    for (let round = 0; round < (this.o.rounds ?? 3); round++) {
      if (opts.signal?.aborted) return undefined;
      const target = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
      let peers: PeerId[] = [];
      try {
        const found = await node.getClosestPeers(
          target.toMultihash().bytes,
          opts.signal ? { signal: opts.signal } : {},
        );
        peers = found.map((f) => f.id).filter((p) => !asked.has(p.toString()) && !p.equals(node.peerId));
      } catch (e) {
        this.o.log?.(`random walk: ${errMsg(e)}`);
      }
      for (const p of peers) asked.add(p.toString());
      const piece = await this.askAll(peers, pieceIndex, opts.signal);
      if (piece) return piece;
    }
    return undefined;
  }
}

/** Reports when nothing progressed for `ms` while work is outstanding. */
export class ProgressWatchdog {
  private last = Date.now();
  private outstanding = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  stalls = 0;
  constructor(
    private readonly onStall: (idleMs: number) => void,
    private readonly ms = WATCHDOG_MS,
  ) {}
  start(): void {
    this.timer ??= setInterval(() => this.check(), Math.max(10, Math.floor(this.ms / 4)));
    this.timer.unref?.();
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
  /** Work started: the timer runs while anything is outstanding. */
  begin(): void {
    if (this.outstanding++ === 0) {
      this.last = Date.now();
      this.start();
    }
  }
  end(): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    if (this.outstanding === 0) this.stop();
  }
  progress(): void {
    this.last = Date.now();
  }
  check(): void {
    const idle = Date.now() - this.last;
    if (this.outstanding > 0 && idle >= this.ms) {
      this.stalls++;
      this.last = Date.now();
      this.onStall(idle);
    }
  }
}

export interface ComposedGetterOptions {
  /** Getters tried in order (e.g. a local cache, L2, L1). */
  readonly getters: readonly PieceGetter[];
  /** Full rounds over all getters before giving up. Default 4. */
  readonly retries?: number;
  /** First backoff between rounds (doubles, capped at 30 s). Default 500 ms. */
  readonly backoffMs?: number;
  /** Called between rounds to find new peers (e.g. `rediscover(node)`). */
  readonly rediscover?: () => Promise<void>;
  /** Pieces at or past this index are refused at once (history size in pieces). */
  readonly historyPieces?: () => bigint | undefined;
  /** No-progress watchdog period (default 60 s); on a stall it logs and re-discovers peers. */
  readonly watchdogMs?: number;
  readonly log?: (msg: string) => void;
}

/**
 * Getters composed with fallback (`L2 then L1`), retried with backoff across rounds, with peer
 * re-discovery between rounds and a watchdog.
 */
export class ComposedPieceGetter implements PieceGetter {
  readonly watchdog: ProgressWatchdog;
  constructor(private readonly o: ComposedGetterOptions) {
    this.watchdog = new ProgressWatchdog((idle) => {
      o.log?.(`no piece retrieved for ${idle} ms; re-discovering peers`);
      void o.rediscover?.().catch(() => {});
    }, o.watchdogMs ?? WATCHDOG_MS);
  }

  async getPiece(pieceIndex: bigint, opts: GetPieceOptions = {}): Promise<Uint8Array | undefined> {
    const limit = this.o.historyPieces?.();
    if (limit !== undefined && pieceIndex >= limit) {
      throw new DsnError({
        code: 'DSN_INVALID_ARGUMENT',
        what: 'piece index',
        reason: `${pieceIndex} is past the history (${limit} pieces)`,
      });
    }
    this.watchdog.begin();
    try {
      let backoff = this.o.backoffMs ?? 500;
      const rounds = this.o.retries ?? 4;
      for (let round = 0; round < rounds; round++) {
        for (const g of this.o.getters) {
          if (opts.signal?.aborted) throw new DsnError({ code: 'DSN_ABORTED' });
          const piece = await g.getPiece(pieceIndex, opts).catch((e) => {
            this.o.log?.(`piece ${pieceIndex}: ${errMsg(e)}`);
            return undefined;
          });
          if (piece) {
            this.watchdog.progress();
            return piece;
          }
        }
        if (round + 1 < rounds) {
          this.o.log?.(`piece ${pieceIndex} not found in round ${round + 1}; retrying in ${backoff} ms`);
          await this.o.rediscover?.().catch(() => {});
          await sleep(backoff, opts.signal);
          backoff = Math.min(30_000, backoff * 2);
        }
      }
      return undefined;
    } finally {
      this.watchdog.end();
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Re-discovery: dial the bootstrap peers again and refresh Kademlia towards our own id. */
export async function rediscover(node: DsnNode, bootstrap: readonly string[] = []): Promise<void> {
  await Promise.allSettled(bootstrap.map((a) => node.dial(a)));
  await node
    .getClosestPeers(node.peerId.toMultihash().bytes, { signal: AbortSignal.timeout(10_000) })
    .catch(() => []);
}

/** A getter over pieces already at hand (the farmer's own cache, a node's recent segments). */
export function localPieceGetter(
  get: (i: bigint) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
): PieceGetter {
  return { getPiece: async (i) => (await get(i)) ?? undefined };
}
