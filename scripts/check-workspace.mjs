#!/usr/bin/env node
// Workspace rules that CI enforces (run by `pnpm lint` and by a test):
// 1. Dependency direction (shared/spec/overview.md): a package imports only packages listed above
//    it in the package table, in its manifest and in its code. The private tools are exempt.
// 2. Every package manifest has what a published package needs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package table of overview.md, top (lowest layer) to bottom. */
export const LAYERS = [
  'primitives',
  'native',
  'kzg',
  'erasure',
  'archiver',
  'plotter',
  'pot',
  'dsn',
  'decex',
  'auto-id',
  'auto-score',
  'dag',
  'node',
];
const TOOLS = new Set(['@autonomys/bench', '@autonomys/test-utils']);
// Our packages (the scope also holds published npm packages of the SDK, e.g. @autonomys/auto-dag-data).
const OURS = new Set(LAYERS.map((n) => `@autonomys/${n}`));
const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'build' ? [] : sourceFiles(p);
    return /\.(c|m)?(t|j)sx?$/.test(name) ? [p] : [];
  });
}

/** Returns a list of human-readable problems (empty when the workspace is in order). */
export function checkWorkspace() {
  const problems = [];
  for (const [i, name] of LAYERS.entries()) {
    const dir = join(root, 'packages', name);
    if (!existsSync(join(dir, 'package.json'))) {
      problems.push(`packages/${name}: missing package.json`);
      continue;
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const allowed = new Set(LAYERS.slice(0, i).map((n) => `@autonomys/${n}`));
    const deps = {
      ...pkg.dependencies,
      ...pkg.peerDependencies,
      ...pkg.optionalDependencies,
      ...pkg.devDependencies,
    };
    for (const dep of Object.keys(deps)) {
      if (OURS.has(dep) && !allowed.has(dep)) {
        problems.push(`${pkg.name} depends on ${dep}, which is not listed above it in overview.md`);
      }
    }
    for (const file of ['src', 'test', 'bench'].flatMap((d) => sourceFiles(join(dir, d)))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](@autonomys\/[a-z0-9-]+)/g,
      )) {
        const dep = m[1];
        if (dep === pkg.name || TOOLS.has(dep) || !OURS.has(dep)) continue;
        if (!allowed.has(dep))
          problems.push(`${file.slice(root.length)} imports ${dep}, which is not listed above ${pkg.name}`);
        else if (!deps[dep])
          problems.push(`${file.slice(root.length)} imports ${dep} without declaring it in package.json`);
      }
    }
    // Manifest of a publishable package.
    if (pkg.name !== `@autonomys/${name}`) problems.push(`packages/${name}: name is ${pkg.name}`);
    if (pkg.version === undefined) problems.push(`${pkg.name}: no version`);
    if (!pkg.exports) problems.push(`${pkg.name}: no exports map`);
    if (!Array.isArray(pkg.files) || pkg.files.length === 0) problems.push(`${pkg.name}: no files list`);
    // sideEffects: false, or a list of the package's entry files only (an entry that registers
    // platform engines when it loads must not be skipped by a bundler's re-export optimisation).
    const entryOnly =
      Array.isArray(pkg.sideEffects) &&
      pkg.sideEffects.every((f) => /^\.\/(src|dist)\/index\.(ts|js)$/.test(f));
    if (pkg.sideEffects !== false && !entryOnly)
      problems.push(`${pkg.name}: sideEffects must be false (or list only its entry files)`);
    if (!pkg.engines?.node) problems.push(`${pkg.name}: no engines.node`);
    if (!existsSync(join(dir, 'README.md'))) problems.push(`${pkg.name}: no README.md`);
    if (!existsSync(join(dir, 'src', 'index.ts'))) problems.push(`${pkg.name}: no src/index.ts`);
    if (sourceFiles(join(dir, 'test')).length === 0) problems.push(`${pkg.name}: no tests`);
  }
  const present = readdirSync(join(root, 'packages')).filter((n) =>
    existsSync(join(root, 'packages', n, 'package.json')),
  );
  for (const n of present)
    if (!LAYERS.includes(n)) problems.push(`packages/${n} is not in overview.md's package table`);
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = checkWorkspace();
  for (const p of problems) console.error(`workspace: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log(`workspace: ${LAYERS.length} packages, dependency direction and manifests in order`);
}
