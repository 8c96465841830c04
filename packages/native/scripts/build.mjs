#!/usr/bin/env node
// The install script of @autonomys/native: compiles the addon (blst + our kernels) with node-gyp.
// It never fails the install: on any failure it prints one warning line and exits 0, and the package
// runs its JS fallbacks (`isNative === false`). Set AUTONOMYS_NATIVE_REQUIRED=1 (CI that must have
// the addon) to make a failure fatal, AUTONOMYS_NATIVE_VERBOSE=1 to see the compiler output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const required = process.env.AUTONOMYS_NATIVE_REQUIRED === '1';
const verbose = process.env.AUTONOMYS_NATIVE_VERBOSE === '1';

// build/native-build.json records the outcome, so the tests can tell "the build failed here" (skip
// the native-only tests, loudly) from "the addon should be there but does not load" (fail them).
function record(ok, reason) {
  try {
    mkdirSync(join(root, 'build'), { recursive: true });
    writeFileSync(
      join(root, 'build/native-build.json'),
      `${JSON.stringify({ ok, reason, date: new Date().toISOString() })}\n`,
    );
  } catch {
    // a read-only install directory: the tests will then treat a missing addon as a failure
  }
}

function fail(reason, output) {
  record(false, reason);
  if ((verbose || required) && output)
    process.stderr.write(`${output.trim().split('\n').slice(-40).join('\n')}\n`);
  console.warn(`@autonomys/native: native build FAILED (${reason}); the JS fallback will be used`);
  process.exit(required ? 1 : 0);
}

if (process.env.AUTONOMYS_NATIVE_SKIP_BUILD === '1') fail('AUTONOMYS_NATIVE_SKIP_BUILD=1');

// blst's C sources: a pack-time copy in deps/blst, else the c-kzg package (a source carrier only).
if (!existsSync(join(root, 'deps/blst/src/server.c'))) {
  try {
    require.resolve('c-kzg/package.json');
  } catch {
    fail('blst sources not found: neither deps/blst nor the c-kzg package is installed');
  }
}

// node-gyp: our devDependency, else the one the package manager provides, else PATH.
let gyp;
try {
  gyp = [process.execPath, require.resolve('node-gyp/bin/node-gyp.js')];
} catch {
  const fromPm = process.env.npm_config_node_gyp;
  gyp = fromPm && existsSync(fromPm) ? [process.execPath, fromPm] : ['node-gyp'];
}

const args = ['rebuild', '--jobs=max', '--loglevel=warn'];
// Use the running Node's own headers; otherwise node-gyp downloads them from nodejs.org.
const prefix = resolve(process.execPath, '..', '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include/node/common.gypi'))) {
  args.push(`--nodedir=${prefix}`);
}

const t0 = Date.now();
const r = spawnSync(gyp[0], [...gyp.slice(1), ...args], {
  cwd: root,
  encoding: 'utf8',
  stdio: verbose ? 'inherit' : 'pipe',
  maxBuffer: 64 * 1024 * 1024,
});
const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
if (r.error) fail(`could not run node-gyp: ${r.error.message}`, output);
if (r.status !== 0) {
  // The first compiler/make error line names the cause (missing compiler, python, headers...).
  const first = output.split('\n').find((l) => /error|not found|no such/i.test(l) && !l.includes('gyp ERR!'));
  const hint = first ? ` at "${first.trim().slice(0, 100)}"` : '';
  fail(`node-gyp exited with ${r.status ?? r.signal}${hint}; rerun with AUTONOMYS_NATIVE_VERBOSE=1`, output);
}

// Load it once in a fresh process: a binary that builds but does not load is a failure too.
const addon = join(root, 'build/Release/autonomys_native.node');
const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { encoding: 'utf8' });
if (check.status !== 0) fail(`the built addon does not load: ${check.stderr.trim().split('\n')[0]}`);
record(true, '');
console.log(`@autonomys/native: native addon built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
