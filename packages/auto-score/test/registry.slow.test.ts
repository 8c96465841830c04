// A real crash: a child process binds nullifiers in a loop and is killed with SIGKILL; the file
// must reopen, and every binding the child reported as done must be there. Slow (spawns tsx).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { FileNullifierRegistry } from '../src/node.js';

describe('file registry under SIGKILL', () => {
  it('keeps every acknowledged binding and reopens cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auto-score-crash-'));
    const path = join(dir, 'n.log');
    const script = join(dir, 'child.mts');
    const source = join(import.meta.dirname, '..', 'src', 'node.ts');
    writeFileSync(
      script,
      `import { FileNullifierRegistry } from ${JSON.stringify(source)};
const reg = FileNullifierRegistry.open(${JSON.stringify(path)});
const id = new Uint8Array(32).fill(7);
for (;;) {
  const n = crypto.getRandomValues(new Uint8Array(32));
  await reg.bind([n], id);
  process.stdout.write(Buffer.from(n).toString('hex') + '\\n');
}
`,
    );
    const child = spawn(process.execPath, ['--conditions', 'autonomys-source', '--import', 'tsx', script], {
      cwd: join(import.meta.dirname, '..'),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.split('\n').length > 200) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const signal = await new Promise((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(err).toBe('');
    expect(signal).toBe('SIGKILL');
    const acknowledged = out.split('\n').filter((l) => l.length === 64);
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    const reg = FileNullifierRegistry.open(path);
    expect(reg.size).toBeGreaterThanOrEqual(acknowledged.length);
    for (const h of acknowledged) expect(reg.lookup(hexToBytes(h))).toEqual(new Uint8Array(32).fill(7));
    reg.close();
  }, 120_000);
});
