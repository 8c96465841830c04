/**
 * ZLIB as the SDK applies it (ai3 §1.1): fflate's `Zlib` fed exact 1 MiB pushes, then an empty
 * final push. fflate is used itself because CIDs of compressed files depend on the exact DEFLATE
 * bits, which differ between implementations and push boundaries.
 */
import { Unzlib, Zlib } from 'fflate';
import { COMPRESSION_CHUNK_SIZE } from './constants.js';
import { DagError, invalidArgument } from './errors.js';

/** Push-based compressor: `push` then `finish`, each returning the compressed bytes produced. */
export class ZlibCompressor {
  private readonly zlib: Zlib;
  private readonly out: Uint8Array[] = [];
  private buf: Uint8Array;
  private fill = 0;

  constructor(
    level: number,
    private readonly pushSize = COMPRESSION_CHUNK_SIZE,
  ) {
    if (!Number.isInteger(level) || level < 0 || level > 9)
      invalidArgument('compression.level', `expected an integer 0..9, got ${level}`);
    if (!Number.isInteger(pushSize) || pushSize <= 0)
      invalidArgument('compression.chunkSize', `expected a positive integer, got ${pushSize}`);
    this.zlib = new Zlib({ level: level as 0 });
    this.zlib.ondata = (chunk) => {
      if (chunk.length > 0) this.out.push(chunk);
    };
    this.buf = new Uint8Array(pushSize);
  }

  /** Feeds bytes; returns compressed output that became available (possibly none). */
  push(bytes: Uint8Array): Uint8Array[] {
    let off = 0;
    while (off < bytes.length) {
      const n = Math.min(this.pushSize - this.fill, bytes.length - off);
      this.buf.set(bytes.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === this.pushSize) {
        // A fresh buffer per push: fflate may keep a reference to the last input as its window.
        const full = this.buf;
        this.buf = new Uint8Array(this.pushSize);
        this.fill = 0;
        this.zlib.push(full, false);
      }
    }
    return this.out.splice(0);
  }

  /** Pushes the last partial piece (if any) and the empty final push; returns the rest of the output. */
  finish(): Uint8Array[] {
    if (this.fill > 0) this.zlib.push(this.buf.slice(0, this.fill), false);
    this.zlib.push(new Uint8Array(0), true);
    return this.out.splice(0);
  }
}

/** Push-based decompressor over fflate's `Unzlib`; DAG_DECOMPRESSION_FAILED on corrupt input. */
export class ZlibDecompressor {
  private readonly unzlib = new Unzlib();
  private readonly out: Uint8Array[] = [];
  private ended = false;

  constructor() {
    this.unzlib.ondata = (chunk, final) => {
      if (chunk.length > 0) this.out.push(chunk);
      if (final) this.ended = true;
    };
  }

  push(bytes: Uint8Array, final = false): Uint8Array[] {
    try {
      this.unzlib.push(bytes, final);
    } catch (e) {
      throw new DagError({ code: 'DAG_DECOMPRESSION_FAILED', reason: (e as Error).message ?? String(e) });
    }
    if (final && !this.ended)
      throw new DagError({ code: 'DAG_DECOMPRESSION_FAILED', reason: 'the zlib stream is truncated' });
    return this.out.splice(0);
  }
}
