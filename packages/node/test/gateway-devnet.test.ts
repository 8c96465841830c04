/**
 * The permanent-storage loop on a real development network (issue #12): files posted to the
 * node's gateway become DAG nodes in `system.remark` extrinsics, blocks carrying them are archived,
 * the archiver's object mappings reach the index, and the files come back through `/files/{cid}`
 * and `/data/{hash}` read from the archived pieces (after the node's own copy is dropped).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFileSync } from '@autonomys/dag';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import { fetchFile, storeFile } from '../src/gateway/client.js';
import { type DevNetwork, startDevNetwork } from '../src/service/dev.js';

const dir = mkdtempSync(join(tmpdir(), 'autonomys-storage-'));
const filled = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 89 + seed * 13 + (i >> 9)) & 0xff);

describe('storage loop on a dev network', () => {
  let net: DevNetwork | undefined;
  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores files (empty, one chunk, multi-level) and fetches them back from the archive', {
    timeout: 180_000,
  }, async () => {
    net = await startDevNetwork({
      dataDir: join(dir, 'node'),
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 100,
      numChunks: 4,
      sectors: 2,
      piecesInSector: 8,
      slotsPerBlock: 1,
      rpc: { port: 0 },
      kzg: new Kzg(await loadPublicParameters({ g1Count: 256 })),
    });
    const url = net.service.rpc!.url;
    const files = {
      'empty.bin': new Uint8Array(0),
      'one.txt': filled(1000, 1),
      'multi.bin': filled(200_000, 2), // four chunk nodes and a head: several pieces and segments
    };
    const cids: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const { cid } = await storeFile(url, path);
      // Our CIDs are the SDK's: the same bytes and name encode to the same head.
      const head = encodeFileSync(bytes, { name }).at(-1)!;
      expect(cid).toBe((await import('@autonomys/dag')).cidToString(head.cid));
      cids[name] = cid;
    }
    // Wait until every node of every file is mapped and readable from the archived pieces (an
    // object is mapped when the segment it starts in forms; its tail may need later segments).
    const index = net.service.objectIndex!;
    const blocks = Object.entries(files).flatMap(([name, bytes]) => encodeFileSync(bytes, { name }));
    const readable = async (b: (typeof blocks)[number]) => {
      if (index.get(b.hash) === undefined) return false;
      const r = await fetch(`${url}/data/${Buffer.from(b.hash).toString('hex')}`);
      return r.ok && Buffer.from(await r.arrayBuffer()).equals(Buffer.from(b.bytes));
    };
    const t0 = Date.now();
    for (const b of blocks) {
      while (!(await readable(b))) {
        if (Date.now() - t0 > 150_000) throw new Error('objects not archived in time');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    for (const [name, bytes] of Object.entries(files)) {
      const out = join(dir, `${name}.out`);
      const r = await fetchFile(url, cids[name]!, out);
      expect(r.bytes).toBe(bytes.length);
      expect(new Uint8Array(readFileSync(out))).toEqual(bytes);
    }
    // The CLI's `store` and `fetch` against the same node.
    const lines: string[] = [];
    const output = { out: (l: string) => lines.push(l), err: () => {}, isTTY: false };
    await runCli(['node', 'autonomys', 'store', join(dir, 'one.txt'), '--rpc-url', url], output);
    expect(lines.at(-1)).toBe(cids['one.txt']);
    await runCli(
      ['node', 'autonomys', 'fetch', cids['one.txt']!, '-o', join(dir, 'cli.out'), '--rpc-url', url],
      output,
    );
    expect(new Uint8Array(readFileSync(join(dir, 'cli.out')))).toEqual(files['one.txt']);
    const one = encodeFileSync(files['one.txt'], { name: 'one.txt' })[0]!;
    const res = await fetch(`${url}/data/${Buffer.from(one.hash).toString('hex')}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(one.bytes);
    expect((await fetch(`${url}/files/not-a-cid`)).status).toBe(400);
  });
});
