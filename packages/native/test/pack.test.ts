import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPosTables, posTables } from '../src/index.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'native-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const has = (cmd: string) =>
  run(cmd, ['--version']).then(
    () => true,
    () => false,
  );
// Needs the built dist (the test command builds first), a C compiler and npm; and the addon here, to
// compare against.
const ready =
  existsSync(join(root, 'dist/index.js')) && hasPosTables && (await has('cc')) && (await has('npm'));

/** The environment of a plain `npm install`: none of the npm_* variables the workspace's pnpm set. */
const plainEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_'))),
  AUTONOMYS_NATIVE_REQUIRED: '1',
});

/** SHA-256 over every array of the K = 12 tables of seed 3..3, here and (as source) in the installed copy. */
function digest(build: typeof posTables, hash: typeof createHash): string {
  const t = build(new Uint8Array(32).fill(3), 12, { proofMasks: 64 });
  const h = hash('sha256');
  for (const a of [t.x, ...t.positions, t.y7, t.proofMasks!.sBuckets, t.proofMasks!.masks])
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

// A registry install has no devDependencies, so the blst sources the addon compiles must travel in
// the tarball (`prepack` copies them to deps/blst): packed here the same way, then installed with
// npm into an empty project, offline, away from the workspace's c-kzg.
describe.skipIf(!ready)('the published tarball', () => {
  it('carries blst, and an install from it alone builds the addon, which gives the same tables', async () => {
    let tarball: string;
    let files: string[];
    await run(process.execPath, [join(root, 'scripts/pack-blst.mjs')], { cwd: root });
    try {
      const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
        cwd: root,
        env: plainEnv(),
      });
      const info = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0]!;
      tarball = join(dir, info.filename);
      files = info.files.map((f) => f.path);
    } finally {
      await run(process.execPath, [join(root, 'scripts/pack-blst.mjs'), '--clean'], { cwd: root });
    }
    for (const f of [
      'deps/blst/LICENSE',
      'deps/blst/src/server.c',
      'deps/blst/build/assembly.S',
      'deps/blst/build/elf/add_mod_256-x86_64.s',
      'deps/blst/bindings/blst.h',
      'binding.gyp',
      'csrc/pos.c',
      'csrc/pos-body.h',
      'scripts/build.mjs',
      'scripts/blst-path.cjs',
      'dist/index.js',
    ])
      expect(files).toContain(f);
    expect(existsSync(join(root, 'deps'))).toBe(false);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      '{"name":"app","version":"1.0.0","private":true,"type":"module"}\n',
    );
    await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], {
      cwd: app,
      env: plainEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    const installed = join(app, 'node_modules/@autonomys/native');
    expect(JSON.parse(readFileSync(join(installed, 'build/native-build.json'), 'utf8')).ok).toBe(true);
    expect(existsSync(join(installed, 'build/Release/autonomys_native.node'))).toBe(true);

    const script = `import { createHash } from 'node:crypto';
import { isNative, posTables } from '@autonomys/native';
if (!isNative) throw new Error('the installed package did not load its addon');
console.log((${digest.toString()})(posTables, createHash));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    const here = digest(posTables, createHash);
    expect(stdout.trim()).toBe(here);
  }, 300_000);
});
