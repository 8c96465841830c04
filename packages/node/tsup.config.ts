import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// The package entry, and the chain's byte formats alone (`@autonomys/node/chain`: no Node-only
// imports, for browsers such as the dashboard).
export default defineConfig({
  ...(packageBuild as object),
  entry: { index: 'src/index.ts', 'chain/index': 'src/chain/index.ts' },
});
