import { describe, expect, it } from 'vitest';
import { loadVectors, VectorClaims, vectorPath } from '../src/index.js';

describe('test-utils', () => {
  it('finds the shared vectors', () => {
    const v = loadVectors<{ vectors: { id: string }[] }>('pot.json');
    expect(v.vectors.length).toBeGreaterThan(0);
  });
  it('names the place it looked when a vector file is missing', () => {
    expect(() => vectorPath('no-such.json')).toThrow(/no-such\.json not found at .*shared/);
  });
  it('tracks claims', () => {
    const c = new VectorClaims(['a', 'b']);
    c.claim('a');
    expect(c.unclaimed()).toEqual(['b']);
    expect(() => c.claim('z')).toThrow();
  });
});
