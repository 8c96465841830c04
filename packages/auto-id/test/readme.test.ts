import { join } from 'node:path';
import { runReadmeExample } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const lines = await runReadmeExample(join(import.meta.dirname, '..'));
    expect(lines).toEqual([
      'ce153e3235448f29ca9052a660e36abd9b9fdc72f80a4059a2427ff06b1a3706',
      'true 1n',
      'AUTO_ID_CERTIFICATE_REVOKED CertificateRevoked 6',
    ]);
  });

  it('the agents, delegation and provenance example runs and prints what it says', async () => {
    const lines = await runReadmeExample(join(import.meta.dirname, '..'), 1);
    expect(lines).toEqual([
      '2 calendar:edit booking:*',
      'AUTO_ID_PERMISSION_DENIED',
      '152 bafkr4ig',
      'AUTO_ID_REVOKED',
    ]);
  });
});
