import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeCodeBlocks } from '@autonomys/test-utils';
import { describe, expect, it, vi } from 'vitest';

const pkgDir = join(import.meta.dirname, '..');

describe('README', () => {
  it('the example runs and prints what it says', async () => {
    const dir = join(pkgDir, '.scratch');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.ts');
    writeFileSync(file, readmeCodeBlocks(join(pkgDir, 'README.md'))[0]!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      expect(
        log.mock.calls.map((c) => c.map((x) => (typeof x === 'bigint' ? `${x}n` : String(x))).join(' ')),
      ).toEqual([
        'ce153e3235448f29ca9052a660e36abd9b9fdc72f80a4059a2427ff06b1a3706',
        'true 1n',
        'AUTO_ID_CERTIFICATE_REVOKED CertificateRevoked 6',
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
