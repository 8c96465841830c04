/**
 * The node kinds of the format (`IPLDNodeData.type`, ai3 §1.1), with their protobuf enum numbers.
 * `MetadataInlink` is defined but never produced: chunked metadata uses `FileInlink` inlinks.
 */
export type MetadataType =
  | 'File'
  | 'FileInlink'
  | 'FileChunk'
  | 'Folder'
  | 'FolderInlink'
  | 'Metadata'
  | 'MetadataInlink'
  | 'MetadataChunk';

/** `MetadataType` by enum number (File = 0 ... MetadataChunk = 7). */
export const METADATA_TYPES: readonly MetadataType[] = [
  'File',
  'FileInlink',
  'FileChunk',
  'Folder',
  'FolderInlink',
  'Metadata',
  'MetadataInlink',
  'MetadataChunk',
];

/** The zlib options a head carries (`CompressionOptions`); `level`/`chunkSize` are written only when set. */
export interface CompressionOptions {
  algorithm: 'ZLIB';
  level?: number;
  chunkSize?: number;
}

/** The encryption options a head may carry (`EncryptionOptions`). This package does not encrypt. */
export interface EncryptionOptions {
  algorithm: 'AES_256_GCM';
  chunkSize?: number;
}

/** `FileUploadOptions`: what was applied to the stored bytes, in pipeline order compress → encrypt. */
export interface FileUploadOptions {
  compression?: CompressionOptions;
  encryption?: EncryptionOptions;
}

/** The protobuf message in every node's dag-pb `Data` field. */
export interface IPLDNodeData {
  type: MetadataType;
  /** 0 when absent. */
  linkDepth: number;
  size?: bigint;
  name?: string;
  data?: Uint8Array;
  uploadOptions?: FileUploadOptions;
}

/** A dag-pb link. Autonomys links carry only `hash` (a binary CID). */
export interface PBLink {
  hash: Uint8Array;
  name?: string;
  tsize?: number;
}

/** A dag-pb node. */
export interface PBNode {
  links: PBLink[];
  data?: Uint8Array;
}

/** One encoded node: its CID string, BLAKE3 digest (the on-chain object hash) and bytes. */
export interface DagBlock {
  cid: string;
  hash: Uint8Array;
  bytes: Uint8Array;
}

/** A decoded, verified node. */
export interface DagNode extends DagBlock {
  links: string[];
  data: IPLDNodeData;
}

/**
 * Where readers get nodes from: anything with `get(cid)` (a `Map<string, Uint8Array>` fits, so does
 * a gateway client). Returned bytes are always re-hashed against the CID.
 */
export interface BlockSource {
  get(cid: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** Cancellation and progress for long work. */
export interface AbortOptions {
  signal?: AbortSignal;
}
