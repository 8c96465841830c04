/**
 * Chain networking on the DSN host: block announcements, block request/response and
 * proof-of-time gossip. These are this package's own protocols (`/autonomys/...`, SCALE payloads,
 * one varint-framed message per stream); the live network carries the same content on Substrate's
 * networking, which is out of scope. Formats are in the README.
 */

import { encodeGossipProof, type GossipProof, type PotGossipValidator } from '@autonomys/pot';
import { blake3, bytesToHex, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import type { PeerId } from '@libp2p/interface';
import {
  BLOCK_ANNOUNCE_PROTOCOL,
  BLOCK_REQUEST_PROTOCOL,
  MAX_RESPONSE_SIZE,
  POT_GOSSIP_PROTOCOL,
  REQUEST_TIMEOUT_MS,
} from './constants.js';
import { DsnError } from './errors.js';
import { readFrame, writeFrame } from './framing.js';
import type { DsnNode } from './node.js';

/** `{number u32, hash [u8; 32], header Vec<u8>, is_best bool}`. */
export interface BlockAnnounce {
  readonly number: number;
  readonly hash: Uint8Array;
  /** The SCALE-encoded header (opaque here). */
  readonly header: Uint8Array;
  readonly isBest: boolean;
}

/** `{from: 0 Hash([u8; 32]) | 1 Number(u32), direction u8 (0 ascending, 1 descending), max u32}`. */
export interface BlockRequest {
  readonly from:
    | { readonly type: 'hash'; readonly hash: Uint8Array }
    | { readonly type: 'number'; readonly number: number };
  readonly direction: 'ascending' | 'descending';
  readonly max: number;
}

/** `Vec<{hash [u8; 32], block Vec<u8>}>` in the requested order. */
export interface BlockData {
  readonly hash: Uint8Array;
  readonly block: Uint8Array;
}

/** Most blocks one response carries. */
export const MAX_BLOCKS_PER_REQUEST = 128;
/** Largest announcement accepted (a header with its digests is far smaller). */
export const MAX_ANNOUNCE_SIZE = 64 * 1024;
/** Largest header inside an announcement. */
const MAX_HEADER_SIZE = MAX_ANNOUNCE_SIZE - 64;

const bad = (what: string, e: unknown) =>
  new DsnError({ code: 'DSN_INVALID_MESSAGE', what, reason: e instanceof Error ? e.message : String(e) });

function u32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what, reason: 'expected a u32' });
  }
  return v;
}

export function encodeBlockAnnounce(a: BlockAnnounce): Uint8Array {
  if (a.hash.length !== 32)
    throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'hash', reason: 'expected 32 bytes' });
  return new ScaleWriter(48 + a.header.length)
    .u32(u32(a.number, 'block number'))
    .bytes(a.hash)
    .vecU8(a.header)
    .u8(a.isBest ? 1 : 0)
    .finish();
}

export function decodeBlockAnnounce(bytes: Uint8Array): BlockAnnounce {
  try {
    const r = new ScaleReader(bytes, 'block announce');
    const number = r.u32('number');
    const hash = r.fixed(32, 'hash');
    const header = r.vecU8('header', MAX_HEADER_SIZE);
    const isBest = r.tag(2, 'is_best') === 1;
    r.finish();
    return { number, hash, header, isBest };
  } catch (e) {
    throw bad('block announce', e);
  }
}

export function encodeBlockRequest(q: BlockRequest): Uint8Array {
  const w = new ScaleWriter(48);
  if (q.from.type === 'hash') {
    if (q.from.hash.length !== 32)
      throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'hash', reason: 'expected 32 bytes' });
    w.u8(0).bytes(q.from.hash);
  } else w.u8(1).u32(u32(q.from.number, 'block number'));
  return w
    .u8(q.direction === 'ascending' ? 0 : 1)
    .u32(u32(q.max, 'max'))
    .finish();
}

export function decodeBlockRequest(bytes: Uint8Array): BlockRequest {
  try {
    const r = new ScaleReader(bytes, 'block request');
    const from: BlockRequest['from'] =
      r.tag(2, 'from') === 0
        ? { type: 'hash', hash: r.fixed(32, 'hash') }
        : { type: 'number', number: r.u32('number') };
    const direction = r.tag(2, 'direction') === 0 ? 'ascending' : 'descending';
    const max = r.u32('max');
    r.finish();
    return { from, direction, max };
  } catch (e) {
    throw bad('block request', e);
  }
}

export function encodeBlockResponse(blocks: readonly BlockData[]): Uint8Array {
  const w = new ScaleWriter(64);
  w.compact(blocks.length);
  for (const b of blocks) {
    if (b.hash.length !== 32)
      throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'hash', reason: 'expected 32 bytes' });
    w.bytes(b.hash).vecU8(b.block);
  }
  return w.finish();
}

export function decodeBlockResponse(bytes: Uint8Array): BlockData[] {
  try {
    const r = new ScaleReader(bytes, 'block response');
    const n = r.compactU32('blocks');
    if (n > MAX_BLOCKS_PER_REQUEST) throw new Error(`${n} blocks, at most ${MAX_BLOCKS_PER_REQUEST}`);
    const out: BlockData[] = [];
    for (let i = 0; i < n; i++) out.push({ hash: r.fixed(32, 'hash'), block: r.vecU8('block') });
    r.finish();
    return out;
  } catch (e) {
    throw bad('block response', e);
  }
}

/** Serves block requests (the node's chain). */
export interface BlockProvider {
  getBlocks(request: BlockRequest): Promise<BlockData[]> | BlockData[];
}

export interface ChainNetworkOptions {
  /** Answers block requests; absent: "no response". */
  readonly blocks?: BlockProvider;
  /** Called for each decoded announcement. */
  readonly onBlockAnnounce?: (a: BlockAnnounce, from: PeerId) => void;
  /** PoT gossip validator (@autonomys/pot A.7 rules); its `onProof` should call {@link ChainNetwork.gossipPot}. */
  readonly pot?: PotGossipValidator;
}

/** Chain protocols on a {@link DsnNode}. */
export class ChainNetwork {
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  constructor(
    readonly node: DsnNode,
    private readonly o: ChainNetworkOptions,
  ) {}

  /** Registers the three protocols. */
  async start(): Promise<void> {
    const node = this.node;
    await node.libp2p.handle(
      BLOCK_ANNOUNCE_PROTOCOL,
      ({ stream, connection }) => {
        void (async () => {
          try {
            const bytes = await readFrame(stream.source, MAX_ANNOUNCE_SIZE, 'block announce');
            await stream.close();
            if (bytes) this.o.onBlockAnnounce?.(decodeBlockAnnounce(bytes), connection.remotePeer);
          } catch {
            stream.abort(new Error('bad block announce'));
          }
        })();
      },
      { maxInboundStreams: 32 },
    );
    await node.serve(BLOCK_REQUEST_PROTOCOL, async (bytes) => {
      if (!this.o.blocks) return undefined;
      const req = decodeBlockRequest(bytes);
      const max = Math.min(req.max, MAX_BLOCKS_PER_REQUEST);
      const blocks = (await this.o.blocks.getBlocks({ ...req, max })).slice(0, max);
      // Keep within the response limit: drop trailing blocks that do not fit.
      let size = 8;
      let n = 0;
      for (const b of blocks) {
        size += 32 + 5 + b.block.length;
        if (size > MAX_RESPONSE_SIZE) break;
        n++;
      }
      return encodeBlockResponse(blocks.slice(0, n));
    });
    await node.libp2p.handle(
      POT_GOSSIP_PROTOCOL,
      ({ stream, connection }) => {
        void (async () => {
          const peer = connection.remotePeer;
          try {
            const bytes = await readFrame(stream.source, 1024, 'pot gossip');
            await stream.close();
            if (!bytes || !this.o.pot || !this.markSeen(bytes)) return;
            const v = this.o.pot.validate(peer.toString(), bytes);
            if (v.result === 'discard') {
              if (v.report?.fatal) await node.ban(peer, `pot gossip: ${v.reason}`);
              return;
            }
            const outcome = await this.o.pot.handleProof(peer.toString(), v.proof);
            if (outcome === 'invalid') await node.ban(peer, 'pot gossip: invalid proof');
          } catch {
            stream.abort(new Error('bad pot gossip'));
          }
        })();
      },
      { maxInboundStreams: 32 },
    );
  }

  private markSeen(bytes: Uint8Array): boolean {
    const k = bytesToHex(blake3(bytes));
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    this.seenOrder.push(k);
    if (this.seenOrder.length > 4096) this.seen.delete(this.seenOrder.shift() ?? '');
    return true;
  }

  private async notify(protocol: string, bytes: Uint8Array, except?: string): Promise<number> {
    let sent = 0;
    await Promise.allSettled(
      this.node.connectedPeers().map(async (p) => {
        if (p.toString() === except) return;
        const stream = await this.node.libp2p.dialProtocol(p, protocol, {
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        await writeFrame(stream, bytes);
        await stream.close();
        sent++;
      }),
    );
    return sent;
  }

  /** Announces a block to every connected peer; returns how many received it. */
  announceBlock(a: BlockAnnounce): Promise<number> {
    return this.notify(BLOCK_ANNOUNCE_PROTOCOL, encodeBlockAnnounce(a));
  }

  /** Gossips a PoT proof (call from the validator's `onProof` to re-gossip, with `from`). */
  gossipPot(proof: GossipProof, from?: string): Promise<number> {
    const bytes = encodeGossipProof(proof);
    this.markSeen(bytes);
    return this.notify(POT_GOSSIP_PROTOCOL, bytes, from);
  }

  /** Requests blocks from a peer; `undefined` is "no response". */
  async requestBlocks(
    peer: PeerId,
    req: BlockRequest,
    signal?: AbortSignal,
  ): Promise<BlockData[] | undefined> {
    const s = signal
      ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
      : AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const stream = await this.node.libp2p.dialProtocol(peer, BLOCK_REQUEST_PROTOCOL, { signal: s });
    try {
      await writeFrame(stream, encodeBlockRequest(req));
      const bytes = await readFrame(stream.source, MAX_RESPONSE_SIZE, 'block response');
      return bytes && decodeBlockResponse(bytes);
    } catch (e) {
      stream.abort(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  }
}
