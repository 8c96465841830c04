/**
 * Substrate's `DigestItem` and `Digest` (pot-consensus-dsn B.2): a tag byte, then for PreRuntime,
 * Consensus and Seal a 4-byte engine id and a `Vec<u8>` payload; `Other` is a bare `Vec<u8>` and
 * `RuntimeEnvironmentUpdated` has no payload.
 */
import { ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { decoding, encoding } from '../errors.js';
import { aarray, abytes } from './assert.js';

/** Digest item tags on the wire. 1, 2, 3 and 7 are unused (removed kinds) and do not decode. */
export const DIGEST_ITEM_TAG = {
  Other: 0,
  Consensus: 4,
  Seal: 5,
  PreRuntime: 6,
  RuntimeEnvironmentUpdated: 8,
} as const;

/** A digest item kind that carries an engine id. */
export type EngineDigestItemType = 'PreRuntime' | 'Consensus' | 'Seal';

/** One header digest item. `engine` is the 4-byte consensus engine id (`SUB_` for Subspace). */
export type DigestItem =
  | { readonly type: EngineDigestItemType; readonly engine: Uint8Array; readonly data: Uint8Array }
  | { readonly type: 'Other'; readonly data: Uint8Array }
  | { readonly type: 'RuntimeEnvironmentUpdated' };

/** Appends one digest item. */
export function writeDigestItem(w: ScaleWriter, item: DigestItem): void {
  switch (item.type) {
    case 'PreRuntime':
    case 'Consensus':
    case 'Seal':
      abytes(item.engine, 4, `${item.type} engine id`);
      abytes(item.data, undefined, `${item.type} payload`);
      w.u8(DIGEST_ITEM_TAG[item.type]).bytes(item.engine).vecU8(item.data);
      return;
    case 'Other':
      abytes(item.data, undefined, 'Other payload');
      w.u8(DIGEST_ITEM_TAG.Other).vecU8(item.data);
      return;
    case 'RuntimeEnvironmentUpdated':
      w.u8(DIGEST_ITEM_TAG.RuntimeEnvironmentUpdated);
      return;
    default:
      abytes(undefined, undefined, `digest item of type ${String((item as { type: unknown }).type)}`);
  }
}

/** Reads one digest item (throws `PrimitivesError`; the whole-value decoders turn it into `NodeError`). */
export function readDigestItem(r: ScaleReader): DigestItem {
  const tag = r.u8('digest item tag');
  switch (tag) {
    case DIGEST_ITEM_TAG.PreRuntime:
      return {
        type: 'PreRuntime',
        engine: r.fixed(4, 'engine id'),
        data: r.vecU8('PreRuntime payload', r.remaining),
      };
    case DIGEST_ITEM_TAG.Consensus:
      return {
        type: 'Consensus',
        engine: r.fixed(4, 'engine id'),
        data: r.vecU8('Consensus payload', r.remaining),
      };
    case DIGEST_ITEM_TAG.Seal:
      return { type: 'Seal', engine: r.fixed(4, 'engine id'), data: r.vecU8('Seal payload', r.remaining) };
    case DIGEST_ITEM_TAG.Other:
      return { type: 'Other', data: r.vecU8('Other payload', r.remaining) };
    case DIGEST_ITEM_TAG.RuntimeEnvironmentUpdated:
      return { type: 'RuntimeEnvironmentUpdated' };
    default:
      // No other tag decodes: step the reader back onto it for a precise error.
      r.offset -= 1;
      r.tag(0, 'digest item tag');
      throw new Error('unreachable');
  }
}

/** Appends a digest: compact item count, then the items. */
export function writeDigest(w: ScaleWriter, items: readonly DigestItem[]): void {
  aarray(items, 'digest (an array of items)');
  w.compact(items.length);
  for (const item of items) writeDigestItem(w, item);
}

/** Reads a digest. Each item takes at least one byte, so a count beyond the input fails before allocating. */
export function readDigest(r: ScaleReader): DigestItem[] {
  const n = r.compactU32('digest item count');
  if (n > r.remaining) r.fixed(n, 'digest items'); // throws UNEXPECTED_END
  const items: DigestItem[] = [];
  for (let i = 0; i < n; i++) items.push(readDigestItem(r));
  return items;
}

/**
 * The SCALE encoding of one digest item.
 * @example encodeDigestItem({ type: 'Seal', engine: SUBSPACE_ENGINE_ID, data: signature }) // 05 53554235f 0101 ‖ 64 bytes
 */
export function encodeDigestItem(item: DigestItem): Uint8Array {
  return encoding('digest item', () => {
    const w = new ScaleWriter(64);
    writeDigestItem(w, item);
    return w.finish();
  });
}

/**
 * Decodes exactly one digest item; malformed bytes throw `NodeError` `NODE_MALFORMED`.
 * @example decodeDigestItem(hexToBytes('0000')) // { type: 'Other', data: Uint8Array(0) }
 */
export function decodeDigestItem(bytes: Uint8Array): DigestItem {
  abytes(bytes, undefined, 'digest item bytes');
  return decoding('digest item', () => {
    const r = new ScaleReader(bytes, 'digest item');
    const item = readDigestItem(r);
    r.finish();
    return item;
  });
}

/**
 * The SCALE encoding of a digest (`Vec<DigestItem>`).
 * @example encodeDigest([]) // Uint8Array [0]
 */
export function encodeDigest(items: readonly DigestItem[]): Uint8Array {
  return encoding('digest', () => {
    const w = new ScaleWriter(256);
    writeDigest(w, items);
    return w.finish();
  });
}

/**
 * Decodes a whole digest; malformed bytes throw `NodeError` `NODE_MALFORMED`.
 * @example decodeDigest(Uint8Array.of(0)) // []
 */
export function decodeDigest(bytes: Uint8Array): DigestItem[] {
  abytes(bytes, undefined, 'digest bytes');
  return decoding('digest', () => {
    const r = new ScaleReader(bytes, 'digest');
    const items = readDigest(r);
    r.finish();
    return items;
  });
}

/** Whether `engine` is the given 4-byte engine id. */
export function isEngine(engine: Uint8Array, id: Uint8Array): boolean {
  return (
    engine.length === 4 &&
    engine[0] === id[0] &&
    engine[1] === id[1] &&
    engine[2] === id[2] &&
    engine[3] === id[3]
  );
}
