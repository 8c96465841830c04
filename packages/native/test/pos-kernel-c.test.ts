import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const harness = fileURLToPath(new URL('../bench/c/pos-harness.sh', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pos-harness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasCc = await run('cc', ['--version']).then(
  () => true,
  () => false,
);

/** The harness built with extra flags: the digest of every table array and proof mask of `args`. */
async function digests(name: string, flags: string, cases: string[][]): Promise<string[]> {
  const out = join(dir, name);
  const env = { ...process.env, POS_HARNESS_OUT: out, POS_HARNESS_CFLAGS: `-O2 -std=gnu11 -maes ${flags}` };
  // the first case builds the binary; the rest run it
  const first = await run('sh', [harness, 'hash', ...cases[0]!], { env });
  const rest = await Promise.all(cases.slice(1).map((c) => run(out, ['hash', ...c])));
  return [first, ...rest].map(({ stdout }) => /digest=([0-9a-f]{16})/.exec(stdout)?.[1] ?? stdout);
}

// The table kernel's rare paths, which the addon's own builds cannot reach on demand: the sort's
// overflow lists (fn's bucket regions forced to half their mean size, POS_SORT_TIGHT), the AVX2
// pipeline on a processor that would choose AVX-512 (POS_NO_AVX512) and the baseline pipeline
// (POS_NO_AVX2), each against the default build, digests of whole tables and masks.
describe.skipIf(!hasCc)('proof-of-space kernel: rare paths (C harness)', () => {
  const cases = [['12'], ['13', '2'], ['14', '3'], ['14', '4', '2'], ['9'], ['6', '5', '2']];

  it('gives byte-identical tables with overflowing sort regions, without AVX-512 and without AVX2', async () => {
    const [plain, tight, avx2, base] = await Promise.all([
      digests('plain', '', cases),
      digests('tight', '-DPOS_SORT_TIGHT', cases),
      digests('avx2', '-DPOS_NO_AVX512 -DPOS_SORT_TIGHT', cases),
      digests('base', '-DPOS_NO_AVX2 -DPOS_SORT_TIGHT', cases),
    ]);
    for (const d of plain) expect(d).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(plain).size).toBe(cases.length);
    expect(tight).toEqual(plain);
    expect(avx2).toEqual(plain);
    expect(base).toEqual(plain);
  }, 180_000);
});
