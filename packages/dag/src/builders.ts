/**
 * The node shapes of the format (ai3 §1.1 table), each as the SDK's builder writes it, hashed into a
 * block. The size limit each builder checks is the SDK's, quirks included (see `maxNodeSize` notes).
 */
import { blake3 } from '@autonomys/primitives';
import { binaryCid, binaryCidToString } from './cid.js';
import { DEFAULT_NODE_MAX_SIZE } from './constants.js';
import { DagError } from './errors.js';
import { encodeNode } from './node.js';
import type { DagBlock, FileUploadOptions, IPLDNodeData, MetadataType } from './types.js';

/** A block and its binary CID (links are built from the binary form). */
export interface BuiltBlock extends DagBlock {
  cidBytes: Uint8Array;
}

/** Hashes node bytes into a block (no checks: internal). */
export function hashBlock(bytes: Uint8Array): BuiltBlock {
  const hash = blake3(bytes);
  const cidBytes = binaryCid(hash);
  return { cid: binaryCidToString(cidBytes), hash, bytes, cidBytes };
}

/** The SDK's `ensureNodeMaxSize`: DAG_NODE_TOO_LARGE when the encoding exceeds `max`. */
export function ensureNodeMaxSize(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length > max) throw new DagError({ code: 'DAG_NODE_TOO_LARGE', size: bytes.length, max });
  return bytes;
}

function build(data: IPLDNodeData, links: readonly Uint8Array[], max: number | undefined): BuiltBlock {
  const bytes = encodeNode(data, links);
  return hashBlock(max === undefined ? bytes : ensureNodeMaxSize(bytes, max));
}

function withOptional(data: IPLDNodeData, name: string | undefined, uo?: FileUploadOptions): IPLDNodeData {
  if (name !== undefined) data.name = name;
  if (uo !== undefined) data.uploadOptions = uo;
  return data;
}

/** The kind of DAG a chunked builder makes: files and off-chain metadata share the algorithm. */
export interface Builders {
  chunk(data: Uint8Array): BuiltBlock;
  single(data: Uint8Array, name: string | undefined, uo: FileUploadOptions): BuiltBlock;
  inlink(links: readonly Uint8Array[], depth: number, maxNodeSize: number): BuiltBlock;
  root(
    links: readonly Uint8Array[],
    size: bigint,
    depth: number,
    name: string | undefined,
    maxNodeSize: number,
    uo: FileUploadOptions,
  ): BuiltBlock;
}

// Inlinks of files and of metadata are both FileInlink, with `size` = the number of links (not bytes).
const inlink = (links: readonly Uint8Array[], depth: number, maxNodeSize: number) =>
  build({ type: 'FileInlink', size: BigInt(links.length), linkDepth: depth }, links, maxNodeSize);

/**
 * File nodes. Quirk kept from the SDK: chunks and the single-chunk File are checked against the
 * default 65535 even when a caller lowers `maxNodeSize` (only inlinks and the root get the caller's).
 */
export const fileBuilders: Builders = {
  chunk: (data) =>
    build({ type: 'FileChunk', size: BigInt(data.length), linkDepth: 0, data }, [], DEFAULT_NODE_MAX_SIZE),
  single: (data, name, uo) =>
    build(
      withOptional({ type: 'File', linkDepth: 0, size: BigInt(data.length), data }, name, uo),
      [],
      DEFAULT_NODE_MAX_SIZE,
    ),
  inlink,
  root: (links, size, depth, name, max, uo) =>
    build(withOptional({ type: 'File', linkDepth: depth, size }, name, uo), links, max),
};

/**
 * Off-chain metadata nodes: no upload options, and (SDK quirk) the single-node form is not size-checked.
 */
export const metadataBuilders: Builders = {
  chunk: (data) =>
    build(
      { type: 'MetadataChunk', size: BigInt(data.length), linkDepth: 0, data },
      [],
      DEFAULT_NODE_MAX_SIZE,
    ),
  single: (data, name) =>
    build(
      withOptional({ type: 'Metadata', linkDepth: 0, size: BigInt(data.length), data }, name),
      [],
      undefined,
    ),
  inlink,
  root: (links, size, depth, name, max) =>
    build(withOptional({ type: 'Metadata', linkDepth: depth, size }, name), links, max),
};

/** A FolderInlink: only `type` and `linkDepth` (0 for the first level, so not even written). */
export function folderInlink(links: readonly Uint8Array[], depth: number): BuiltBlock {
  return build({ type: 'FolderInlink', linkDepth: depth }, links, DEFAULT_NODE_MAX_SIZE);
}

/** A Folder root. */
export function folderRoot(
  links: readonly Uint8Array[],
  name: string,
  depth: number,
  size: bigint,
  maxNodeSize: number,
  uo: FileUploadOptions,
): BuiltBlock {
  return build({ type: 'Folder', name, size, linkDepth: depth, uploadOptions: uo }, links, maxNodeSize);
}

/** Head types readers accept as the top of a file-like DAG. */
export const HEAD_TYPES: readonly MetadataType[] = ['File', 'Folder', 'Metadata'];

/**
 * Groups links into a tree as the SDK does, level by level: while a level holds more than
 * `maxLinks` CIDs, consecutive groups of `maxLinks` (the last may be short) become inlinks one level
 * up. Streaming: a level is cut as soon as it holds `maxLinks + 1` CIDs, which makes the same groups
 * without holding more than `maxLinks + 1` CIDs per level, whatever the file size.
 */
export class LinkTree {
  private readonly levels: Uint8Array[][] = [[]];

  constructor(
    private readonly maxLinks: number,
    /** Makes the inlink of `links` cut from `level` (0 = the leaves' level). */
    private readonly makeInlink: (links: Uint8Array[], level: number) => BuiltBlock,
  ) {}

  /** Adds a CID at `level`; returns the inlinks that became complete (children before parents). */
  add(cid: Uint8Array, out: BuiltBlock[], level = 0): void {
    const l = this.levels[level]!;
    l.push(cid);
    if (l.length > this.maxLinks) {
      const group = l.splice(0, this.maxLinks);
      if (this.levels.length === level + 1) this.levels.push([]);
      this.cut(group, level, out);
    }
  }

  private cut(group: Uint8Array[], level: number, out: BuiltBlock[]): void {
    const b = this.makeInlink(group, level);
    out.push(b);
    this.add(b.cidBytes, out, level + 1);
  }

  /** Closes every level that was ever cut; returns the root's links and the number of inlink levels. */
  finish(out: BuiltBlock[]): { links: Uint8Array[]; levels: number } {
    for (let k = 0; k < this.levels.length - 1; k++) {
      const l = this.levels[k]!;
      if (l.length > 0) this.cut(l.splice(0), k, out);
    }
    const top = this.levels.length - 1;
    return { links: this.levels[top]!, levels: top };
  }
}
