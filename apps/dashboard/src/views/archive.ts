/** Archive: segment headers as they are archived, pieces per segment, piece verification in the browser. */
import { decodeSegmentHeader } from '@autonomys/primitives';
import { hexField, obj } from '../chain-data.js';
import type { View } from '../context.js';
import { h, replace, short } from '../dom.js';
import { protocolFacts, verifyPiece } from '../verify.js';
import { verifyButton } from './verify-button.js';

export const archiveView: View = (root, ctx) => {
  const rows = h('tbody');
  const pieceInput = h('input', { type: 'number', min: '0', value: '0', id: 'piece-index' });
  replace(
    root,
    h('h2', {}, 'Archive'),
    h(
      'div',
      { class: 'piece-check' },
      'piece index ',
      pieceInput,
      ' ',
      verifyButton('piece', () => verifyPiece(ctx, BigInt(pieceInput.value || '0'))),
    ),
    h(
      'table',
      { class: 'segments' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'segment'),
          h('th', {}, 'commitment'),
          h('th', {}, 'last archived block'),
          h('th', {}, 'pieces'),
        ),
      ),
      rows,
    ),
  );
  const shown = new Set<string>();
  const add = async (json: unknown) => {
    try {
      const header = decodeSegmentHeader(
        hexField(obj(json, 'segment header').encoded, 'segment header.encoded'),
      );
      const key = String(header.segmentIndex);
      if (shown.has(key)) return;
      shown.add(key);
      const f = await protocolFacts(ctx);
      const numPieces = 2 * f.numRawRecords;
      const first = header.segmentIndex * BigInt(numPieces);
      const commitment = Array.from(header.segmentCommitment, (b) => b.toString(16).padStart(2, '0')).join(
        '',
      );
      rows.prepend(
        h(
          'tr',
          { 'data-segment': key },
          h('td', {}, key),
          h('td', { class: 'mono', title: commitment }, short(`0x${commitment}`)),
          h(
            'td',
            {},
            `#${header.lastArchivedBlock.number} (${header.lastArchivedBlock.archivedProgress.type})`,
          ),
          h(
            'td',
            {},
            `${first} … ${first + BigInt(numPieces) - 1n} `,
            verifyButton(`piece ${first}`, () => verifyPiece(ctx, first)),
          ),
        ),
      );
    } catch (e) {
      ctx.error('segment header', e);
    }
  };
  void ctx.rpc
    .request('subspace_lastSegmentHeaders', [16])
    .then((list) => {
      if (!Array.isArray(list)) throw new Error('subspace_lastSegmentHeaders: expected an array');
      for (const x of list) if (x !== null) void add(x);
    })
    .catch((e) => ctx.error('subspace_lastSegmentHeaders', e));
  return ctx.rpc.subscribe(
    'subspace_subscribeArchivedSegmentHeader',
    [],
    'subspace_archived_segment_header',
    'subspace_unsubscribeArchivedSegmentHeader',
    (v) => void add(v),
    (e) => ctx.error('subspace_subscribeArchivedSegmentHeader', e),
  );
};
