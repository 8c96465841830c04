import { join } from 'node:path';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const lines = await runReadmeExample(join(import.meta.dirname, '..'));
    expect(lines).toEqual(['0.2988 auto-score/v1', 'AUTO_SCORE_NULLIFIER_REUSED']);
  });
});
