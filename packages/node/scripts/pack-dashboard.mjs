#!/usr/bin/env node
// Part of `prepack`: copies the built web dashboard (apps/dashboard/dist, a private workspace app) into
// ./dashboard, which the package's `files` ship, so that `autonomys dev` installed from the registry
// serves it (src/gateway/static.ts looks there after the workspace). dashboard/ is not committed
// (.gitignore); `postpack` removes it. `node scripts/pack-dashboard.mjs --clean` only removes it.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dest = join(root, 'dashboard');
rmSync(dest, { recursive: true, force: true });
if (process.argv.includes('--clean')) process.exit(0);

const from = resolve(root, '../../apps/dashboard/dist');
if (!existsSync(join(from, 'index.html'))) {
  console.error(
    'pack-dashboard: apps/dashboard/dist is not built; run `node scripts/pnpm.mjs -r build` (or turbo build) first',
  );
  process.exit(1);
}
cpSync(from, dest, { recursive: true });
console.log('pack-dashboard: the dashboard copied to dashboard/');
