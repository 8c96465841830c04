import { join } from 'node:path';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const lines = await runReadmeExample(join(import.meta.dirname, '..'));
    expect(lines).toEqual([
      'bafkr6icmbrpeevoqcwm52ut3or2ou5ogm2gobbgjlbi2vnkl2o5otiejd4',
      '64',
      'a.txt,b.txt',
      'hello world',
      'DAG_UNSUPPORTED_CID',
    ]);
  });
});
