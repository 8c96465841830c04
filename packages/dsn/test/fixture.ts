/** Shared test fixture: a small archived history (numChunks 32, 256 pieces per segment). */

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archiver, type ArchivingParams, kzgSegmentCommitter, segmentGeometry } from '@autonomys/archiver';
import {
  blake3,
  bytesToHex,
  decodeSegmentHeader,
  encodeCompact,
  encodeSegmentHeader,
  type GlobalObject,
  hexToBytes,
  type SegmentHeader,
} from '@autonomys/primitives';

export const PARAMS: ArchivingParams = { numChunks: 32, numRawRecords: 128 };
export const KZG_PARAMETERS = { g1Count: 256 };
export const G = segmentGeometry(PARAMS);
export const GENESIS = new Uint8Array(32).fill(7);

export interface History {
  headers: SegmentHeader[];
  pieces: Map<bigint, Uint8Array>;
  objects: GlobalObject[];
  objectData: Uint8Array[];
  blocks: Uint8Array[];
}

function pseudoRandom(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

let cached: Promise<History> | undefined;

// The history is deterministic: it is archived once and kept in the OS temp directory so that
// each test file (a separate worker) does not pay for the KZG work again.
const CACHE_FILE = join(tmpdir(), 'autonomys-dsn-test-history-v1.json');

function load(): History | undefined {
  try {
    const j = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as {
      headers: string[];
      pieces: Array<[string, string]>;
      objects: Array<[string, string, number]>;
      objectData: string[];
      blocks: string[];
    };
    return {
      headers: j.headers.map((x) => decodeSegmentHeader(hexToBytes(x))),
      pieces: new Map(j.pieces.map(([i, p]) => [BigInt(i), hexToBytes(p)])),
      objects: j.objects.map(([hash, i, offset]) => ({
        hash: hexToBytes(hash),
        pieceIndex: BigInt(i),
        offset,
      })),
      objectData: j.objectData.map((x) => hexToBytes(x)),
      blocks: j.blocks.map((x) => hexToBytes(x)),
    };
  } catch {
    return undefined;
  }
}

function save(h: History): void {
  const j = {
    headers: h.headers.map((x) => bytesToHex(encodeSegmentHeader(x))),
    pieces: [...h.pieces].map(([i, p]) => [String(i), bytesToHex(p)]),
    objects: h.objects.map((o) => [bytesToHex(o.hash), String(o.pieceIndex), o.offset]),
    objectData: h.objectData.map((x) => bytesToHex(x)),
    blocks: h.blocks.map((x) => bytesToHex(x)),
  };
  const tmp = `${CACHE_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(j));
  renameSync(tmp, CACHE_FILE);
}

/**
 * Two segments (the last block's tail stays unarchived). Block 1 holds an object that starts in segment 0 and ends in segment 1;
 * block 0 holds a small object inside one piece.
 */
export function history(): Promise<History> {
  cached ??= (async () => {
    const stored = load();
    if (stored) return stored;
    const committer = kzgSegmentCommitter({ threads: 0, parameters: KZG_PARAMETERS });
    const archiver = new Archiver({ params: PARAMS, committer });
    const h: History = { headers: [], pieces: new Map(), objects: [], objectData: [], blocks: [] };
    const small = pseudoRandom(300, 99);
    const spanning = pseudoRandom(15_000, 77);
    const block0 = pseudoRandom(100_000, 1);
    block0.set([...encodeCompact(small.length), ...small], 1000);
    const block1 = pseudoRandom(60_000, 2);
    block1.set([...encodeCompact(spanning.length), ...spanning], 20_000);
    const blocks: Array<[Uint8Array, { hash: Uint8Array; offset: number }[]]> = [
      [block0, [{ hash: blake3(small), offset: 1000 }]],
      [block1, [{ hash: blake3(spanning), offset: 20_000 }]],
    ];
    h.objectData.push(small, spanning);
    for (let i = 2; i < 4; i++) blocks.push([pseudoRandom(50_000, i + 10), []]);
    for (const [number, [bytes, mapping]] of blocks.entries()) {
      h.blocks.push(bytes);
      const r = await archiver.addBlock(bytes, mapping, { number });
      h.objects.push(...r.objects);
      for (const s of r.segments) {
        h.headers.push(s.header);
        for (let i = 0; i < G.numPieces; i++) {
          h.pieces.set(
            s.header.segmentIndex * BigInt(G.numPieces) + BigInt(i),
            s.pieces.slice(i * G.pieceSize, (i + 1) * G.pieceSize),
          );
        }
      }
    }
    await committer.close();
    save(h);
    return h;
  })();
  return cached;
}
