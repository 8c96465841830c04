/**
 * The browser entries without a browser: each bundles for `platform: 'browser'` (esbuild refuses any
 * node: module that is reached), the published `browser` conditions resolve to the built
 * `dist/browser.js` files when the packages are built, and the browser APIs are the Node APIs minus
 * the Node-only parts named here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundle, ROOT } from '../src/harness.js';

const ENTRIES: Record<string, string> = {
  kzg: 'packages/kzg/src/browser.ts',
  archiver: 'packages/archiver/src/browser.ts',
  plotter: 'packages/plotter/src/browser.ts',
  pot: 'packages/pot/src/browser.ts',
  'native-wasm': 'packages/native/src/wasm.ts',
  primitives: 'packages/primitives/src/index.ts',
};

describe('browser entries', () => {
  it('bundle for browsers from the sources: no node: module is reachable', async () => {
    const out = await bundle(Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, join(ROOT, v)])));
    expect([...out.keys()].sort()).toEqual(Object.keys(ENTRIES).sort());
  });

  const built = ['kzg', 'archiver', 'plotter', 'pot'].every((p) =>
    existsSync(join(ROOT, `packages/${p}/dist/browser.js`)),
  );
  it.skipIf(!built)(
    'resolve through the `browser` condition to the built dist/browser.js files',
    async () => {
      const r = await build({
        stdin: {
          contents: [
            "export * as kzg from '@autonomys/kzg';",
            "export * as archiver from '@autonomys/archiver';",
            "export * as plotter from '@autonomys/plotter';",
            "export * as pot from '@autonomys/pot';",
            "export * as wasm from '@autonomys/native/wasm';",
          ].join('\n'),
          resolveDir: join(ROOT, 'tools/browser-tests'),
          loader: 'js',
        },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(r.metafile.inputs);
      for (const p of ['kzg', 'archiver', 'plotter', 'pot'])
        expect(inputs.some((f) => f.endsWith(`packages/${p}/dist/browser.js`))).toBe(true);
      expect(inputs.some((f) => f.endsWith('packages/native/dist/wasm.js'))).toBe(true);
      expect(inputs.filter((f) => f.includes('/src/'))).toEqual([]);
    },
  );
  if (!built)
    console.warn('dist/browser.js not built: the published-exports check is skipped (run the build)');

  it('offer the Node API minus its Node-only parts', async () => {
    const pairs = [
      [
        await import('../../../packages/kzg/src/index.js'),
        await import('../../../packages/kzg/src/browser.js'),
        [
          'cacheDirs',
          'defaultParametersPaths',
          'loadPublicParameters',
          'loadPublicParametersSync',
          'nativeKzgBackend',
        ],
      ],
      [
        await import('../../../packages/archiver/src/index.js'),
        await import('../../../packages/archiver/src/browser.js'),
        [
          'Archiver',
          'INITIAL_LAST_ARCHIVED_BLOCK',
          'archiveSegment',
          'initialArchiverState',
          'kzgSegmentCommitter',
          'recoverSegment',
          'restartArchiverState',
        ],
      ],
      [
        await import('../../../packages/plotter/src/index.js'),
        await import('../../../packages/plotter/src/browser.js'),
        [
          'ChiaPosTable',
          'checkSector',
          'createPosTableGenerator',
          'createPosTables',
          'createShimTableGenerator',
          'defaultBackend',
          'findProof',
          'plotSector',
          'proofMaskOf',
          'proveSolutions',
          'readPiece',
          'readRecord',
        ],
      ],
    ] as const;
    for (const [node, browser, nodeOnly] of pairs) {
      const missing = Object.keys(node).filter((k) => !(k in browser));
      expect(missing.sort()).toEqual([...nodeOnly].sort());
    }
  });
});
