/**
 * DSN sync (C.9): learn the newest segment header from many peers (majority of their last two),
 * download the header chain backwards checking each `prev_segment_header_hash`, then the segments
 * forward (every piece validated by the getter), reconstruct the blocks and hand them to the node's
 * importer. One sync runs at a time per {@link DsnSync}.
 */
import { type ArchivingParams, Reconstructor } from '@autonomys/archiver';
import {
  bytesToHex,
  encodeSegmentHeader,
  equalBytes,
  type SegmentHeader,
  segmentHeaderHash,
} from '@autonomys/primitives';
import type { PeerId } from '@libp2p/interface';
import {
  MAX_SEGMENT_HEADERS_PER_REQUEST,
  SEGMENT_HEADERS_PROTOCOL,
  SYNC_LAST_SEGMENT_HEADERS,
  SYNC_SEGMENT_HEADER_PEERS,
} from './constants.js';
import { DsnError } from './errors.js';
import type { MemorySegmentHeaderStore } from './handlers.js';
import type { DsnNode } from './node.js';
import type { PieceGetter } from './retrieval.js';
import { downloadSegment, type Limiter } from './segments.js';

/** Receives reconstructed blocks in order: `[blockNumber, encodedBlock]`. */
export type BlockImporter = (
  blocks: ReadonlyArray<readonly [number, Uint8Array]>,
  segmentIndex: bigint,
) => Promise<void> | void;

export interface DsnSyncOptions {
  readonly node: DsnNode;
  /** A validating getter (e.g. ComposedPieceGetter over L2 and L1) whose header source is `store`. */
  readonly getter: PieceGetter;
  /** Verified segment headers known locally; sync appends the new ones. */
  readonly store: MemorySegmentHeaderStore;
  readonly importer: BlockImporter;
  readonly params?: ArchivingParams;
  /** Peers asked for their last headers (default 20). */
  readonly peers?: number;
  readonly reconstructionLimiter?: Limiter;
  readonly onProgress?: (e: { phase: 'headers' | 'segment'; segmentIndex: bigint; of: bigint }) => void;
  readonly log?: (msg: string) => void;
  readonly signal?: AbortSignal;
  /** First segment whose blocks are not imported yet (default 0: the whole history). */
  readonly startSegment?: bigint;
}

export interface DsnSyncResult {
  readonly segmentsImported: number;
  readonly blocksImported: number;
  readonly lastSegmentIndex: bigint | undefined;
}

async function headerPeers(node: DsnNode, want: number): Promise<PeerId[]> {
  const out = new Map<string, PeerId>();
  // Peers known to serve headers; a connected peer not identified yet (identify can lag on a busy
  // host) is asked too: a peer without the protocol just fails the request.
  const supports = async (p: PeerId) => {
    try {
      const { protocols } = await node.libp2p.peerStore.get(p);
      return protocols.length === 0 || protocols.includes(SEGMENT_HEADERS_PROTOCOL);
    } catch {
      return true;
    }
  };
  for (const p of node.connectedPeers()) if (await supports(p)) out.set(p.toString(), p);
  if (out.size < want) {
    const key = crypto.getRandomValues(new Uint8Array(32));
    for (const p of await node
      .getClosestPeers(key, { signal: AbortSignal.timeout(10_000) })
      .catch(() => [])) {
      if (out.size >= want) break;
      if (!out.has(p.id.toString())) out.set(p.id.toString(), p.id);
    }
  }
  return [...out.values()].slice(0, want);
}

/** Most common newest header among peers' answers (ties: higher index). */
export function majorityHeader(answers: ReadonlyArray<readonly SegmentHeader[]>): SegmentHeader | undefined {
  const votes = new Map<string, { h: SegmentHeader; n: number }>();
  for (const list of answers) {
    const newest = list.reduce<SegmentHeader | undefined>(
      (a, h) => (a === undefined || h.segmentIndex > a.segmentIndex ? h : a),
      undefined,
    );
    if (!newest) continue;
    const k = bytesToHex(encodeSegmentHeader(newest));
    const v = votes.get(k) ?? { h: newest, n: 0 };
    v.n++;
    votes.set(k, v);
  }
  let best: { h: SegmentHeader; n: number } | undefined;
  for (const v of votes.values()) {
    if (!best || v.n > best.n || (v.n === best.n && v.h.segmentIndex > best.h.segmentIndex)) best = v;
  }
  return best?.h;
}

/** Runs DSN sync; a second call while one runs waits for it and returns its result. */
export class DsnSync {
  private running: Promise<DsnSyncResult> | undefined;
  private reconstructor = new Reconstructor();
  private nextSegment: bigint;
  constructor(private readonly o: DsnSyncOptions) {
    this.nextSegment = o.startSegment ?? 0n;
  }

  run(): Promise<DsnSyncResult> {
    this.running ??= this.sync().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * The reference's triggers (C.9): runs now, then whenever `lastImportMs()` is older than
   * `idleMs` (default 10 min) and when `online()` turns true again after being false. Returns a
   * stop function. Failures go to `onError` and are retried at the next trigger.
   */
  autoRun(opts: {
    lastImportMs: () => number;
    online?: () => boolean;
    idleMs?: number;
    checkMs?: number;
    onError?: (e: unknown) => void;
  }): () => void {
    const idle = opts.idleMs ?? 10 * 60_000;
    let wasOnline = opts.online?.() ?? true;
    let lastRun = Date.now();
    const go = () => {
      lastRun = Date.now();
      this.run().catch((e) => opts.onError?.(e));
    };
    go();
    const timer = setInterval(() => {
      const online = opts.online?.() ?? true;
      const cameBack = online && !wasOnline;
      wasOnline = online;
      const stale = Date.now() - Math.max(opts.lastImportMs(), lastRun) >= idle;
      if (online && (cameBack || stale) && this.running === undefined) go();
    }, opts.checkMs ?? 10_000);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  private fail(reason: string): DsnError {
    return new DsnError({ code: 'DSN_SYNC_FAILED', reason });
  }

  private async sync(): Promise<DsnSyncResult> {
    const { node, store, signal } = this.o;
    const peers = await headerPeers(node, this.o.peers ?? SYNC_SEGMENT_HEADER_PEERS);
    if (peers.length === 0) throw this.fail('no peers serve segment headers');
    const answers = await Promise.all(
      peers.map((p) =>
        node
          .requestSegmentHeaders(p, { type: 'lastSegmentHeaders', limit: SYNC_LAST_SEGMENT_HEADERS }, signal)
          .then((h) => ({ p, h: h ?? [] }))
          .catch(() => ({ p, h: [] as SegmentHeader[] })),
      ),
    );
    const newest = majorityHeader(answers.map((a) => a.h));
    if (!newest) throw this.fail('no peer answered with segment headers');
    const agreeing = answers
      .filter((a) => a.h.some((h) => equalBytes(encodeSegmentHeader(h), encodeSegmentHeader(newest))))
      .map((a) => a.p);
    // Headers backwards from the newest down to what we know, each linked to the next.
    const known = BigInt(store.count);
    const fetched: SegmentHeader[] = [newest];
    let want = newest.segmentIndex - 1n;
    while (want >= known) {
      const from =
        want - BigInt(MAX_SEGMENT_HEADERS_PER_REQUEST) + 1n > known
          ? want - BigInt(MAX_SEGMENT_HEADERS_PER_REQUEST) + 1n
          : known;
      const indexes: bigint[] = [];
      for (let i = want; i >= from; i--) indexes.push(i);
      let got: SegmentHeader[] | undefined;
      for (const p of [...agreeing, ...peers]) {
        got = await node
          .requestSegmentHeaders(p, { type: 'segmentIndexes', segmentIndexes: indexes }, signal)
          .catch(() => undefined);
        if (got && got.length === indexes.length && got.every((h, i) => h.segmentIndex === indexes[i])) break;
        got = undefined;
      }
      if (!got) throw this.fail(`no peer returned segment headers ${from}..${want}`);
      for (const h of got) {
        const child = fetched[fetched.length - 1];
        if (!child || !equalBytes(child.prevSegmentHeaderHash, segmentHeaderHash(h))) {
          throw this.fail(`segment header ${h.segmentIndex} does not link to ${child?.segmentIndex}`);
        }
        fetched.push(h);
      }
      want = from - 1n;
      this.o.onProgress?.({ phase: 'headers', segmentIndex: from, of: newest.segmentIndex });
    }
    const oldestNew = fetched[fetched.length - 1];
    const lastKnown = known > 0n ? store.getSegmentHeader(known - 1n) : undefined;
    if (oldestNew && oldestNew.segmentIndex === known) {
      const expected = lastKnown ? segmentHeaderHash(lastKnown) : new Uint8Array(32);
      if (!equalBytes(oldestNew.prevSegmentHeaderHash, expected)) {
        throw this.fail(`segment header ${known} does not link to our chain`);
      }
    }
    store.add(...fetched.filter((h) => h.segmentIndex >= known).reverse());
    // Segments forward.
    let segmentsImported = 0;
    let blocksImported = 0;
    for (let s = this.nextSegment; s <= newest.segmentIndex; s++) {
      if (signal?.aborted) throw new DsnError({ code: 'DSN_ABORTED' });
      const { segment } = await downloadSegment(s, this.o.getter, {
        ...(this.o.params ? { params: this.o.params } : {}),
        ...(this.o.reconstructionLimiter ? { reconstructionLimiter: this.o.reconstructionLimiter } : {}),
        ...(signal ? { signal } : {}),
      });
      const { blocks } = this.reconstructor.addSegment(segment);
      await this.o.importer(blocks, s);
      this.nextSegment = s + 1n;
      segmentsImported++;
      blocksImported += blocks.length;
      this.o.onProgress?.({ phase: 'segment', segmentIndex: s, of: newest.segmentIndex });
    }
    return { segmentsImported, blocksImported, lastSegmentIndex: newest.segmentIndex };
  }
}
