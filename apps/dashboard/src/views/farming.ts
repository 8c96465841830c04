/** Farming: plots and plotting progress, audits and solutions, blocks authored, the solution range over blocks. */
import { headerFromJson, summarize } from '../chain-data.js';
import type { View } from '../context.js';
import { h, replace } from '../dom.js';

const POINTS = 120;

function chart(values: Array<{ n: number; range: bigint }>): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 600 160');
  svg.setAttribute('class', 'chart');
  if (values.length < 2) return svg;
  const ys = values.map((v) => Number(v.range));
  const min = Math.min(...ys);
  const max = Math.max(...ys);
  const span = max - min || 1;
  const pts = values.map(
    (v, i) => `${(i / (values.length - 1)) * 590 + 5},${150 - ((Number(v.range) - min) / span) * 140}`,
  );
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', pts.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '2');
  svg.append(line);
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('x', '8');
  label.setAttribute('y', '14');
  label.textContent = `solution range ${min === max ? min : `${min} … ${max}`} over blocks #${values[0]!.n}–#${values[values.length - 1]!.n}`;
  svg.append(label);
  return svg;
}

export const farmingView: View = (root, ctx) => {
  const stats = h('div', { class: 'stats', id: 'farming-stats' }, 'loading…');
  const plotting = h('div', { id: 'plotting' });
  const chartBox = h('div', { id: 'range-chart' });
  replace(
    root,
    h('h2', {}, 'Farming'),
    stats,
    h('h3', {}, 'Plotting'),
    plotting,
    h('h3', {}, 'Solution range'),
    chartBox,
  );
  const ranges: Array<{ n: number; range: bigint }> = [];

  const poll = async () => {
    try {
      const s = (await ctx.rpc.request('autonomys_nodeStatus')) as Record<string, unknown>;
      const sol = (s.solutions ?? {}) as Record<string, unknown>;
      replace(
        stats,
        h('div', { class: 'stat' }, 'farmers ', h('b', {}, String(s.farmers ?? 0))),
        h('div', { class: 'stat' }, 'blocks authored ', h('b', {}, String(s.blocksAuthored ?? 0))),
        ...Object.entries(sol).map(([k, v]) => h('div', { class: 'stat' }, `${k} `, h('b', {}, String(v)))),
        h('div', { class: 'stat' }, 'history size ', h('b', {}, String(s.historySize ?? '?'))),
      );
      const p = s.plotting as Record<string, unknown> | null | undefined;
      if (p && typeof p === 'object') {
        const done = Number(p.sectorsPlotted ?? p.done ?? 0);
        const total = Number(p.sectorsTotal ?? p.total ?? 0);
        replace(
          plotting,
          h('progress', { max: String(total || 1), value: String(done) }),
          ` ${done} of ${total} sectors plotted`,
          p.current ? ` · ${JSON.stringify(p.current)}` : '',
        );
      } else replace(plotting, 'no plotting information');
    } catch (e) {
      ctx.error('autonomys_nodeStatus', e);
    }
  };
  void poll();
  const timer = setInterval(poll, 2000);
  const stop = ctx.rpc.subscribe(
    'chain_subscribeNewHeads',
    [],
    'chain_newHead',
    'chain_unsubscribeNewHeads',
    (v) => {
      try {
        const b = summarize(headerFromJson(v));
        ranges.push({ n: b.number, range: b.items.solutionRange });
        if (ranges.length > POINTS) ranges.shift();
        replace(chartBox, chart(ranges));
      } catch (e) {
        ctx.error('new head', e);
      }
    },
  );
  return () => {
    clearInterval(timer);
    stop();
  };
};
