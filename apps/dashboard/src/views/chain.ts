/** Chain: the head, recent blocks (author, slot, solution range, PoT checkpoints), slots ticking live. */
import {
  type BlockSummary,
  headerFromJson,
  justificationFromBlockJson,
  summarize,
  u64,
} from '../chain-data.js';
import type { View } from '../context.js';
import { h, replace, short } from '../dom.js';
import { verifyBlockPot, verifyBlockSolution } from '../verify.js';
import { verifyButton } from './verify-button.js';

const KEEP = 60;

export const chainView: View = (root, ctx) => {
  const head = h('div', { class: 'stat', id: 'head' }, 'waiting for the first head…');
  const slot = h('div', { class: 'stat', id: 'slot' }, 'waiting for slots…');
  const forks = h('div', { class: 'stat', id: 'forks' }, 'reorgs seen: 0');
  const rows = h('tbody');
  const table = h(
    'table',
    { class: 'blocks' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, '#'),
        h('th', {}, 'hash'),
        h('th', {}, 'slot'),
        h('th', {}, 'author'),
        h('th', {}, 'solution range'),
        h('th', {}, 'PoT iterations'),
        h('th', {}, 'verify in this browser'),
      ),
    ),
    rows,
  );
  replace(root, h('h2', {}, 'Chain'), h('div', { class: 'stats' }, head, slot, forks), table);
  const seen = new Map<number, string>();
  let reorgs = 0;

  const row = (b: BlockSummary) => {
    const tr = h(
      'tr',
      { 'data-number': String(b.number), 'data-hash': b.hash },
      h('td', {}, b.number),
      h('td', { class: 'mono', title: b.hash }, short(b.hash)),
      h('td', {}, String(b.slot)),
      h('td', { class: 'mono', title: b.author }, short(b.author, 6)),
      h('td', {}, b.items.solutionRange.toString()),
      h('td', {}, b.items.potSlotIterations),
      h(
        'td',
        {},
        verifyButton('PoT', async () => {
          const block = await ctx.rpc.request('chain_getBlock', [b.hash]);
          const j = justificationFromBlockJson(block);
          if (j === undefined) throw new Error('the block has no PoT justification');
          return verifyBlockPot(b, j);
        }),
        verifyButton('solution', () => verifyBlockSolution(ctx, b)),
      ),
    );
    rows.prepend(tr);
    // Drop the oldest rows, but never one the user is verifying (it is pinned by its button).
    for (let i = rows.children.length - 1; i >= 0 && rows.children.length > KEEP; i--) {
      const r = rows.children[i] as HTMLElement;
      if (r.dataset.pinned !== '1') r.remove();
    }
  };

  const stopHeads = ctx.rpc.subscribe(
    'chain_subscribeNewHeads',
    [],
    'chain_newHead',
    'chain_unsubscribeNewHeads',
    (v) => {
      try {
        const b = summarize(headerFromJson(v));
        const known = seen.get(b.number);
        if (known !== undefined && known !== b.hash) {
          reorgs++;
          replace(forks, `reorgs seen: ${reorgs} (last at #${b.number})`);
          for (const tr of Array.from(rows.children))
            if (Number((tr as HTMLElement).dataset.number) >= b.number) tr.remove();
        }
        seen.set(b.number, b.hash);
        replace(head, h('b', {}, `#${b.number}`), ' ', h('span', { class: 'mono' }, short(b.hash)));
        row(b);
      } catch (e) {
        ctx.error('new head', e);
      }
    },
    (e) => ctx.error('chain_subscribeNewHeads', e),
  );
  const stopSlots = ctx.rpc.subscribe(
    'subspace_subscribeSlotInfo',
    [],
    'subspace_slot_info',
    'subspace_unsubscribeSlotInfo',
    (v) => {
      try {
        const o = v as Record<string, unknown>;
        replace(
          slot,
          'slot ',
          h('b', {}, String(u64(o.slotNumber, 'slotNumber'))),
          ` · solution range ${u64(o.solutionRange, 'solutionRange')}`,
        );
      } catch (e) {
        ctx.error('slot info', e);
      }
    },
    (e) => ctx.error('subspace_subscribeSlotInfo', e),
  );
  return () => {
    stopHeads();
    stopSlots();
  };
};
