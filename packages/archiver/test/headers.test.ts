import type { SegmentHeader } from '@autonomys/primitives';
import { thrownCode } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import { Archiver, ArchiverError, MINIMAL_ARCHIVING_PARAMS, verifySegmentHeaderChain } from '../src/index.js';
import { layoutOnlyCommitter } from './helpers.js';

async function chain(): Promise<SegmentHeader[]> {
  const a = new Archiver({ params: MINIMAL_ARCHIVING_PARAMS, committer: layoutOnlyCommitter });
  const headers: SegmentHeader[] = [];
  for (let i = 0; i < 6; i++)
    headers.push(...(await a.addBlock(new Uint8Array(2500 + i * 700).fill(i))).segments.map((s) => s.header));
  return headers;
}

describe('verifySegmentHeaderChain', () => {
  it('accepts what the archiver produces, whole or continued', async () => {
    const h = await chain();
    expect(h.length).toBeGreaterThan(3);
    verifySegmentHeaderChain(h);
    verifySegmentHeaderChain(h.slice(2), h[1]);
  });
  it('rejects gaps, wrong hashes, wrong starts and a last block moving backwards', async () => {
    const h = await chain();
    const bad = (headers: SegmentHeader[], prev?: SegmentHeader) =>
      thrownCode(() => verifySegmentHeaderChain(headers, prev), ArchiverError);
    expect(bad([h[0]!, h[2]!])).toBe('ARCHIVER_SEGMENT_HEADER_CHAIN');
    expect(bad(h.slice(1))).toBe('ARCHIVER_SEGMENT_HEADER_CHAIN');
    expect(bad([h[0]!, { ...h[1]!, prevSegmentHeaderHash: new Uint8Array(32) }])).toBe(
      'ARCHIVER_SEGMENT_HEADER_CHAIN',
    );
    expect(bad([{ ...h[0]!, prevSegmentHeaderHash: new Uint8Array(32).fill(1) }])).toBe(
      'ARCHIVER_SEGMENT_HEADER_CHAIN',
    );
    expect(
      bad([{ ...h[1]!, lastArchivedBlock: { number: 0, archivedProgress: { type: 'complete' } } }], h[0]),
    ).toBe('ARCHIVER_SEGMENT_HEADER_CHAIN');
  });
});
