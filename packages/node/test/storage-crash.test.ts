/**
 * Crash safety: a child process importing blocks into a data directory is killed with SIGKILL at
 * random moments; each restart must open without corruption, keep every block whose import had
 * returned, and continue the chain. Also: a damaged or foreign data directory is detected at open.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thrownCode } from '@autonomys/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, crc32, Journal, NodeError, testChainSpec } from '../src/index.js';

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

  it('a damaged journal (a flipped byte inside a record) is NODE_CORRUPT_DATA at open; a torn tail is dropped', async () => {
    const path = join(dir, 'chain.journal');
    const bytes = readFileSync(path);
    const copy = join(dir, 'copy');
    // Torn tail: a record header promising more bytes than follow.
    writeFileSync(
      join(dir, 'torn.journal'),
      Buffer.concat([bytes, Buffer.from([1, 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 2])]),
    );
    const torn = Journal.open(join(dir, 'torn.journal'), new Set([1, 2]));
    expect(torn.truncatedTail).toBe(11);
    torn.journal.close();
    // Flip a byte in the middle.
    const bad = Buffer.from(bytes);
    bad[Math.floor(bad.length / 2)]! ^= 0x40;
    rmSync(copy, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(copy);
    writeFileSync(join(copy, 'chain.journal'), bad);
    writeFileSync(join(copy, 'genesis'), readFileSync(join(dir, 'genesis')));
    const code = await Chain.open({ spec: testChainSpec(), dataDir: copy }).then(
      async (c) => {
        await c.close();
        return 'opened';
      },
      (e) => (e instanceof NodeError ? e.code : String(e)),
    );
    expect(code).toBe('NODE_CORRUPT_DATA');
  }, 120_000);

  it('a data directory of another chain is NODE_DATA_DIR_MISMATCH; a non-journal file is NODE_CORRUPT_DATA', async () => {
    await expect(
      Chain.open({ spec: testChainSpec({ protocolId: 'x', genesisTimestamp: 5n }), dataDir: dir }),
    ).rejects.toMatchObject({
      code: 'NODE_DATA_DIR_MISMATCH',
    });
    const junk = join(dir, 'junk.journal');
    writeFileSync(junk, 'hello world, not a journal');
    expect(thrownCode(() => Journal.open(junk, new Set([1])), NodeError)).toBe('NODE_CORRUPT_DATA');
    appendFileSync(junk, '');
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
