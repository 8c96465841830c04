/**
 * Decoding what the node sends, in the browser, with the same codecs the node uses: the dashboard
 * shows (and verifies) what the bytes say, not what the node claims about them.
 */
import {
  decodeJustifications,
  extractSubspaceDigestItems,
  findSubspaceJustification,
  type Header,
  headerHash,
  readDigestItem,
  type SubspaceDigestItems,
  type SubspaceJustification,
} from '@autonomys/node/chain';
import { bytesToHex, hexToBytes, ScaleReader } from '@autonomys/primitives';

const HEX = /^0x[0-9a-fA-F]*$/;

/** A malformed answer from the node (shown as an error, never as data). */
export class MalformedAnswer extends Error {
  override name = 'MalformedAnswer';
}

function hexField(v: unknown, what: string, size?: number): Uint8Array {
  if (typeof v !== 'string' || !HEX.test(v) || v.length % 2 !== 0)
    throw new MalformedAnswer(`${what}: expected hex`);
  const b = hexToBytes(v.slice(2));
  if (size !== undefined && b.length !== size)
    throw new MalformedAnswer(`${what}: expected ${size} bytes, got ${b.length}`);
  return b;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new MalformedAnswer(`${what}: expected an object`);
  return v as Record<string, unknown>;
}

/** A Substrate header JSON (`chain_getHeader`, `chain_newHead`) to our Header. */
export function headerFromJson(v: unknown): Header {
  const o = obj(v, 'header');
  const logs = obj(o.digest, 'header.digest').logs;
  if (!Array.isArray(logs)) throw new MalformedAnswer('header.digest.logs: expected an array');
  const number =
    typeof o.number === 'string' && HEX.test(o.number)
      ? Number.parseInt(o.number.slice(2) || '0', 16)
      : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 0 || number > 0xffffffff)
    throw new MalformedAnswer('header.number');
  return {
    parentHash: hexField(o.parentHash, 'header.parentHash', 32),
    number,
    stateRoot: hexField(o.stateRoot, 'header.stateRoot', 32),
    extrinsicsRoot: hexField(o.extrinsicsRoot, 'header.extrinsicsRoot', 32),
    digest: logs.map((l, i) => {
      const r = new ScaleReader(hexField(l, `header.digest.logs[${i}]`));
      const item = readDigestItem(r);
      r.finish();
      return item;
    }),
  };
}

export interface BlockSummary {
  header: Header;
  hash: string;
  number: number;
  items: SubspaceDigestItems;
  author: string;
  slot: bigint;
}

export function summarize(header: Header): BlockSummary {
  const items = extractSubspaceDigestItems(header.digest);
  return {
    header,
    hash: `0x${bytesToHex(headerHash(header))}`,
    number: header.number,
    items,
    author: `0x${bytesToHex(items.preDigest.solution.publicKey)}`,
    slot: items.preDigest.slot,
  };
}

/** The PoT checkpoints of a block (`chain_getBlock`'s justifications). */
export function justificationFromBlockJson(v: unknown): SubspaceJustification | undefined {
  const o = obj(v, 'signed block');
  if (o.justifications === null || o.justifications === undefined) return undefined;
  if (!Array.isArray(o.justifications)) throw new MalformedAnswer('justifications: expected an array');
  const list = o.justifications.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new MalformedAnswer(`justifications[${i}]`);
    return {
      engine: hexField(pair[0], `justifications[${i}][0]`, 4),
      data: hexField(pair[1], `justifications[${i}][1]`),
    };
  });
  return findSubspaceJustification(list);
}

export { decodeJustifications };

/** A u64 from the node's JSON (a number, or a hex/decimal string). */
export function u64(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  throw new MalformedAnswer(`${what}: expected an unsigned integer`);
}

export { hexField, obj };
