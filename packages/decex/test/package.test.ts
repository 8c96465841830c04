import { join } from 'node:path';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const lines = await runReadmeExample(join(import.meta.dirname, '..'));
    expect(lines).toEqual([
      'true',
      'true',
      'true',
      '03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314',
    ]);
  });
});
