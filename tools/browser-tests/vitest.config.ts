import { mergeConfig } from 'vitest/config';
import { packageProject } from '../../vitest.shared.js';

// Chromium start, bundling and network-size pieces in TypeScript take longer than unit tests.
export default mergeConfig(packageProject('browser-tests'), {
  test: { testTimeout: 180_000, hookTimeout: 180_000 },
});
