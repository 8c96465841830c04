/** A "verify in this browser" button: runs a check, shows the time it took and what was checked. */
import { h, ms, replace } from '../dom.js';

export interface Verdict {
  ok: boolean;
  /** What was checked, in a sentence. */
  checked: string;
}

export function verifyButton(label: string, run: () => Promise<Verdict>): HTMLElement {
  const out = h('span', { class: 'verdict' });
  const button = h('button', { type: 'button', class: 'verify', 'data-verify': label }, `verify ${label}`);
  button.addEventListener('click', async () => {
    const row = button.closest('tr');
    if (row) row.dataset.pinned = '1';
    button.disabled = true;
    replace(out, '…');
    out.className = 'verdict running';
    const t0 = performance.now();
    try {
      const v = await run();
      const took = performance.now() - t0;
      out.className = `verdict ${v.ok ? 'ok' : 'failed'}`;
      out.dataset.result = v.ok ? 'verified' : 'failed';
      replace(out, `${v.ok ? '✔ verified' : '✘ failed'} in ${ms(took)}`);
      out.title = v.checked;
    } catch (e) {
      out.className = 'verdict failed';
      out.dataset.result = 'failed';
      replace(out, `✘ ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      button.disabled = false;
    }
  });
  return h('span', { class: 'verify-cell' }, button, out);
}
