import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cidFromBlake3Hash,
  cidToBytes,
  cidToString,
  DagError,
  decodeNode,
  decodeNodeData,
  decodePBNode,
  encodeFile,
  encodeFileSync,
  encodeFolder,
  encodeNode,
  encodeNodeData,
  encodePBNode,
  type IPLDNodeData,
  METADATA_TYPES,
  readFile,
  readFileBytes,
  readFolder,
  readNode,
  walk,
} from '../src/index.js';

const small = { maxNodeSize: 569, maxLinkPerNode: 3 }; // 100-byte chunks, 3 links per node

async function collect(it: AsyncIterable<{ cid: string; bytes: Uint8Array }>) {
  const out = [];
  for await (const b of it) out.push(b);
  return out;
}

/** Splits bytes at the given cut points (sorted, deduplicated, within range). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('encodeFile', () => {
  it('CIDs are identical whether fed whole or in random chunkings (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2500 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.boolean(),
        async (bytes, cuts, compress) => {
          const opts = { ...small, name: 'x', ...(compress ? { compression: true } : {}) };
          const whole = encodeFileSync(bytes, opts).map((b) => b.cid);
          const pieces = await collect(encodeFile(split(bytes, cuts), opts));
          expect(pieces.map((b) => b.cid)).toEqual(whole);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round trips file → nodes → file, with and without compression (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (bytes, compress) => {
        const blocks = await collect(
          encodeFile([bytes], { ...small, ...(compress ? { compression: true } : {}) }),
        );
        const store = new Map(blocks.map((b) => [b.cid, b.bytes]));
        expect(await readFileBytes(store, blocks.at(-1)!.cid)).toEqual(bytes);
      }),
      { numRuns: 40 },
    );
  });

  it('round trips a multi-level file at default limits (2 MB, depth 1) and streams leaves in order', async () => {
    const bytes = new Uint8Array(2_000_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    const blocks = await collect(encodeFile(bytes, { name: 'big.bin' }));
    const head = blocks.at(-1)!;
    expect(blocks).toHaveLength(Math.ceil(2_000_000 / 65066) + 1);
    const store = new Map(blocks.map((b) => [b.cid, b.bytes]));
    // Buffer.equals: vitest's deep equality is slow on megabytes.
    expect(Buffer.from(await readFileBytes(store, head.cid)).equals(bytes)).toBe(true);
    const nodes = await collect(walk(store, head.cid));
    expect(nodes).toHaveLength(blocks.length);
  });

  it('every block is emitted before any block linking it; the head is last', async () => {
    const blocks = await collect(
      encodeFile(
        new Uint8Array(3000).fill(1).map((_, i) => i),
        small,
      ),
    );
    const seen = new Set<string>();
    for (const b of blocks) {
      for (const l of decodeNode(b.bytes).links) expect(seen.has(l)).toBe(true);
      seen.add(b.cid);
    }
  });

  it('does not mutate its input', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i);
    const copy = bytes.slice();
    await collect(encodeFile(bytes, { ...small, compression: true }));
    encodeFileSync(bytes, small);
    expect(bytes).toEqual(copy);
  });

  it('accepts a Blob and an async iterable', async () => {
    const bytes = new TextEncoder().encode('hello world');
    const expected = encodeFileSync(bytes).at(-1)!.cid;
    expect((await collect(encodeFile(new Blob([bytes])))).at(-1)!.cid).toBe(expected);
    async function* gen() {
      yield bytes.subarray(0, 3);
      yield bytes.subarray(3);
    }
    expect((await collect(encodeFile(gen()))).at(-1)!.cid).toBe(expected);
  });

  it('typed errors for bad names, limits, options and aborts', async () => {
    expect(thrownCode(() => encodeFileSync(new Uint8Array(1), { name: 'x'.repeat(256) }), DagError)).toBe(
      'DAG_NAME_TOO_LONG',
    );
    expect(thrownCode(() => encodeFileSync(new Uint8Array(1), { maxNodeSize: 469 }), DagError)).toBe(
      'DAG_INVALID_ARGUMENT',
    );
    expect(
      thrownCode(
        () => encodeFileSync(new Uint8Array(1), { compression: { algorithm: 'GZIP' as 'ZLIB' } }),
        DagError,
      ),
    ).toBe('DAG_UNSUPPORTED_OPTION');
    // 255 three-byte characters: the single-node head exceeds 65535 bytes, as in the SDK.
    expect(thrownCode(() => encodeFileSync(new Uint8Array(65066), { name: '€'.repeat(255) }), DagError)).toBe(
      'DAG_NODE_TOO_LARGE',
    );
    // Too many links for the node size.
    expect(
      thrownCode(
        () =>
          encodeFolder(Array(20).fill(cidFromBlake3Hash(new Uint8Array(32))), {
            name: 'd',
            size: 0n,
            maxNodeSize: 600,
            maxLinkPerNode: 20,
          }),
        DagError,
      ),
    ).toBe('DAG_NODE_TOO_LARGE');
    const ac = new AbortController();
    ac.abort();
    await expect(collect(encodeFile(new Uint8Array(10), { signal: ac.signal }))).rejects.toThrow();
    await expect(collect(encodeFile([1 as unknown as Uint8Array]))).rejects.toBeInstanceOf(DagError);
  });
});

describe('CIDs', () => {
  it('round trip through string, bytes and objects with bytes', () =>
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (h) => {
        const s = cidFromBlake3Hash(h);
        expect(s.startsWith('bafkr6i')).toBe(true);
        expect(cidToString(cidToBytes(s))).toBe(s);
        expect(cidToString({ bytes: cidToBytes(s) })).toBe(s);
      }),
    ));

  it('reject other versions, codecs, hash functions and malformed text with typed errors', () => {
    const h = new Uint8Array(32);
    const cid = (prefix: number[]) => Uint8Array.from([...prefix, ...h]);
    const code = (c: string | Uint8Array) => thrownCode(() => cidToBytes(c), DagError);
    expect(code(cid([1, 0x70, 0x1f, 32]))).toBe('DAG_UNSUPPORTED_CID'); // dag-pb codec
    expect(code(cid([1, 0x55, 0x1e, 32]))).toBe('DAG_UNSUPPORTED_CID'); // multicodec's blake3
    expect(code(cid([1, 0x55, 0x12, 32]))).toBe('DAG_UNSUPPORTED_CID'); // sha2-256
    expect(code(cid([0x12, 32]))).toBe('DAG_UNSUPPORTED_CID'); // CIDv0
    expect(code('QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG')).toBe('DAG_UNSUPPORTED_CID');
    expect(code('zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA')).toBe('DAG_UNSUPPORTED_CID');
    expect(code(cid([1, 0x55, 0x1f, 31]))).toBe('DAG_INVALID_CID');
    expect(code('bafkr6i!')).toBe('DAG_INVALID_CID');
    expect(code('')).toBe('DAG_INVALID_CID');
    expect(code(`${cidFromBlake3Hash(h)}a`)).toBe('DAG_INVALID_CID');
  });

  it('random strings and bytes only ever throw DagError', () =>
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 40 })), (x) => {
        try {
          cidToBytes(x);
        } catch (e) {
          expect(e).toBeInstanceOf(DagError);
        }
      }),
    ));
});

describe('node codec', () => {
  const nodeData = fc.record(
    {
      type: fc.constantFrom(...METADATA_TYPES),
      linkDepth: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      size: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
      name: fc.string({ maxLength: 30 }),
      data: fc.uint8Array({ maxLength: 64 }),
      uploadOptions: fc.record(
        {
          compression: fc.record(
            {
              algorithm: fc.constant('ZLIB' as const),
              level: fc.integer({ min: -5, max: 9 }),
              chunkSize: fc.nat(),
            },
            { requiredKeys: ['algorithm'] },
          ),
          encryption: fc.record(
            { algorithm: fc.constant('AES_256_GCM' as const), chunkSize: fc.nat() },
            { requiredKeys: ['algorithm'] },
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['type', 'linkDepth'] },
  ) as fc.Arbitrary<IPLDNodeData>;

  it('encodeNode / decodeNode round trip (fast-check)', () =>
    fc.assert(
      fc.property(
        nodeData,
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 4 }),
        (d, hs) => {
          const links = hs.map((h) => cidToBytes(cidFromBlake3Hash(h)));
          const bytes = encodeNode(d, links);
          const n = decodeNode(bytes);
          expect(n.data).toEqual({ ...d, ...(d.data ? { data: d.data } : {}) });
          expect(n.links).toEqual(hs.map(cidFromBlake3Hash));
          expect(encodeNode(n.data, links)).toEqual(bytes);
          expect(encodeNodeData(decodeNodeData(encodeNodeData(d)))).toEqual(encodeNodeData(d));
        },
      ),
    ));

  it('dag-pb links with names and sizes round trip', () => {
    const pb = {
      links: [{ hash: Uint8Array.of(1, 2), name: 'n', tsize: 300 }, { hash: Uint8Array.of(3) }],
      data: Uint8Array.of(9),
    };
    expect(decodePBNode(encodePBNode(pb))).toEqual(pb);
  });

  it('fuzz: random bytes and mutated nodes only ever throw DagError', () => {
    const valid = encodeFileSync(new TextEncoder().encode('hello world'), { name: 't' }).at(-1)!.bytes;
    const check = (b: Uint8Array) => {
      try {
        decodeNode(b);
        decodePBNode(b);
        decodeNodeData(b);
      } catch (e) {
        if (!(e instanceof DagError)) throw e;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.nat(), fc.nat(255), fc.nat(), (i, v, cut) => {
        const b = valid.slice(0, 1 + (cut % valid.length));
        b[i % b.length] = v;
        check(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects non-canonical dag-pb with DAG_MALFORMED_NODE', () => {
    const code = (hex: string) => thrownCode(() => decodePBNode(Buffer.from(hex, 'hex')), DagError);
    expect(code('0a00' + '1200')).toBe('DAG_MALFORMED_NODE'); // a link after Data
    expect(code('0a000a00')).toBe('DAG_MALFORMED_NODE'); // Data twice
    expect(code('1a00')).toBe('DAG_MALFORMED_NODE'); // unknown field
    expect(code('0a8000')).toBe('DAG_MALFORMED_NODE'); // non-minimal varint
    expect(code('0a05')).toBe('DAG_MALFORMED_NODE'); // truncated
    expect(code('1200')).toBe('DAG_MALFORMED_NODE'); // link without Hash
    expect(thrownCode(() => decodeNode(Buffer.from('1200', 'hex')), DagError)).toBe('DAG_MALFORMED_NODE');
    expect(thrownCode(() => decodeNode(Uint8Array.of()), DagError)).toBe('DAG_MALFORMED_NODE'); // no Data
  });
});

describe('readers', () => {
  const text = new TextEncoder().encode('x'.repeat(1000));
  const blocks = encodeFileSync(text, small);
  const head = blocks.at(-1)!;
  const store = () => new Map(blocks.map((b) => [b.cid, b.bytes]));

  it('re-hash every node: a tampered node is DAG_HASH_MISMATCH', async () => {
    const s = store();
    const leaf = blocks[0]!;
    const bad = leaf.bytes.slice();
    bad[bad.length - 1]! ^= 1;
    s.set(leaf.cid, bad);
    await expect(readFileBytes(s, head.cid)).rejects.toMatchObject({ code: 'DAG_HASH_MISMATCH' });
  });

  it('missing nodes, wrong head types, limits', async () => {
    const s = store();
    s.delete(blocks[0]!.cid);
    await expect(readFileBytes(s, head.cid)).rejects.toMatchObject({ code: 'DAG_MISSING_NODE' });
    await expect(readFileBytes(store(), blocks[0]!.cid)).rejects.toMatchObject({
      code: 'DAG_UNEXPECTED_NODE_TYPE',
    });
    await expect(readFolder(store(), head.cid)).rejects.toMatchObject({ code: 'DAG_UNEXPECTED_NODE_TYPE' });
    await expect(readFileBytes(store(), head.cid, { maxDepth: 2 })).rejects.toMatchObject({
      code: 'DAG_LIMIT_EXCEEDED',
    });
    await expect(readFileBytes(store(), head.cid, { maxLinkPerNode: 2 })).rejects.toMatchObject({
      code: 'DAG_LIMIT_EXCEEDED',
    });
    await expect(readFileBytes(store(), head.cid, { maxSize: 999 })).rejects.toMatchObject({
      code: 'DAG_LIMIT_EXCEEDED',
    });
    await expect(readFileBytes(store(), head.cid, { maxNodeSize: 100 })).rejects.toMatchObject({
      code: 'DAG_NODE_TOO_LARGE',
    });
  });

  it('links that do not go down a level are DAG_LINK_CYCLE; misplaced node types are typed', async () => {
    // A File root (linkDepth 1) linking another File root (depth 1) would let links loop.
    const inner = encodeFileSync(text, small).at(-1)!;
    const leaf = encodeNode({ type: 'FileChunk', linkDepth: 0, size: 1n, data: Uint8Array.of(1) });
    const leafBlock = {
      cid: cidFromBlake3Hash((await import('@autonomys/primitives')).blake3(leaf)),
      bytes: leaf,
    };
    const inlink = encodeNode({ type: 'FileInlink', linkDepth: 1, size: 1n }, [cidToBytes(leafBlock.cid)]);
    const inlinkCid = cidFromBlake3Hash((await import('@autonomys/primitives')).blake3(inlink));
    const loopy = encodeNode({ type: 'File', linkDepth: 1, size: 1n, uploadOptions: {} }, [
      cidToBytes(inlinkCid),
    ]);
    const loopyCid = cidFromBlake3Hash((await import('@autonomys/primitives')).blake3(loopy));
    const s = store();
    s.set(leafBlock.cid, leaf);
    s.set(inlinkCid, inlink);
    s.set(loopyCid, loopy);
    await expect(readFileBytes(s, loopyCid)).rejects.toMatchObject({ code: 'DAG_LINK_CYCLE' });
    const wrong = encodeNode({ type: 'File', linkDepth: 1, uploadOptions: {} }, [cidToBytes(inner.cid)]);
    const wrongCid = cidFromBlake3Hash((await import('@autonomys/primitives')).blake3(wrong));
    s.set(wrongCid, wrong);
    await expect(readFileBytes(s, wrongCid)).rejects.toMatchObject({ code: 'DAG_UNEXPECTED_NODE_TYPE' });
  });

  it('encrypted heads need raw; corrupt zlib is DAG_DECOMPRESSION_FAILED', async () => {
    const enc = encodeNode({
      type: 'File',
      linkDepth: 0,
      size: 3n,
      data: Uint8Array.of(1, 2, 3),
      uploadOptions: { encryption: { algorithm: 'AES_256_GCM' } },
    });
    const z = encodeNode({
      type: 'File',
      linkDepth: 0,
      size: 3n,
      data: Uint8Array.of(1, 2, 3),
      uploadOptions: { compression: { algorithm: 'ZLIB', level: 9 } },
    });
    const { blake3 } = await import('@autonomys/primitives');
    const s = new Map([
      [cidFromBlake3Hash(blake3(enc)), enc],
      [cidFromBlake3Hash(blake3(z)), z],
    ]);
    await expect(readFileBytes(s, cidFromBlake3Hash(blake3(enc)))).rejects.toMatchObject({
      code: 'DAG_UNSUPPORTED_OPTION',
    });
    expect(await readFileBytes(s, cidFromBlake3Hash(blake3(enc)), { raw: true })).toEqual(
      Uint8Array.of(1, 2, 3),
    );
    await expect(readFileBytes(s, cidFromBlake3Hash(blake3(z)))).rejects.toMatchObject({
      code: 'DAG_DECOMPRESSION_FAILED',
    });
  });

  it('readNode, walk and readFile accept an async source', async () => {
    const s = store();
    const source = { get: async (cid: string) => s.get(cid) };
    expect((await readNode(source, head.cid)).data.type).toBe('File');
    const parts = [];
    for await (const p of readFile(source, head.cid, { concurrency: 1 })) parts.push(p);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(text));
  });
});
