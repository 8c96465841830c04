import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Output } from '../src/cli/display.js';
import { runCli } from '../src/cli/index.js';
import { ServiceError } from '../src/rpc/errors.js';
import {
  type DevParams,
  KEY_FILE,
  loadOrCreateKey,
  PARAMS_FILE,
  readParams,
  solutionRangeFor,
  specFromParams,
  writeParams,
} from '../src/service/config.js';
import { startDevNetwork } from '../src/service/dev.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'autonomys-config-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const params: DevParams = {
  version: 1,
  potSlotIterations: 4096,
  slotDurationMs: 100,
  numChunks: 4,
  shimProofOfSpace: true,
  initialSolutionRange: '12345',
  sectors: 1,
  piecesInSector: 8,
  endowed: '11'.repeat(32),
};

describe('data directory', () => {
  it('round-trips the parameters and keeps the key', () => {
    const d = fresh();
    expect(readParams(d)).toBeUndefined();
    writeParams(d, params);
    expect(readParams(d)).toEqual(params);
    const a = loadOrCreateKey(d);
    const b = loadOrCreateKey(d);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.keypair.publicKey).toEqual(a.keypair.publicKey);
    const spec = specFromParams(params);
    expect(spec.archiving).toEqual({ numChunks: 4, numRawRecords: 128 });
    expect(spec.initialSolutionRange).toBe(12345n);
    expect(spec.balances.length).toBe(1);
  });

  it('detects a damaged directory with the file and the reason', async () => {
    const d = fresh();
    writeFileSync(join(d, PARAMS_FILE), '{"version": 1, "potSlotIterations": "many"');
    expect(() => readParams(d)).toThrowError(ServiceError);
    try {
      readParams(d);
    } catch (e) {
      expect((e as ServiceError).code).toBe('SERVICE_CORRUPT_DATA_DIR');
    }
    writeFileSync(join(d, PARAMS_FILE), JSON.stringify({ ...params, numChunks: 'x' }));
    expect(() => readParams(d)).toThrowError(/numChunks/);
    const k = fresh();
    writeFileSync(join(k, KEY_FILE), 'not a key');
    expect(() => loadOrCreateKey(k)).toThrowError(/SERVICE_CORRUPT_DATA_DIR/);
    await expect(startDevNetwork({ dataDir: k, rpc: false })).rejects.toMatchObject({
      code: 'SERVICE_CORRUPT_DATA_DIR',
    });
    // The CLI prints the code and the reason and exits non-zero.
    const lines: string[] = [];
    const o: Output = { out: () => {}, err: (l) => lines.push(l), isTTY: false };
    const before = process.exitCode;
    await runCli(['node', 'autonomys', 'dev', '--data-dir', d, '--no-rpc'], o);
    expect(process.exitCode).toBe(1);
    process.exitCode = before;
    expect(lines.join('\n')).toMatch(/error: SERVICE_CORRUPT_DATA_DIR: .*autonomys\.json.*numChunks/);
  });

  it('sets the solution range for the plot size', () => {
    // 1 sector of 8 pieces audits ~4 chunks; one block per 6 slots: range ≈ 2^64 / 24.
    const r = solutionRangeFor(1, 8, 6);
    const expected = (1n << 64n) / 24n;
    expect(Number(r) / Number(expected)).toBeCloseTo(1, 6);
    expect(solutionRangeFor(1, 1, 1)).toBeLessThanOrEqual(0xffff_ffff_ffff_ffffn);
  });
});
