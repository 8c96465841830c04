#!/usr/bin/env node
// Builds wasm/blst.wasm: blst's C sources (the same ones the Node addon compiles, from the pinned c-kzg
// package or a pack-time deps/blst) plus csrc/curve.c and csrc/msm.c (linked in, unused: curve.c keeps
// blst's MSM on WebAssembly), wasm/glue.c and wasm/msm.c (the MSM used from
// 64 points up: affine buckets on 29-bit limbs, ~2x blst's on WebAssembly), compiled with clang for wasm32
// and linked with wasm-ld (Debian: `apt-get install clang lld`). The module is built, never committed.
//
// It never fails the build: without a working clang/wasm-ld it prints one line and exits 0, and the
// TypeScript backend of @autonomys/kzg serves browsers. AUTONOMYS_WASM_REQUIRED=1 makes a failure fatal,
// AUTONOMYS_WASM_VERBOSE=1 shows the compiler output, AUTONOMYS_WASM_SKIP_BUILD=1 skips the build.
// The outcome is recorded in wasm/build/build-wasm.json.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'wasm/blst.wasm');
const required = process.env.AUTONOMYS_WASM_REQUIRED === '1';
const verbose = process.env.AUTONOMYS_WASM_VERBOSE === '1';
// Debian's clang/lld packages install `clang` and `wasm-ld`; the versioned names are a fallback.
const works = (tool) => {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
};
const pick = (env, names) => env ?? names.find(works) ?? names[0];
const clang = pick(process.env.AUTONOMYS_WASM_CC, ['clang', 'clang-14', 'clang-15', 'clang-16']);
const wasmLd = pick(process.env.AUTONOMYS_WASM_LD, ['wasm-ld', 'wasm-ld-14', 'wasm-ld-15', 'wasm-ld-16']);

function record(ok, reason) {
  try {
    mkdirSync(join(root, 'wasm/build'), { recursive: true });
    writeFileSync(
      join(root, 'wasm/build/build-wasm.json'),
      `${JSON.stringify({ ok, reason, date: new Date().toISOString() })}\n`,
    );
  } catch {
    // a read-only package directory: nothing to record
  }
}

function fail(reason, output) {
  record(false, reason);
  if ((verbose || required) && output)
    process.stderr.write(`${output.trim().split('\n').slice(-30).join('\n')}\n`);
  console.warn(
    `@autonomys/native: WebAssembly build skipped (${reason}); browsers use the TypeScript backend`,
  );
  process.exit(required ? 1 : 0);
}

if (process.env.AUTONOMYS_WASM_SKIP_BUILD === '1') fail('AUTONOMYS_WASM_SKIP_BUILD=1');

const blstRel = spawnSync(process.execPath, [join(root, 'scripts/blst-path.cjs')], {
  cwd: root,
  encoding: 'utf8',
});
if (blstRel.status !== 0)
  fail('blst sources not found: neither deps/blst nor the c-kzg package is installed');
const blst = resolve(root, blstRel.stdout.trim());

for (const tool of [clang, wasmLd]) if (!works(tool)) fail(`${tool} not found (apt-get install clang lld)`);

const sources = [
  join(blst, 'src/server.c'),
  join(root, 'csrc/curve.c'),
  join(root, 'csrc/msm.c'),
  join(root, 'wasm/glue.c'),
  join(root, 'wasm/msm.c'),
];
const inputs = [
  ...sources,
  join(root, 'csrc/kernels.h'),
  join(root, 'csrc/msm.h'),
  join(root, 'wasm/include/stdlib.h'),
  join(root, 'wasm/include/string.h'),
  fileURLToPath(import.meta.url),
];
if (existsSync(out)) {
  const built = statSync(out).mtimeMs;
  if (inputs.every((f) => statSync(f).mtimeMs <= built)) {
    record(true, '');
    console.log('@autonomys/native: WebAssembly module up to date');
    process.exit(0);
  }
}

const cflags = [
  '--target=wasm32',
  '-O3',
  // memory.copy/fill for struct copies (every engine with WebAssembly SIMD-era features has them)
  '-mbulk-memory',
  '-ffreestanding',
  '-nostdlib',
  '-fno-builtin',
  '-D__BLST_NO_ASM__',
  `-I${join(root, 'wasm/include')}`,
  `-I${join(blst, 'bindings')}`,
];

function run(cmd, args) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => done({ status: -1, output: e.message }));
    child.on('close', (status) => done({ status, output }));
  });
}

const t0 = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'autonomys-wasm-'));
try {
  const objects = sources.map((_s, i) => join(tmp, `${i}.o`));
  // The compilations are independent: run them at once (server.c dominates, ~7 s).
  const results = await Promise.all(
    sources.map((s, i) => run(clang, [...cflags, '-c', s, '-o', objects[i]])),
  );
  const bad = results.find((r) => r.status !== 0);
  if (bad) {
    const first = bad.output.split('\n').find((l) => /error/i.test(l)) ?? `exit ${bad.status}`;
    fail(`clang failed: ${first.trim().slice(0, 120)}`, bad.output);
  }
  if (verbose) for (const r of results) process.stderr.write(r.output);
  const tmpOut = join(tmp, 'blst.wasm');
  const link = await run(wasmLd, [
    '--no-entry',
    '--strip-all',
    '-z',
    'stack-size=1048576',
    '--initial-memory=2097152',
    ...objects,
    '-o',
    tmpOut,
  ]);
  if (link.status !== 0) fail(`wasm-ld failed: ${link.output.split('\n')[0]?.slice(0, 120)}`, link.output);
  // A module that does not compile here is a failure too.
  try {
    new WebAssembly.Module(readFileSync(tmpOut));
  } catch (e) {
    fail(`the built module does not compile: ${e.message}`);
  }
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(tmpOut, out);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
record(true, '');
console.log(
  `@autonomys/native: WebAssembly module built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${statSync(out).size} bytes)`,
);
