import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the Node addon wrapper (index) and the WebAssembly loader (wasm: no node: imports).
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/wasm.ts'],
});
