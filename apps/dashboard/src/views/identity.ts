/** Identity: inspect Auto ID certificates (chain, identifiers) and verify a provenance record, in the browser. */
import type { View } from '../context.js';
import { h, ms, replace } from '../dom.js';

export const identityView: View = (root) => {
  const certs = h('textarea', {
    id: 'certs',
    rows: '8',
    cols: '80',
    placeholder: 'PEM certificates: the identity first, then its issuers',
  });
  const out = h('div', { id: 'identity-result' });
  const inspect = async () => {
    const t0 = performance.now();
    try {
      const id = await import('@autonomys/auto-id');
      const pems = certs.value.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (pems.length === 0) throw new Error('no PEM certificate found');
      const parsed = pems.map((p) => id.parseCertificate(p));
      // Identifiers from the root down: each one derives from its issuer's.
      const ids: Uint8Array[] = [];
      for (let i = parsed.length - 1; i >= 0; i--) {
        const issuer = i === parsed.length - 1 ? undefined : ids[0];
        ids.unshift(id.autoIdFromCertificate(parsed[i]!.der, issuer));
      }
      const checks: string[] = [];
      for (let i = 0; i + 1 < parsed.length; i++) {
        const ok = await id.verifyX509Signature(
          parsed[i + 1]!.subjectPublicKeyInfo,
          parsed[i]!.signatureAlgorithm,
          parsed[i]!.tbs,
          parsed[i]!.signature,
        );
        checks.push(`certificate ${i} signed by certificate ${i + 1}: ${ok ? 'yes' : 'NO'}`);
      }
      replace(
        out,
        h(
          'ul',
          {},
          ...parsed.map((c, i) =>
            h(
              'li',
              {},
              h('b', {}, String(c.subjectCommonName ?? '?')),
              ` · Auto ID `,
              h('code', {}, Array.from(ids[i]!, (b) => b.toString(16).padStart(2, '0')).join('')),
            ),
          ),
        ),
        h('ul', {}, ...checks.map((c) => h('li', {}, c))),
        `checked in ${ms(performance.now() - t0)}`,
      );
    } catch (e) {
      replace(out, h('span', { class: 'error' }, e instanceof Error ? e.message : String(e)));
    }
  };
  replace(
    root,
    h('h2', {}, 'Identity'),
    certs,
    h('div', {}, h('button', { type: 'button', onclick: () => void inspect() }, 'inspect and verify')),
    out,
  );
  return () => {};
};
