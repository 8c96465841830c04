import { describe, expect, it } from 'vitest';
import { formatTable, runBench } from '../src/index.js';

describe('bench harness', () => {
  it('measures cases and computes the ratio to the anchor of the same run', async () => {
    const buf = new Uint8Array(1 << 16);
    const rows = await runBench({
      package: 'bench-selftest',
      time: 20,
      iterations: 5,
      cases: [
        {
          name: 'fill x4',
          size: '64 KiB',
          bytes: 4 * buf.length,
          fn: () => {
            for (let i = 0; i < 4; i++) buf.fill(i);
          },
          anchor: 'fill x1',
        },
        { name: 'fill x1', size: '64 KiB', bytes: buf.length, fn: () => buf.fill(1) },
      ],
    });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.anchor).toBe('fill x1');
    expect(rows[0]!.ratio).toBeGreaterThan(0);
    expect(rows[1]!.ratio).toBeNull();
    expect(rows[0]!.mibPerSecond).toBeGreaterThan(0);
    const table = formatTable('x', rows);
    expect(table).toContain('| operation | size | median | ops/s | MiB/s | anchor | ratio |');
    expect(table.split('\n').filter((l) => l.startsWith('| fill'))).toHaveLength(2);
  });
});
