import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake3, encodeCompact, ScaleReader } from '@autonomys/primitives';
import { thrownCode } from '@autonomys/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeError } from '../src/errors.js';
import { blockObjects, OBJECT_CALLS } from '../src/gateway/block-objects.js';
import { FileObjectIndex, MemoryObjectIndex } from '../src/gateway/object-index.js';

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const bytes = (...b: number[]) => new Uint8Array(b);
const remark = (content: Uint8Array, withEvent = false) =>
  cat(
    bytes(OBJECT_CALLS.system, withEvent ? OBJECT_CALLS.remarkWithEvent : OBJECT_CALLS.remark),
    encodeCompact(content.length),
    content,
  );
const batch = (kind: number, calls: Uint8Array[]) =>
  cat(bytes(OBJECT_CALLS.utility, kind), encodeCompact(calls.length), ...calls);
const transfer = cat(bytes(0x04, 0x00), new Uint8Array(33), encodeCompact(1000));
const filled = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** An encoded block: a fake header, then Vec<extrinsic> with a 1-byte preamble per extrinsic. */
function block(calls: Uint8Array[]) {
  const header = filled(100, 7);
  const parts: Uint8Array[] = [header, encodeCompact(calls.length)];
  const callStarts: number[] = [];
  let at = header.length + encodeCompact(calls.length).length;
  for (const c of calls) {
    const x = cat(bytes(0x04), c); // unsigned v4 preamble
    const prefix = encodeCompact(x.length);
    callStarts.push(at + prefix.length + 1);
    parts.push(prefix, x);
    at += prefix.length + x.length;
  }
  return { block: cat(...parts), callStarts };
}

/** Measures the calls this test uses that the walker does not know (a transfer). */
const callLength = (b: Uint8Array, at: number) => {
  if (b[at] === 0x04 && b[at + 1] === 0x00) {
    const r = new ScaleReader(b, 'transfer', at + 2 + 33);
    r.compactBig();
    return r.offset - at;
  }
  return -1;
};

function expectMapped(
  layout: { block: Uint8Array },
  objects: { hash: Uint8Array; offset: number }[],
  contents: Uint8Array[],
) {
  expect(objects.map((o) => Buffer.from(o.hash).toString('hex'))).toEqual(
    contents.map((c) => Buffer.from(blake3(c)).toString('hex')),
  );
  objects.forEach((o, i) => {
    // The offset is the remark's compact length prefix: decoding there gives the content back.
    expect(new ScaleReader(layout.block, 'remark', o.offset).vecU8()).toEqual(contents[i]);
  });
}

describe('block object extraction (ai3 §1.2)', () => {
  it('maps top-level remarks, remark_with_event and remarks inside Utility wrappers', () => {
    const c = [filled(10, 1), filled(300, 2), filled(70, 3), filled(5, 4), filled(64, 5), filled(1, 6)];
    const withWeight = cat(
      bytes(OBJECT_CALLS.utility, OBJECT_CALLS.withWeight),
      remark(c[4]!),
      encodeCompact(5),
      encodeCompact(6),
    );
    const asDerivative = cat(
      bytes(OBJECT_CALLS.utility, OBJECT_CALLS.asDerivative),
      bytes(1, 0),
      remark(c[5]!),
    );
    const layout = block([
      remark(c[0]!),
      transfer,
      batch(OBJECT_CALLS.batchAll, [remark(c[1]!), transfer, remark(c[2]!, true)]),
      batch(OBJECT_CALLS.forceBatch, [batch(OBJECT_CALLS.batch, [remark(c[3]!)])]),
      withWeight,
      asDerivative,
    ]);
    expectMapped(layout, blockObjects(layout, callLength), c);
  });

  it('stops an extrinsic at a call it cannot measure, keeping what came before', () => {
    const c = [filled(12, 9), filled(13, 10)];
    const unknown = bytes(0x2a, 0x01, 0xff, 0xff);
    const layout = block([
      batch(OBJECT_CALLS.batch, [remark(c[0]!), unknown, remark(filled(9, 11))]),
      remark(c[1]!),
    ]);
    expectMapped(layout, blockObjects(layout, callLength), c);
  });

  it('does not follow nesting deeper than the reference limit', () => {
    let call = remark(filled(8, 12));
    for (let i = 0; i < 12; i++) call = batch(OBJECT_CALLS.batch, [call]);
    const layout = block([call]);
    expect(blockObjects(layout, callLength)).toEqual([]);
  });
});

describe('object index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-index-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const obj = (i: number) => ({ hash: blake3(bytes(i)), pieceIndex: BigInt(i * 2), offset: i * 100 });

  it('keeps the first mapping of a hash (memory)', () => {
    const m = new MemoryObjectIndex();
    m.put([obj(1), { ...obj(1), pieceIndex: 99n }]);
    expect(m.get(obj(1).hash)?.pieceIndex).toBe(2n);
    expect(m.size).toBe(1);
  });

  it('persists, survives a torn last entry, and refuses damage in the middle', () => {
    const path = join(dir, 'objects.log');
    const a = new FileObjectIndex(path);
    a.put([obj(1), obj(2)]);
    a.put([obj(3)]);
    a.close();
    const full = readFileSync(path);
    expect(full.length).toBe(3 * 48);
    writeFileSync(path, full.subarray(0, 3 * 48 - 10)); // a crash mid-write
    const b = new FileObjectIndex(path);
    expect([1, 2, 3].map((i) => b.get(obj(i).hash)?.offset)).toEqual([100, 200, undefined]);
    b.put([obj(3)]);
    b.close();
    expect(new FileObjectIndex(path).get(obj(3).hash)?.pieceIndex).toBe(6n);
    const damaged = readFileSync(path);
    damaged[5]! ^= 1;
    writeFileSync(path, damaged);
    expect(thrownCode(() => new FileObjectIndex(path), NodeError)).toBe('NODE_CORRUPT_DATA');
  });
});
