import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Archiver, type SegmentCommitter } from '@autonomys/archiver';
import { cidToString, encodeFileSync } from '@autonomys/dag';
import type { GlobalObject } from '@autonomys/primitives';
import { encodeCompact } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockObjects, OBJECT_CALLS } from '../src/gateway/block-objects.js';
import { createGateway } from '../src/gateway/gateway.js';
import { MemoryObjectIndex } from '../src/gateway/object-index.js';

// The small archiving preset (32 chunks per record): a segment holds 127 KiB of blocks.
const params = { numChunks: 32, numRawRecords: 128 };
const filled = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 7 + (i >> 8)) & 0xff);

/** Blocks of `system.remark` extrinsics, one DAG node each, as a chain would carry them. */
function remarkBlock(contents: Uint8Array[]) {
  const header = filled(120, contents.length);
  const parts: Uint8Array[] = [header, encodeCompact(contents.length)];
  const callStarts: number[] = [];
  let at = header.length + encodeCompact(contents.length).length;
  for (const c of contents) {
    const x = new Uint8Array([
      0x04,
      OBJECT_CALLS.system,
      OBJECT_CALLS.remark,
      ...encodeCompact(c.length),
      ...c,
    ]);
    const prefix = encodeCompact(x.length);
    callStarts.push(at + prefix.length + 1);
    parts.push(prefix, x);
    at += prefix.length + x.length;
  }
  const block = new Uint8Array(at);
  let o = 0;
  for (const p of parts) {
    block.set(p, o);
    o += p.length;
  }
  return { block, callStarts };
}

/**
 * Pieces laid out as the archiver's KZG committer lays out source records (31-byte chunks, each
 * behind a zero byte), without commitments, witnesses or parity pieces: the gateway reads only
 * source records, and this keeps the file's set-up to milliseconds (the KZG committer is tested
 * in @autonomys/archiver and, with the gateway, in gateway-devnet and gateway-dsn).
 */
const layoutCommitter: SegmentCommitter = {
  async commit(segment, _segmentIndex, g) {
    const out = new Uint8Array(g.numPieces * g.pieceSize);
    for (let k = 0; k < g.numRawRecords; k++)
      for (let j = 0; j < g.numChunks; j++)
        out.set(
          segment.subarray(k * g.rawRecordSize + j * 31, k * g.rawRecordSize + j * 31 + 31),
          2 * k * g.pieceSize + j * 32 + 1,
        );
    return { pieces: out, segmentCommitment: new Uint8Array(48) };
  },
};

let server: Server;
let base: string;
const pieces = new Map<bigint, Uint8Array>();
const index = new MemoryObjectIndex();
const file = filled(300_000, 3); // five 65 KiB chunks and a head: spans pieces and segments
const blocks = encodeFileSync(file, { name: 'notes.txt' });
const head = blocks[blocks.length - 1]!;
let corrupt = false;
let missing = false;

beforeAll(async () => {
  const archiver = new Archiver({ params, committer: layoutCommitter });
  const archive = async (bytes: Uint8Array, objects: ReturnType<typeof blockObjects>, number: number) => {
    const r = await archiver.addBlock(bytes, objects, { number });
    for (const s of r.segments) {
      const size = s.pieces.length / 256;
      for (let i = 0; i < 256; i++)
        pieces.set(s.header.segmentIndex * 256n + BigInt(i), s.pieces.subarray(i * size, (i + 1) * size));
    }
    index.put(r.objects as GlobalObject[]);
  };
  let number = 0;
  // Two DAG nodes per block, then filler blocks until everything is archived.
  for (let i = 0; i < blocks.length; i += 2) {
    const layout = remarkBlock(blocks.slice(i, i + 2).map((b) => b.bytes));
    await archive(
      layout.block,
      blockObjects(layout, () => -1),
      number++,
    );
  }
  for (let i = 0; i < 4; i++) await archive(filled(100_000, i), [], number++);
  const gateway = createGateway({
    index,
    params,
    getPiece: async (i) => {
      if (missing) return undefined;
      const p = pieces.get(i);
      if (p && corrupt) {
        const bad = p.slice();
        bad[40] = (bad[40] ?? 0) ^ 1;
        return bad;
      }
      return p;
    },
  });
  server = createServer((req, res) => {
    void gateway(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.keepAliveTimeout = 60_000; // no idle-socket race between the test's requests
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('gateway', () => {
  it('indexed every node of the file', () => {
    for (const b of blocks) expect(index.get(b.hash)).toBeDefined();
  });

  it('GET /data/{hash}[+{hash}] answers the objects concatenated, omitting unknown hashes', async () => {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const a = blocks[0]!;
    const b = blocks[1]!;
    const res = await fetch(`${base}/data/${hex(a.hash)}+${'00'.repeat(32)}+${hex(b.hash)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([...a.bytes, ...b.bytes]));
    expect((await fetch(`${base}/data/xyz`)).status).toBe(400);
    expect((await fetch(`${base}/data/${hex(a.hash).toUpperCase()}`)).status).toBe(400);
  });

  it('GET /files/{cid} streams the whole file with its type, and byte ranges', async () => {
    const cid = cidToString(head.cid);
    const res = await fetch(`${base}/files/${cid}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(file);
    const part = await fetch(`${base}/files/${cid}`, { headers: { range: 'bytes=65000-131100' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 65000-131100/${file.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(file.subarray(65000, 131101));
    const tail = await fetch(`${base}/files/${cid}`, { headers: { range: 'bytes=-10' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(file.subarray(file.length - 10));
    expect((await fetch(`${base}/files/${cid}`, { headers: { range: 'bytes=999999999-' } })).status).toBe(
      416,
    );
  });

  it('answers 404 for an unknown CID and 400 for a malformed one', async () => {
    expect((await fetch(`${base}/files/${cidToString(encodeFileSync(filled(10, 99))[0]!.cid)}`)).status).toBe(
      404,
    );
    expect((await fetch(`${base}/files/not-a-cid`)).status).toBe(400);
  });

  it('never serves bytes that fail their hash: a corrupted piece makes the request fail', async () => {
    corrupt = true;
    try {
      const res = await fetch(`${base}/data/${Buffer.from(blocks[0]!.hash).toString('hex')}`);
      expect(res.status).toBe(503);
      const cid = cidToString(head.cid);
      const f = await fetch(`${base}/files/${cid}`).then(
        async (r) => (r.ok ? new Uint8Array(await r.arrayBuffer()) : r.status),
        () => 'aborted',
      );
      expect(f).not.toEqual(file);
      // Corruption is a bad gateway, never "try later".
      expect(f).not.toBe(503);
    } finally {
      corrupt = false;
    }
  });

  it('answers 503 (try later) for a mapped object whose pieces are not available yet', async () => {
    missing = true;
    try {
      const res = await fetch(`${base}/files/${cidToString(head.cid)}`);
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/unavailable/);
    } finally {
      missing = false;
    }
  });
});

describe('POST /nodes', () => {
  it('publishes one well-formed DAG node; refuses garbage (400), oversized bodies (413) and non-publishing nodes (405)', async () => {
    const published: Uint8Array[] = [];
    const recent = new Map<string, Uint8Array>();
    const make = (publish?: (r: { bytes: Uint8Array }) => Promise<void>) =>
      createGateway({
        index: new MemoryObjectIndex(),
        params,
        getPiece: async () => undefined,
        recent,
        ...(publish === undefined ? {} : { publish }),
      });
    const gateways = [
      make(async (r) => {
        published.push(r.bytes);
      }),
      make(),
    ];
    const servers = gateways.map((g) =>
      createServer((req, res) => {
        void g(req, res).then((handled) => {
          if (!handled) res.writeHead(404).end();
        });
      }),
    );
    const urls: string[] = [];
    for (const s of servers) {
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      urls.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
    try {
      const node = encodeFileSync(filled(500, 3), { name: 'n.bin' }).at(-1)!;
      const post = (url: string, body: Uint8Array) =>
        fetch(`${url}/nodes`, { method: 'POST', body: new Blob([new Uint8Array(body)]) });
      const ok = await post(urls[0]!, node.bytes);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ cid: cidToString(node.cid) });
      expect(published).toEqual([node.bytes]);
      expect(recent.get(Buffer.from(node.hash).toString('hex'))).toEqual(node.bytes);
      const garbage = await post(urls[0]!, Uint8Array.from([0xff, 0xff, 0xff, 0x01]));
      expect(garbage.status).toBe(400);
      expect((await garbage.json()).error).toMatch(/^not a DAG node/);
      expect((await post(urls[0]!, new Uint8Array(65_536))).status).toBe(413);
      expect((await post(urls[1]!, node.bytes)).status).toBe(405);
      expect((await fetch(`${urls[0]}/nodes`)).status).toBe(405);
      expect(published).toHaveLength(1); // nothing refused was published
    } finally {
      for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
    }
  });
});
