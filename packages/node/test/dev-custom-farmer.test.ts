/** examples/custom-farmer against a running dev node: it plots over RPC, farms and wins blocks. */
import { equalBytes } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { runCustomFarmer } from '../examples/custom-farmer/main.js';
import { extractSubspaceDigestItems } from '../src/chain/subspace-digest.js';
import { type DevNetwork, startDevNetwork } from '../src/service/dev.js';

describe('examples/custom-farmer', () => {
  let net: DevNetwork | undefined;
  afterAll(async () => {
    await net?.stop();
  });

  it('wins blocks on a dev node', { timeout: 120_000 }, async () => {
    net = await startDevNetwork({
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 100,
      numChunks: 4,
      slotsPerBlock: 1,
      farm: false,
      rpc: { port: 0 },
    });
    const chain = net.chain;
    const ac = new AbortController();
    const seed = new Uint8Array(32).fill(9);
    const lines: string[] = [];
    const run = runCustomFarmer({
      url: net.service.rpc!.wsUrl,
      seed,
      signal: ac.signal,
      log: (l) => lines.push(l),
    });
    const t0 = Date.now();
    while (chain.head().number < 3 && Date.now() - t0 < 40_000) await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const result = await run;
    expect(chain.head().number).toBeGreaterThanOrEqual(3);
    const author = extractSubspaceDigestItems(chain.getHeader(1)!.digest).preDigest.solution.publicKey;
    expect(equalBytes(author, result.publicKey)).toBe(true);
    expect(result.solutions).toBeGreaterThanOrEqual(3);
    expect(result.signed).toBeGreaterThanOrEqual(3);
    expect(lines).toContain('custom farmer: sector 1 plotted');
  });
});
