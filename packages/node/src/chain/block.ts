/**
 * Blocks (pot-consensus-dsn B.11): `Block = header ‖ Compact(n) ‖ extrinsics` (each extrinsic with
 * its own length prefix, so the body is opaque byte strings) and `SignedBlock = Block ‖
 * Option<Justifications>`.
 */
import { ScaleReader, ScaleWriter } from '@autonomys/primitives';
import type { Block, SignedBlock } from '../consensus/api.js';
import { decoding, encoding } from '../errors.js';
import { aarray, abytes } from './assert.js';
import { readHeader, writeHeader } from './header.js';
import { type Justification, SUBSPACE_ENGINE_ID_HEX } from './justification.js';

function writeBody(w: ScaleWriter, extrinsics: readonly Uint8Array[]): void {
  aarray(extrinsics, 'extrinsics (an array)');
  w.compact(extrinsics.length);
  for (const x of extrinsics) {
    abytes(x, undefined, 'extrinsic');
    w.bytes(x);
  }
}

function readBody(r: ScaleReader): Uint8Array[] {
  const n = r.compactU32('extrinsic count');
  if (n > r.remaining) r.fixed(n, 'extrinsics');
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const start = r.offset;
    const len = r.compactU32('extrinsic length');
    r.bytesView(len, 'extrinsic');
    out.push(r.bytes.slice(start, r.offset));
  }
  return out;
}

/**
 * SCALE `Block`.
 * @example encodeBlock({ header, extrinsics: [] })
 */
export function encodeBlock(b: Block): Uint8Array {
  return encoding('block', () => {
    const w = new ScaleWriter(1024);
    writeHeader(w, b.header);
    writeBody(w, b.extrinsics);
    return w.finish();
  });
}

/**
 * SCALE `SignedBlock` (`Option<Justifications>` is `None` when the list is empty).
 * @example decodeSignedBlock(encodeSignedBlock(b)).header.number === b.header.number
 */
export function encodeSignedBlock(b: SignedBlock): Uint8Array {
  return encoding('signed block', () => {
    const w = new ScaleWriter(2048);
    writeHeader(w, b.header);
    writeBody(w, b.extrinsics);
    aarray(b.justifications, 'justifications (an array)');
    if (b.justifications.length === 0) w.u8(0);
    else {
      w.u8(1).compact(b.justifications.length);
      for (const j of b.justifications) {
        abytes(j.engine, 4, 'justification engine id');
        abytes(j.data, undefined, 'justification payload');
        w.bytes(j.engine).vecU8(j.data);
      }
    }
    return w.finish();
  });
}

/** Decodes a SCALE `SignedBlock` (strict). */
export function decodeSignedBlock(bytes: Uint8Array): SignedBlock {
  abytes(bytes, undefined, 'signed block bytes');
  return decoding('signed block', () => {
    const r = new ScaleReader(bytes, 'signed block');
    const header = readHeader(r);
    const extrinsics = readBody(r);
    const justifications: Justification[] = [];
    if (r.tag(2, 'Option<Justifications>') === 1) {
      const n = r.compactU32('justification count');
      if (n * 5 > r.remaining) r.fixed(n * 5, 'justifications');
      for (let i = 0; i < n; i++)
        justifications.push({ engine: r.fixed(4, 'engine id'), data: r.vecU8('payload') });
    }
    r.finish();
    return { header, extrinsics, justifications };
  });
}

/** The block as archived (B.10): only its `SUB_` justifications are kept. */
export function encodeArchivedBlock(b: SignedBlock): Uint8Array {
  return encodeSignedBlock({
    ...b,
    justifications: b.justifications.filter(
      (j) => Buffer.from(j.engine).toString('hex') === SUBSPACE_ENGINE_ID_HEX,
    ),
  });
}
