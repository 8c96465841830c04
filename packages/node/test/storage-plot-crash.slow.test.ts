/**
 * Crash safety while plotting: the real `autonomys dev` process with a data directory is killed
 * with SIGKILL as soon as its first sector is plotted (the next one is being plotted), then started
 * again on the same directory: the finished sectors are kept (not plotted again), the missing ones
 * are plotted, and the chain opens and produces blocks.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const SECTORS = 3;
const args = (dataDir: string) => [
  '--conditions=autonomys-source',
  '--import',
  'tsx',
  'src/cli/main.ts',
  'dev',
  '--fast-pos',
  '--pot-iterations',
  '4096',
  '--slot-ms',
  '100',
  '--num-chunks',
  '4',
  '--slots-per-block',
  '1',
  '--sectors',
  String(SECTORS),
  '--pieces-in-sector',
  '16',
  '--rpc-port',
  '0',
  '--no-slot-log',
  '--data-dir',
  dataDir,
];

/** Runs `dev` until `stop(out)` holds, then sends `signal`; resolves with the output and exit. */
function run(
  dataDir: string,
  stop: (out: string) => boolean,
  signal: NodeJS.Signals,
): Promise<{ out: string; err: string; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, args(dataDir), { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let sent = false;
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!sent && stop(out)) {
      sent = true;
      child.kill(signal);
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve) =>
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ out, err, code, signal: sig });
    }),
  );
}

const plottedIn = (out: string) =>
  [...out.matchAll(/^.*sector (\d+) plotted/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);

describe('kill -9 during plotting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-plot-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restart keeps the finished sectors, plots the rest, and the chain produces blocks', {
    timeout: 240_000,
  }, async () => {
    const first = await run(dir, (out) => /sector 0 plotted/.test(out), 'SIGKILL');
    expect(first.signal, first.err).toBe('SIGKILL');
    const before = plottedIn(first.out);
    expect(before).toContain(0);
    expect(before.length).toBeLessThan(SECTORS); // killed while plotting
    expect(first.out).not.toMatch(/block #1 0x/);

    const second = await run(dir, (out) => /block #2 0x/.test(out), 'SIGINT');
    expect(second.code, second.err).toBe(0);
    expect(second.out).toMatch(/resuming dev chain in /);
    const after = plottedIn(second.out);
    // Finished sectors are not plotted again; every other one is plotted now.
    expect(after.filter((s) => before.includes(s))).toEqual([]);
    expect([...before, ...after].sort((a, b) => a - b)).toEqual([...Array(SECTORS).keys()]);
    expect(second.out).toMatch(/block #2 0x/);
    expect(second.err).not.toMatch(/CORRUPT|Error/);
  });
});
