// `pnpm typecheck`: the whole workspace in three TypeScript programs run side by side, so each source
// file is checked once per program instead of once per package that imports it (every package's own
// `typecheck` script resolves its siblings to their sources and checks them again).
//   tsconfig.check.json       every package and tool, with the DOM lib (WebCrypto types);
//   tsconfig.check-node.json  the packages whose tsconfig has no DOM lib, checked without it;
//   apps/dashboard            the Vite app (bundler resolution, DOM).
// Exits non-zero when any program reports an error; prints each program's output in full.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const programs = ['tsconfig.check.json', 'tsconfig.check-node.json', 'apps/dashboard/tsconfig.json'];

function run(project) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty'], { cwd: root });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('close', (code) => resolve({ project, code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(programs.map(run));
let failed = false;
for (const r of results) {
  const status = r.code === 0 ? 'ok' : `failed (exit ${r.code})`;
  console.log(`typecheck ${r.project}: ${status} in ${r.seconds.toFixed(1)} s`);
  if (r.out.trim() !== '') console.log(r.out);
  if (r.code !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
