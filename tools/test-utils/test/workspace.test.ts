import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { checkWorkspace } from '../../../scripts/check-workspace.mjs';

describe('workspace rules', () => {
  it('dependency direction follows overview.md and every manifest is publishable', () => {
    expect(checkWorkspace()).toEqual([]);
  });
});
