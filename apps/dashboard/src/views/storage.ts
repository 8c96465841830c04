/** Storage: upload a file (stored as a DAG on chain by the node), see its CID, fetch any CID back. */
import type { View } from '../context.js';
import { h, ms, replace } from '../dom.js';

export const storageView: View = (root, ctx) => {
  const file = h('input', { type: 'file', id: 'upload-file' });
  const uploadOut = h('div', { id: 'upload-result' });
  const cidInput = h('input', { type: 'text', id: 'fetch-cid', placeholder: 'CID (bafk…)', size: '64' });
  const fetchOut = h('div', { id: 'fetch-result' });
  const progress = h('progress', { max: '1', value: '0', hidden: true });

  const upload = async () => {
    const f = file.files?.[0];
    if (!f) return;
    replace(uploadOut, `uploading ${f.name} (${f.size} bytes)…`);
    const t0 = performance.now();
    try {
      const res = await fetch(`${ctx.origin}/files`, {
        method: 'POST',
        body: f,
        headers: {
          'content-type': f.type || 'application/octet-stream',
          'x-file-name': encodeURIComponent(f.name),
        },
      });
      const body = (await res.json()) as { cid?: string; error?: string };
      if (!res.ok || typeof body.cid !== 'string') throw new Error(body.error ?? `HTTP ${res.status}`);
      replace(
        uploadOut,
        'stored as ',
        h('code', { class: 'cid' }, body.cid),
        ` in ${ms(performance.now() - t0)}`,
      );
      cidInput.value = body.cid;
    } catch (e) {
      replace(
        uploadOut,
        h('span', { class: 'error' }, `upload failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  };

  const fetchCid = async () => {
    const cid = cidInput.value.trim();
    if (!cid) return;
    replace(fetchOut, `fetching ${cid}…`);
    progress.hidden = false;
    const t0 = performance.now();
    try {
      const res = await fetch(`${ctx.origin}/files/${encodeURIComponent(cid)}`);
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
      const total = Number(res.headers.get('content-length') ?? 0);
      const reader = res.body?.getReader();
      const parts: Uint8Array[] = [];
      let got = 0;
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(value);
          got += value.length;
          if (total) progress.value = got / total;
        }
      }
      const blob = new Blob(parts as BlobPart[], {
        type: res.headers.get('content-type') ?? 'application/octet-stream',
      });
      const url = URL.createObjectURL(blob);
      replace(
        fetchOut,
        h(
          'span',
          { 'data-bytes': String(got) },
          `${got} bytes (${blob.type}) in ${ms(performance.now() - t0)} `,
        ),
        h('a', { href: url, download: cid }, 'save'),
      );
    } catch (e) {
      replace(
        fetchOut,
        h('span', { class: 'error' }, `fetch failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    } finally {
      progress.hidden = true;
    }
  };

  replace(
    root,
    h('h2', {}, 'Storage'),
    h('h3', {}, 'Store a file'),
    h(
      'div',
      {},
      file,
      ' ',
      h('button', { type: 'button', id: 'upload', onclick: () => void upload() }, 'store'),
    ),
    uploadOut,
    h('h3', {}, 'Fetch a CID'),
    h(
      'div',
      {},
      cidInput,
      ' ',
      h('button', { type: 'button', id: 'fetch', onclick: () => void fetchCid() }, 'fetch'),
    ),
    progress,
    fetchOut,
  );
  return () => {};
};
