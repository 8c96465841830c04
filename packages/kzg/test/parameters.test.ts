import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodePublicParameters,
  defaultParametersPaths,
  G1_SIZE,
  KzgError,
  loadPublicParameters,
  loadPublicParametersSync,
  NUM_G1_POWERS,
  typescriptBackend,
} from '../src/index.js';
import { backends, PARAMETERS_PATH, parametersBytes, params, toHex } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kzg-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('public parameters', () => {
  it('loads from a path, from bytes and from the default locations alike', async () => {
    const a = loadPublicParametersSync({ path: PARAMETERS_PATH, g1Count: 256 });
    const b = decodePublicParameters(parametersBytes(), { g1Count: 256 });
    const c = await loadPublicParameters({ g1Count: 256 });
    expect(toHex(a.g1)).toBe(toHex(b.g1));
    expect(toHex(c.g1)).toBe(toHex(b.g1));
    expect(a.g1.length).toBe(256 * 96);
    expect(toHex(a.g1)).toBe(toHex(params().g1.subarray(0, 256 * 96)));
  });

  it('KZG_PARAMETERS_NOT_FOUND lists every path it looked at', async () => {
    const missing = join(dir, 'nope.bin');
    await expect(loadPublicParameters({ path: missing })).rejects.toMatchObject({
      type: { code: 'KZG_PARAMETERS_NOT_FOUND', paths: [missing] },
    });
    const prev = process.env.AUTONOMYS_KZG_PARAMETERS;
    process.env.AUTONOMYS_KZG_PARAMETERS = missing;
    try {
      expect(defaultParametersPaths()[0]).toBe(missing);
      expect(defaultParametersPaths().length).toBeGreaterThan(1);
    } finally {
      if (prev === undefined) delete process.env.AUTONOMYS_KZG_PARAMETERS;
      else process.env.AUTONOMYS_KZG_PARAMETERS = prev;
    }
  });

  it('rejects a wrong length, a bad point, a point outside the subgroup and a wrong G1[0]', () => {
    const good = parametersBytes();
    expect(() => decodePublicParameters(good.subarray(1), { cache: false })).toThrow(
      expect.objectContaining({ code: 'KZG_PARAMETERS_CORRUPT' }),
    );
    const badPoint = good.slice();
    badPoint[3 * G1_SIZE + 47]! ^= 1;
    for (const backend of backends) {
      expect(() => decodePublicParameters(badPoint, { g1Count: 8, cache: false, backend })).toThrow(
        /G1 power 3/,
      );
      // (0, 2) is on the curve but not in the subgroup; the file is no longer the pinned one,
      // so 'auto' checks the subgroup.
      const torsion = good.slice();
      torsion.fill(0, 2 * G1_SIZE, 3 * G1_SIZE);
      torsion[2 * G1_SIZE] = 0x80;
      expect(() => decodePublicParameters(torsion, { g1Count: 8, cache: false, backend })).toThrow(
        expect.objectContaining({
          code: 'KZG_PARAMETERS_CORRUPT',
          message: expect.stringContaining('subgroup'),
        }),
      );
      const shifted = good.slice();
      shifted.set(good.subarray(G1_SIZE, 2 * G1_SIZE), 0);
      expect(() => decodePublicParameters(shifted, { g1Count: 8, cache: false, backend })).toThrow(
        expect.objectContaining({ code: 'KZG_PARAMETERS_CORRUPT' }),
      );
    }
    const badG2 = good.slice();
    badG2[NUM_G1_POWERS * G1_SIZE + 96 * 7 + 95]! ^= 1;
    expect(() => decodePublicParameters(badG2, { g1Count: 8, cache: false })).toThrow(/G2 power 7/);
    expect(() => decodePublicParameters(good, { g1Count: 0, cache: false })).toThrow(KzgError);
  });

  it('writes a checksummed cache once and ignores a corrupted entry', () => {
    const cache = { dir };
    const first = decodePublicParameters(parametersBytes(), {
      g1Count: 64,
      cache,
      backend: typescriptBackend,
    });
    const files = readdirSync(dir).filter((f) => f.endsWith('.bin'));
    expect(files).toHaveLength(1);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    const again = decodePublicParameters(parametersBytes(), { g1Count: 64, cache });
    expect(toHex(again.g1)).toBe(toHex(first.g1));
    // Corrupt one byte of a point: the checksum fails, the entry is rebuilt with the right bytes.
    const path = join(dir, files[0]!);
    const data = readFileSync(path);
    data[60]! ^= 1;
    writeFileSync(path, data);
    const rebuilt = decodePublicParameters(parametersBytes(), { g1Count: 64, cache });
    expect(toHex(rebuilt.g1)).toBe(toHex(first.g1));
    expect(readFileSync(path)[60]).toBe(data[60]! ^ 1);
  });
});
