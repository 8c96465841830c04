import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPieceValidator, type PieceValidator } from '../src/index.js';
import { type History, history, KZG_PARAMETERS, PARAMS } from './fixture.js';

let h: History;
let pool: PieceValidator;
beforeAll(async () => {
  h = await history();
  pool = createPieceValidator({ params: PARAMS, parameters: KZG_PARAMETERS, threads: 2 });
}, 60_000);
afterAll(() => pool.close());

describe('piece validation (C.6)', () => {
  it('worker pool: valid pieces pass, altered ones and wrong positions fail, in parallel', async () => {
    const header0 = h.headers[0]!;
    const header1 = h.headers[1]!;
    const idx = [0n, 1n, 2n, 255n];
    const ok = await Promise.all(idx.map((i) => pool.validate(i, h.pieces.get(i)!, header0)));
    expect(ok).toEqual([true, true, true, true]);
    const bad = h.pieces.get(3n)!.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1; // witness
    const bad2 = h.pieces.get(4n)!.slice();
    bad2[33] = (bad2[33] ?? 0) ^ 1; // record
    const results = await Promise.all([
      pool.validate(3n, bad, header0),
      pool.validate(4n, bad2, header0),
      pool.validate(5n, h.pieces.get(6n)!, header0), // piece at another position
      pool.validate(256n, h.pieces.get(0n)!, header1), // right position, wrong segment
      pool.validate(0n, h.pieces.get(0n)!, header1), // header of another segment
      pool.validate(0n, new Uint8Array(10), header0), // wrong size
    ]);
    expect(results).toEqual([false, false, false, false, false, false]);
  });

  it('a closed pool rejects instead of calling pieces invalid (no ban of honest peers)', async () => {
    const p = createPieceValidator({ params: PARAMS, parameters: KZG_PARAMETERS, threads: 1 });
    const pending = expect(p.validate(0n, h.pieces.get(0n)!, h.headers[0]!)).rejects.toMatchObject({
      code: 'DSN_ABORTED',
    });
    await p.close();
    await pending;
    await expect(p.validate(0n, h.pieces.get(0n)!, h.headers[0]!)).rejects.toMatchObject({
      code: 'DSN_ABORTED',
    });
  });
});
