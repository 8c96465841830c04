/**
 * Files to DAG nodes (ai3 §1.1 "File algorithm"), streaming: bytes in as any split of chunks,
 * blocks out as soon as they are final, holding at most one 64 KiB chunk, one compression push and
 * `maxLinkPerNode + 1` CIDs per tree level, so a 10 GiB file never sits in memory.
 */
import { abytes, initBlake3, isBytes } from '@autonomys/primitives';
import {
  type Builders,
  type BuiltBlock,
  ensureNodeMaxSize,
  fileBuilders,
  hashBlock,
  LinkTree,
} from './builders.js';
import { ZlibCompressor } from './compression.js';
import {
  DEFAULT_COMPRESSION_LEVEL,
  DEFAULT_MAX_LINK_PER_NODE,
  DEFAULT_NODE_MAX_SIZE,
  MAX_NAME_SIZE,
  NODE_METADATA_SIZE,
} from './constants.js';
import { DagError, invalidArgument } from './errors.js';
import { encodeNode } from './node.js';
import type { AbortOptions, CompressionOptions, DagBlock, FileUploadOptions } from './types.js';

/** What `encodeFile` reads: bytes, chunks in any split, a stream, or a `Blob`/`File`. */
export type FileContent =
  | Uint8Array
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>
  | { stream(): ReadableStream<Uint8Array> };

/** Node size and fan-out limits (the SDK's defaults: 65535 bytes, 1626 links). */
export interface DagLimits {
  /** The chunk payload is `maxNodeSize - 469`; default 65535 (65066-byte chunks). */
  maxNodeSize?: number;
  /** Links per node; default 1626. */
  maxLinkPerNode?: number;
}

export interface EncodeFileOptions extends DagLimits, AbortOptions {
  /** The file name, hashed into the head node (at most 255 UTF-16 code units). */
  name?: string;
  /**
   * The size a multi-chunk head records (the SDK's `totalSize`, written as given). Default: the
   * number of bytes read, before compression. A single-chunk head always records its data length.
   */
  size?: bigint;
  /** ZLIB as Auto Drive applies it: `true` = `{ algorithm: 'ZLIB', level: 9 }`, recorded in the head. */
  compression?: boolean | CompressionOptions;
  /** Called after each input chunk with the number of bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/** Checks limits once; returns them with defaults. */
export function limitsOf(opts: DagLimits): { maxNodeSize: number; maxLinkPerNode: number } {
  const maxNodeSize = opts.maxNodeSize ?? DEFAULT_NODE_MAX_SIZE;
  const maxLinkPerNode = opts.maxLinkPerNode ?? DEFAULT_MAX_LINK_PER_NODE;
  if (!Number.isSafeInteger(maxNodeSize) || maxNodeSize <= NODE_METADATA_SIZE)
    invalidArgument('maxNodeSize', `expected an integer above ${NODE_METADATA_SIZE}, got ${maxNodeSize}`);
  if (!Number.isSafeInteger(maxLinkPerNode) || maxLinkPerNode < 1)
    invalidArgument('maxLinkPerNode', `expected a positive integer, got ${maxLinkPerNode}`);
  return { maxNodeSize, maxLinkPerNode };
}

/** DAG_NAME_TOO_LONG over 255 UTF-16 code units (the SDK measures `string.length`). */
export function checkName(name: string | undefined, what = 'name'): void {
  if (name === undefined) return;
  if (typeof name !== 'string') invalidArgument(what, 'expected a string');
  if (name.length > MAX_NAME_SIZE)
    throw new DagError({ code: 'DAG_NAME_TOO_LONG', length: name.length, max: MAX_NAME_SIZE });
}

/**
 * The SDK's `processBufferToIPLDFormat` as a push machine: re-slices bytes into chunk nodes, builds
 * the link tree as chunks complete, and makes the head at `finish`. Full chunks are written straight
 * into their node buffer behind a precomputed header, so file bytes are copied once.
 */
export class ChunkedEncoder {
  private readonly chunkSize: number;
  private readonly header: Uint8Array;
  private readonly tree: LinkTree;
  private node: Uint8Array | undefined;
  private fill = 0;
  private chunks = 0;
  private pending: { data: Uint8Array; block: () => BuiltBlock } | undefined;

  constructor(
    private readonly builders: Builders,
    private readonly maxNodeSize: number,
    maxLinkPerNode: number,
  ) {
    this.chunkSize = maxNodeSize - NODE_METADATA_SIZE;
    // A full chunk node is header ‖ chunk (no links, data is the last field): take the header from
    // the generic encoder so both paths stay identical.
    const template = builders === fileBuilders ? 'FileChunk' : 'MetadataChunk';
    const full = encodeNode({
      type: template,
      size: BigInt(this.chunkSize),
      linkDepth: 0,
      data: new Uint8Array(this.chunkSize),
    });
    this.header = full.slice(0, full.length - this.chunkSize);
    this.tree = new LinkTree(maxLinkPerNode, (links, level) =>
      builders.inlink(links, level + 1, this.maxNodeSize),
    );
  }

  /** Feeds bytes; appends the blocks that became final to `out`. */
  push(bytes: Uint8Array, out: BuiltBlock[]): void {
    const h = this.header.length;
    const c = this.chunkSize;
    let off = 0;
    while (off < bytes.length) {
      this.node ??= new Uint8Array(h + c);
      const n = Math.min(c - this.fill, bytes.length - off);
      this.node.set(n === bytes.length ? bytes : bytes.subarray(off, off + n), h + this.fill);
      this.fill += n;
      off += n;
      if (this.fill === c) {
        const node = this.node;
        node.set(this.header, 0);
        // The SDK checks every chunk node against the default limit (only a maxNodeSize above it fails).
        ensureNodeMaxSize(node, DEFAULT_NODE_MAX_SIZE);
        this.node = undefined;
        this.fill = 0;
        this.onChunk(node.subarray(h), () => hashBlock(node), out);
      }
    }
  }

  private onChunk(data: Uint8Array, block: () => BuiltBlock, out: BuiltBlock[]): void {
    // The first chunk waits: if it stays alone it becomes the single-node head instead.
    if (++this.chunks === 1) {
      this.pending = { data, block };
      return;
    }
    if (this.pending !== undefined) {
      this.leaf(this.pending.block(), out);
      this.pending = undefined;
    }
    this.leaf(block(), out);
  }

  private leaf(b: BuiltBlock, out: BuiltBlock[]): void {
    out.push(b);
    this.tree.add(b.cidBytes, out);
  }

  /** Ends the input: appends the last blocks, the head last. */
  finish(
    name: string | undefined,
    totalSize: bigint,
    uploadOptions: FileUploadOptions,
    out: BuiltBlock[],
  ): void {
    if (this.fill > 0) {
      const data = this.node!.slice(this.header.length, this.header.length + this.fill);
      this.node = undefined;
      this.fill = 0;
      const short = this.builders.chunk(data);
      this.onChunk(data, () => short, out);
    }
    if (this.chunks === 1) {
      // The SDK stores the chunk, then replaces it by a File (or Metadata) node with its data.
      out.push(this.builders.single(this.pending!.data, name, uploadOptions));
      this.pending = undefined;
      return;
    }
    const { links, levels } = this.tree.finish(out);
    out.push(this.builders.root(links, totalSize, levels + 1, name, this.maxNodeSize, uploadOptions));
  }
}

function uploadOptionsOf(compression: EncodeFileOptions['compression']): {
  uo: FileUploadOptions;
  compression: CompressionOptions | undefined;
} {
  if (compression === undefined || compression === false) return { uo: {}, compression: undefined };
  const c: CompressionOptions =
    compression === true ? { algorithm: 'ZLIB', level: DEFAULT_COMPRESSION_LEVEL } : compression;
  if (c === null || typeof c !== 'object' || c.algorithm !== 'ZLIB')
    throw new DagError({
      code: 'DAG_UNSUPPORTED_OPTION',
      what: 'compression.algorithm',
      value: String((c as CompressionOptions | null)?.algorithm),
    });
  return { uo: { compression: c }, compression: c };
}

/** Iterates any `FileContent` as Uint8Array chunks (DAG_INVALID_ARGUMENT for anything else). */
export async function* contentChunks(content: FileContent): AsyncGenerator<Uint8Array> {
  if (isBytes(content)) {
    yield content;
    return;
  }
  if (content !== null && typeof content === 'object') {
    if (Symbol.asyncIterator in content || Symbol.iterator in content) {
      for await (const piece of content as AsyncIterable<Uint8Array>) {
        if (!isBytes(piece)) invalidArgument('content', 'every chunk must be a Uint8Array');
        yield piece;
      }
      return;
    }
    if (typeof (content as { stream?: unknown }).stream === 'function') {
      const reader = (content as { stream(): ReadableStream<Uint8Array> }).stream().getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    }
  }
  invalidArgument('content', 'expected bytes, an (async) iterable of bytes or a Blob');
}

/**
 * Encodes a file into DAG nodes with the client SDK's CIDs (`processFileToIPLDFormat`). Streaming:
 * blocks come out as they are final, leaves before the inlinks that link them; the **last** block is
 * the head, whose CID is the file's CID. Identical for any split of the same bytes.
 *
 * @example
 * let head;
 * for await (const block of encodeFile(new TextEncoder().encode('hello world'), { name: 'test.txt' }))
 *   head = block; // store or publish block.bytes under block.cid
 * head.cid; // 'bafkr6ibubg35rnqizafgflue3chs5poqm6nyoju2ktkh2yfn65fxmnbzia'
 */
export async function* encodeFile(
  content: FileContent,
  opts: EncodeFileOptions = {},
): AsyncGenerator<DagBlock, void, undefined> {
  const { maxNodeSize, maxLinkPerNode } = limitsOf(opts);
  checkName(opts.name);
  if (opts.size !== undefined && (typeof opts.size !== 'bigint' || opts.size < 0n || opts.size >= 1n << 63n))
    invalidArgument('size', 'expected a bigint in [0, 2^63)');
  const { uo, compression } = uploadOptionsOf(opts.compression);
  const { signal, onProgress } = opts;
  signal?.throwIfAborted();
  await initBlake3(); // WebAssembly BLAKE3 for 64 KiB nodes when available; same digests either way
  const encoder = new ChunkedEncoder(fileBuilders, maxNodeSize, maxLinkPerNode);
  const zlib =
    compression === undefined
      ? undefined
      : new ZlibCompressor(compression.level ?? DEFAULT_COMPRESSION_LEVEL, compression.chunkSize);
  const out: BuiltBlock[] = [];
  let read = 0;
  for await (const piece of contentChunks(content)) {
    signal?.throwIfAborted();
    read += piece.length;
    if (zlib === undefined) encoder.push(piece, out);
    else for (const z of zlib.push(piece)) encoder.push(z, out);
    onProgress?.(read);
    for (const b of out) yield publicBlock(b);
    out.length = 0;
  }
  if (zlib !== undefined) for (const z of zlib.finish()) encoder.push(z, out);
  encoder.finish(opts.name, opts.size ?? BigInt(read), uo, out);
  for (const b of out) yield publicBlock(b);
}

/** Strips the internal binary CID. */
export function publicBlock(b: BuiltBlock): DagBlock {
  return { cid: b.cid, hash: b.hash, bytes: b.bytes };
}

/**
 * Encodes a file held in memory and returns all its blocks, the head last.
 * @example encodeFileSync(bytes, { name: 'a.bin' }).at(-1)!.cid
 */
export function encodeFileSync(
  bytes: Uint8Array,
  opts: Omit<EncodeFileOptions, 'signal' | 'onProgress'> = {},
): DagBlock[] {
  abytes(bytes, undefined, 'bytes');
  const { maxNodeSize, maxLinkPerNode } = limitsOf(opts);
  checkName(opts.name);
  const { uo, compression } = uploadOptionsOf(opts.compression);
  const encoder = new ChunkedEncoder(fileBuilders, maxNodeSize, maxLinkPerNode);
  const out: BuiltBlock[] = [];
  if (compression === undefined) encoder.push(bytes, out);
  else {
    const zlib = new ZlibCompressor(compression.level ?? DEFAULT_COMPRESSION_LEVEL, compression.chunkSize);
    for (const z of [...zlib.push(bytes), ...zlib.finish()]) encoder.push(z, out);
  }
  encoder.finish(opts.name, opts.size ?? BigInt(bytes.length), uo, out);
  return out.map(publicBlock);
}
