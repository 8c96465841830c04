#!/usr/bin/env node
// Part of `prepack`: copies the blst C sources the addon compiles (src/, the assembly of build/, the
// two C headers and the licence) from the pinned c-kzg devDependency into deps/blst, which the
// package's `files` ship. A registry install has no devDependencies, so without this copy its
// install script would find no blst and fall back to JavaScript. scripts/blst-path.cjs prefers
// deps/blst when it exists. deps/ is not committed (.gitignore); `postpack` removes it.
// `node scripts/pack-blst.mjs --clean` only removes it.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dest = join(root, 'deps');
rmSync(dest, { recursive: true, force: true });
if (process.argv.includes('--clean')) process.exit(0);

const require = createRequire(join(root, 'package.json'));
let from;
try {
  from = join(dirname(require.resolve('c-kzg/package.json')), 'deps', 'blst');
} catch {
  console.error('pack-blst: the c-kzg devDependency is not installed; install the workspace first');
  process.exit(1);
}
// What binding.gyp and scripts/build-wasm.mjs read: src/server.c and what it includes, build/assembly.S
// and the per-platform assembly it includes, bindings/blst.h and blst_aux.h; and the licence.
const parts = [
  'LICENSE',
  'src',
  'build/assembly.S',
  'build/elf',
  'build/mach-o',
  'build/coff',
  'build/cheri',
];
const headers = ['bindings/blst.h', 'bindings/blst_aux.h'];
for (const p of [...parts, ...headers]) {
  const src = join(from, p);
  if (!existsSync(src)) {
    console.error(`pack-blst: ${src} is missing (c-kzg's layout changed?)`);
    process.exit(1);
  }
  mkdirSync(dirname(join(dest, 'blst', p)), { recursive: true });
  cpSync(src, join(dest, 'blst', p), { recursive: true });
}
console.log(`pack-blst: blst sources copied to ${join('deps', 'blst')}`);
