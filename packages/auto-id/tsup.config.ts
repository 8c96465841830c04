import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Three entries: the library (browser-safe), the CLI module (Node) and its executable.
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/cli.ts', 'src/bin.ts'],
});
