import { defineConfig } from 'vite';

// Built into dist/ and served by the node (`autonomys dev` prints the URL). The packages resolve
// to their browser builds through their `browser` export conditions.
export default defineConfig({
  base: './',
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  worker: { format: 'es' },
});
