import { join } from 'node:path';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const lines = await runReadmeExample(join(import.meta.dirname, '..'));
    expect(lines[0]).toBe('76d57c6108c2f44770ad8df63393883cbf4889a70fb997aaf27e9a31eefe017b');
    expect(Number(lines[1])).toBeGreaterThanOrEqual(0);
    expect(lines.at(-1)).toMatch(/^PRIMITIVES_INVALID_LENGTH/);
  });
});
