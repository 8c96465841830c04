import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const dashboard = join(root, '../../apps/dashboard/dist/index.html');
const hasNpm = await run('npm', ['--version']).then(
  () => true,
  () => false,
);

// The published package carries the built dashboard (`prepack` copies apps/dashboard/dist, a private
// app, to dashboard/), so `autonomys dev` from the registry serves it. Packed here the same way
// (npm's file list, without writing a tarball); the test command builds the dashboard first.
describe.skipIf(!hasNpm || !existsSync(dashboard) || !existsSync(join(root, 'dist/index.js')))(
  'the published tarball',
  () => {
    it('carries the CLI, the build and the dashboard', async () => {
      let files: string[];
      await run(process.execPath, [join(root, 'scripts/pack-dashboard.mjs')], { cwd: root });
      try {
        const env = Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
        );
        const { stdout } = await run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
          cwd: root,
          env,
        });
        files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
      } finally {
        await run(process.execPath, [join(root, 'scripts/pack-dashboard.mjs'), '--clean'], { cwd: root });
      }
      for (const f of ['bin/autonomys.js', 'dist/index.js', 'dashboard/index.html'])
        expect(files).toContain(f);
      expect(files.some((f) => f.startsWith('dashboard/assets/'))).toBe(true);
      expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
      expect(existsSync(join(root, 'dashboard'))).toBe(false);
    }, 60_000);
  },
);
