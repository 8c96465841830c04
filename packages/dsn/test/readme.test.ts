import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('runs the example as documented', async () => {
    const out = await runReadmeExample(fileURLToPath(new URL('..', import.meta.url)));
    expect(out).toEqual(['90b2ce05080100000000000000', '/subspace/2/0101', '64 0']);
  });
});
