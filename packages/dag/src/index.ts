/**
 * @autonomys/dag: files and folders as IPLD DAG nodes with CIDs identical to the Autonomys client
 * SDK (auto-dag-data): streaming encode, strict verified decode, folders, off-chain metadata, ZLIB.
 */

export {
  blake3HashFromCid,
  blockOfNode,
  type CidInput,
  cidFromBlake3Hash,
  cidToBytes,
  cidToString,
  verifyBlock,
} from './cid.js';
export * from './constants.js';
export { DagError, type DagErrorCode, type DagErrorType } from './errors.js';
export {
  type DagLimits,
  type EncodeFileOptions,
  encodeFile,
  encodeFileSync,
  type FileContent,
} from './file.js';
export { type EncodeFolderOptions, encodeFolder } from './folder.js';
export {
  type ChunkInfo,
  encodeMetadata,
  type FolderChildMetadata,
  fileMetadata,
  folderChildMetadata,
  folderMetadata,
  type OffchainFileMetadata,
  type OffchainFolderMetadata,
  type OffchainMetadata,
  parseMetadata,
  stringifyMetadata,
} from './metadata.js';
export {
  decodeNode,
  decodeNodeData,
  decodePBNode,
  encodeNode,
  encodeNodeData,
  encodePBNode,
} from './node.js';
export {
  type FolderEntry,
  type ReadFileOptions,
  type ReadOptions,
  readFile,
  readFileBytes,
  readFolder,
  readMetadata,
  readNode,
  walk,
} from './read.js';
export * from './types.js';
