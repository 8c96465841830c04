/**
 * The AES engines behind proving and verification, byte-identical (tests check it):
 *
 * - `native`: the AES-NI kernel of @autonomys/native (one chain at the aesenc latency bound; up to 8
 *   chains interleaved in one loop for verification). Selected automatically when loaded.
 * - `cbc`: node:crypto AES-128-CBC over zero blocks (./engine-node.ts, registered by the Node entry).
 * - `ts`: plain TypeScript (./aes.ts), for runtimes without node:crypto; always available.
 *
 * This module has no node: imports, so the browser entry can use it.
 */
import { aesChainWords, expandKey } from './aes.js';
import { PotError } from './errors.js';

/** The name of an AES engine. */
export type PotEngineName = 'native' | 'cbc' | 'ts';

/** A running AES chain x ← AES_key(x): advanced step by step, its current block readable. */
export interface AesChainState {
  /** Advances the chain by `iterations` steps on the calling thread. */
  advance(iterations: number): void;
  /** Advances off the calling thread when the engine can (native: libuv's pool), else inline. */
  advanceAsync(iterations: number): Promise<void>;
  /** The current block (a view: copy it to keep it). */
  readonly block: Uint8Array;
}

/** An AES-128 chain implementation. */
export interface PotEngine {
  readonly name: PotEngineName;
  /** A chain from `block` (copied) under `key`. */
  chain(key: Uint8Array, block: Uint8Array): AesChainState;
  /** `iterations` steps of each 16-byte block of `blocks` (independent chains); N×16 bytes out. */
  multi(key: Uint8Array, blocks: Uint8Array, iterations: number): Uint8Array;
  /** {@link PotEngine.multi} off the calling thread when the engine can, else inline. */
  multiAsync(key: Uint8Array, blocks: Uint8Array, iterations: number): Promise<Uint8Array>;
}

// ---- pure TypeScript ----

function tsChain(key: Uint8Array, block: Uint8Array): AesChainState {
  const rk = expandKey(key);
  const x = block.slice();
  const advance = (n: number): void => aesChainWords(rk, x, 0, x, 0, n);
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

const tsEngine: PotEngine = {
  name: 'ts',
  chain: tsChain,
  multi(key, blocks, n) {
    const rk = expandKey(key);
    const out = new Uint8Array(blocks.length);
    for (let i = 0; i < blocks.length; i += 16) aesChainWords(rk, blocks, i, out, i, n);
    return out;
  },
  async multiAsync(key, blocks, n) {
    return tsEngine.multi(key, blocks, n);
  },
};

const ORDER: readonly PotEngineName[] = ['native', 'cbc', 'ts'];
const engines: Partial<Record<PotEngineName, PotEngine>> = { ts: tsEngine };

/**
 * Makes an engine available (the Node entry registers `native` when the addon has AES-NI, and
 * `cbc`; the browser entry only has `ts`).
 */
export function registerEngine(engine: PotEngine): void {
  engines[engine.name] = engine;
}

/** The engines that can run here, fastest first. @example availableEngines() // ['native', 'cbc', 'ts'] */
export function availableEngines(): PotEngineName[] {
  return ORDER.filter((n) => engines[n] !== undefined);
}

/**
 * The engine that runs when none is named: the fastest available (`native` with AES-NI, else `cbc`,
 * else `ts`).
 * @example defaultEngineName() // 'native'
 */
export function defaultEngineName(): PotEngineName {
  return availableEngines()[0] ?? 'ts';
}

/**
 * The engine called `name` (the fastest available when omitted); POT_ENGINE_UNAVAILABLE when it
 * cannot run here.
 * @example getEngine('ts').multi(key, blocks, 20)
 */
export function getEngine(name?: PotEngineName): PotEngine {
  const e = engines[name ?? defaultEngineName()];
  if (e !== undefined) return e;
  throw new PotError({ code: 'POT_ENGINE_UNAVAILABLE', engine: String(name) });
}

/** Options naming an AES engine. */
export interface EngineOptions {
  /** `native` (AES-NI), `cbc` (node:crypto) or `ts` (pure TypeScript); the fastest available by default. */
  engine?: PotEngineName;
}
