/**
 * Folders (ai3 §1.1 "Folder algorithm"): a Folder root over its children's head CIDs, in the
 * caller's order, with FolderInlink levels (linkDepth from 0) above 1626 children.
 */
import { type BuiltBlock, folderInlink, folderRoot, LinkTree } from './builders.js';
import { type CidInput, cidToBytes } from './cid.js';
import { invalidArgument } from './errors.js';
import { checkName, type DagLimits, limitsOf, publicBlock } from './file.js';
import type { DagBlock, FileUploadOptions } from './types.js';

export interface EncodeFolderOptions extends DagLimits {
  /** The folder's name (at most 255 UTF-16 code units). */
  name: string;
  /** The size the root records, as given (Auto Drive: the sum of its children's sizes). */
  size: bigint;
  /** Recorded in the root as given; default `{}` (written as the empty message `32 00`). */
  uploadOptions?: FileUploadOptions;
}

/**
 * Encodes a folder over the head CIDs of its children (already encoded files and folders). Returns
 * its blocks, the root last.
 *
 * @example
 * const a = encodeFileSync(utf8('hello world'), { name: 'a.txt' }).at(-1)!;
 * const b = encodeFileSync(utf8('goodbye'), { name: 'b.txt' }).at(-1)!;
 * encodeFolder([a.cid, b.cid], { name: 'dir', size: 18n }).at(-1)!.cid
 * // 'bafkr6icmbrpeevoqcwm52ut3or2ou5ogm2gobbgjlbi2vnkl2o5otiejd4'
 */
export function encodeFolder(children: readonly CidInput[], opts: EncodeFolderOptions): DagBlock[] {
  if (!Array.isArray(children)) invalidArgument('children', 'expected an array of CIDs');
  if (opts === null || typeof opts !== 'object') invalidArgument('opts', 'expected { name, size }');
  if (typeof opts.name !== 'string') invalidArgument('name', 'expected a string');
  checkName(opts.name);
  if (typeof opts.size !== 'bigint' || opts.size < 0n || opts.size >= 1n << 63n)
    invalidArgument('size', 'expected a bigint in [0, 2^63)');
  const { maxNodeSize, maxLinkPerNode } = limitsOf(opts);
  const out: BuiltBlock[] = [];
  const tree = new LinkTree(maxLinkPerNode, (links, level) => folderInlink(links, level));
  for (const c of children) tree.add(cidToBytes(c), out);
  const { links, levels } = tree.finish(out);
  out.push(folderRoot(links, opts.name, levels, opts.size, maxNodeSize, opts.uploadOptions ?? {}));
  return out.map(publicBlock);
}
