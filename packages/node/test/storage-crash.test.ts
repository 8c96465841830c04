/**
 * Crash safety: a child process importing blocks into a data directory is killed with SIGKILL at
 * random moments; each restart must open without corruption, keep every block whose import had
 * returned, and continue the chain. Also: a damaged or foreign data directory is detected (LMDB
 * store: values checksummed, meta pages checked before LMDB sees the file).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, ChainStore, crc32, NodeError, STORE_FILE, testChainSpec } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'autonomys-node-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = new URL('../../..', import.meta.url).pathname;
const child = new URL('./helpers/crash-child.ts', import.meta.url).pathname;

/** Runs the child until it has imported `blocks` more blocks, then kills it after `delayMs`. */
function runAndKill(blocks: number, delayMs: number): Promise<{ last: number; hashes: Map<number, string> }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--conditions', 'autonomys-source', '--import', 'tsx', child, dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let start: number | undefined;
    const hashes = new Map<number, string>();
    let last = -1;
    let killing = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const l of lines) {
        const [kind, n, h] = l.split(' ');
        if (kind === 'open') start = Number(n);
        if (kind === 'imported') {
          last = Number(n);
          hashes.set(last, h!);
        }
      }
      if (!killing && start !== undefined && last >= start + blocks) {
        killing = true;
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ last, hashes });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('kill -9 during block import', () => {
  it('restarts recover every returned import and continue', async () => {
    const seen = new Map<number, string>();
    for (const delay of [0, 37]) {
      const { last, hashes } = await runAndKill(3, delay);
      for (const [n, h] of hashes) seen.set(n, h);
      const chain = await Chain.open({ spec: testChainSpec(), dataDir: dir });
      try {
        expect(chain.head().number).toBeGreaterThanOrEqual(last);
        // Blocks reported imported are still there, on the best chain, with the same hashes.
        for (const [n, h] of seen)
          if (n <= chain.head().number)
            expect(Buffer.from(chain.getBlockInfo(n)!.hash).toString('hex')).toBe(h);
        expect(chain.getSegmentHeader(0n)).toBeDefined();
      } finally {
        await chain.close();
      }
    }
  }, 300_000);

  it('a flipped byte in a stored block is NODE_CORRUPT_DATA at open; in a stored piece, at its read', async () => {
    const chain = await Chain.open({ spec: testChainSpec(), dataDir: dir });
    const block = (await chain.getBlockBytes(2))!;
    const piece = (await chain.getPiece(5n))!;
    await chain.close();
    const file = readFileSync(join(dir, STORE_FILE));
    /** A copy of the data directory with the middle byte of every copy of `value` flipped. */
    const damaged = (name: string, value: Uint8Array): string => {
      const copy = join(dir, name);
      mkdirSync(copy, { recursive: true });
      const bad = Buffer.from(file);
      let flipped = 0;
      // LMDB's copy-on-write leaves stale copies of pages in free space: flip every copy.
      for (let at = bad.indexOf(value); at >= 0; at = bad.indexOf(value, at + 1)) {
        bad[at + (value.length >> 1)]! ^= 0x40;
        flipped++;
      }
      expect(flipped).toBeGreaterThan(0);
      writeFileSync(join(copy, STORE_FILE), bad);
      return copy;
    };
    const openCode = (d: string) =>
      Chain.open({ spec: testChainSpec(), dataDir: d }).then(
        async (c) => {
          await c.close();
          return 'opened';
        },
        (e) => (e instanceof NodeError ? e.code : String(e)),
      );
    expect(await openCode(damaged('bad-block', block))).toBe('NODE_CORRUPT_DATA');
    const c = await Chain.open({ spec: testChainSpec(), dataDir: damaged('bad-piece', piece) });
    try {
      await expect(c.getPiece(5n)).rejects.toMatchObject({ code: 'NODE_CORRUPT_DATA' });
      expect(await c.getPiece(6n)).toBeDefined();
    } finally {
      await c.close();
    }
  }, 120_000);

  it("another chain's directory, an earlier version's journal directory, a file that is not LMDB: refused at open", async () => {
    await expect(
      Chain.open({ spec: testChainSpec({ protocolId: 'x', genesisTimestamp: 5n }), dataDir: dir }),
    ).rejects.toMatchObject({
      code: 'NODE_DATA_DIR_MISMATCH',
    });
    const old = join(dir, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'chain.journal'), 'ATNYJRN1');
    await expect(Chain.open({ spec: testChainSpec(), dataDir: old })).rejects.toMatchObject({
      code: 'NODE_DATA_DIR_MISMATCH',
    });
    const junk = join(dir, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, STORE_FILE), 'hello world, not a database');
    await expect(Chain.open({ spec: testChainSpec(), dataDir: junk })).rejects.toMatchObject({
      code: 'NODE_CORRUPT_DATA',
    });
    writeFileSync(join(junk, STORE_FILE), randomBytes(20_000));
    await expect(ChainStore.open(join(junk, STORE_FILE))).rejects.toMatchObject({
      code: 'NODE_CORRUPT_DATA',
    });
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
