/**
 * The two encodings of a node (ai3 §1.1): the dag-pb envelope (Links before Data, each link only a
 * Hash) and the `IPLDNodeData` protobuf in its Data field, byte-identical to @ipld/dag-pb and the
 * SDK's protons encoder. Decoding is strict: only the canonical bytes those encoders write.
 */
import { abytes, blake3 } from '@autonomys/primitives';
import { assertBlock, binaryCidToString, cidFromBlake3Hash, cidToBytes } from './cid.js';
import { DagError, invalidArgument, malformed } from './errors.js';
import {
  ProtoReader,
  utf8Encoder,
  varintLength,
  varintLengthBig,
  writeVarint,
  writeVarintBig,
} from './proto.js';
import {
  type CompressionOptions,
  type DagNode,
  type EncryptionOptions,
  type FileUploadOptions,
  type IPLDNodeData,
  METADATA_TYPES,
  type MetadataType,
  type PBLink,
  type PBNode,
} from './types.js';

const TYPE_NUMBER: Record<MetadataType, number> = Object.fromEntries(
  METADATA_TYPES.map((t, i) => [t, i]),
) as Record<MetadataType, number>;

// ---------------------------------------------------------------------------------------------
// dag-pb

function linkLength(l: PBLink, nameBytes: Uint8Array | undefined): number {
  let n = 1 + varintLength(l.hash.length) + l.hash.length;
  if (nameBytes !== undefined) n += 1 + varintLength(nameBytes.length) + nameBytes.length;
  if (l.tsize !== undefined) n += 1 + varintLength(l.tsize);
  return n;
}

/**
 * Encodes a dag-pb node as @ipld/dag-pb does: each link (field 2) then Data (field 1).
 * @example bytesToHex(encodePBNode({ data: new Uint8Array(0), links: [] })) // '0a00'
 */
export function encodePBNode(node: PBNode): Uint8Array {
  if (node === null || typeof node !== 'object' || !Array.isArray(node.links))
    invalidArgument('node', 'expected { links: PBLink[], data?: Uint8Array }');
  if (node.data !== undefined) abytes(node.data, undefined, 'node.data');
  const names: (Uint8Array | undefined)[] = [];
  const lens: number[] = [];
  let total = 0;
  for (const l of node.links) {
    abytes(l.hash, undefined, 'link.hash');
    if (l.tsize !== undefined && (!Number.isSafeInteger(l.tsize) || l.tsize < 0))
      invalidArgument('link.tsize', 'expected a non-negative safe integer');
    const name = l.name === undefined ? undefined : utf8Encoder.encode(l.name);
    const len = linkLength(l, name);
    names.push(name);
    lens.push(len);
    total += 1 + varintLength(len) + len;
  }
  if (node.data !== undefined) total += 1 + varintLength(node.data.length) + node.data.length;
  const out = new Uint8Array(total);
  let p = 0;
  for (let i = 0; i < node.links.length; i++) {
    const l = node.links[i]!;
    out[p++] = 0x12;
    p = writeVarint(out, p, lens[i]!);
    out[p++] = 0x0a;
    p = writeVarint(out, p, l.hash.length);
    out.set(l.hash, p);
    p += l.hash.length;
    const name = names[i];
    if (name !== undefined) {
      out[p++] = 0x12;
      p = writeVarint(out, p, name.length);
      out.set(name, p);
      p += name.length;
    }
    if (l.tsize !== undefined) {
      out[p++] = 0x18;
      p = writeVarint(out, p, l.tsize);
    }
  }
  if (node.data !== undefined) {
    out[p++] = 0x0a;
    p = writeVarint(out, p, node.data.length);
    out.set(node.data, p);
  }
  return out;
}

/**
 * Decodes dag-pb strictly (the dag-pb spec's canonical form): links first, Data at most once and
 * last, in each link Hash then optional Name then optional Tsize, no other fields. Views into `bytes`.
 * @example decodePBNode(hexToBytes('0a03010203')).data // Uint8Array [1, 2, 3]
 */
export function decodePBNode(bytes: Uint8Array): PBNode {
  abytes(bytes, undefined, 'bytes');
  const r = new ProtoReader(bytes);
  const links: PBLink[] = [];
  let data: Uint8Array | undefined;
  while (!r.done) {
    const at = r.pos;
    const tag = r.varint('PBNode tag');
    if (data !== undefined) malformed('PBNode: a field after Data', at);
    if (tag === 0x12) {
      const [s, e] = r.lengthDelimited('PBNode.Links');
      links.push(decodePBLink(bytes, s, e));
    } else if (tag === 0x0a) {
      data = r.bytesField('PBNode.Data');
    } else malformed(`PBNode: unexpected field tag ${tag}`, at);
  }
  return data === undefined ? { links } : { links, data };
}

function decodePBLink(bytes: Uint8Array, start: number, end: number): PBLink {
  const r = new ProtoReader(bytes, start, end);
  let hash: Uint8Array | undefined;
  let name: string | undefined;
  let tsize: number | undefined;
  let last = 0;
  while (!r.done) {
    const at = r.pos;
    const tag = r.varint('PBLink tag');
    const field = tag >>> 3;
    if (field <= last) malformed('PBLink: fields out of order or repeated', at);
    last = field;
    if (tag === 0x0a) hash = r.bytesField('PBLink.Hash');
    else if (tag === 0x12) name = r.stringField('PBLink.Name');
    else if (tag === 0x18) tsize = r.varint('PBLink.Tsize');
    else malformed(`PBLink: unexpected field tag ${tag}`, at);
  }
  if (hash === undefined) malformed('PBLink: no Hash', start);
  const link: PBLink = { hash };
  if (name !== undefined) link.name = name;
  if (tsize !== undefined) link.tsize = tsize;
  return link;
}

// ---------------------------------------------------------------------------------------------
// IPLDNodeData

function compressionLength(c: CompressionOptions): number {
  let n = 0; // algorithm ZLIB = 0 is the proto3 default: never written
  if (c.level !== undefined) n += 1 + int32Length(c.level);
  if (c.chunkSize !== undefined) n += 1 + int32Length(c.chunkSize);
  return n;
}

function encryptionLength(e: EncryptionOptions): number {
  return e.chunkSize === undefined ? 0 : 1 + int32Length(e.chunkSize);
}

function int32Length(v: number): number {
  // protobuf int32: negative values are sign-extended to 64 bits, always 10 bytes.
  return v < 0 ? 10 : varintLength(v);
}

function writeInt32(out: Uint8Array, p: number, v: number): number {
  return v < 0 ? writeVarintBig(out, p, BigInt.asUintN(64, BigInt(v))) : writeVarint(out, p, v);
}

function uploadOptionsLength(o: FileUploadOptions): number {
  let n = 0;
  if (o.compression !== undefined) {
    const c = compressionLength(o.compression);
    n += 1 + varintLength(c) + c;
  }
  if (o.encryption !== undefined) {
    const e = encryptionLength(o.encryption);
    n += 1 + varintLength(e) + e;
  }
  return n;
}

function checkInt32(v: number | undefined, what: string): void {
  if (v !== undefined && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647))
    invalidArgument(what, 'expected an int32');
}

function checkUploadOptions(o: FileUploadOptions): void {
  if (o === null || typeof o !== 'object') invalidArgument('uploadOptions', 'expected an object');
  if (o.compression !== undefined) {
    if (o.compression.algorithm !== 'ZLIB')
      throw new DagError({
        code: 'DAG_UNSUPPORTED_OPTION',
        what: 'compression.algorithm',
        value: String(o.compression.algorithm),
      });
    checkInt32(o.compression.level, 'compression.level');
    checkInt32(o.compression.chunkSize, 'compression.chunkSize');
  }
  if (o.encryption !== undefined) {
    if (o.encryption.algorithm !== 'AES_256_GCM')
      throw new DagError({
        code: 'DAG_UNSUPPORTED_OPTION',
        what: 'encryption.algorithm',
        value: String(o.encryption.algorithm),
      });
    checkInt32(o.encryption.chunkSize, 'encryption.chunkSize');
  }
}

/**
 * Encodes `IPLDNodeData` as the SDK's protons codec: fields in number order, `type` and `linkDepth`
 * omitted when 0, `size`/`name`/`data`/`uploadOptions` written whenever present (even empty).
 * @example bytesToHex(encodeNodeData({ type: 'FolderInlink', linkDepth: 0 })) // '0804'
 */
export function encodeNodeData(d: IPLDNodeData): Uint8Array {
  if (d === null || typeof d !== 'object') invalidArgument('data', 'expected an IPLDNodeData object');
  const type = TYPE_NUMBER[d.type];
  if (type === undefined) invalidArgument('data.type', `unknown MetadataType ${String(d.type)}`);
  if (!Number.isInteger(d.linkDepth) || d.linkDepth < 0 || d.linkDepth > 2147483647)
    invalidArgument('data.linkDepth', 'expected a non-negative int32');
  if (d.size !== undefined && (typeof d.size !== 'bigint' || d.size < 0n || d.size >= 1n << 63n))
    invalidArgument('data.size', 'expected a bigint in [0, 2^63)');
  if (d.data !== undefined) abytes(d.data, undefined, 'data.data');
  if (d.uploadOptions !== undefined) checkUploadOptions(d.uploadOptions);
  const name = d.name === undefined ? undefined : utf8Encoder.encode(d.name);
  let n = 0;
  if (type !== 0) n += 2;
  if (d.linkDepth !== 0) n += 1 + varintLength(d.linkDepth);
  if (d.size !== undefined) n += 1 + varintLengthBig(d.size);
  if (name !== undefined) n += 1 + varintLength(name.length) + name.length;
  if (d.data !== undefined) n += 1 + varintLength(d.data.length) + d.data.length;
  let uo = 0;
  if (d.uploadOptions !== undefined) {
    uo = uploadOptionsLength(d.uploadOptions);
    n += 1 + varintLength(uo) + uo;
  }
  const out = new Uint8Array(n);
  let p = 0;
  if (type !== 0) {
    out[p++] = 0x08;
    out[p++] = type;
  }
  if (d.linkDepth !== 0) {
    out[p++] = 0x10;
    p = writeVarint(out, p, d.linkDepth);
  }
  if (d.size !== undefined) {
    out[p++] = 0x18;
    p = writeVarintBig(out, p, d.size);
  }
  if (name !== undefined) {
    out[p++] = 0x22;
    p = writeVarint(out, p, name.length);
    out.set(name, p);
    p += name.length;
  }
  if (d.data !== undefined) {
    out[p++] = 0x2a;
    p = writeVarint(out, p, d.data.length);
    out.set(d.data, p);
    p += d.data.length;
  }
  if (d.uploadOptions !== undefined) {
    out[p++] = 0x32;
    p = writeVarint(out, p, uo);
    const { compression: c, encryption: e } = d.uploadOptions;
    if (c !== undefined) {
      out[p++] = 0x0a;
      p = writeVarint(out, p, compressionLength(c));
      if (c.level !== undefined) {
        out[p++] = 0x10;
        p = writeInt32(out, p, c.level);
      }
      if (c.chunkSize !== undefined) {
        out[p++] = 0x18;
        p = writeInt32(out, p, c.chunkSize);
      }
    }
    if (e !== undefined) {
      out[p++] = 0x12;
      p = writeVarint(out, p, encryptionLength(e));
      if (e.chunkSize !== undefined) {
        out[p++] = 0x10; // EncryptionOptions field 2 (chunkSize), varint
        p = writeInt32(out, p, e.chunkSize);
      }
    }
  }
  return out;
}

/** Reads a message's fields in ascending order, each once; unknown fields are skipped (proto3). */
function forEachField(
  r: ProtoReader,
  what: string,
  known: number,
  onField: (field: number, wire: number, at: number) => void,
): void {
  let last = 0;
  while (!r.done) {
    const at = r.pos;
    const tag = r.varint(`${what} tag`);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) malformed(`${what}: field number 0`, at);
    if (field > known) {
      r.skip(wire, `${what} field ${field}`);
      continue;
    }
    if (field <= last) malformed(`${what}: field ${field} out of order or repeated`, at);
    last = field;
    onField(field, wire, at);
  }
}

function expectWire(wire: number, expected: number, what: string, at: number): void {
  if (wire !== expected) malformed(`${what}: wire type ${wire}, expected ${expected}`, at);
}

function decodeUploadOptions(r: ProtoReader): FileUploadOptions {
  const o: FileUploadOptions = {};
  forEachField(r, 'FileUploadOptions', 2, (field, wire, at) => {
    expectWire(wire, 2, 'FileUploadOptions', at);
    const [s, e] = r.lengthDelimited('FileUploadOptions');
    const sub = new ProtoReader(r.bytes, s, e);
    if (field === 1) {
      const c: CompressionOptions = { algorithm: 'ZLIB' };
      forEachField(sub, 'CompressionOptions', 3, (f, w, a) => {
        expectWire(w, 0, 'CompressionOptions', a);
        const v = sub.int32('CompressionOptions');
        if (f === 1) {
          if (v !== 0)
            throw new DagError({
              code: 'DAG_UNSUPPORTED_OPTION',
              what: 'compression.algorithm',
              value: `${v}`,
            });
        } else if (f === 2) c.level = v;
        else c.chunkSize = v;
      });
      o.compression = c;
    } else {
      const x: EncryptionOptions = { algorithm: 'AES_256_GCM' };
      forEachField(sub, 'EncryptionOptions', 2, (f, w, a) => {
        expectWire(w, 0, 'EncryptionOptions', a);
        const v = sub.int32('EncryptionOptions');
        if (f === 1) {
          if (v !== 0)
            throw new DagError({
              code: 'DAG_UNSUPPORTED_OPTION',
              what: 'encryption.algorithm',
              value: `${v}`,
            });
        } else x.chunkSize = v;
      });
      o.encryption = x;
    }
  });
  return o;
}

/**
 * Decodes an `IPLDNodeData` message. Fields must come in number order, each at most once; unknown
 * fields are skipped as proto3 requires. `data` is a view into `bytes`.
 * @example decodeNodeData(hexToBytes('0804')) // { type: 'FolderInlink', linkDepth: 0 }
 */
export function decodeNodeData(bytes: Uint8Array, start = 0, end = bytes.length): IPLDNodeData {
  abytes(bytes, undefined, 'bytes');
  const r = new ProtoReader(bytes, start, end);
  const d: IPLDNodeData = { type: 'File', linkDepth: 0 };
  forEachField(r, 'IPLDNodeData', 6, (field, wire, at) => {
    switch (field) {
      case 1: {
        expectWire(wire, 0, 'IPLDNodeData.type', at);
        const t = r.varint('IPLDNodeData.type');
        const type = METADATA_TYPES[t];
        if (type === undefined) malformed(`IPLDNodeData: unknown MetadataType ${t}`, at);
        d.type = type;
        break;
      }
      case 2: {
        expectWire(wire, 0, 'IPLDNodeData.linkDepth', at);
        const v = r.int32('IPLDNodeData.linkDepth');
        if (v < 0) malformed('IPLDNodeData: negative linkDepth', at);
        d.linkDepth = v;
        break;
      }
      case 3: {
        expectWire(wire, 0, 'IPLDNodeData.size', at);
        const v = r.varintBig('IPLDNodeData.size');
        if (v >= 1n << 63n) malformed('IPLDNodeData: negative size', at);
        d.size = v;
        break;
      }
      case 4:
        expectWire(wire, 2, 'IPLDNodeData.name', at);
        d.name = r.stringField('IPLDNodeData.name');
        break;
      case 5:
        expectWire(wire, 2, 'IPLDNodeData.data', at);
        d.data = r.bytesField('IPLDNodeData.data');
        break;
      default: {
        expectWire(wire, 2, 'IPLDNodeData.uploadOptions', at);
        const [s, e] = r.lengthDelimited('IPLDNodeData.uploadOptions');
        d.uploadOptions = decodeUploadOptions(new ProtoReader(bytes, s, e));
      }
    }
  });
  return d;
}

// ---------------------------------------------------------------------------------------------
// Whole nodes

/**
 * Encodes a node of the format: dag-pb with `links` (CIDs) and the `IPLDNodeData` as Data.
 * @example encodeNode({ type: 'FolderInlink', linkDepth: 0 }, [childCid])
 */
export function encodeNode(data: IPLDNodeData, links: readonly Uint8Array[] = []): Uint8Array {
  return encodePBNode({ data: encodeNodeData(data), links: links.map((hash) => ({ hash })) });
}

/**
 * Decodes node bytes and, when `cid` is given, checks that they hash to it (DAG_HASH_MISMATCH).
 * Links must be Autonomys CIDs without names or sizes (DAG_UNSUPPORTED_CID, DAG_MALFORMED_NODE).
 * @example decodeNode(block.bytes, block.cid).data.type // 'File'
 */
export function decodeNode(bytes: Uint8Array, cid?: string): DagNode {
  abytes(bytes, undefined, 'bytes');
  const hash = cid === undefined ? blake3(bytes) : assertBlock(cid, bytes);
  const pb = decodePBNode(bytes);
  if (pb.data === undefined)
    malformed('PBNode: no Data (every Autonomys node has IPLDNodeData)', bytes.length);
  const links = pb.links.map((l) => {
    if (l.name !== undefined || l.tsize !== undefined)
      malformed('PBLink: Autonomys links carry only a Hash', 0);
    cidToBytes(l.hash);
    return binaryCidToString(l.hash);
  });
  const offset = pb.data.byteOffset - bytes.byteOffset;
  const data = decodeNodeData(bytes, offset, offset + pb.data.length);
  return { cid: cid ?? cidFromBlake3Hash(hash), hash, bytes, links, data };
}
