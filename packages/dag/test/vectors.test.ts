/**
 * drive.json: every case that concerns the DAG format, one `it` each; the last test fails when a
 * case of the file went untested. Case ids are the JSON paths of the cases.
 */
import { createHash } from 'node:crypto';
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { loadVectors, thrownCode, VectorClaims } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  blake3HashFromCid,
  blockOfNode,
  CID_PREFIX,
  cidFromBlake3Hash,
  cidToBytes,
  DagError,
  DEFAULT_MAX_CHUNK_SIZE,
  DEFAULT_MAX_LINK_PER_NODE,
  DEFAULT_NODE_MAX_SIZE,
  decodeNode,
  encodeFile,
  encodeFileSync,
  encodeFolder,
  encodeMetadata,
  encodePBNode,
  fileMetadata,
  NODE_METADATA_SIZE,
  readFileBytes,
  readFolder,
  readMetadata,
  stringifyMetadata,
} from '../src/index.js';

interface HeadData {
  type: string;
  linkDepth: number;
  size: string;
  name?: string;
  data_len?: number;
  uploadOptions?: object;
}
interface FileVector {
  input: string;
  bytes_sha256: string;
  length: number;
  filename?: string;
  cid: string;
  block_count: number;
  head_node_len: number;
  head_node_hex?: string;
  head_data: HeadData;
  head_links: string[];
  head_link_count: number;
}
interface Drive {
  constants: Record<string, number>;
  cid_format: { binary_prefix_hex: string; multihash: string };
  literals_found_in_sdk: { value: string; what: string }[];
  generated: {
    raw_dag_pb_nodes: { input: string; encoded_hex: string; cid: string; cid_default_tostring: string }[];
    files: FileVector[];
    folders: (Omit<FileVector, 'bytes_sha256' | 'length' | 'block_count'> & { children: string[] })[];
    offchain_metadata: (Omit<FileVector, 'bytes_sha256' | 'length' | 'block_count'> & { json: string })[];
  };
}

const file = loadVectors<Drive>('drive.json');
const ids = [
  ...Object.keys(file.constants).map((k) => `constants.${k}`),
  'cid_format',
  ...file.literals_found_in_sdk.map((_, i) => `literals_found_in_sdk[${i}]`),
  ...Object.entries(file.generated).flatMap(([group, cases]) =>
    (cases as unknown[]).map((_, i) => `generated.${group}[${i}]`),
  ),
];
// Cases owned elsewhere: literals_found_in_sdk[0] is blake2b-256 of a string (auto-utils' crypto
// helper, the hash of Auto ID identifiers): @autonomys/auto-id.
const NOT_DAG: Record<string, string> = { 'literals_found_in_sdk[0]': '@autonomys/auto-id' };
const claims = new VectorClaims(ids.filter((id) => !(id in NOT_DAG)));

const utf8 = (s: string) => new TextEncoder().encode(s);
/** 'pattern N': byte[i] = i mod 251. */
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
function inputOf(v: FileVector): Uint8Array {
  if (v.input === 'empty') return new Uint8Array(0);
  const m = /^pattern (\d+)/.exec(v.input);
  return m ? pattern(Number(m[1])) : utf8(v.input);
}
function headDataOf(bytes: Uint8Array) {
  const n = decodeNode(bytes);
  const d = n.data;
  const out: HeadData = { type: d.type, linkDepth: d.linkDepth, size: String(d.size) };
  if (d.name !== undefined) out.name = d.name;
  if (d.data !== undefined && d.data.length > 0) out.data_len = d.data.length;
  if (d.uploadOptions !== undefined) out.uploadOptions = d.uploadOptions;
  return { data: out, links: n.links };
}

describe('drive.json constants and CID format', () => {
  const ours: Record<string, number> = {
    DEFAULT_NODE_MAX_SIZE,
    NODE_METADATA_SIZE,
    DEFAULT_MAX_CHUNK_SIZE,
    DEFAULT_MAX_LINK_PER_NODE,
  };
  for (const [k, v] of Object.entries(file.constants))
    it(claims.claim(`constants.${k}`), () => expect(ours[k]).toBe(v));

  it(claims.claim('cid_format'), () => {
    expect(bytesToHex(CID_PREFIX)).toBe(file.cid_format.binary_prefix_hex);
    const cid = cidFromBlake3Hash(new Uint8Array(32).fill(9));
    expect(cid.startsWith('bafkr6i')).toBe(true);
    expect(bytesToHex(cidToBytes(cid).subarray(0, 4))).toBe('01551f20');
  });
});

describe('drive.json literals found in the SDK', () => {
  it(claims.claim('literals_found_in_sdk[1]'), () => {
    // A real upload's dataCid (inputs unknown): it must parse as an Autonomys CID and round-trip.
    const v = file.literals_found_in_sdk[1]!.value;
    expect(v.startsWith('bafkr6i')).toBe(true);
    expect(cidFromBlake3Hash(blake3HashFromCid(v))).toBe(v);
  });
  it(claims.claim('literals_found_in_sdk[2]'), () => {
    // A standard dag-pb/sha2-256 CID: not an Autonomys CID, rejected with a typed error.
    const v = file.literals_found_in_sdk[2]!.value;
    expect(thrownCode(() => cidToBytes(v), DagError)).toBe('DAG_UNSUPPORTED_CID');
    try {
      cidToBytes(v);
    } catch (e) {
      expect((e as DagError).type).toMatchObject({ field: 'codec', value: 0x70 });
    }
  });
});

describe('drive.json raw dag-pb nodes', () => {
  for (const [i, v] of file.generated.raw_dag_pb_nodes.entries())
    it(`${claims.claim(`generated.raw_dag_pb_nodes[${i}]`)} ${v.input}`, () => {
      const data = v.input.startsWith('createNode([1,2,3]') ? Uint8Array.of(1, 2, 3) : new Uint8Array(0);
      const bytes = encodePBNode({ data, links: [] });
      expect(bytesToHex(bytes)).toBe(v.encoded_hex);
      expect(blockOfNode(bytes).cid).toBe(v.cid);
      expect(v.cid_default_tostring).toBe(v.cid);
    });
});

describe('drive.json files', () => {
  for (const [i, v] of file.generated.files.entries())
    it(`${claims.claim(`generated.files[${i}]`)} ${v.input} ${v.filename ?? '(no name)'}`, async () => {
      const input = inputOf(v);
      expect(input.length).toBe(v.length);
      expect(createHash('sha256').update(input).digest('hex')).toBe(v.bytes_sha256);
      const opts = v.filename === undefined ? {} : { name: v.filename };
      // Whole, and in 7777-byte pieces as the generator fed it.
      const pieces = Array.from({ length: Math.ceil(input.length / 7777) }, (_, k) =>
        input.subarray(k * 7777, (k + 1) * 7777),
      );
      const blocks = [];
      for await (const b of encodeFile(pieces, opts)) blocks.push(b);
      const whole = encodeFileSync(input, opts);
      expect(whole.map((b) => b.cid)).toEqual(blocks.map((b) => b.cid));
      const head = blocks.at(-1)!;
      expect(head.cid).toBe(v.cid);
      expect(blocks).toHaveLength(v.block_count);
      expect(head.bytes.length).toBe(v.head_node_len);
      if (v.head_node_hex !== undefined) expect(bytesToHex(head.bytes)).toBe(v.head_node_hex);
      const { data, links } = headDataOf(head.bytes);
      expect(data).toEqual(v.head_data);
      expect(links).toEqual(v.head_links);
      expect(links).toHaveLength(v.head_link_count);
      const store = new Map(blocks.map((b) => [b.cid, b.bytes]));
      expect(await readFileBytes(store, v.cid)).toEqual(input);
    });
});

describe('drive.json folders', () => {
  for (const [i, v] of file.generated.folders.entries())
    it(`${claims.claim(`generated.folders[${i}]`)} ${v.input}`, async () => {
      const a = encodeFileSync(utf8('hello world'), { name: 'a.txt' });
      const b = encodeFileSync(utf8('goodbye'), { name: 'b.txt' });
      expect([a.at(-1)!.cid, b.at(-1)!.cid]).toEqual(v.children);
      const blocks = encodeFolder(v.children, { name: 'dir', size: 18n });
      const root = blocks.at(-1)!;
      expect(root.cid).toBe(v.cid);
      expect(root.bytes.length).toBe(v.head_node_len);
      expect(bytesToHex(root.bytes)).toBe(v.head_node_hex);
      const { data, links } = headDataOf(root.bytes);
      expect(data).toEqual(v.head_data);
      expect(links).toEqual(v.head_links);
      expect(links).toHaveLength(v.head_link_count);
      const store = new Map([...a, ...b, ...blocks].map((x) => [x.cid, x.bytes]));
      const folder = await readFolder(store, root.cid);
      expect(folder.name).toBe('dir');
      expect(folder.children.map((c) => [c.name, c.type, c.totalSize])).toEqual([
        ['a.txt', 'file', 11n],
        ['b.txt', 'file', 7n],
      ]);
    });
});

describe('drive.json off-chain metadata', () => {
  for (const [i, v] of file.generated.offchain_metadata.entries())
    it(`${claims.claim(`generated.offchain_metadata[${i}]`)} ${v.input}`, async () => {
      const head = encodeFileSync(utf8('hello world'), { name: 'test.txt' }).at(-1)!;
      const meta = fileMetadata(head.cid, [{ cid: head.cid, size: 11n }], 11n, 'test.txt', 'text/plain');
      expect(stringifyMetadata(meta)).toBe(v.json);
      const blocks = encodeMetadata(meta);
      const root = blocks.at(-1)!;
      expect(root.cid).toBe(v.cid);
      expect(root.bytes.length).toBe(v.head_node_len);
      expect(bytesToHex(root.bytes)).toBe(v.head_node_hex);
      const { data, links } = headDataOf(root.bytes);
      expect(data).toEqual(v.head_data);
      expect(links).toEqual(v.head_links);
      expect(links).toHaveLength(v.head_link_count);
      const back = await readMetadata(new Map(blocks.map((b) => [b.cid, b.bytes])), root.cid);
      expect(stringifyMetadata(back)).toBe(v.json);
      expect(hexToBytes(v.head_node_hex!)).toEqual(root.bytes);
    });
});

describe('drive.json coverage', () => {
  it('every case of drive.json is tested here or listed with its owner', () => {
    expect(claims.unclaimed()).toEqual([]);
    for (const id of Object.keys(NOT_DAG)) expect(ids).toContain(id);
  });
});
