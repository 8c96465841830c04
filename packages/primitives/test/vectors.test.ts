/**
 * The structural vectors of archiving.json (and the runtime constants of consensus.json) that this
 * package defines. Keys that belong to other packages are listed by owner, and the last test fails
 * when a key of the file is neither tested here nor owned elsewhere.
 */
import { loadVectors } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import * as P from '../src/index.js';

const archiving = loadVectors<{ structural_vectors: Record<string, unknown> }>(
  'archiving.json',
).structural_vectors;
const consensus = loadVectors<{ vectors: { id: string; values: Record<string, unknown> }[] }>(
  'consensus.json',
);
const runtime = consensus.vectors.find((v) => v.id === 'consensus.runtime_constants')!.values;

const tested = new Set<string>();
const owned: Record<string, string[]> = {
  kzg: [
    'kzg_params_file_bytes',
    'kzg_params_g1_points',
    'kzg_params_g2_points',
    'kzg_params_sha256',
    'kzg_params_g1_0',
    'kzg_params_g1_1',
    'kzg_params_g2_0',
    'kzg_params_g2_1',
    'roots_of_unity_generator',
    'omega_256_be',
    'omega_32768_be',
    'omega_128_be',
    'identity_g1_compressed',
  ],
  archiver: [
    'segment_item_parent_header_len',
    'segment_item_tags',
    'segment_header_item_layout',
    'genesis_segment0_last_archived_block',
    'chacha8_zero_key_zero_nonce_first64_hex',
  ],
};

function check(key: string, actual: unknown) {
  tested.add(key);
  expect(actual, key).toEqual(archiving[key]);
}

describe('archiving.json structural vectors owned by primitives', () => {
  it('sizes and counts', () => {
    check('SAFE_BYTES', P.SAFE_BYTES);
    check('FULL_BYTES', P.FULL_BYTES);
    check('NUM_CHUNKS', P.NUM_CHUNKS);
    check('RawRecord.SIZE', P.RAW_RECORD_SIZE);
    check('Record.SIZE', P.RECORD_SIZE);
    check('NUM_RAW_RECORDS', P.NUM_RAW_RECORDS);
    check('NUM_PIECES', P.NUM_PIECES);
    check('RecordedHistorySegment.SIZE', P.RECORDED_HISTORY_SEGMENT_SIZE);
    check('Piece.SIZE', P.PIECE_SIZE);
    check('ArchivedHistorySegment.SIZE', P.ARCHIVED_HISTORY_SEGMENT_SIZE);
    check('commitment_bytes', P.COMMITMENT_SIZE);
    check('witness_bytes', P.WITNESS_SIZE);
  });
  it('segment header layout', () => {
    check('segment_header_scale_len', {
      Complete: P.SEGMENT_HEADER_SIZE_COMPLETE,
      Partial: P.SEGMENT_HEADER_SIZE_PARTIAL,
    });
    const h = {
      segmentIndex: 0n,
      segmentCommitment: new Uint8Array(48),
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: { number: 0, archivedProgress: { type: 'complete' as const } },
    };
    check('segment_v0_tag', P.encodeSegmentHeader(h)[0]);
    const partial = {
      ...h,
      lastArchivedBlock: { number: 0, archivedProgress: { type: 'partial' as const, bytes: 0 } },
    };
    check('archived_block_progress_tags', {
      Complete: P.encodeSegmentHeader(h)[93],
      Partial: P.encodeSegmentHeader(partial)[93],
    });
  });
  it('compact examples', () => {
    const ours = Object.fromEntries(
      Object.keys(archiving.compact_u32_examples_hex as object).map((k) => [
        k,
        P.bytesToHex(P.encodeCompact(Number(k))),
      ]),
    );
    check('compact_u32_examples_hex', ours);
  });
  it('blake3_254 of the identity commitment', () => {
    const identity = P.hexToBytes(archiving.identity_g1_compressed as string, 48);
    check('blake3_254_of_identity_commitment', P.bytesToHex(P.blake3_254(identity)));
  });
  it('every key is tested here or owned by a named package', () => {
    const elsewhere = new Set(Object.values(owned).flat());
    const missing = Object.keys(archiving).filter((k) => !tested.has(k) && !elsewhere.has(k));
    expect(missing).toEqual([]);
  });
});

describe('consensus.json runtime constants defined here', () => {
  it.each([
    ['SLOT_DURATION_MS', P.SLOT_DURATION_MS],
    ['BLOCK_AUTHORING_DELAY_SLOTS', P.BLOCK_AUTHORING_DELAY],
    ['SLOT_PROBABILITY', [...P.SLOT_PROBABILITY]],
    ['MAX_PIECES_IN_SECTOR', P.MAX_PIECES_IN_SECTOR],
    ['RECENT_SEGMENTS', P.RECENT_SEGMENTS],
    ['RECENT_HISTORY_FRACTION', [...P.RECENT_HISTORY_FRACTION]],
    ['MIN_SECTOR_LIFETIME_SEGMENTS', P.MIN_SECTOR_LIFETIME],
    ['NUM_CHECKPOINTS', P.POT_NUM_CHECKPOINTS],
  ] as const)('%s', (key, value) => expect(value).toEqual(runtime[key]));
});
