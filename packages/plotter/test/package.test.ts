import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('@autonomys/plotter', () => {
  it('exports nothing until its API lands (no stubs)', () => {
    expect(Object.keys(api)).toEqual([]);
  });
});
