/**
 * Verification in a real headless Chromium (issue #13, browser half): the packages' browser entries,
 * bundled by esbuild and served on loopback, check a network-size piece against its segment
 * commitment (blst WebAssembly and the TypeScript fallback), proofs of time (WebCrypto on the page,
 * in a Web Worker, and the TypeScript engine), a farmed solution and a segment header chain. Every
 * answer is compared with Node's on the same bytes; corrupted inputs must fail.
 *
 * Skipped (with a message) only when Chromium is absent and AUTONOMYS_BROWSER_REQUIRED is unset.
 */
import { isPieceValid, verifySegmentHeaderChain } from '@autonomys/archiver';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { findCheckpointMismatch, prove } from '@autonomys/pot';
import { bytesToHex, decodeSegmentHeader, encodeSolution } from '@autonomys/primitives';
import { loadVectors } from '@autonomys/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HistoryFixture,
  networkPiece,
  type PieceFixture,
  SMALL_PARAMS,
  smallHistory,
} from '../src/fixtures.js';
import { BROWSER_REQUIRED, blstWasm, browserAvailability, type StaticServer } from '../src/harness.js';
import { type Session, startSession } from '../src/session.js';

const availability = browserAvailability();
const WASM_REQUIRED = process.env.AUTONOMYS_WASM_REQUIRED === '1';
if (!availability.ok && !BROWSER_REQUIRED)
  console.warn(
    `browser tests SKIPPED: ${availability.reason} (set AUTONOMYS_BROWSER_REQUIRED=1 to fail instead)`,
  );
// Built on demand when missing; without clang/wasm-ld the WebAssembly cases are skipped, loudly.
const blst = availability.ok || BROWSER_REQUIRED ? blstWasm() : { bytes: null, reason: 'no browser' };
const wasm = blst.bytes !== null;
if (!wasm && (availability.ok || BROWSER_REQUIRED))
  console.warn(`blst WebAssembly cases SKIPPED (TypeScript backend only): ${blst.reason}`);

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const out = bytes.slice();
  out[at]! ^= 1;
  return out;
};

describe.skipIf(!availability.ok && !BROWSER_REQUIRED)('verification in headless Chromium', () => {
  let session: Session | undefined;
  let call: Session['call'];
  let server: StaticServer;
  let kzg: Kzg;
  let piece: PieceFixture;
  let history: HistoryFixture;
  let init: {
    backends: string[];
    wasmError?: string;
    decodeMs: number;
    sha256: string;
    g1Hex: string;
    g1LastHex: string;
  };
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    if (!availability.ok) throw new Error(`AUTONOMYS_BROWSER_REQUIRED=1 but ${availability.reason}`);
    const parameters = await loadPublicParameters();
    kzg = new Kzg(parameters);
    piece = networkPiece(kzg);
    history = await smallHistory(kzg, parameters);
    if (!wasm && WASM_REQUIRED)
      throw new Error(`AUTONOMYS_WASM_REQUIRED=1 but blst.wasm did not build: ${blst.reason}`);
    const files = new Map<string, Uint8Array>([
      ['/piece.bin', piece.piece],
      ['/piece-bad-record.bin', flip(piece.piece, 12_345 * 32 + 17)],
      ['/piece-bad-commitment.bin', flip(piece.piece, piece.recordSize + 47)],
    ]);
    // A non-canonical chunk: 0xff… is above the field's modulus.
    const nonCanonical = piece.piece.slice();
    nonCanonical.fill(0xff, 64, 96);
    files.set('/piece-non-canonical.bin', nonCanonical);
    for (const [index, bytes] of history.pieces) files.set(`/small/${index}.bin`, bytes);
    session = await startSession({ files, wasm: blst.bytes, g1Table: parameters.g1 });
    ({ call, server } = session);
    init = await call('init', { wasm, decode: false });
  });

  afterAll(async () => {
    await session?.close();
    if (Object.keys(figures).length > 0) console.log('browser figures (ms):', JSON.stringify(figures));
  });

  it('loads the WebAssembly backend and decodes the parameters to the bytes Node decodes', () => {
    expect(init.backends).toContain('typescript');
    if (wasm) {
      expect(init.wasmError).toBeUndefined();
      expect(init.backends).toContain('wasm');
    }
    const g1 = kzg.parameters.g1;
    expect(init.sha256).toBe(kzg.parameters.sha256);
    expect(init.g1Hex).toBe(bytesToHex(g1.subarray(0, 96 * 4)));
    expect(init.g1LastHex).toBe(bytesToHex(g1.subarray(g1.length - 96)));
  });

  it('decodes G1 powers with subgroup checks identically on every backend', async () => {
    const node = await loadPublicParameters({ g1Count: 64, subgroupCheck: true, cache: false });
    for (const backend of wasm ? ['wasm', 'typescript'] : ['typescript']) {
      const r = await call<{ g1Hex: string; tauG2Hex: string }>('decodeParameters', {
        backend,
        g1Count: 64,
      });
      expect(r.g1Hex).toBe(bytesToHex(node.g1));
      expect(r.tauG2Hex).toBe(bytesToHex(node.tauG2));
    }
  });

  it.skipIf(!wasm && !WASM_REQUIRED)('verifies a network-size piece on blst WebAssembly', async () => {
    const r = await call<{ valid: boolean; ms: number; error?: string }>('verifyPiece', {
      url: '/piece.bin',
      commitmentHex: bytesToHex(piece.segmentCommitment),
      position: piece.position,
      backend: 'wasm',
    });
    expect(r).toMatchObject({ valid: true });
    figures['isPieceValid 2^15 (wasm)'] = r.ms;
    const c = await call<{ commitmentHex: string }>('commitRecord', {
      url: '/piece.bin',
      recordSize: piece.recordSize,
      backend: 'wasm',
    });
    expect(c.commitmentHex).toBe(bytesToHex(piece.recordCommitment));
  });

  it('verifies a network-size piece on the TypeScript backend', async () => {
    const r = await call<{ valid: boolean; ms: number }>('verifyPiece', {
      url: '/piece.bin',
      commitmentHex: bytesToHex(piece.segmentCommitment),
      position: piece.position,
      backend: 'typescript',
    });
    expect(r).toMatchObject({ valid: true });
    figures['isPieceValid 2^15 (typescript)'] = r.ms;
    const t0 = performance.now();
    expect(isPieceValid(kzg, piece.piece, piece.segmentCommitment, piece.position)).toBe(true);
    figures[`isPieceValid 2^15 (Node, ${kzg.backend.name})`] = performance.now() - t0;
  });

  it('never verifies a corrupted network-size piece', async () => {
    // A corrupted record byte commits to the whole record first (~1 s on WebAssembly, seconds in
    // TypeScript), so it runs once, on WebAssembly when it loaded; the non-canonical chunk is
    // rejected before any MSM, on both backends. The witness, position and segment-commitment cases
    // run on the development preset's pieces below, where commitments are cheap, on both backends.
    const badRecord = {
      url: '/piece-bad-record.bin',
      position: piece.position,
      commitment: piece.segmentCommitment,
    };
    const nonCanonical = {
      url: '/piece-non-canonical.bin',
      position: piece.position,
      commitment: piece.segmentCommitment,
    };
    const runs = [
      { ...badRecord, backend: wasm ? 'wasm' : 'typescript' },
      ...(wasm ? [{ ...nonCanonical, backend: 'wasm' }] : []),
      { ...nonCanonical, backend: 'typescript' },
    ];
    for (const c of runs) {
      const r = await call<{ valid: boolean; error?: string }>('verifyPiece', {
        url: c.url,
        commitmentHex: bytesToHex(c.commitment),
        position: c.position,
        backend: c.backend,
      });
      const label = { backend: c.backend, url: c.url, position: c.position };
      expect({ ...label, valid: r.valid, error: r.error }).toEqual({
        ...label,
        valid: false,
        error: undefined,
      });
    }
  });

  it('verifies archived pieces of the development preset and rejects corrupted ones', async () => {
    for (const backend of wasm ? ['wasm', 'typescript'] : ['typescript']) {
      for (const index of [0n, 1n, 255n, 256n, 511n]) {
        const segment = Number(index / 256n);
        const r = await call<{ valid: boolean }>('verifyPiece', {
          url: `/small/${index}.bin`,
          commitmentHex: bytesToHex(history.headers[segment]!.segmentCommitment),
          position: Number(index % 256n),
          backend,
          params: SMALL_PARAMS,
        });
        expect({ backend, index, valid: r.valid }).toEqual({ backend, index, valid: true });
      }
      const p3 = history.pieces.get(3n)!;
      const recordSize = SMALL_PARAMS.numChunks * 32;
      const negatives = [
        { what: 'record byte', bytes: flip(p3, 100), position: 3, segment: 0 },
        { what: 'record commitment', bytes: flip(p3, recordSize + 47), position: 3, segment: 0 },
        { what: 'witness', bytes: flip(p3, recordSize + 48 + 40), position: 3, segment: 0 },
        { what: 'position', bytes: p3, position: 4, segment: 0 },
        { what: 'segment commitment', bytes: p3, position: 3, segment: 1 },
      ];
      for (const n of negatives) {
        server.files.set('/small/bad.bin', n.bytes);
        const commitment = history.headers[n.segment]!.segmentCommitment;
        const r = await call<{ valid: boolean; error?: string }>('verifyPiece', {
          url: '/small/bad.bin',
          commitmentHex: bytesToHex(commitment),
          position: n.position,
          backend,
          params: SMALL_PARAMS,
        });
        expect({ backend, what: n.what, valid: r.valid, error: r.error }).toEqual({
          backend,
          what: n.what,
          valid: false,
          error: undefined,
        });
        expect(isPieceValid(kzg, n.bytes, commitment, n.position, SMALL_PARAMS)).toBe(false);
      }
    }
  });

  it('verifies the segment header chain, and rejects a broken one as Node does', async () => {
    const good = history.encodedHeaders.map(bytesToHex);
    expect(await call('verifyHeaderChain', { headersHex: good })).toEqual({ ok: true });
    const tampered = history.encodedHeaders.map((h) => h.slice());
    tampered[0]![20]! ^= 1; // segment 0's commitment: segment 1's previous-header hash no longer matches
    for (const broken of [tampered, [...history.encodedHeaders].reverse()]) {
      let nodeCode: string | undefined;
      try {
        verifySegmentHeaderChain(broken.map(decodeSegmentHeader));
      } catch (e) {
        nodeCode = (e as { code?: string }).code;
      }
      expect(nodeCode).toMatch(/^ARCHIVER_/);
      const r = await call<{ ok: boolean; error?: string }>('verifyHeaderChain', {
        headersHex: broken.map(bytesToHex),
      });
      expect(r).toEqual({ ok: false, error: nodeCode });
    }
  });

  it('verifies proof-of-time vectors on WebCrypto and the TypeScript engine', async () => {
    const v = loadVectors<{ vectors: Array<Record<string, unknown>> }>('pot.json').vectors[0]!;
    const checkpoints = (v.expected_checkpoints_hex as string[]).join('');
    const base = {
      seedHex: v.seed_hex,
      keyHex: v.key_hex,
      k: Number(v.checkpoint_iterations),
      checkpointsHex: checkpoints,
    };
    expect(await call('verifyPotWithKey', base)).toEqual({ webcrypto: true, ts: true });
    for (const n of v.negative_cases as Array<Record<string, unknown>>) {
      const o = n.checkpoints_hex_override as { index: number; value: string } | undefined;
      const cps =
        o === undefined
          ? checkpoints
          : checkpoints.slice(0, o.index * 32) + o.value + checkpoints.slice(o.index * 32 + 32);
      const arg = {
        seedHex: (n.seed_hex as string | undefined) ?? base.seedHex,
        keyHex: (n.key_hex as string | undefined) ?? base.keyHex,
        k: n.checkpoint_iterations === undefined ? base.k : Number(n.checkpoint_iterations),
        checkpointsHex: cps,
      };
      expect(await call('verifyPotWithKey', arg)).toEqual({ webcrypto: false, ts: false });
    }
    const derived = loadVectors<{ vectors: Array<Record<string, unknown>> }>('pot.json').vectors[1]!;
    const proven = await call<{ checkpointsHex: string }>('provePot', {
      seedHex: derived.seed_hex,
      slotIterations: derived.slot_iterations,
      mode: 'webcrypto',
    });
    expect(proven.checkpointsHex).toBe((derived.expected_checkpoints_hex as string[]).join(''));
  });

  it('verifies a slot at the development iterations (2^20) as Node does, on the page and in workers', async () => {
    const seed = new Uint8Array(16).fill(7);
    const iterations = 1 << 20;
    const checkpoints = prove(seed, iterations, { engine: 'cbc' });
    const t0 = performance.now();
    expect(findCheckpointMismatch(seed, iterations, checkpoints, { engine: 'cbc' })).toBe(-1);
    figures['PoT verify 2^20 (Node cbc)'] = performance.now() - t0;
    const bad = checkpoints.slice();
    bad[3 * 16 + 5]! ^= 0x80;
    expect(findCheckpointMismatch(seed, iterations, bad, { engine: 'cbc' })).toBe(3);
    // WebCrypto on the page's thread, in one worker, in one worker per core (the chains split among
    // them), and the TypeScript engine; each must name the checkpoint Node names.
    for (const mode of ['webcrypto', 'worker', 'workers', 'ts'] as const) {
      const ok = await call<{ mismatch: number; ms: number; workers: number; workerMs: number[] }>(
        'verifyPot',
        {
          seedHex: bytesToHex(seed),
          slotIterations: iterations,
          checkpointsHex: bytesToHex(checkpoints),
          mode,
        },
      );
      expect({ mode, mismatch: ok.mismatch }).toEqual({ mode, mismatch: -1 });
      if (mode === 'workers') expect(ok.workers).toBeGreaterThanOrEqual(1);
      figures[`PoT verify 2^20 (${mode === 'workers' ? `${ok.workers} workers` : mode})`] = ok.ms;
      // Each worker's own time: their sum above the wall time means they ran at the same time.
      if (mode === 'workers')
        figures['PoT verify 2^20, sum of the workers’ own times'] = ok.workerMs.reduce((a, b) => a + b, 0);
      // The TypeScript engine is ~6x slower: its wrong checkpoint is looked for in a 2^16 slot.
      const n = mode === 'ts' ? 1 << 16 : iterations;
      const wrong = mode === 'ts' ? prove(seed, n, { engine: 'cbc' }) : bad;
      if (mode === 'ts') wrong[3 * 16 + 5]! ^= 0x80;
      const r = await call<{ mismatch: number }>('verifyPot', {
        seedHex: bytesToHex(seed),
        slotIterations: n,
        checkpointsHex: bytesToHex(wrong),
        mode,
      });
      expect({ mode, mismatch: r.mismatch }).toEqual({
        mode,
        mismatch: findCheckpointMismatch(seed, n, wrong, { engine: 'cbc' }),
      });
      expect(r.mismatch).toBe(3);
    }
    const small = await call<{ checkpointsHex: string }>('provePot', {
      seedHex: bytesToHex(seed),
      slotIterations: 1 << 14,
      mode: 'ts',
    });
    expect(small.checkpointsHex).toBe(bytesToHex(prove(seed, 1 << 14)));
  });

  it('verifies a farmed solution with the distance Node computes, and rejects a tampered one', async () => {
    const s = history.solution;
    const base = {
      solutionHex: bytesToHex(s.encoded),
      slot: s.slot.toString(),
      potOutputHex: bytesToHex(s.potOutput),
      solutionRange: s.solutionRange.toString(),
      numChunks: s.numChunks,
      pieceCheck: {
        maxPiecesInSector: s.pieceCheck.maxPiecesInSector,
        segmentCommitmentHex: bytesToHex(s.pieceCheck.segmentCommitment),
        currentHistorySize: s.pieceCheck.currentHistorySize.toString(),
      },
    };
    for (const backend of wasm ? ['wasm', 'typescript'] : ['typescript']) {
      const r = await call<{ distance?: string; error?: string; ms: number }>('verifySolution', {
        ...base,
        backend,
      });
      expect(r).toMatchObject({ distance: s.distance.toString() });
      figures[`verifySolution (${backend})`] = r.ms;
      const tampered = encodeSolution({ ...s.solution, chunk: flip(s.solution.chunk, 31) });
      const t = await call<{ error?: string }>('verifySolution', {
        ...base,
        solutionHex: bytesToHex(tampered),
        backend,
      });
      expect(t.error).toMatch(/^PLOTTER_/);
      const other = await call<{ error?: string }>('verifySolution', {
        ...base,
        pieceCheck: { ...base.pieceCheck, segmentCommitmentHex: bytesToHex(piece.segmentCommitment) },
        backend,
      });
      expect(other.error).toBe('PLOTTER_INVALID_PIECE');
    }
  });

  it('logged no page errors', () => {
    expect(session?.errors).toEqual([]);
  });
});
