/**
 * Off-chain metadata (ai3 §1.1): the JSON of `OffchainFileMetadata` / `OffchainFolderMetadata`,
 * stored as a Metadata DAG. `JSON.stringify` keeps insertion order, so the builders below create
 * keys in the SDK's order; bigints are written as decimal strings.
 */
import { initBlake3 } from '@autonomys/primitives';
import { type BuiltBlock, metadataBuilders } from './builders.js';
import { type CidInput, cidToString } from './cid.js';
import { DagError, invalidArgument } from './errors.js';
import { ChunkedEncoder, checkName, type DagLimits, limitsOf, publicBlock } from './file.js';
import { utf8Encoder } from './proto.js';
import type { DagBlock, DagNode, FileUploadOptions } from './types.js';

/** One chunk of a file as the metadata lists it. */
export interface ChunkInfo {
  cid: string;
  size: bigint;
}

export interface OffchainFileMetadata {
  type: 'file';
  dataCid: string;
  name?: string;
  mimeType?: string;
  totalSize: bigint;
  totalChunks: number;
  chunks: ChunkInfo[];
  uploadOptions?: FileUploadOptions;
}

export interface FolderChildMetadata {
  type: 'file' | 'folder';
  cid: string;
  totalSize: bigint;
  name?: string;
}

export interface OffchainFolderMetadata {
  dataCid: string;
  totalSize: bigint;
  totalFiles: number;
  children: FolderChildMetadata[];
  type: 'folder';
  name?: string;
  uploadOptions: FileUploadOptions;
}

export type OffchainMetadata = OffchainFileMetadata | OffchainFolderMetadata;

/**
 * The metadata of a file, keys in the SDK's order (`fileMetadata`).
 * @example fileMetadata(head.cid, [{ cid: head.cid, size: 11n }], 11n, 'test.txt', 'text/plain')
 */
export function fileMetadata(
  dataCid: CidInput,
  chunks: ChunkInfo[],
  totalSize: bigint,
  name?: string,
  mimeType?: string,
  uploadOptions: FileUploadOptions = {},
): OffchainFileMetadata {
  if (!Array.isArray(chunks)) invalidArgument('chunks', 'expected an array');
  if (typeof totalSize !== 'bigint') invalidArgument('totalSize', 'expected a bigint');
  return {
    type: 'file',
    dataCid: cidToString(dataCid),
    name,
    mimeType,
    totalSize,
    totalChunks: chunks.length,
    chunks,
    uploadOptions,
  } as OffchainFileMetadata;
}

/**
 * The metadata of a folder, keys in the SDK's (unusual) order: `type` after `children`.
 * @example folderMetadata(root.cid, [folderChildMetadata(headNode)], 'dir')
 */
export function folderMetadata(
  dataCid: CidInput,
  children: FolderChildMetadata[],
  name?: string,
  uploadOptions: FileUploadOptions = {},
): OffchainFolderMetadata {
  if (!Array.isArray(children)) invalidArgument('children', 'expected an array');
  return {
    dataCid: cidToString(dataCid),
    totalSize: children.reduce((acc, c) => acc + c.totalSize, 0n),
    totalFiles: children.length,
    children,
    type: 'folder',
    name,
    uploadOptions,
  } as OffchainFolderMetadata;
}

/**
 * A folder child's entry from its decoded head node (`childrenMetadataFromNode`).
 * @example folderChildMetadata(decodeNode(head.bytes))
 */
export function folderChildMetadata(head: DagNode): FolderChildMetadata {
  const t = head.data.type;
  if (t !== 'File' && t !== 'Folder')
    throw new DagError({
      code: 'DAG_UNEXPECTED_NODE_TYPE',
      cid: head.cid,
      expected: 'File or Folder',
      actual: t,
    });
  return {
    type: t === 'File' ? 'file' : 'folder',
    cid: head.cid,
    totalSize: head.data.size ?? 0n,
    name: head.data.name,
  } as FolderChildMetadata;
}

/**
 * The SDK's `stringifyMetadata`: `JSON.stringify` with bigints as decimal strings.
 * @example stringifyMetadata({ totalSize: 11n }) // '{"totalSize":"11"}'
 */
export function stringifyMetadata(metadata: unknown): string {
  return JSON.stringify(metadata, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Encodes off-chain metadata into its DAG (`processMetadataToIPLDFormat`): the JSON chunked like a
 * file into MetadataChunk nodes, under a Metadata head named after `metadata.name`. Head last.
 * @example encodeMetadata(fileMetadata(head.cid, chunks, 11n, 'test.txt', 'text/plain')).at(-1)!.cid
 */
export function encodeMetadata(metadata: OffchainMetadata, opts: DagLimits = {}): DagBlock[] {
  if (metadata === null || typeof metadata !== 'object') invalidArgument('metadata', 'expected an object');
  const name = metadata.name;
  checkName(name, 'metadata.name');
  const { maxNodeSize, maxLinkPerNode } = limitsOf(opts);
  const json = utf8Encoder.encode(stringifyMetadata(metadata));
  void initBlake3(); // start loading the faster engine; digests are identical either way
  const encoder = new ChunkedEncoder(metadataBuilders, maxNodeSize, maxLinkPerNode);
  const out: BuiltBlock[] = [];
  encoder.push(json, out);
  encoder.finish(name, BigInt(json.length), {}, out);
  return out.map(publicBlock);
}

/** Parses metadata JSON back (sizes as bigints); DAG_INVALID_METADATA when it is not metadata. */
export function parseMetadata(json: string): OffchainMetadata {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new DagError({ code: 'DAG_INVALID_METADATA', reason: (e as Error).message });
  }
  const bad = (reason: string): never => {
    throw new DagError({ code: 'DAG_INVALID_METADATA', reason });
  };
  const big = (x: unknown, what: string): bigint =>
    typeof x === 'string' && /^\d+$/.test(x) ? BigInt(x) : bad(`${what} is not a decimal string`);
  if (v === null || typeof v !== 'object') return bad('not an object');
  const m = v as Record<string, unknown>;
  if (typeof m.dataCid !== 'string') bad('no dataCid');
  m.totalSize = big(m.totalSize, 'totalSize');
  if (m.type === 'file') {
    if (!Array.isArray(m.chunks)) bad('no chunks');
    for (const c of m.chunks as Record<string, unknown>[]) c.size = big(c?.size, 'chunk size');
  } else if (m.type === 'folder') {
    if (!Array.isArray(m.children)) bad('no children');
    for (const c of m.children as Record<string, unknown>[])
      c.totalSize = big(c?.totalSize, 'child totalSize');
  } else bad(`unknown type ${String(m.type)}`);
  return m as unknown as OffchainMetadata;
}
