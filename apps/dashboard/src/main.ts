/**
 * The dashboard shell: one WebSocket to the node (the page's own origin by default, `?rpc=ws://…`
 * to point elsewhere), a connection banner that says when the node is gone and when it is back,
 * and five views.
 */
import type { View, ViewContext } from './context.js';
import { h, replace } from './dom.js';
import { RpcClient } from './rpc.js';
import { archiveView } from './views/archive.js';
import { chainView } from './views/chain.js';
import { farmingView } from './views/farming.js';
import { identityView } from './views/identity.js';
import { storageView } from './views/storage.js';
import './style.css';

const VIEWS: Record<string, { title: string; view: View }> = {
  chain: { title: 'Chain', view: chainView },
  farming: { title: 'Farming', view: farmingView },
  archive: { title: 'Archive', view: archiveView },
  storage: { title: 'Storage', view: storageView },
  identity: { title: 'Identity', view: identityView },
};

const params = new URLSearchParams(location.search);
const origin = params.get('node') ?? location.origin;
const wsUrl = params.get('rpc') ?? `${origin.replace(/^http/, 'ws')}/`;
const rpc = new RpcClient(wsUrl);

const banner = h('div', { id: 'connection', class: 'banner' });
const errors = h('ul', { id: 'errors', class: 'errors' });
const main = h('main', { id: 'view' });
const nav = h(
  'nav',
  {},
  ...Object.entries(VIEWS).map(([id, v]) => h('a', { href: `#${id}`, 'data-view': id }, v.title)),
);
document.body.append(h('header', {}, h('h1', {}, 'Autonomys node'), nav, banner), errors, main);

let everOpen = false;
rpc.onState((s) => {
  banner.dataset.state = s.state;
  if (s.state === 'open') {
    replace(banner, everOpen ? 'reconnected to the node' : 'connected to the node');
    everOpen = true;
  } else if (s.state === 'connecting') replace(banner, `connecting to ${wsUrl} (attempt ${s.attempt})…`);
  else replace(banner, `disconnected (${s.reason}); retrying in ${(s.retryInMs / 1000).toFixed(1)} s`);
});

const ctx: ViewContext = {
  rpc,
  origin,
  error(where, e) {
    const msg = `${where}: ${e instanceof Error ? e.message : String(e)}`;
    errors.prepend(h('li', {}, msg));
    while (errors.children.length > 5) errors.lastElementChild?.remove();
  },
};

let stop: (() => void) | undefined;
function show(): void {
  const id = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : 'chain';
  stop?.();
  for (const a of Array.from(nav.querySelectorAll('a'))) a.classList.toggle('active', a.dataset.view === id);
  stop = VIEWS[id]!.view(main, ctx);
}
window.addEventListener('hashchange', show);
show();
