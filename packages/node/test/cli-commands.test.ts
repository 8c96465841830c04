/**
 * The `autonomys` CLI in-process: `--help` on every command, `dev` until a block count, and the
 * split roles (`node --no-timekeeper`, `timekeeper`, `farm`) each as its own command talking
 * JSON-RPC, then `verify-block` and `status` against the running node.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/cli/display.js';
import { createProgram } from '../src/cli/index.js';
import { rpcHttpCall } from '../src/rpc/client.js';

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), isTTY: false };
}

function exitOverride(c: Command): void {
  c.exitOverride();
  for (const sub of c.commands) exitOverride(sub);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const small = [
  '--fast-pos',
  '--pot-iterations',
  '4096',
  '--slot-ms',
  '100',
  '--num-chunks',
  '4',
  '--slots-per-block',
  '1',
];

describe('autonomys CLI', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('has --help on every command', async () => {
    const names = ['dev', 'node', 'farm', 'timekeeper', 'verify-block', 'status'];
    for (const args of [[], ...names.map((n) => [n])]) {
      const o = capture();
      const program = createProgram(o);
      exitOverride(program);
      await expect(program.parseAsync(['node', 'autonomys', ...args, '--help'])).rejects.toMatchObject({
        code: 'commander.helpDisplayed',
      });
      const text = o.lines.join('\n');
      expect(text).toContain('Usage: autonomys');
      if (args.length === 0) for (const n of names) expect(text).toContain(n);
    }
    const o = capture();
    const program = createProgram(o);
    exitOverride(program);
    await expect(program.parseAsync(['node', 'autonomys', 'dev', '--sectors', 'x'])).rejects.toMatchObject({
      code: 'commander.invalidArgument',
    });
  });

  it('dev (the real process) logs blocks and shuts down cleanly on SIGINT', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=autonomys-source',
        '--import',
        'tsx',
        'src/cli/main.ts',
        'dev',
        ...small,
        '--rpc-port',
        '0',
        '--no-slot-log',
      ],
      { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => /block #2 0x/.test(out) || child.exitCode !== null, 110_000);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toMatch(/new dev chain in .* \(temporary\)/);
    expect(out).toContain('sector 0 plotted');
    expect(out).toMatch(/^stopped at block #\d+$/m);
    expect(out).not.toMatch(/slot \d+$/m); // --no-slot-log
    expect(err).toContain('SIGINT: shutting down');
  });

  it('node --no-timekeeper, timekeeper and farm run as separate roles; verify-block and status inspect', {
    timeout: 180_000,
  }, async () => {
    const nodeDir = mkdtempSync(join(tmpdir(), 'autonomys-cli-node-'));
    const farmDir = mkdtempSync(join(tmpdir(), 'autonomys-cli-farm-'));
    dirs.push(nodeDir, farmDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const stops = { node: new AbortController(), tk: new AbortController(), farm: new AbortController() };
    const outs = { node: capture(), tk: capture(), farm: capture() };
    const node = createProgram(outs.node, stops.node.signal).parseAsync([
      'node',
      'autonomys',
      'node',
      ...small,
      '--data-dir',
      nodeDir,
      '--no-timekeeper',
      '--rpc-port',
      String(port),
    ]);
    await until(
      async () => (await rpcHttpCall(url, 'system_health').catch(() => undefined)) !== undefined,
      90_000,
    );
    const tk = createProgram(outs.tk, stops.tk.signal).parseAsync([
      'node',
      'autonomys',
      'timekeeper',
      '--rpc-url',
      url,
      '--slot-ms',
      '100',
    ]);
    const farm = createProgram(outs.farm, stops.farm.signal).parseAsync([
      'node',
      'autonomys',
      'farm',
      '--rpc-url',
      url,
      '--data-dir',
      farmDir,
      '--sectors',
      '2',
      '--pieces-in-sector',
      '8',
    ]);
    const best = async () =>
      (await rpcHttpCall<{ best: { number: number } }>(url, 'autonomys_nodeStatus')).best.number;
    await until(async () => (await best()) >= 3, 90_000);

    const v = capture();
    await createProgram(v).parseAsync(['node', 'autonomys', 'verify-block', '2', '--rpc-url', url]);
    expect(v.lines.join('\n')).toMatch(/ok {3}seal/);
    expect(v.lines.at(-1)).toBe('valid');
    const s = capture();
    await createProgram(s).parseAsync(['node', 'autonomys', 'status', '--rpc-url', url]);
    expect(JSON.parse(s.lines[0]!).roles).toEqual({ timekeeper: false, farmer: false, author: true });

    stops.farm.abort();
    await farm;
    stops.tk.abort();
    await tk;
    stops.node.abort();
    await node;
    expect(outs.farm.lines.join('\n')).toMatch(/signed block 0x/);
    expect(outs.tk.lines.join('\n')).toMatch(/slot \d+ proved and accepted/);
    expect(outs.node.lines.at(-1)).toMatch(/^stopped at block #\d+$/);
  });
});
