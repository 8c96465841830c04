/**
 * The permanent-storage loop on a real development network (issue #12): files posted to the
 * node's gateway become DAG nodes in `system.remark` extrinsics, blocks carrying them are archived,
 * the archiver's object mappings reach the index, and the files come back through `/files/{cid}`
 * and `/data/{hash}` read from the archived pieces (after the node's own copy is dropped).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { didFromAutoId } from '@autonomys/auto-id';
import { blake3HashFromCid, cidToString, encodeFileSync, encodeFolder } from '@autonomys/dag';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { blake3 } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/index.js';
import {
  fetchFile,
  fetchProvenance,
  loadIdentity,
  signAndPublish,
  storeFile,
} from '../src/gateway/client.js';
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
      'multi.bin': filled(70_000, 2), // two chunk nodes under a head: several pieces and segments
    };
    const lines: string[] = [];
    const output = {
      out: (l: string) => lines.push(l),
      err: (l: string) => {
        if (l.startsWith('error')) throw new Error(l);
      },
      isTTY: false,
    };
    const cli = (...args: string[]) => runCli(['node', 'autonomys', ...args], output);
    // An Auto ID from `autonomys id`, registered in a local registry file.
    await cli('id', 'create', 'Alice', '-o', join(dir, 'alice'));
    await cli('id', 'register', join(dir, 'alice.cert.pem'), '-r', join(dir, 'registry.json'));
    await cli('id', 'create', 'Mallory', '-o', join(dir, 'mallory'));
    const cids: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      if (name === 'one.txt') {
        // The CLI's `store --sign`: the file, then a provenance record over its root CID.
        await cli('store', path, '--rpc-url', url, '--sign', '--identity', join(dir, 'alice'));
        cids[name] = lines.at(-1)!;
      } else cids[name] = (await storeFile(url, path)).cid;
      // Our CIDs are the SDK's: the same bytes and name encode to the same head.
      const head = encodeFileSync(bytes, { name }).at(-1)!;
      expect(cids[name]).toBe(cidToString(head.cid));
    }
    // A folder (`autonomys store DIR`): each file, then the folder nodes encoded on the client.
    const folder = join(dir, 'album');
    mkdirSync(join(folder, 'inner'), { recursive: true });
    const folderFiles = { 'a.txt': filled(300, 3), 'b.bin': filled(5000, 4) };
    for (const [name, bytes] of Object.entries(folderFiles)) writeFileSync(join(folder, name), bytes);
    writeFileSync(join(folder, 'inner', 'c.txt'), filled(40, 5));
    await cli('store', folder, '--rpc-url', url);
    const folderCid = lines.at(-1)!;
    const innerBlocks = [
      ...encodeFileSync(filled(40, 5), { name: 'c.txt' }),
      ...encodeFolder([encodeFileSync(filled(40, 5), { name: 'c.txt' }).at(-1)!.cid], {
        name: 'inner',
        size: 40n,
      }),
    ];
    const folderBlocks = [
      ...Object.entries(folderFiles).flatMap(([name, bytes]) => encodeFileSync(bytes, { name })),
      ...innerBlocks,
    ];
    folderBlocks.push(
      ...encodeFolder(
        [
          encodeFileSync(folderFiles['a.txt'], { name: 'a.txt' }).at(-1)!.cid,
          encodeFileSync(folderFiles['b.bin'], { name: 'b.bin' }).at(-1)!.cid,
          innerBlocks.at(-1)!.cid,
        ],
        { name: 'album', size: 5340n },
      ),
    );
    expect(folderCid).toBe(cidToString(folderBlocks.at(-1)!.cid));
    // A forged record: Alice's signature over multi.bin's CID carried with Mallory's certificate.
    const alice = await loadIdentity(join(dir, 'alice'));
    const mallory = await loadIdentity(join(dir, 'mallory'));
    const forged = await signAndPublish(url, cids['multi.bin']!, {
      ...alice,
      certificates: mallory.certificates,
    });
    const provenanceHashes = [forged.hash];
    // Filler after the last object: a segment forms soon after it instead of after dozens of
    // empty blocks (an object is mapped once the segment it starts in forms).
    const filler = join(dir, 'filler.bin');
    writeFileSync(filler, filled(2 * 4 * 31 * 128, 9));
    await storeFile(url, filler);
    const index = net.service.objectIndex!;
    // Before archiving, the publishing node serves its fresh record.
    const early = await fetchProvenance(url, cids['one.txt']!);
    expect(early.map((r) => r.verified)).toEqual([true]);
    provenanceHashes.push(
      ...(await (await fetch(`${url}/provenance/${cids['one.txt']}`)).json()).records.map(
        (r: { hash: string }) => r.hash,
      ),
    );
    // Wait until every node of every file is mapped and readable from the archived pieces (an
    // object is mapped when the segment it starts in forms; its tail may need later segments).
    const blocks = [
      ...Object.entries(files).flatMap(([name, bytes]) => encodeFileSync(bytes, { name })),
      ...folderBlocks,
    ];
    const readable = async (b: (typeof blocks)[number]) => {
      if (index.get(b.hash) === undefined) return false;
      // A reused idle keep-alive socket may be reset under load: poll again.
      const r = await fetch(`${url}/data/${Buffer.from(b.hash).toString('hex')}`).catch(() => undefined);
      return r?.ok === true && Buffer.from(await r.arrayBuffer()).equals(Buffer.from(b.bytes));
    };
    const t0 = Date.now();
    for (const b of blocks) {
      while (!(await readable(b))) {
        if (Date.now() - t0 > 150_000)
          throw new Error(
            `objects not archived in time (head ${net.chain.head().number}, segment ${net.chain.lastSegmentIndex()}, ${index.size} mapped)`,
          );
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    // The provenance remarks are archived objects too, indexed by CID once archived.
    for (const [h, cid] of [
      [provenanceHashes[0]!, cids['multi.bin']!],
      [provenanceHashes[1]!, cids['one.txt']!],
    ] as const) {
      while (!index.provenanceOf(blake3HashFromCid(cid)).some((x) => Buffer.from(x).toString('hex') === h)) {
        if (Date.now() - t0 > 150_000) throw new Error('provenance not archived in time');
        await new Promise((r) => setTimeout(r, 250));
      }
      const r = await fetch(`${url}/data/${h}`);
      expect(Buffer.from(blake3(new Uint8Array(await r.arrayBuffer()))).toString('hex')).toBe(h);
    }
    for (const [name, bytes] of Object.entries(files)) {
      const out = join(dir, `${name}.out`);
      const r = await fetchFile(url, cids[name]!, out);
      expect(r.bytes).toBe(bytes.length);
      expect(new Uint8Array(readFileSync(out))).toEqual(bytes);
    }
    // The folder comes back as a directory with the same files.
    await cli('fetch', folderCid, '-o', join(dir, 'album.out'), '--rpc-url', url);
    for (const [name, bytes] of Object.entries(folderFiles))
      expect(new Uint8Array(readFileSync(join(dir, 'album.out', name)))).toEqual(bytes);
    expect(new Uint8Array(readFileSync(join(dir, 'album.out', 'inner', 'c.txt')))).toEqual(filled(40, 5));
    // The CLI's `fetch` reports who signed, verified on the client (registry, then self-certified).
    const fetched = lines.length;
    await cli(
      'fetch',
      cids['one.txt']!,
      '-o',
      join(dir, 'cli.out'),
      '--rpc-url',
      url,
      '-r',
      join(dir, 'registry.json'),
    );
    expect(new Uint8Array(readFileSync(join(dir, 'cli.out')))).toEqual(files['one.txt']);
    const aliceDid = didFromAutoId(alice.id);
    expect(lines.slice(fetched)).toEqual([
      `${join(dir, 'cli.out')}: 1000 bytes (text/plain; charset=utf-8)`,
      expect.stringMatching(
        new RegExp(
          `^provenance: signed by ${aliceDid} \\("Alice"\\), Ed25519 key [0-9a-f]{32} at .*: verified \\(registry chain checked\\)$`,
        ),
      ),
    ]);
    const reports = await fetchProvenance(url, cids['one.txt']!);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      signer: aliceDid,
      subject: 'Alice',
      selfCertified: true,
      verified: true,
    });
    // The forged record is served (the node is not trusted) and fails on the client.
    await cli('fetch', cids['multi.bin']!, '-o', join(dir, 'multi.out'), '--rpc-url', url);
    expect(lines.at(-1)).toMatch(
      /^provenance: signed by did:autoid:.*: NOT verified: self-certified check: .*Auto ID/,
    );
    await cli('fetch', cids['empty.bin']!, '-o', join(dir, 'empty.out'), '--rpc-url', url);
    expect(lines.at(-1)).toBe('provenance: no signed records');
    expect((await fetch(`${url}/provenance/not-a-cid`)).status).toBe(400);
    const one = encodeFileSync(files['one.txt'], { name: 'one.txt' })[0]!;
    const res = await fetch(`${url}/data/${Buffer.from(one.hash).toString('hex')}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(one.bytes);
    expect((await fetch(`${url}/files/not-a-cid`)).status).toBe(400);
  });
});
