/**
 * The runtime side of object mappings (ai3.md §1.2): every `System.remark` / `remark_with_event`
 * in a block, also inside `Utility` wrappers, becomes a `BlockObject { hash: BLAKE3(remark content),
 * offset }`, where `offset` is the position, inside the SCALE-encoded block, of the remark's
 * compact length prefix. The archiver turns these into global (piece index, offset) mappings.
 */
import { type BlockObject, blake3, compactLength, PrimitivesError, ScaleReader } from '@autonomys/primitives';
import { encodeBlock } from '../chain/block.js';
import { encodeHeader } from '../chain/header.js';
import type { Block } from '../consensus/api.js';
import { decodeExtrinsic, encodeCall, readCall } from '../runtime/extrinsic.js';

/** Nesting limit of the reference (`MAX_CALL_RECURSION_DEPTH`). */
export const MAX_CALL_RECURSION_DEPTH = 10;

/** Pallet and call indices (pot-consensus-dsn B.11) the extraction recognises. */
export const OBJECT_CALLS = {
  system: 0x00,
  remark: 0x00,
  remarkWithEvent: 0x07,
  utility: 0x08,
  batch: 0x00,
  asDerivative: 0x01,
  batchAll: 0x02,
  dispatchAs: 0x03,
  forceBatch: 0x04,
  withWeight: 0x05,
  dispatchAsFallible: 0x07,
} as const;

/** How long the call at `offset` of `bytes` is, for calls the extraction does not walk itself. */
export type CallLength = (bytes: Uint8Array, offset: number) => number;

/** Where a block's extrinsics are: the encoded block and each extrinsic's call start. */
export interface EncodedBlockLayout {
  /** The SCALE encoding of the whole block (header ‖ Vec<extrinsic>). */
  readonly block: Uint8Array;
  /** For each extrinsic, the block offset of its call (after the length prefix and preamble). */
  readonly callStarts: readonly number[];
}

class Unknown extends Error {}

/**
 * The remarks of one call and its Utility-nested calls, as BlockObjects; returns the call's end.
 * `origin` lengths (dispatch_as) and calls of other pallets are measured with `callLength`.
 */
function visit(
  bytes: Uint8Array,
  at: number,
  depth: number,
  out: BlockObject[],
  callLength: CallLength,
): number {
  if (depth > MAX_CALL_RECURSION_DEPTH) throw new Unknown();
  const pallet = bytes[at];
  const call = bytes[at + 1];
  if (pallet === undefined || call === undefined) throw new Unknown();
  const r = new ScaleReader(bytes, 'call', at + 2);
  if (
    pallet === OBJECT_CALLS.system &&
    (call === OBJECT_CALLS.remark || call === OBJECT_CALLS.remarkWithEvent)
  ) {
    const prefix = r.offset;
    const content = r.vecU8('remark');
    out.push({ hash: blake3(content), offset: prefix });
    return r.offset;
  }
  if (pallet === OBJECT_CALLS.utility) {
    switch (call) {
      case OBJECT_CALLS.batch:
      case OBJECT_CALLS.batchAll:
      case OBJECT_CALLS.forceBatch: {
        const n = r.compactU32('calls');
        let off = r.offset;
        for (let i = 0; i < n; i++) off = visit(bytes, off, depth + 1, out, callLength);
        return off;
      }
      case OBJECT_CALLS.asDerivative:
        return visit(bytes, at + 2 + 2, depth + 1, out, callLength);
      case OBJECT_CALLS.withWeight: {
        const end = visit(bytes, at + 2, depth + 1, out, callLength);
        // Weight { ref_time: Compact<u64>, proof_size: Compact<u64> }
        const w = new ScaleReader(bytes, 'weight', end);
        w.compactBig('ref_time');
        w.compactBig('proof_size');
        return w.offset;
      }
      default:
        break;
    }
  }
  // Any other call (including dispatch_as, whose OriginCaller the generic measure handles).
  const len = callLength(bytes, at);
  if (!(len >= 2)) throw new Unknown();
  return at + len;
}

/**
 * The BlockObjects of an encoded block, in block order. An extrinsic whose calls cannot be walked
 * (an unknown call nested in a batch) contributes the remarks found before it, as the reference
 * stops at what it cannot decode.
 * @example blockObjects({ block, callStarts }, runtime.callLength)
 */
export function blockObjects(layout: EncodedBlockLayout, callLength: CallLength): BlockObject[] {
  const out: BlockObject[] = [];
  for (const start of layout.callStarts) {
    try {
      visit(layout.block, start, 0, out, callLength);
    } catch (e) {
      // An unknown or undecodable nested call ends this extrinsic's walk (as the reference's does).
      if (!(e instanceof Unknown) && !(e instanceof PrimitivesError)) throw e;
    }
  }
  return out;
}

/**
 * The BlockObjects of one of our chain's blocks (the layout of its SCALE encoding, call lengths
 * measured with the runtime's call decoder).
 * @example archiver.addBlock(encodeArchivedBlock(b), chainBlockObjects(b), { number })
 */
export function chainBlockObjects(block: Block): BlockObject[] {
  const callStarts: number[] = [];
  let at = encodeHeader(block.header).length + compactLength(block.extrinsics.length);
  for (const x of block.extrinsics) {
    try {
      const callLen = encodeCall(decodeExtrinsic(x).call).length;
      callStarts.push(at + x.length - callLen); // the call is the extrinsic's last field
    } catch {
      // An undecodable extrinsic cannot be in an imported block; skip it if it ever is.
    }
    at += x.length;
  }
  const encoded = encodeBlock(block);
  return blockObjects({ block: encoded, callStarts }, (bytes, offset) => {
    try {
      const r = new ScaleReader(bytes, 'call', offset);
      readCall(r, false);
      return r.offset - offset;
    } catch {
      return -1;
    }
  });
}
