/**
 * DAG nodes back to files and folders. Every node fetched is re-hashed against its CID, decoded
 * strictly, and checked to sit where it is linked: each link must go one level down (`linkDepth`
 * decreases; a FileChunk is level 0), so links can neither loop nor nest past the limits.
 */
import { initBlake3 } from '@autonomys/primitives';
import { type CidInput, cidToString } from './cid.js';
import { ZlibDecompressor } from './compression.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINK_PER_NODE, DEFAULT_NODE_MAX_SIZE } from './constants.js';
import { DagError, invalidArgument } from './errors.js';
import { type FolderChildMetadata, type OffchainMetadata, parseMetadata } from './metadata.js';
import { decodeNode } from './node.js';
import type { AbortOptions, BlockSource, DagNode, FileUploadOptions, MetadataType } from './types.js';

export interface ReadOptions extends AbortOptions {
  /** Longest path of links followed from the start node; default 64 (DAG_LIMIT_EXCEEDED). */
  maxDepth?: number;
  /** Most links one node may have; default 1626 (DAG_LIMIT_EXCEEDED). */
  maxLinkPerNode?: number;
  /** Largest node accepted; default 65535 (DAG_NODE_TOO_LARGE). */
  maxNodeSize?: number;
  /** Nodes fetched ahead of the one being read (for slow sources); default 8. */
  concurrency?: number;
}

export interface ReadFileOptions extends ReadOptions {
  /** Yield the stored bytes without undoing compression (and accept encrypted files). */
  raw?: boolean;
  /** Most bytes `readFile` yields (after decompression); DAG_LIMIT_EXCEEDED beyond. */
  maxSize?: number;
}

interface Limits {
  maxDepth: number;
  maxLinkPerNode: number;
  maxNodeSize: number;
  concurrency: number;
  signal: AbortSignal | undefined;
}

function limits(opts: ReadOptions): Limits {
  const l = {
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxLinkPerNode: opts.maxLinkPerNode ?? DEFAULT_MAX_LINK_PER_NODE,
    maxNodeSize: opts.maxNodeSize ?? DEFAULT_NODE_MAX_SIZE,
    concurrency: opts.concurrency ?? 8,
    signal: opts.signal,
  };
  for (const k of ['maxDepth', 'maxLinkPerNode', 'maxNodeSize', 'concurrency'] as const)
    if (!Number.isSafeInteger(l[k]) || l[k] < 1)
      invalidArgument(k, `expected a positive integer, got ${l[k]}`);
  return l;
}

/** Fetches, checks and decodes one node. */
async function fetchNode(source: BlockSource, cid: string, l: Limits): Promise<DagNode> {
  l.signal?.throwIfAborted();
  const bytes = await source.get(cid);
  if (bytes === undefined || bytes === null) throw new DagError({ code: 'DAG_MISSING_NODE', cid });
  if (!(bytes instanceof Uint8Array)) invalidArgument('source.get', 'must return a Uint8Array or undefined');
  if (bytes.length > l.maxNodeSize)
    throw new DagError({ code: 'DAG_NODE_TOO_LARGE', size: bytes.length, max: l.maxNodeSize });
  const node = decodeNode(bytes, cid);
  if (node.links.length > l.maxLinkPerNode)
    throw new DagError({
      code: 'DAG_LIMIT_EXCEEDED',
      what: 'links',
      limit: l.maxLinkPerNode,
      actual: node.links.length,
    });
  return node;
}

/**
 * Reads and verifies one node.
 * @example (await readNode(store, cid)).data.type // 'File'
 */
export async function readNode(source: BlockSource, cid: CidInput, opts: ReadOptions = {}): Promise<DagNode> {
  checkSource(source);
  return fetchNode(source, cidToString(cid), limits(opts));
}

function checkSource(source: BlockSource): void {
  if (source === null || typeof source !== 'object' || typeof source.get !== 'function')
    invalidArgument('source', 'expected an object with get(cid)');
}

/** Fetches `links` in order with up to `concurrency` requests ahead. */
async function* fetchAll(source: BlockSource, links: readonly string[], l: Limits): AsyncGenerator<DagNode> {
  const inflight: Promise<DagNode>[] = [];
  let next = 0;
  const fill = () => {
    while (next < links.length && inflight.length < l.concurrency) {
      const p = fetchNode(source, links[next++]!, l);
      p.catch(() => {}); // observed when awaited below; avoids an unhandled rejection meanwhile
      inflight.push(p);
    }
  };
  fill();
  while (inflight.length > 0) {
    const node = await inflight.shift()!;
    fill();
    yield node;
  }
}

type Kind = 'file' | 'metadata' | 'folder';

/** The level a node sits at inside its own DAG: chunks 0, everything else its linkDepth. */
function levelOf(n: DagNode): number {
  return n.data.type === 'FileChunk' || n.data.type === 'MetadataChunk' ? 0 : n.data.linkDepth;
}

/** Checks that `child` may hang under `parent` in a DAG of `kind`. */
function checkChild(kind: Kind, parent: DagNode, child: DagNode): void {
  const t = child.data.type;
  const d = parent.data.linkDepth;
  if (kind === 'folder') {
    // Folder and FolderInlink levels count from 0; level-0 nodes link the children's heads.
    if (d === 0) {
      if (t !== 'File' && t !== 'Folder' && t !== 'Metadata')
        unexpected(child, 'a File, Folder or Metadata head', t);
      return;
    }
    if (t !== 'FolderInlink') unexpected(child, `FolderInlink at linkDepth ${d - 1}`, t);
  } else {
    const leaf: MetadataType = kind === 'file' ? 'FileChunk' : 'MetadataChunk';
    if (t !== leaf && t !== 'FileInlink') unexpected(child, `${leaf} or FileInlink`, t);
  }
  const level = levelOf(child);
  if (level >= d)
    throw new DagError({ code: 'DAG_LINK_CYCLE', cid: child.cid, parentDepth: d, childDepth: level });
  if (level !== d - 1) unexpected(child, `a node at linkDepth ${d - 1}`, `${t} at linkDepth ${level}`);
}

function unexpected(node: DagNode, expected: string, actual: string): never {
  throw new DagError({ code: 'DAG_UNEXPECTED_NODE_TYPE', cid: node.cid, expected, actual });
}

function kindOfHead(head: DagNode): Kind {
  switch (head.data.type) {
    case 'File':
      return 'file';
    case 'Metadata':
      return 'metadata';
    case 'Folder':
      return 'folder';
    default:
      return unexpected(head, 'a File, Folder or Metadata head', head.data.type);
  }
}

/**
 * Walks a DAG depth-first in link order, yielding every node verified (a folder's children's DAGs
 * included). Shared subtrees (identical chunks) are yielded each time they are linked.
 * @example for await (const node of walk(store, rootCid)) publish(node.bytes);
 */
export async function* walk(
  source: BlockSource,
  cid: CidInput,
  opts: ReadOptions = {},
): AsyncGenerator<DagNode, void, undefined> {
  checkSource(source);
  const l = limits(opts);
  await initBlake3();
  const head = await fetchNode(source, cidToString(cid), l);
  yield* walkFrom(source, head, kindOfHead(head), l, 1, new Set([head.cid]));
}

async function* walkFrom(
  source: BlockSource,
  node: DagNode,
  kind: Kind,
  l: Limits,
  depth: number,
  ancestors: Set<string>,
): AsyncGenerator<DagNode> {
  yield node;
  if (node.links.length === 0) return;
  if (depth >= l.maxDepth)
    throw new DagError({ code: 'DAG_LIMIT_EXCEEDED', what: 'depth', limit: l.maxDepth, actual: depth + 1 });
  for await (const child of fetchAll(source, node.links, l)) {
    checkChild(kind, node, child);
    const isHead = kind === 'folder' && node.data.linkDepth === 0;
    // Hashes make a loop impossible short of a BLAKE3 collision; the check costs nothing and keeps
    // the walk finite even then.
    if (isHead && ancestors.has(child.cid))
      throw new DagError({ code: 'DAG_LINK_CYCLE', cid: child.cid, parentDepth: 0, childDepth: 0 });
    if (isHead) ancestors.add(child.cid);
    yield* walkFrom(source, child, isHead ? kindOfHead(child) : kind, l, depth + 1, ancestors);
    if (isHead) ancestors.delete(child.cid);
  }
}

/** Yields the stored bytes of a File or Metadata DAG in order. */
async function* storedBytes(source: BlockSource, head: DagNode, l: Limits): AsyncGenerator<Uint8Array> {
  if (head.data.data !== undefined && head.data.data.length > 0) yield head.data.data;
  const kind = kindOfHead(head);
  async function* visit(node: DagNode, depth: number): AsyncGenerator<Uint8Array> {
    if (node.links.length === 0) return;
    if (depth >= l.maxDepth)
      throw new DagError({ code: 'DAG_LIMIT_EXCEEDED', what: 'depth', limit: l.maxDepth, actual: depth + 1 });
    for await (const child of fetchAll(source, node.links, l)) {
      checkChild(kind, node, child);
      if (child.data.type === 'FileInlink') yield* visit(child, depth + 1);
      else if (child.data.data !== undefined && child.data.data.length > 0) yield child.data.data;
    }
  }
  yield* visit(head, 1);
}

/**
 * Reads a file back: its bytes in order, decompressed as its head says (unless `raw`). Every node
 * is verified; the head must be a File (or Metadata). Encrypted files need `raw: true`
 * (DAG_UNSUPPORTED_OPTION otherwise): this package does not decrypt.
 *
 * @example
 * const store = new Map<string, Uint8Array>();
 * for await (const b of encodeFile(bytes)) store.set(b.cid, b.bytes);
 * const chunks = []; for await (const c of readFile(store, headCid)) chunks.push(c);
 */
export async function* readFile(
  source: BlockSource,
  cid: CidInput,
  opts: ReadFileOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  checkSource(source);
  const l = limits(opts);
  const maxSize = opts.maxSize ?? Number.POSITIVE_INFINITY;
  if (!(maxSize >= 0)) invalidArgument('maxSize', 'expected a non-negative number');
  await initBlake3();
  const head = await fetchNode(source, cidToString(cid), l);
  if (head.data.type !== 'File' && head.data.type !== 'Metadata')
    unexpected(head, 'a File or Metadata head', head.data.type);
  const uo: FileUploadOptions = head.data.uploadOptions ?? {};
  let total = 0;
  const count = (b: Uint8Array) => {
    total += b.length;
    if (total > maxSize)
      throw new DagError({ code: 'DAG_LIMIT_EXCEEDED', what: 'size', limit: maxSize, actual: total });
    return b;
  };
  if (opts.raw || (uo.compression === undefined && uo.encryption === undefined)) {
    for await (const b of storedBytes(source, head, l)) yield count(b);
    return;
  }
  if (uo.encryption !== undefined)
    throw new DagError({
      code: 'DAG_UNSUPPORTED_OPTION',
      what: 'encryption',
      value: uo.encryption.algorithm,
    });
  const z = new ZlibDecompressor();
  for await (const b of storedBytes(source, head, l)) for (const out of z.push(b)) yield count(out);
  for (const out of z.push(new Uint8Array(0), true)) yield count(out);
}

/**
 * Reads a whole file into one buffer (for small files; stream with `readFile` otherwise).
 * @example new TextDecoder().decode(await readFileBytes(store, cid)) // 'hello world'
 */
export async function readFileBytes(
  source: BlockSource,
  cid: CidInput,
  opts: ReadFileOptions = {},
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const p of readFile(source, cid, opts)) {
    parts.push(p);
    n += p.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A folder as its root records it, with each child's head read. */
export interface FolderEntry {
  cid: string;
  name: string | undefined;
  size: bigint;
  uploadOptions: FileUploadOptions;
  children: FolderChildMetadata[];
}

/**
 * Reads a folder: its name and size, and its children (heads verified, FolderInlinks flattened) in
 * order.
 * @example (await readFolder(store, dirCid)).children.map((c) => c.name) // ['a.txt', 'b.txt']
 */
export async function readFolder(
  source: BlockSource,
  cid: CidInput,
  opts: ReadOptions = {},
): Promise<FolderEntry> {
  checkSource(source);
  const l = limits(opts);
  await initBlake3();
  const root = await fetchNode(source, cidToString(cid), l);
  if (root.data.type !== 'Folder') unexpected(root, 'a Folder head', root.data.type);
  const children: FolderChildMetadata[] = [];
  async function visit(node: DagNode, depth: number): Promise<void> {
    if (node.links.length === 0) return;
    if (depth >= l.maxDepth)
      throw new DagError({ code: 'DAG_LIMIT_EXCEEDED', what: 'depth', limit: l.maxDepth, actual: depth + 1 });
    for await (const child of fetchAll(source, node.links, l)) {
      checkChild('folder', node, child);
      if (child.data.type === 'FolderInlink') await visit(child, depth + 1);
      else {
        const entry: FolderChildMetadata = {
          type: child.data.type === 'Folder' ? 'folder' : 'file',
          cid: child.cid,
          totalSize: child.data.size ?? 0n,
        };
        if (child.data.name !== undefined) entry.name = child.data.name;
        children.push(entry);
      }
    }
  }
  await visit(root, 1);
  return {
    cid: root.cid,
    name: root.data.name,
    size: root.data.size ?? 0n,
    uploadOptions: root.data.uploadOptions ?? {},
    children,
  };
}

/**
 * Reads off-chain metadata back from its Metadata DAG.
 * @example (await readMetadata(store, metaCid)).dataCid
 */
export async function readMetadata(
  source: BlockSource,
  cid: CidInput,
  opts: ReadOptions = {},
): Promise<OffchainMetadata> {
  checkSource(source);
  const head = await readNode(source, cid, opts);
  if (head.data.type !== 'Metadata') unexpected(head, 'a Metadata head', head.data.type);
  const bytes = await readFileBytes(source, head.cid, { ...opts, raw: true });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DagError({ code: 'DAG_INVALID_METADATA', reason: 'not UTF-8' });
  }
  return parseMetadata(text);
}
