import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kzg } from '@autonomys/kzg';
import { blake3, type Solution, slotGlobalChallenge } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditPlot,
  createShimTableGenerator,
  type PlottedSector,
  PlotterError,
  plotSector,
  proveSolutions,
  readPiece,
  type SectorAuditResult,
  type SectorSource,
  sectorLayout,
} from '../src/index.js';
import {
  PLOT_DATA_FILE,
  PLOT_METADATA_FILE,
  PLOT_METADATA_TMP_FILE,
  Plot,
  type PlotFileProgressEvent,
} from '../src/plot.js';
import { makeSegment, NUM_CHUNKS_SMALL as N, type TestSegment, testKzg } from './farm.js';
import {
  CRASH_PARAMS,
  CRASH_PK,
  expectedPieceIndexes,
  fakePiece,
  fakePieceGetter,
} from './fixtures/plot-params.js';

const shim = createShimTableGenerator();
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'autonomys-plot-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function thrown(p: Promise<unknown>): Promise<PlotterError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PlotterError);
    return e as PlotterError;
  }
  throw new Error('expected a PlotterError');
}

/** Every recorded sector passes the scrub and reads back to the pieces it was plotted from. */
async function verifyRecorded(plot: Plot): Promise<void> {
  for (const m of plot.sectors()) {
    await plot.checkSector(m.sectorIndex);
    const sector = await plot.readSector(m.sectorIndex);
    const indexes = expectedPieceIndexes(m.sectorIndex, m.historySize, plot.piecesInSector);
    for (let p = 0; p < plot.piecesInSector; p++) {
      const piece = await readPiece({
        publicKey: plot.publicKey,
        metadata: m,
        sector,
        tableGenerator: shim,
        pieceOffset: p,
        numChunks: plot.numChunks,
      });
      expect(piece).toEqual(fakePiece(indexes[p]!));
    }
  }
}

// The child runs the sources through tsx, resolving sibling packages to their sources too.
const CHILD = fileURLToPath(new URL('./fixtures/plot-child.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

function spawnChild(
  dir: string,
  mode: 'fill' | 'churn',
  dieAt?: string,
): {
  child: ChildProcess;
  lines: string[];
  ready: Promise<void>;
  firstRecorded: Promise<void>;
  exit: Promise<number | null>;
} {
  const args = [
    '--conditions=autonomys-source',
    '--import',
    TSX,
    CHILD,
    dir,
    mode,
    ...(dieAt ? [dieAt] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let buf = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  let onRecorded: () => void = () => {};
  const firstRecorded = new Promise<void>((resolve) => {
    onRecorded = resolve;
  });
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      if (l === 'ready') onReady();
      if (l.startsWith('recorded')) onRecorded();
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve(code);
    });
  });
  // A child that dies before 'ready' must not leave the test waiting.
  exit.then(onReady, onReady);
  exit.then(onRecorded, onRecorded);
  return { child, lines, ready, firstRecorded, exit };
}

describe('crash safety: SIGKILL at random moments, then reopen', () => {
  it('keeps every recorded sector intact, never records a half sector, and resumes to completion', async () => {
    const dir = await tempDir();
    const delays: number[] = [];
    let recordedBeforeKills = 0;
    for (let round = 0; round < 6; round++) {
      const { child, lines, ready, firstRecorded, exit } = spawnChild(dir, 'churn');
      // Every other round starts the clock at the first finished sector: the first one is slow
      // (lazy initialisation), and kills should also land in the steady state. A sector takes
      // ~50 ms here, a good part of it writing: a random delay lands anywhere in a sector's life.
      await (round % 2 === 0 ? ready : firstRecorded);
      const delay = Math.floor(Math.random() * 200);
      delays.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exit;
      const reported = new Map<number, bigint>();
      for (const l of lines) {
        const m = /^recorded (\d+) (\d+)$/.exec(l);
        if (m) reported.set(Number(m[1]), BigInt(m[2]!));
      }
      recordedBeforeKills += lines.filter((l) => l.startsWith('recorded')).length;
      const plot = await Plot.open(dir, { publicKey: CRASH_PK });
      try {
        await verifyRecorded(plot);
        // A sector reported finished is still there (or a later replot of it, or it is being replotted).
        for (const [i, hs] of reported) {
          const m = plot.sectorMetadata(i);
          if (m !== undefined) expect(m.historySize >= hs, `sector ${i} (delays ${delays})`).toBe(true);
        }
      } finally {
        await plot.close();
      }
      await expect(stat(join(dir, PLOT_METADATA_TMP_FILE))).rejects.toThrow();
    }
    expect(recordedBeforeKills).toBeGreaterThan(0);
    const { exit } = spawnChild(dir, 'fill');
    expect(await exit).toBe(0);
    const plot = await Plot.open(dir, { publicKey: CRASH_PK });
    expect(plot.sectors().map((m) => m.sectorIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    await verifyRecorded(plot);
    // And through the file reader (no whole-sector load).
    const m = plot.sectors()[0]!;
    const indexes = expectedPieceIndexes(0, m.historySize, plot.piecesInSector);
    expect(await plot.readPiece(0, 3, { tableGenerator: shim })).toEqual(fakePiece(indexes[3]!));
    await plot.close();
  });

  it('at exact steps: a synced but unrecorded sector is not counted, a replot in progress drops the old sector', async () => {
    const dir = await tempDir();
    const hist = async () => {
      const plot = await Plot.open(dir, { publicKey: CRASH_PK });
      await verifyRecorded(plot);
      const out = plot.sectors().map((m) => [m.sectorIndex, m.historySize]);
      await plot.close();
      return out;
    };
    // Killed with sector 2's bytes complete and fsynced, before its entry is committed.
    expect(await spawnChild(dir, 'fill', 'plot:sector-synced:3').exit).toBe(null);
    expect(await hist()).toEqual([
      [0, 1n],
      [1, 1n],
    ]);
    // Fills 2-5, then replots sector 0: killed once its old entry is gone, before its bytes change.
    expect(await spawnChild(dir, 'churn', 'plot:sector-removed:1').exit).toBe(null);
    expect(await hist()).toEqual([1, 2, 3, 4, 5].map((i) => [i, 1n]));
  });
});

describe('Plot files', () => {
  const params = { ...CRASH_PARAMS, sectorCount: 3 };
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    const plot = await Plot.create(dir, params);
    for (const i of [0, 1])
      await plot.plotSector(i, { historySize: 1n, pieceGetter: fakePieceGetter, tableGenerator: shim });
    await plot.close();
  });

  it('creates a preallocated data file and a header that reopens with the same parameters', async () => {
    const size = sectorLayout(params.piecesInSector, params).size;
    expect((await stat(join(dir, PLOT_DATA_FILE))).size).toBe(3 * size);
    const plot = await Plot.open(dir, { publicKey: CRASH_PK });
    expect(plot.describe()).toMatchObject({
      version: 1,
      sectorCount: 3,
      piecesInSector: 4,
      maxPiecesInSector: 1000,
      numChunks: 256,
      sectorSize: size,
    });
    expect(plot.sectors().map((m) => m.sectorIndex)).toEqual([0, 1]);
    expect(plot.sectorMetadata(2)).toBeUndefined();
    await verifyRecorded(plot);
    expect((await thrown(plot.readSector(2))).type).toEqual({
      code: 'PLOTTER_PLOT_SECTOR_NOT_PLOTTED',
      sectorIndex: 2,
    });
    await plot.close();
    expect((await thrown(Promise.resolve().then(() => plot.sectors()[0] && plot.readSector(0)))).code).toBe(
      'PLOTTER_CLOSED',
    );
  });

  it('refuses a second create, a missing plot, and another farmer key', async () => {
    expect((await thrown(Plot.create(dir, params))).code).toBe('PLOTTER_PLOT_EXISTS');
    expect((await thrown(Plot.open(await tempDir(), { publicKey: CRASH_PK }))).code).toBe(
      'PLOTTER_PLOT_NOT_FOUND',
    );
    const other = CRASH_PK.slice();
    other[31]! ^= 1;
    expect((await thrown(Plot.open(dir, { publicKey: other }))).code).toBe(
      'PLOTTER_PLOT_PUBLIC_KEY_MISMATCH',
    );
  });

  it('refuses a truncated or extended data file with its sizes', async () => {
    const path = join(dir, PLOT_DATA_FILE);
    const size = (await stat(path)).size;
    const original = await readFile(path);
    try {
      await truncate(path, size - 1);
      expect((await thrown(Plot.open(dir, { publicKey: CRASH_PK }))).type).toMatchObject({
        code: 'PLOTTER_PLOT_WRONG_FILE_SIZE',
        expected: size,
        actual: size - 1,
      });
      await truncate(path, size + 4096);
      expect((await thrown(Plot.open(dir, { publicKey: CRASH_PK }))).type).toMatchObject({
        code: 'PLOTTER_PLOT_WRONG_FILE_SIZE',
        expected: size,
        actual: size + 4096,
      });
    } finally {
      await writeFile(path, original);
    }
    await (await Plot.open(dir, { publicKey: CRASH_PK })).close();
  });

  it('refuses a corrupt metadata file (any flipped byte, a cut, garbage) and ignores a stale temporary file', async () => {
    const path = join(dir, PLOT_METADATA_FILE);
    const original = await readFile(path);
    try {
      for (const at of [0, 8, 20, 44, 64, 70, 1000, original.length - 1]) {
        const bad = Uint8Array.from(original);
        bad[at]! ^= 0x10;
        await writeFile(path, bad);
        expect((await thrown(Plot.open(dir, { publicKey: CRASH_PK }))).code, `byte ${at}`).toBe(
          'PLOTTER_PLOT_CORRUPT_METADATA',
        );
      }
      await writeFile(path, original.subarray(0, original.length - 100));
      expect((await thrown(Plot.open(dir, { publicKey: CRASH_PK }))).code).toBe(
        'PLOTTER_PLOT_CORRUPT_METADATA',
      );
      await writeFile(path, new Uint8Array(10));
      expect((await thrown(Plot.open(dir, { publicKey: CRASH_PK }))).code).toBe(
        'PLOTTER_PLOT_CORRUPT_METADATA',
      );
    } finally {
      await writeFile(path, original);
    }
    await writeFile(join(dir, PLOT_METADATA_TMP_FILE), new Uint8Array(77));
    const plot = await Plot.open(dir, { publicKey: CRASH_PK });
    expect(plot.sectors()).toHaveLength(2);
    await expect(stat(join(dir, PLOT_METADATA_TMP_FILE))).rejects.toThrow();
    await plot.close();
  });

  it('reports a flipped byte anywhere in a sector with its index', async () => {
    const layout = sectorLayout(params.piecesInSector, params);
    const path = join(dir, PLOT_DATA_FILE);
    const original = await readFile(path);
    const spots = [
      ['contents map', 3],
      ['s-buckets', layout.sBucketsOffset + 1000],
      ['record metadata', layout.recordMetadataOffset + 5],
      ['checksum', layout.checksumOffset + 31],
    ] as const;
    try {
      for (const [what, at] of spots) {
        const fh = await open(path, 'r+');
        const b = new Uint8Array(1);
        const pos = layout.size + at; // sector 1
        await fh.read(b, 0, 1, pos);
        b[0]! ^= 0x01;
        await fh.write(b, 0, 1, pos);
        await fh.close();
        const plot = await Plot.open(dir, { publicKey: CRASH_PK });
        await plot.checkSector(0);
        const e = await thrown(plot.checkSector(1));
        expect(e.type, what).toMatchObject({ code: 'PLOTTER_PLOT_CORRUPT_SECTOR', sectorIndex: 1 });
        await plot.close();
        await writeFile(path, original);
      }
    } finally {
      await writeFile(path, original);
    }
  });

  it('replots a sector in place: the old entry goes first, then the bytes, then the new entry', async () => {
    const d = await tempDir();
    const plot = await Plot.create(d, params);
    const opts = { pieceGetter: fakePieceGetter, tableGenerator: shim };
    await plot.plotSector(1, { ...opts, historySize: 1n });
    const events: PlotFileProgressEvent['type'][] = [];
    const m = await plot.plotSector(1, {
      ...opts,
      historySize: 5n,
      onProgress: (e) => {
        if (e.type.startsWith('plot:sector')) events.push(e.type);
      },
    });
    expect(events).toEqual([
      'plot:sector-written',
      'plot:sector-removed',
      'plot:sector-synced',
      'plot:sector-recorded',
    ]);
    expect(m.historySize).toBe(5n);
    await plot.close();
    const again = await Plot.open(d, { publicKey: CRASH_PK });
    expect(again.sectors().map((s) => [s.sectorIndex, s.historySize])).toEqual([[1, 5n]]);
    await verifyRecorded(again);
    await again.removeSector(1);
    expect(again.sectors()).toEqual([]);
    await again.close();
    expect(
      (await Plot.open(d, { publicKey: CRASH_PK }).then((p) => p.close().then(() => p))).sectors(),
    ).toEqual([]);
  });

  it('refuses a second plot of a busy index, stops on abort without recording, checks indexes', async () => {
    const d = await tempDir();
    const plot = await Plot.create(d, params);
    const opts = { historySize: 1n, pieceGetter: fakePieceGetter, tableGenerator: shim };
    const first = plot.plotSector(0, opts);
    expect((await thrown(plot.plotSector(0, opts))).type).toEqual({
      code: 'PLOTTER_PLOT_SECTOR_BUSY',
      sectorIndex: 0,
    });
    await first;
    const ac = new AbortController();
    ac.abort('stop');
    expect((await thrown(plot.plotSector(2, { ...opts, signal: ac.signal }))).code).toBe('PLOTTER_ABORTED');
    expect(plot.sectorMetadata(2)).toBeUndefined();
    expect((await thrown(plot.plotSector(3, opts))).code).toBe('PLOTTER_OUT_OF_RANGE');
    const read = plot.sectorSource(0);
    expect((await thrown(read(plot.sectorSize - 10, 11))).code).toBe('PLOTTER_OUT_OF_RANGE');
    // A reader taken before a replot refuses to read the new bytes as the old sector.
    await plot.plotSector(0, { ...opts, historySize: 2n });
    expect((await thrown(read(0, 32))).type).toEqual({
      code: 'PLOTTER_PLOT_SECTOR_NOT_PLOTTED',
      sectorIndex: 0,
    });
    await plot.close();
    expect((await thrown(Plot.create(await tempDir(), { ...params, sectorCount: 0 }))).code).toBe(
      'PLOTTER_OUT_OF_RANGE',
    );
    expect(
      (await thrown(Plot.create(await tempDir(), { ...params, publicKey: new Uint8Array(31) }))).code,
    ).toBe('PLOTTER_INVALID_LENGTH');
  });
});

describe('auditing and proving from the plot file', () => {
  const PK = new Uint8Array(32).fill(0x21);
  const REWARD = new Uint8Array(32).fill(3);
  const U64_MAX = 2n ** 64n - 1n;
  let segment: TestSegment;
  let kzg: Kzg;
  let plot: Plot;
  let memory: PlottedSector[];

  beforeAll(async () => {
    segment = await makeSegment(N, 4);
    kzg = await testKzg();
    plot = await Plot.create(await tempDir(), {
      publicKey: PK,
      sectorCount: 3,
      piecesInSector: 5,
      numChunks: N,
    });
    memory = [];
    for (const [i, hs] of [
      [0, 1n],
      [1, 1n],
      [2, 2n],
    ] as const) {
      await plot.plotSector(i, { historySize: hs, pieceGetter: segment.pieceGetter, tableGenerator: shim });
      memory.push(
        await plotSector({
          publicKey: PK,
          sectorIndex: i,
          historySize: hs,
          piecesInSector: 5,
          pieceGetter: segment.pieceGetter,
          tableGenerator: shim,
          numChunks: N,
        }),
      );
    }
  });
  afterAll(() => plot.close());

  it('stores the bytes and metadata plotSector builds in memory', async () => {
    for (const s of memory) {
      expect(await plot.readSector(s.metadata.sectorIndex)).toEqual(s.sector);
      expect(plot.sectorMetadata(s.metadata.sectorIndex)).toEqual(s.metadata);
    }
  });

  async function prove(audit: SectorAuditResult, sector: SectorSource): Promise<Solution[]> {
    const out: Solution[] = [];
    for await (const sol of proveSolutions({
      publicKey: PK,
      rewardAddress: REWARD,
      metadata: memory[audit.sectorIndex]!.metadata,
      sector,
      tableGenerator: shim,
      kzg,
      audit,
      numChunks: N,
      maxSolutions: 2,
    }))
      out.push(sol);
    return out;
  }

  it('audits and proves the same solutions as from memory', async () => {
    let proven = 0;
    for (let slot = 1n; slot <= 12n; slot++) {
      const pot = blake3(new Uint8Array([Number(slot)])).slice(0, 16);
      const globalChallenge = slotGlobalChallenge(pot, slot);
      const common = { publicKey: PK, globalChallenge, numChunks: N };
      // Distances up to a quarter of 2^64 qualify: about half of the chunks, not all.
      const solutionRange = U64_MAX / 2n;
      const fromFile = await auditPlot({ ...common, solutionRange, sectors: plot.sectorSources() });
      const fromMemory = await auditPlot({
        ...common,
        solutionRange,
        sectors: memory.map((s) => ({ metadata: s.metadata, sector: s.sector })),
      });
      expect(fromFile).toEqual(fromMemory);
      if (slot <= 3n)
        for (const audit of fromFile) {
          const a = await prove(audit, plot.sectorSource(audit.sectorIndex));
          const b = await prove(audit, memory[audit.sectorIndex]!.sector);
          expect(a).toEqual(b);
          proven += a.length;
        }
    }
    expect(proven).toBeGreaterThan(0);
  });

  it('serves pieces from the file, equal to the archived pieces', async () => {
    for (const s of memory)
      for (const p of [0, 4])
        expect(await plot.readPiece(s.metadata.sectorIndex, p, { tableGenerator: shim })).toEqual(
          segment.piece(Number(s.pieceIndexes[p]! % 256n)),
        );
  });
});
