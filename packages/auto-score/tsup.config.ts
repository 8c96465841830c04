import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// Two entries: the browser-safe main entry and `./node` (the file-backed nullifier registry).
// Splitting puts their shared code in one chunk, so both entries see the same classes
// (an `AutoScoreError` thrown by `./node` is `instanceof` the main entry's).
export default defineConfig({
  ...(packageBuild as object),
  entry: ['src/index.ts', 'src/node.ts'],
  splitting: true,
});
