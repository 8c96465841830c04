/**
 * A plot on disk (Node only, `@autonomys/plotter/plot`): one preallocated data file holding
 * `sectorCount` sectors at `sectorIndex · sectorSize` (farming §4.6), and one metadata file holding
 * the plot header and the `SectorMetadataChecksummed` (§4.7) of every finished sector.
 *
 * Crash safety rests on one ordering: a sector's bytes are written and fsynced before its metadata
 * entry is recorded, and the metadata file is only ever replaced whole (write a temporary file,
 * fsync it, rename it over the old one, fsync the directory). The rename is the commit point, so
 * after a crash at any moment the metadata file is either the old one or the new one, and every
 * sector it lists has all of its bytes on disk. A sector that was being written has no entry and is
 * plotted again from the start.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BLAKE3_HASH_SIZE,
  blake3,
  bytesToHex,
  createBlake3,
  MAX_PIECES_IN_SECTOR,
  PUBLIC_KEY_SIZE,
} from '@autonomys/primitives';
import { abytes, aint } from './assert.js';
import type { SectorSource } from './auditing.js';
import { PlotterError } from './errors.js';
import { type PieceGetter, type PlotProgressEvent, plotSector } from './plotting.js';
import type { AbortOptions, PosTableGenerator } from './pos/generator.js';
import { readPiece } from './reading.js';
import {
  decodeSectorContentsMap,
  decodeSectorMetadataChecksummed,
  encodeSectorMetadataChecksummed,
  equal,
  type SectorMetadata,
  type SectorOptions,
  sectorLayout,
  sectorMetadataChecksummedSize,
} from './sector/layout.js';

/** The data file: `sectorCount · sectorSize` bytes, sector i at `i · sectorSize`. */
export const PLOT_DATA_FILE = 'plot.bin';
/** The metadata file: header ‖ sector metadata entries ‖ BLAKE3 of both. */
export const PLOT_METADATA_FILE = 'plot.meta';
/** Where the next metadata file is written before it is renamed over {@link PLOT_METADATA_FILE}. */
export const PLOT_METADATA_TMP_FILE = 'plot.meta.tmp';
/** The metadata file format version this module writes and reads. */
export const PLOT_VERSION = 1;

// "AUTOPLOT": a plot metadata file, never a sector or anything else.
const MAGIC = new Uint8Array([0x41, 0x55, 0x54, 0x4f, 0x50, 0x4c, 0x4f, 0x54]);
// magic 8 ‖ version u32 ‖ public key 32 ‖ sector count u32 ‖ pieces in sector u16 ‖
// max pieces in sector u16 ‖ numChunks u32 ‖ sector size u64 ‖ entry count u32 (all LE).
const HEADER_SIZE = 8 + 4 + PUBLIC_KEY_SIZE + 4 + 2 + 2 + 4 + 8 + 4;
// Sector index is a u16 (farming §4.7), so a plot holds at most 2^16 sectors.
const MAX_SECTOR_COUNT = 0x10000;
// Default bytes per read and per write when streaming a sector (hashing, writing): bounded memory.
const IO_CHUNK = 8 * 1024 * 1024;

function aioChunk(o: PlotIoOptions | undefined): number {
  const v = o?.ioChunkSize ?? IO_CHUNK;
  aint(v, 1, 2 ** 30, 'ioChunkSize');
  return v;
}

/** How a plot does its I/O (not stored: may differ between opens). */
export interface PlotIoOptions {
  /**
   * Bytes per read or write call when streaming a sector (writing it, scrubbing it); default 8 MiB.
   * Bounds the memory of a scrub; small values only make sense in tests.
   */
  ioChunkSize?: number;
}

/** The fixed parameters of a plot, stored in its header. */
export interface PlotParams extends SectorOptions, PlotIoOptions {
  /** The farmer's 32-byte public key: a plot opens only with it. */
  publicKey: Uint8Array;
  /** Sectors in the plot (1..65 536); the data file is preallocated to all of them. */
  sectorCount: number;
  /** Records per sector (1..maxPiecesInSector). */
  piecesInSector: number;
  /** The runtime's maximum (default 1000): piece selection depends on it. */
  maxPiecesInSector?: number;
}

/** Inputs of {@link Plot.open}. */
export interface PlotOpenOptions extends PlotIoOptions {
  /** The farmer's 32-byte public key; a plot of another key is refused. */
  publicKey: Uint8Array;
}

/** Progress of {@link Plot.plotSector}: the events of `plotSector`, then the disk steps. */
export type PlotFileProgressEvent =
  | PlotProgressEvent
  /** A replot: the old sector's entry is gone from the metadata file (before any byte is overwritten). */
  | { type: 'plot:sector-removed'; detail: { sectorIndex: number } }
  /** The sector's bytes are in the data file and fsynced. */
  | { type: 'plot:sector-synced'; detail: { sectorIndex: number; bytes: number } }
  /** The sector's metadata is committed: the sector is finished and farmable. */
  | { type: 'plot:sector-recorded'; detail: { sectorIndex: number; metadata: SectorMetadata } };

/** Inputs of {@link Plot.plotSector}. */
export interface PlotSectorFileOptions extends AbortOptions {
  /** The current history size: pieces come from `[0, historySize · 256)`. */
  historySize: bigint;
  pieceGetter: PieceGetter;
  /** The proof-of-space tables (Chia on the network, shim on test networks). */
  tableGenerator: PosTableGenerator;
  /** Records fetched and encoded at once (default 1). */
  concurrency?: number;
  onProgress?: (event: PlotFileProgressEvent) => void;
}

/** A {@link SectorSource} reader: `length` bytes at `offset` of one sector. */
export type SectorReader = (offset: number, length: number) => Promise<Uint8Array>;

interface Entry {
  readonly metadata: SectorMetadata;
  readonly encoded: Uint8Array;
}

interface Header {
  publicKey: Uint8Array;
  sectorCount: number;
  piecesInSector: number;
  maxPiecesInSector: number;
  numChunks: number;
  sectorSize: number;
}

type FileHandle = Awaited<ReturnType<typeof open>>;

function corruptMetadata(path: string, reason: string): PlotterError {
  return new PlotterError({ code: 'PLOTTER_PLOT_CORRUPT_METADATA', path, reason });
}

function encodeMetadataFile(h: Header, entries: ReadonlyMap<number, Entry>): Uint8Array {
  const sorted = [...entries.values()].sort((a, b) => a.metadata.sectorIndex - b.metadata.sectorIndex);
  const entrySize = sectorMetadataChecksummedSize({ numChunks: h.numChunks });
  const out = new Uint8Array(HEADER_SIZE + sorted.length * entrySize + BLAKE3_HASH_SIZE);
  const v = new DataView(out.buffer);
  out.set(MAGIC, 0);
  v.setUint32(8, PLOT_VERSION, true);
  out.set(h.publicKey, 12);
  v.setUint32(44, h.sectorCount, true);
  v.setUint16(48, h.piecesInSector, true);
  v.setUint16(50, h.maxPiecesInSector, true);
  v.setUint32(52, h.numChunks, true);
  v.setBigUint64(56, BigInt(h.sectorSize), true);
  v.setUint32(64, sorted.length, true);
  sorted.forEach((e, i) => {
    out.set(e.encoded, HEADER_SIZE + i * entrySize);
  });
  const body = out.length - BLAKE3_HASH_SIZE;
  out.set(blake3(out.subarray(0, body)), body);
  return out;
}

function decodeMetadataFile(
  bytes: Uint8Array,
  path: string,
): { header: Header; entries: Map<number, Entry> } {
  if (bytes.length < HEADER_SIZE + BLAKE3_HASH_SIZE)
    throw corruptMetadata(path, `${bytes.length} bytes, shorter than a header`);
  if (!equal(MAGIC, bytes, 0)) throw corruptMetadata(path, 'not a plot metadata file (bad magic)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = v.getUint32(8, true);
  if (version !== PLOT_VERSION) throw corruptMetadata(path, `unsupported version ${version}`);
  const body = bytes.length - BLAKE3_HASH_SIZE;
  if (!equal(blake3(bytes.subarray(0, body)), bytes, body)) throw corruptMetadata(path, 'checksum mismatch');
  const header: Header = {
    publicKey: bytes.slice(12, 44),
    sectorCount: v.getUint32(44, true),
    piecesInSector: v.getUint16(48, true),
    maxPiecesInSector: v.getUint16(50, true),
    numChunks: v.getUint32(52, true),
    sectorSize: Number(v.getBigUint64(56, true)),
  };
  let entrySize: number;
  try {
    checkParams(header);
    entrySize = sectorMetadataChecksummedSize({ numChunks: header.numChunks });
    if (sectorLayout(header.piecesInSector, header).size !== header.sectorSize)
      throw corruptMetadata(path, 'sector size does not match pieces in sector and numChunks');
  } catch (e) {
    if (e instanceof PlotterError && e.type.code === 'PLOTTER_PLOT_CORRUPT_METADATA') throw e;
    throw corruptMetadata(path, `bad header: ${e instanceof Error ? e.message : String(e)}`);
  }
  const count = v.getUint32(64, true);
  if (body !== HEADER_SIZE + count * entrySize)
    throw corruptMetadata(path, `${bytes.length} bytes, not the size of ${count} entries`);
  const entries = new Map<number, Entry>();
  let last = -1;
  for (let i = 0; i < count; i++) {
    const encoded = bytes.slice(HEADER_SIZE + i * entrySize, HEADER_SIZE + (i + 1) * entrySize);
    let metadata: SectorMetadata;
    try {
      metadata = decodeSectorMetadataChecksummed(encoded, { numChunks: header.numChunks });
    } catch (e) {
      throw corruptMetadata(path, `entry ${i}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const s = metadata.sectorIndex;
    if (s >= header.sectorCount || s <= last)
      throw corruptMetadata(path, `entry ${i}: sector index ${s} out of order or out of range`);
    if (metadata.piecesInSector !== header.piecesInSector)
      throw corruptMetadata(
        path,
        `entry ${i}: ${metadata.piecesInSector} pieces, the plot has ${header.piecesInSector}`,
      );
    last = s;
    entries.set(s, { metadata, encoded });
  }
  return { header, entries };
}

function checkParams(h: Pick<Header, 'sectorCount' | 'piecesInSector' | 'maxPiecesInSector'>): void {
  aint(h.sectorCount, 1, MAX_SECTOR_COUNT, 'sectorCount');
  aint(h.maxPiecesInSector, 1, 0xffff, 'maxPiecesInSector');
  aint(h.piecesInSector, 1, h.maxPiecesInSector, 'piecesInSector');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Writes `bytes` to `path` atomically: temporary file, fsync, rename, fsync of the directory. */
async function replaceFile(dir: string, name: string, tmpName: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dir, tmpName);
  const fh = await open(tmp, 'w');
  try {
    await writeFully(fh, bytes, 0, IO_CHUNK);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
  await syncDir(dir);
}

/** Makes a rename durable. Directories cannot be opened on every platform (Windows): best effort there. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw e;
  } finally {
    await fh?.close();
  }
}

async function writeFully(
  fh: FileHandle,
  bytes: Uint8Array,
  position: number,
  chunk: number,
  signal?: AbortSignal,
): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    if (signal?.aborted) throw aborted(signal);
    const n = Math.min(chunk, bytes.length - done);
    const { bytesWritten } = await fh.write(bytes, done, n, position + done);
    done += bytesWritten;
  }
}

async function readFully(fh: FileHandle, out: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < out.length) {
    const { bytesRead } = await fh.read(out, done, out.length - done, position + done);
    if (bytesRead === 0)
      throw new PlotterError({
        code: 'PLOTTER_INVALID_LENGTH',
        what: 'plot data file read',
        expected: out.length,
        actual: done,
      });
    done += bytesRead;
  }
}

function aborted(signal: AbortSignal): PlotterError {
  return new PlotterError({
    code: 'PLOTTER_ABORTED',
    what: 'Plot.plotSector',
    reason: String(signal.reason ?? 'aborted'),
  });
}

/**
 * A plot: sectors in one data file, their metadata in another. Open it with {@link Plot.create} or
 * {@link Plot.open}; one process at a time (the files are not locked).
 * @example
 * const plot = await Plot.create(dir, { publicKey, sectorCount: 10, piecesInSector: 1000 });
 * for (let i = 0; i < plot.sectorCount; i++)
 *   if (plot.sectorMetadata(i) === undefined)
 *     await plot.plotSector(i, { historySize, pieceGetter, tableGenerator, signal });
 * const audits = await auditPlot({ publicKey, sectors: plot.sectorSources(), globalChallenge, solutionRange });
 * await plot.close();
 */
export class Plot {
  /** The directory holding the data and metadata files. */
  readonly dir: string;
  readonly publicKey: Uint8Array;
  readonly sectorCount: number;
  readonly piecesInSector: number;
  readonly maxPiecesInSector: number;
  readonly numChunks: number;
  /** Bytes of one sector (`sectorSize(piecesInSector, { numChunks })`). */
  readonly sectorSize: number;
  private readonly header: Header;
  private readonly fh: FileHandle;
  private readonly ioChunk: number;
  private entries: Map<number, Entry>;
  // Metadata commits run one after another, each writing the then-current entries.
  private commits: Promise<void> = Promise.resolve();
  private readonly busy = new Set<number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    dir: string,
    header: Header,
    fh: FileHandle,
    entries: Map<number, Entry>,
    ioChunk: number,
  ) {
    this.dir = dir;
    this.ioChunk = ioChunk;
    this.header = header;
    this.publicKey = header.publicKey.slice();
    this.sectorCount = header.sectorCount;
    this.piecesInSector = header.piecesInSector;
    this.maxPiecesInSector = header.maxPiecesInSector;
    this.numChunks = header.numChunks;
    this.sectorSize = header.sectorSize;
    this.fh = fh;
    this.entries = entries;
  }

  /**
   * Creates a plot in `dir` (made if missing): the data file preallocated to `sectorCount` sectors
   * (sparse where the file system allows), and a metadata file with no sector. Refuses a directory
   * that already holds a plot (`PLOTTER_PLOT_EXISTS`); a data file left by a create that crashed
   * before its metadata file was committed is overwritten.
   * @example const plot = await Plot.create('/farm/0', { publicKey, sectorCount: 100, piecesInSector: 1000 });
   */
  static async create(dir: string, params: PlotParams): Promise<Plot> {
    if (typeof dir !== 'string' || dir === '')
      throw new PlotterError({ code: 'PLOTTER_INVALID_ARGUMENT', what: 'dir', reason: 'expected a path' });
    abytes(params.publicKey, PUBLIC_KEY_SIZE, 'publicKey');
    const ioChunk = aioChunk(params);
    const maxPiecesInSector = params.maxPiecesInSector ?? MAX_PIECES_IN_SECTOR;
    const partial = {
      sectorCount: params.sectorCount,
      piecesInSector: params.piecesInSector,
      maxPiecesInSector,
    };
    checkParams(partial);
    const layout = sectorLayout(params.piecesInSector, params);
    const header: Header = {
      ...partial,
      publicKey: params.publicKey.slice(),
      numChunks: layout.numChunks,
      sectorSize: layout.size,
    };
    await mkdir(dir, { recursive: true });
    const metaPath = join(dir, PLOT_METADATA_FILE);
    if (await exists(metaPath)) throw new PlotterError({ code: 'PLOTTER_PLOT_EXISTS', path: metaPath });
    await rm(join(dir, PLOT_METADATA_TMP_FILE), { force: true });
    const fh = await open(join(dir, PLOT_DATA_FILE), 'w+');
    try {
      await fh.truncate(header.sectorCount * header.sectorSize);
      await fh.sync();
      // The metadata file is the commit point of creation, as of every later change.
      const entries = new Map<number, Entry>();
      await replaceFile(dir, PLOT_METADATA_FILE, PLOT_METADATA_TMP_FILE, encodeMetadataFile(header, entries));
      return new Plot(dir, header, fh, entries, ioChunk);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  /**
   * Opens the plot in `dir`: checks the metadata file (magic, version, checksum, every entry's
   * checksum), the farmer's key (`PLOTTER_PLOT_PUBLIC_KEY_MISMATCH`) and the data file's size
   * (`PLOTTER_PLOT_WRONG_FILE_SIZE`). Sectors with an entry are finished; any other is plotted again.
   * @example const plot = await Plot.open('/farm/0', { publicKey });
   */
  static async open(dir: string, opts: PlotOpenOptions): Promise<Plot> {
    if (typeof dir !== 'string' || dir === '')
      throw new PlotterError({ code: 'PLOTTER_INVALID_ARGUMENT', what: 'dir', reason: 'expected a path' });
    abytes(opts?.publicKey, PUBLIC_KEY_SIZE, 'publicKey');
    const ioChunk = aioChunk(opts);
    const metaPath = join(dir, PLOT_METADATA_FILE);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(metaPath));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new PlotterError({ code: 'PLOTTER_PLOT_NOT_FOUND', path: metaPath });
      throw e;
    }
    const { header, entries } = decodeMetadataFile(bytes, metaPath);
    if (!equal(header.publicKey, opts.publicKey, 0))
      throw new PlotterError({ code: 'PLOTTER_PLOT_PUBLIC_KEY_MISMATCH', path: metaPath });
    // A temporary file is what a crash left between writing and renaming: never committed.
    await rm(join(dir, PLOT_METADATA_TMP_FILE), { force: true });
    const dataPath = join(dir, PLOT_DATA_FILE);
    const expected = header.sectorCount * header.sectorSize;
    let fh: FileHandle;
    try {
      fh = await open(dataPath, 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new PlotterError({ code: 'PLOTTER_PLOT_WRONG_FILE_SIZE', path: dataPath, expected, actual: 0 });
      throw e;
    }
    const actual = (await fh.stat()).size;
    if (actual !== expected) {
      await fh.close();
      throw new PlotterError({ code: 'PLOTTER_PLOT_WRONG_FILE_SIZE', path: dataPath, expected, actual });
    }
    return new Plot(dir, header, fh, entries, ioChunk);
  }

  /** Metadata of every finished sector, by sector index. */
  sectors(): SectorMetadata[] {
    return [...this.entries.values()].map((e) => e.metadata).sort((a, b) => a.sectorIndex - b.sectorIndex);
  }

  /** Metadata of sector `sectorIndex`, or `undefined` if it is not finished. */
  sectorMetadata(sectorIndex: number): SectorMetadata | undefined {
    aint(sectorIndex, 0, this.sectorCount - 1, 'sectorIndex');
    return this.entries.get(sectorIndex)?.metadata;
  }

  /**
   * Plots sector `sectorIndex` and stores it: the sector is built in memory, the old entry (a
   * replot) is removed from the metadata file, the bytes are written at the sector's offset and
   * fsynced, then the new entry is committed. Killed at any point, the plot reopens with the sector
   * either finished (old or new) or absent, never half written.
   * @example const metadata = await plot.plotSector(3, { historySize, pieceGetter, tableGenerator });
   */
  async plotSector(sectorIndex: number, opts: PlotSectorFileOptions): Promise<SectorMetadata> {
    this.assertOpen();
    aint(sectorIndex, 0, this.sectorCount - 1, 'sectorIndex');
    if (this.busy.has(sectorIndex)) throw new PlotterError({ code: 'PLOTTER_PLOT_SECTOR_BUSY', sectorIndex });
    this.busy.add(sectorIndex);
    try {
      return await this.track(this.plotAndStore(sectorIndex, opts));
    } finally {
      this.busy.delete(sectorIndex);
    }
  }

  private async plotAndStore(sectorIndex: number, opts: PlotSectorFileOptions): Promise<SectorMetadata> {
    const { signal, onProgress } = opts;
    const { sector, metadata } = await plotSector({
      publicKey: this.publicKey,
      sectorIndex,
      historySize: opts.historySize,
      piecesInSector: this.piecesInSector,
      maxPiecesInSector: this.maxPiecesInSector,
      numChunks: this.numChunks,
      pieceGetter: opts.pieceGetter,
      tableGenerator: opts.tableGenerator,
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      ...(signal === undefined ? {} : { signal }),
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    const encoded = encodeSectorMetadataChecksummed(metadata, { numChunks: this.numChunks });
    if (signal?.aborted) throw aborted(signal);
    if (this.entries.has(sectorIndex)) {
      // Replot: the old sector stops being finished before any of its bytes changes.
      await this.commit((m) => m.delete(sectorIndex));
      onProgress?.({ type: 'plot:sector-removed', detail: { sectorIndex } });
    }
    await writeFully(this.fh, sector, sectorIndex * this.sectorSize, this.ioChunk, signal);
    await this.fh.datasync();
    onProgress?.({ type: 'plot:sector-synced', detail: { sectorIndex, bytes: sector.length } });
    await this.commit((m) => m.set(sectorIndex, { metadata, encoded }));
    onProgress?.({ type: 'plot:sector-recorded', detail: { sectorIndex, metadata } });
    return metadata;
  }

  /**
   * Forgets a finished sector (an expired one that will not be replotted): its entry is removed
   * atomically; its bytes stay until the index is plotted again.
   */
  async removeSector(sectorIndex: number): Promise<void> {
    this.assertOpen();
    aint(sectorIndex, 0, this.sectorCount - 1, 'sectorIndex');
    if (this.busy.has(sectorIndex)) throw new PlotterError({ code: 'PLOTTER_PLOT_SECTOR_BUSY', sectorIndex });
    if (!this.entries.has(sectorIndex)) return;
    await this.track(this.commit((m) => m.delete(sectorIndex)));
  }

  /**
   * A reader of a finished sector's bytes, for `auditSector`, `proveSolutions`, `readPiece`: each
   * call reads `length` bytes at `offset` of the sector from the data file. A read that overlaps a
   * replot of the sector fails (`PLOTTER_PLOT_SECTOR_NOT_PLOTTED`) instead of returning mixed bytes.
   * @example const audit = await auditSector({ publicKey, metadata, sector: plot.sectorSource(3), ... });
   */
  sectorSource(sectorIndex: number): SectorReader {
    const entry = this.entryOf(sectorIndex);
    const base = sectorIndex * this.sectorSize;
    return async (offset: number, length: number) => {
      aint(offset, 0, this.sectorSize, 'offset');
      aint(length, 0, this.sectorSize - offset, 'length');
      this.assertOpen();
      if (this.entries.get(sectorIndex) !== entry)
        throw new PlotterError({ code: 'PLOTTER_PLOT_SECTOR_NOT_PLOTTED', sectorIndex });
      const out = new Uint8Array(length);
      await readFully(this.fh, out, base + offset);
      // Bytes are only overwritten after the entry is gone: the entry still being there means they were stable.
      if (this.entries.get(sectorIndex) !== entry)
        throw new PlotterError({ code: 'PLOTTER_PLOT_SECTOR_NOT_PLOTTED', sectorIndex });
      return out;
    };
  }

  /** Every finished sector as `{ metadata, sector }` with a file reader: the input of `auditPlot`. */
  sectorSources(): { metadata: SectorMetadata; sector: SectorSource }[] {
    return this.sectors().map((metadata) => ({ metadata, sector: this.sectorSource(metadata.sectorIndex) }));
  }

  /** A finished sector's bytes, read whole (`sectorSize` bytes in memory: small sectors, tools). */
  async readSector(sectorIndex: number): Promise<Uint8Array> {
    return this.sectorSource(sectorIndex)(0, this.sectorSize);
  }

  /**
   * The piece at `pieceOffset` of a finished sector, read from the file, recovered and checked
   * against its stored checksum (see `readPiece`).
   * @example const piece = await plot.readPiece(3, 0, { tableGenerator });
   */
  async readPiece(
    sectorIndex: number,
    pieceOffset: number,
    opts: { tableGenerator: PosTableGenerator } & AbortOptions,
  ): Promise<Uint8Array> {
    const metadata = this.entryOf(sectorIndex).metadata;
    return readPiece({
      publicKey: this.publicKey,
      metadata,
      sector: this.sectorSource(sectorIndex),
      tableGenerator: opts.tableGenerator,
      pieceOffset,
      numChunks: this.numChunks,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
  }

  /**
   * Scrubs a finished sector from the file, streaming (bounded memory): the contents map checksum,
   * the whole-sector checksum, and the s-bucket sizes against the recorded metadata. A mismatch is
   * `PLOTTER_PLOT_CORRUPT_SECTOR` with the sector index; such a sector should be replotted.
   * @example await plot.checkSector(3);
   */
  async checkSector(sectorIndex: number): Promise<void> {
    const { metadata } = this.entryOf(sectorIndex);
    const read = this.sectorSource(sectorIndex);
    const layout = sectorLayout(this.piecesInSector, { numChunks: this.numChunks });
    const corrupt = (reason: string) =>
      new PlotterError({ code: 'PLOTTER_PLOT_CORRUPT_SECTOR', sectorIndex, reason });
    const hasher = createBlake3();
    let sizes: Uint16Array | undefined;
    for (let at = 0; at < layout.checksumOffset; at += this.ioChunk) {
      const bytes = await read(at, Math.min(this.ioChunk, layout.checksumOffset - at));
      if (at === 0) {
        // The map (8 MB at 1000 pieces) may span several reads: then it is read on its own.
        const map =
          bytes.length >= layout.contentsMapSize
            ? bytes.subarray(0, layout.contentsMapSize)
            : await read(0, layout.contentsMapSize);
        try {
          sizes = decodeSectorContentsMap(map, this.piecesInSector, {
            numChunks: this.numChunks,
            sectorIndex,
          }).sBucketSizes();
        } catch (e) {
          throw corrupt(`contents map: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      hasher.update(bytes);
    }
    const checksum = await read(layout.checksumOffset, BLAKE3_HASH_SIZE);
    if (!equal(hasher.digest(), checksum, 0)) throw corrupt('sector checksum mismatch');
    const recorded = metadata.sBucketSizes;
    if (sizes === undefined || recorded.length !== sizes.length || sizes.some((v, s) => v !== recorded[s]))
      throw corrupt('s-bucket sizes differ from the recorded metadata');
  }

  /** Waits for running plots and metadata commits, then closes the data file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.commits.catch(() => {});
    await this.fh.close();
  }

  /** The header as stored (for tools): the public key in hex and the sizes. */
  describe(): {
    version: number;
    publicKey: string;
    sectorCount: number;
    piecesInSector: number;
    maxPiecesInSector: number;
    numChunks: number;
    sectorSize: number;
  } {
    const h = this.header;
    return {
      version: PLOT_VERSION,
      publicKey: bytesToHex(h.publicKey),
      sectorCount: h.sectorCount,
      piecesInSector: h.piecesInSector,
      maxPiecesInSector: h.maxPiecesInSector,
      numChunks: h.numChunks,
      sectorSize: h.sectorSize,
    };
  }

  private entryOf(sectorIndex: number): Entry {
    this.assertOpen();
    aint(sectorIndex, 0, this.sectorCount - 1, 'sectorIndex');
    const entry = this.entries.get(sectorIndex);
    if (entry === undefined) throw new PlotterError({ code: 'PLOTTER_PLOT_SECTOR_NOT_PLOTTED', sectorIndex });
    return entry;
  }

  private assertOpen(): void {
    if (this.closed) throw new PlotterError({ code: 'PLOTTER_CLOSED', what: 'plot' });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /**
   * Applies `change` to a copy of the entries, writes that copy as the new metadata file (temp,
   * fsync, rename, fsync dir) and only then makes it the plot's state. Commits are serialised.
   */
  private commit(change: (entries: Map<number, Entry>) => void): Promise<void> {
    const run = this.commits.then(async () => {
      const next = new Map(this.entries);
      change(next);
      await replaceFile(
        this.dir,
        PLOT_METADATA_FILE,
        PLOT_METADATA_TMP_FILE,
        encodeMetadataFile(this.header, next),
      );
      this.entries = next;
    });
    this.commits = run.catch(() => {});
    return run;
  }
}
