import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Entries: the package, its browser build (no node: imports), the Node-only plot files
// (`@autonomys/plotter/plot`), and the table worker (loaded by URL beside dist/index.js).
export default defineConfig({
  ...(packageBuild as object),
  // Shared chunks, so that both entries use one PlotterError class (instanceof holds across them).
  splitting: true,
  entry: {
    index: 'src/index.ts',
    browser: 'src/browser.ts',
    plot: 'src/plot.ts',
    'pos-worker': 'src/pos/pos-worker.ts',
  },
});
