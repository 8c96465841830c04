// BLAKE3 candidates on the protocol's two shapes: short inputs hashed millions of times (32 B
// hashes and keyed audits of 32-byte chunks, 80 B seeds) and long inputs (1 MiB pieces/records).
// Each "ours" row is anchored to hash-wasm, the fastest other npm implementation at every size.
import type { BenchCase } from '@autonomys/bench';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { createBLAKE3 } from 'hash-wasm';
import {
  blake3,
  blake3Into,
  blake3Keyed,
  createBlake3,
  createBlake3Keyed32,
  initBlake3,
} from '../src/blake3.js';

const MiB = 1 << 20;

function filled(n: number, seed: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 31 + seed) & 0xff;
  return d;
}

const d32 = filled(32, 1);
const d80 = filled(80, 2);
const d1m = filled(MiB, 3);
const key = filled(32, 4);
const out = new Uint8Array(32);

// hash-wasm hashers are created asynchronously, once; a reused hasher is its fastest form.
const hw = await createBLAKE3(256);
const hwKeyed = await createBLAKE3(256, key);
// Long unkeyed one-shot inputs use the wasm engine once it is loaded.
await initBlake3();
const audit = createBlake3Keyed32(key);

const HW32 = 'blake3 32 B (hash-wasm)';
const HW80 = 'blake3 80 B (hash-wasm)';
const HWK32 = 'blake3 keyed 32 B (hash-wasm)';
const HW1M = 'blake3 1 MiB (hash-wasm)';
const HWK1M = 'blake3 keyed 1 MiB (hash-wasm)';

export const blake3Cases: BenchCase[] = [
  { name: 'blake3 32 B (ours)', size: '32 B', bytes: 32, anchor: HW32, batch: 2000, fn: () => blake3(d32) },
  {
    name: 'blake3Into 32 B (ours)',
    size: '32 B',
    bytes: 32,
    anchor: HW32,
    batch: 2000,
    fn: () => blake3Into(out, d32),
  },
  {
    name: 'blake3 32 B (noble)',
    size: '32 B',
    bytes: 32,
    anchor: HW32,
    batch: 200,
    fn: () => nobleBlake3(d32),
  },
  { name: HW32, size: '32 B', bytes: 32, batch: 2000, fn: () => hw.init().update(d32).digest('binary') },

  { name: 'blake3 80 B (ours)', size: '80 B', bytes: 80, anchor: HW80, batch: 1000, fn: () => blake3(d80) },
  {
    name: 'blake3 80 B (noble)',
    size: '80 B',
    bytes: 80,
    anchor: HW80,
    batch: 200,
    fn: () => nobleBlake3(d80),
  },
  { name: HW80, size: '80 B', bytes: 80, batch: 1000, fn: () => hw.init().update(d80).digest('binary') },

  {
    name: 'blake3Keyed 32 B (ours)',
    size: '32 B',
    bytes: 32,
    anchor: HWK32,
    batch: 2000,
    fn: () => blake3Keyed(key, d32),
  },
  {
    name: 'createBlake3Keyed32 audit 32 B (ours)',
    size: '32 B',
    bytes: 32,
    anchor: HWK32,
    batch: 2000,
    fn: () => audit(out, 0, d32, 0),
  },
  {
    name: 'blake3 keyed 32 B (noble)',
    size: '32 B',
    bytes: 32,
    anchor: HWK32,
    batch: 200,
    fn: () => nobleBlake3(d32, { key }),
  },
  {
    name: HWK32,
    size: '32 B',
    bytes: 32,
    batch: 2000,
    fn: () => hwKeyed.init().update(d32).digest('binary'),
  },

  {
    name: 'blake3 1 MiB (ours, wasm engine)',
    size: '1 MiB',
    bytes: MiB,
    anchor: HW1M,
    fn: () => blake3(d1m),
  },
  {
    name: 'createBlake3 stream 1 MiB (ours)',
    size: '1 MiB',
    bytes: MiB,
    anchor: HW1M,
    // 64 KiB updates, as from a file or network stream.
    fn: () => {
      const h = createBlake3();
      for (let at = 0; at < MiB; at += 65536) h.update(d1m.subarray(at, at + 65536));
      return h.digest();
    },
  },
  { name: 'blake3 1 MiB (noble)', size: '1 MiB', bytes: MiB, anchor: HW1M, fn: () => nobleBlake3(d1m) },
  { name: HW1M, size: '1 MiB', bytes: MiB, fn: () => hw.init().update(d1m).digest('binary') },
  {
    name: 'blake3Keyed 1 MiB (ours, TS engine)',
    size: '1 MiB',
    bytes: MiB,
    anchor: HWK1M,
    fn: () => blake3Keyed(key, d1m),
  },
  { name: HWK1M, size: '1 MiB', bytes: MiB, fn: () => hwKeyed.init().update(d1m).digest('binary') },
];
