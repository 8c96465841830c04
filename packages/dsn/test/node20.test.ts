import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// js-libp2p's modules call Promise.withResolvers, which Node 20 lacks. The package installs it when
// it loads; this checks the published build (the source path is what the other tests load), where
// a side-effect-only import of the polyfill had been dropped by the bundler.
describe.skipIf(!existsSync(dist))('Node 20 support in the built package', () => {
  it('installs Promise.withResolvers when the runtime lacks it', async () => {
    const script = `delete Promise.withResolvers;
const dsn = await import(${JSON.stringify(dist)});
const { promise, resolve } = Promise.withResolvers();
resolve(typeof dsn.createDsnNode);
console.log(await promise);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout.trim()).toBe('function');
  });

  it('leaves an existing implementation alone', async () => {
    const script = `const own = () => 'own';
Object.defineProperty(Promise, 'withResolvers', { value: own, writable: true, configurable: true });
await import(${JSON.stringify(dist)});
console.log(Promise.withResolvers());`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout.trim()).toBe('own');
  });
});
