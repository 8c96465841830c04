#!/usr/bin/env node
// Runs the pinned pnpm (package.json "packageManager") through corepack, so a fresh machine with
// only Node.js and npm needs nothing installed globally. The two variables keep corepack from
// prompting and skip its registry-signature check, which this registry's metadata does not carry.
// A `pnpm` shim is put in .corepack/bin (git-ignored) and on PATH, because turbo looks for the
// package manager's binary there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const binDir = join(root, '.corepack', 'bin');
const env = { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', COREPACK_INTEGRITY_KEYS: '0' };

function run(args) {
  const r = spawnSync('corepack', args, { stdio: 'inherit', env, cwd: process.cwd() });
  if (r.error) {
    console.error(`could not run corepack (${r.error.message}); Node.js >= 20 ships it`);
    process.exit(1);
  }
  return r.status ?? 1;
}

if (!existsSync(join(binDir, 'pnpm'))) {
  mkdirSync(binDir, { recursive: true });
  if (run(['enable', 'pnpm', '--install-directory', binDir]) !== 0) process.exit(1);
}
env.PATH = `${binDir}${delimiter}${env.PATH ?? ''}`;
process.exit(run(['pnpm', ...process.argv.slice(2)]));
