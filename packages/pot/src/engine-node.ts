/**
 * The Node engines: `native` (the AES-NI kernel of @autonomys/native, when loaded on a CPU with AES)
 * and `cbc` (node:crypto). pot A.2: AES-128-CBC over zero blocks with IV = x gives E(x), E(E(x)), ...
 * as ciphertext blocks (each is E(0 xor previous)), so the last block of n zero blocks is E^n(x).
 */
import { createCipheriv } from 'node:crypto';
import {
  hasAesNi,
  aesChain as nativeChain,
  aesChainAsync as nativeChainAsync,
  aesChainMulti as nativeMulti,
  aesChainMultiAsync as nativeMultiAsync,
} from '@autonomys/native';
import { type AesChainState, type PotEngine, registerEngine } from './engine.js';

// ---- native (AES-NI) ----

const nativeEngine: PotEngine = {
  name: 'native',
  chain(key, block) {
    let x: Uint8Array = block.slice();
    return {
      advance(n) {
        if (n > 0) x = nativeChain(key, x, n);
      },
      async advanceAsync(n) {
        if (n > 0) x = await nativeChainAsync(key, x, n);
      },
      get block() {
        return x;
      },
    };
  },
  multi: (key, blocks, n) => nativeMulti(key, blocks, n),
  multiAsync: (key, blocks, n) => nativeMultiAsync(key, blocks, n),
};

// ---- node:crypto CBC ----

// 4096 blocks (64 KiB) per update(): amortises the JS↔OpenSSL call and stays in cache (pot A.10:
// larger chunks get slower, allocation bound).
const CBC_CHUNK_BLOCKS = 4096;
let zeros: Uint8Array | undefined;

function cbcChain(key: Uint8Array, block: Uint8Array): AesChainState {
  zeros ??= new Uint8Array(CBC_CHUNK_BLOCKS * 16);
  const z = zeros;
  // One cipher for the whole chain: its CBC state carries over between update() calls.
  const cipher = createCipheriv('aes-128-cbc', key, block).setAutoPadding(false);
  let x: Uint8Array = block.slice();
  const advance = (n: number): void => {
    let last: Uint8Array | undefined;
    while (n > 0) {
      const blocks = Math.min(n, CBC_CHUNK_BLOCKS);
      last = cipher.update(blocks === CBC_CHUNK_BLOCKS ? z : z.subarray(0, blocks * 16));
      n -= blocks;
    }
    if (last !== undefined) x = new Uint8Array(last.buffer, last.byteOffset + last.length - 16, 16);
  };
  return {
    advance,
    async advanceAsync(n) {
      advance(n);
    },
    get block() {
      return x;
    },
  };
}

const cbcEngine: PotEngine = {
  name: 'cbc',
  chain: cbcChain,
  multi(key, blocks, n) {
    const out = new Uint8Array(blocks.length);
    for (let i = 0; i < blocks.length; i += 16) {
      const c = cbcChain(key, blocks.subarray(i, i + 16));
      c.advance(n);
      out.set(c.block, i);
    }
    return out;
  },
  async multiAsync(key, blocks, n) {
    return cbcEngine.multi(key, blocks, n);
  },
};

/** Registers `native` (with AES-NI) and `cbc`; the Node entry calls it once. */
export function registerNodeEngines(): void {
  if (hasAesNi) registerEngine(nativeEngine);
  registerEngine(cbcEngine);
}
