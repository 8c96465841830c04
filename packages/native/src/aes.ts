/**
 * The proof-of-time chain: x_{i+1} = AES-128_key(x_i), `iterations` times. Native (AES-NI) when the
 * addon is loaded and the CPU has AES, else node:crypto: CBC encryption of zero blocks with IV = x_0
 * gives x_1, x_2, ... as ciphertext blocks (c_i = AES(c_{i-1} ⊕ 0)), so the last block is the result.
 */
import { createCipheriv } from 'node:crypto';
import { addon } from './addon.js';
import { abytes, aint } from './assert.js';
import { AES_BLOCK_SIZE, AES_KEY_SIZE } from './constants.js';
import { statusError } from './status.js';

/** True when the chains run on AES-NI (the addon is loaded and the CPU supports AES). */
export const hasAesNi: boolean = addon?.hasAes === true;

// 64 KiB of zeros per update(): large enough to amortise the JS↔OpenSSL call, small enough to stay
// in cache (one 160 MB update() is 2.5x slower, bench-anchors §3).
const CHUNK = 64 * 1024;
let zeros: Uint8Array | undefined;

/** The node:crypto chain (the fallback; exported for tests and benchmarks). */
export function aesChainJs(key: Uint8Array, block: Uint8Array, iterations: number): Uint8Array {
  if (iterations === 0) return block.slice();
  zeros ??= new Uint8Array(CHUNK);
  const cipher = createCipheriv('aes-128-cbc', key, block).setAutoPadding(false);
  let remaining = iterations * AES_BLOCK_SIZE;
  let last: Uint8Array = block;
  while (remaining > 0) {
    const n = Math.min(CHUNK, remaining);
    const out = cipher.update(n === CHUNK ? zeros : zeros.subarray(0, n));
    if (out.length > 0) last = out;
    remaining -= n;
  }
  cipher.final();
  return new Uint8Array(last.subarray(last.length - AES_BLOCK_SIZE));
}

function checkArgs(key: Uint8Array, blocks: Uint8Array, iterations: number, single: boolean): void {
  abytes(key, 'key', AES_KEY_SIZE);
  if (single) abytes(blocks, 'block', AES_BLOCK_SIZE);
  else abytes(blocks, 'blocks', undefined, AES_BLOCK_SIZE);
  aint(iterations, 'iterations');
}

function multiJs(key: Uint8Array, blocks: Uint8Array, iterations: number): Uint8Array {
  const out = new Uint8Array(blocks.length);
  for (let i = 0; i < blocks.length; i += AES_BLOCK_SIZE) {
    out.set(aesChainJs(key, blocks.subarray(i, i + AES_BLOCK_SIZE), iterations), i);
  }
  return out;
}

function multiNative(key: Uint8Array, blocks: Uint8Array, iterations: number): Uint8Array {
  const out = new Uint8Array(blocks.length);
  const st = addon!.aesChainMulti(out, key, blocks, iterations);
  if (st !== undefined) throw statusError('aesChain', st);
  return out;
}

/**
 * `iterations` steps of x ← AES-128_key(x) from `block`; returns the final 16-byte block (a copy of
 * `block` for 0 iterations). ~77 M steps/s with AES-NI, ~45 M/s with the node:crypto fallback.
 * @example aesChain(key, seedBlock, 1) // AES-128 of one block
 */
export function aesChain(key: Uint8Array, block: Uint8Array, iterations: number): Uint8Array {
  checkArgs(key, block, iterations, true);
  return hasAesNi ? multiNative(key, block, iterations) : aesChainJs(key, block, iterations);
}

/**
 * N independent chains (one per 16-byte block of `blocks`), each `iterations` steps, interleaved in
 * one loop: AES-NI is pipelined, so 8 chains cost about as much wall time as 2 (proof-of-time
 * checkpoint verification runs the checkpoints of a slot as parallel chains).
 * @example aesChainMulti(key, checkpointsBefore, iterationsPerCheckpoint) // compare to checkpointsAfter
 */
export function aesChainMulti(key: Uint8Array, blocks: Uint8Array, iterations: number): Uint8Array {
  checkArgs(key, blocks, iterations, false);
  return hasAesNi ? multiNative(key, blocks, iterations) : multiJs(key, blocks, iterations);
}

/**
 * {@link aesChainMulti} on libuv's thread pool (the inputs are copied at the call). Without AES-NI it
 * runs the fallback on the calling thread.
 * @example const ends = await aesChainMultiAsync(key, starts, 1 << 20);
 */
export async function aesChainMultiAsync(
  key: Uint8Array,
  blocks: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  checkArgs(key, blocks, iterations, false);
  if (!hasAesNi) return multiJs(key, blocks, iterations);
  const r = await addon!.aesChainMultiAsync(key, blocks, iterations);
  if (!(r instanceof Uint8Array)) throw statusError('aesChainMultiAsync', r!);
  return r;
}

/**
 * {@link aesChain} off the JS thread (see {@link aesChainMultiAsync}).
 * @example const out = await aesChainAsync(key, block, 200_000_000);
 */
export async function aesChainAsync(
  key: Uint8Array,
  block: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  checkArgs(key, block, iterations, true);
  return aesChainMultiAsync(key, block, iterations);
}
