/**
 * The code the test page runs in Chromium, bundled from the packages' browser entries. It exposes
 * `globalThis.autonomys`, whose functions the tests call through playwright (JSON in, JSON out; bytes
 * as hex or as URLs on the test's server). Every result carries the time the check took in the page.
 */
import { isPieceValid, verifySegmentHeaderChain } from '@autonomys/archiver';
import {
  decodePublicParameters,
  Kzg,
  type KzgBackend,
  loadWasmBackend,
  type PublicParameters,
  poly,
  setDefaultBackend,
  typescriptCoreBackend,
} from '@autonomys/kzg';
import { isShimProofValid, verifySolution } from '@autonomys/plotter';
import {
  defaultPotWorkerCount,
  findCheckpointMismatch,
  findCheckpointMismatchWebCrypto,
  PotWorkerVerifier,
  prove,
  proveWebCrypto,
  verifyWithKey,
  verifyWithKeyWebCrypto,
} from '@autonomys/pot';
import { bytesToHex, decodeSegmentHeader, decodeSolution, hexToBytes } from '@autonomys/primitives';

type BackendName = 'wasm' | 'typescript';

interface State {
  parameters?: PublicParameters;
  backends: Partial<Record<BackendName, KzgBackend>>;
  kzg: Partial<Record<BackendName, Kzg>>;
  /** Verifiers by worker count and slice size (spawned on first use, kept). */
  workers: Map<string, PotWorkerVerifier>;
}
const state: State = { backends: { typescript: typescriptCoreBackend }, kzg: {}, workers: new Map() };

async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * The Kzg of backend `name`, made the default backend too: `poly()` (the record's inverse FFT) runs
 * on the same backend as the MSM, so each backend is measured whole (blst WebAssembly: FFT and MSM;
 * TypeScript: both in TypeScript). Both run on the page's thread, as Node's `isPieceValid` does.
 */
function kzgOf(name: BackendName): Kzg {
  const k = state.kzg[name];
  if (k === undefined) throw new Error(`backend ${name} is not loaded`);
  setDefaultBackend(k.backend);
  return k;
}

/** The error's stable code when it has one. */
function codeOf(e: unknown): string {
  return (e as { code?: string }).code ?? (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
}

const api = {
  /**
   * Loads blst.wasm (when `wasm`) and the public parameters from /params.bin: decoded in the page
   * (`decode`: with blst WebAssembly when loaded, else TypeScript), or taking the G1 table Node
   * decoded (/g1-table.bin; 2^15 points take seconds on WebAssembly, ~15 s in TypeScript) with the
   * G2 power and the digest still decoded here.
   */
  async init(opts: { wasm: boolean; decode: boolean }) {
    let wasmError: string | undefined;
    if (opts.wasm) {
      try {
        state.backends.wasm = await loadWasmBackend('/blst.wasm');
      } catch (e) {
        wasmError = codeOf(e);
      }
    }
    const bytes = await fetchBytes('/params.bin');
    const backend = state.backends.wasm ?? typescriptCoreBackend;
    const t0 = performance.now();
    if (opts.decode) {
      state.parameters = decodePublicParameters(bytes, { backend });
    } else {
      const g1 = await fetchBytes('/g1-table.bin');
      const head = decodePublicParameters(bytes, { g1Count: 1, backend });
      state.parameters = { ...head, g1Count: g1.length / 96, g1 };
    }
    const decodeMs = performance.now() - t0;
    for (const [name, b] of Object.entries(state.backends) as [BackendName, KzgBackend][])
      state.kzg[name] = new Kzg(state.parameters, { backend: b });
    return {
      backends: Object.keys(state.kzg),
      wasmError,
      decodeMs,
      sha256: state.parameters.sha256,
      g1Hex: bytesToHex(state.parameters.g1.subarray(0, 96 * 4)),
      g1LastHex: bytesToHex(state.parameters.g1.subarray(state.parameters.g1.length - 96)),
    };
  },

  /** Decodes the first `g1Count` powers with `backend` and returns the table (hex) and the time. */
  async decodeParameters(opts: { backend: BackendName; g1Count: number; subgroupCheck: boolean }) {
    const bytes = await fetchBytes('/params.bin');
    const backend = state.backends[opts.backend];
    if (backend === undefined) throw new Error(`backend ${opts.backend} is not loaded`);
    const t0 = performance.now();
    const p = decodePublicParameters(bytes, {
      backend,
      g1Count: opts.g1Count,
      subgroupCheck: opts.subgroupCheck,
    });
    return { ms: performance.now() - t0, g1Hex: bytesToHex(p.g1), tauG2Hex: bytesToHex(p.tauG2) };
  },

  /** A G1 MSM of `n` fixture scalars over the parameters' first `n` powers on `backend` (48 bytes, hex). */
  async msm(opts: { n: number; backend: BackendName }) {
    const scalars = new Uint8Array(opts.n * 32);
    for (let at = 0; at < scalars.length; at += 65536)
      crypto.getRandomValues(scalars.subarray(at, Math.min(scalars.length, at + 65536)));
    for (let i = 0; i < opts.n; i++) scalars[i * 32] = scalars[i * 32]! & 0x3f;
    const backend = state.backends[opts.backend];
    if (backend === undefined || state.parameters === undefined) throw new Error('not initialised');
    const t0 = performance.now();
    const out = backend.msmG1(state.parameters.g1, scalars, opts.n, 0);
    return {
      ms: performance.now() - t0,
      outHex: bytesToHex(out),
      scalarsHex: bytesToHex(scalars.subarray(0, 64)),
    };
  },

  /** isPieceValid for the piece at `url` against a segment commitment, on `backend`. */
  async verifyPiece(opts: {
    url: string;
    commitmentHex: string;
    position: number;
    backend: BackendName;
    params?: { numChunks: number; numRawRecords: number };
  }) {
    const piece = await fetchBytes(opts.url);
    const kzg = kzgOf(opts.backend);
    const t0 = performance.now();
    try {
      const valid = isPieceValid(kzg, piece, hexToBytes(opts.commitmentHex), opts.position, opts.params);
      return { valid, ms: performance.now() - t0 };
    } catch (e) {
      return { valid: false, ms: performance.now() - t0, error: codeOf(e) };
    }
  },

  /** The commitment to the record of the piece at `url` (byte-identity with Node). */
  async commitRecord(opts: { url: string; recordSize: number; backend: BackendName }) {
    const piece = await fetchBytes(opts.url);
    const t0 = performance.now();
    const c = kzgOf(opts.backend).commit(poly(piece.subarray(0, opts.recordSize)));
    return { commitmentHex: bytesToHex(c), ms: performance.now() - t0 };
  },

  /**
   * A slot's checkpoints verified by `mode`: WebCrypto on the page's thread, in Web Workers
   * (`worker`: one; `workers`: one per core, the slot's 8 chains split among them), or the TS engine.
   */
  async verifyPot(opts: {
    seedHex: string;
    slotIterations: number;
    checkpointsHex: string;
    mode: 'webcrypto' | 'worker' | 'workers' | 'ts';
    sliceBlocks?: number;
  }) {
    const seed = hexToBytes(opts.seedHex);
    const checkpoints = hexToBytes(opts.checkpointsHex);
    const slice = opts.sliceBlocks === undefined ? {} : { sliceBlocks: opts.sliceBlocks };
    let workers = 0;
    let workerMs: readonly number[] = [];
    const t0 = performance.now();
    let mismatch: number;
    if (opts.mode === 'webcrypto') {
      mismatch = await findCheckpointMismatchWebCrypto(seed, opts.slotIterations, checkpoints, slice);
    } else if (opts.mode === 'worker' || opts.mode === 'workers') {
      workers = opts.mode === 'worker' ? 1 : defaultPotWorkerCount();
      const key = `${workers}:${opts.sliceBlocks ?? ''}`;
      let v = state.workers.get(key);
      if (v === undefined) {
        v = PotWorkerVerifier.spawn(() => new Worker('/pot-worker.js', { type: 'module' }), workers, slice);
        state.workers.set(key, v);
        // The first answer includes the worker's start; warm it up so `ms` is the verification alone.
        await v.findCheckpointMismatch(seed, 16, new Uint8Array(128));
      }
      mismatch = await v.findCheckpointMismatch(seed, opts.slotIterations, checkpoints);
      workerMs = v.lastWorkerMs;
    } else {
      mismatch = findCheckpointMismatch(seed, opts.slotIterations, checkpoints, { engine: 'ts' });
    }
    return { mismatch, ms: performance.now() - t0, workers, workerMs };
  },

  /** AES-CBC over `blocks` zero blocks in calls of `sliceBlocks` (one chain, on the page's thread). */
  async cbcChain(opts: { blocks: number; sliceBlocks: number }) {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(16).fill(3), { name: 'AES-CBC' }, false, [
      'encrypt',
    ]);
    const zeros = new Uint8Array(opts.sliceBlocks * 16);
    let iv = new Uint8Array(16);
    const t0 = performance.now();
    for (let left = opts.blocks; left > 0; left -= opts.sliceBlocks) {
      const n = Math.min(left, opts.sliceBlocks);
      const out = await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, zeros.subarray(0, n * 16));
      iv = new Uint8Array(out, (n - 1) * 16, 16).slice();
    }
    return { ms: performance.now() - t0, lastHex: bytesToHex(iv) };
  },

  /** A slot's checkpoints computed in the page (WebCrypto or the TS engine), for byte-identity. */
  async provePot(opts: { seedHex: string; slotIterations: number; mode: 'webcrypto' | 'ts' }) {
    const seed = hexToBytes(opts.seedHex);
    const t0 = performance.now();
    const cps =
      opts.mode === 'webcrypto'
        ? await proveWebCrypto(seed, opts.slotIterations)
        : prove(seed, opts.slotIterations, { engine: 'ts' });
    return { checkpointsHex: bytesToHex(cps), ms: performance.now() - t0 };
  },

  /** The AES-level verification of a vector (explicit key and checkpoint iterations). */
  async verifyPotWithKey(opts: { seedHex: string; keyHex: string; k: number; checkpointsHex: string }) {
    const [seed, key, cps] = [
      hexToBytes(opts.seedHex),
      hexToBytes(opts.keyHex),
      hexToBytes(opts.checkpointsHex),
    ];
    return {
      webcrypto: await verifyWithKeyWebCrypto(seed, key, opts.k, cps),
      ts: verifyWithKey(seed, key, opts.k, cps, { engine: 'ts' }),
    };
  },

  /** verifySolution on `backend`: the distance, or the PlotterError code. */
  async verifySolution(opts: {
    solutionHex: string;
    slot: string;
    potOutputHex: string;
    solutionRange: string;
    numChunks: number;
    backend: BackendName;
    pieceCheck?: { maxPiecesInSector: number; segmentCommitmentHex: string; currentHistorySize: string };
  }) {
    const solution = decodeSolution(hexToBytes(opts.solutionHex));
    const c = opts.pieceCheck;
    const t0 = performance.now();
    try {
      const distance = verifySolution(
        solution,
        {
          slot: BigInt(opts.slot),
          potOutput: hexToBytes(opts.potOutputHex),
          solutionRange: BigInt(opts.solutionRange),
          ...(c === undefined
            ? {}
            : {
                pieceCheck: {
                  maxPiecesInSector: c.maxPiecesInSector,
                  segmentCommitment: hexToBytes(c.segmentCommitmentHex),
                  currentHistorySize: BigInt(c.currentHistorySize),
                },
              }),
        },
        { kzg: kzgOf(opts.backend), isProofValid: isShimProofValid, numChunks: opts.numChunks },
      );
      return { distance: distance.toString(), ms: performance.now() - t0 };
    } catch (e) {
      return { error: codeOf(e), ms: performance.now() - t0 };
    }
  },

  /** verifySegmentHeaderChain over SCALE-encoded headers. */
  async verifyHeaderChain(opts: { headersHex: string[] }) {
    try {
      verifySegmentHeaderChain(opts.headersHex.map((h) => decodeSegmentHeader(hexToBytes(h))));
      return { ok: true };
    } catch (e) {
      return { ok: false, error: codeOf(e) };
    }
  },
};

export type PageApi = typeof api;

Object.assign(globalThis, { autonomys: api, autonomysReady: true });
