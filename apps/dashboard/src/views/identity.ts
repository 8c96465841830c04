/**
 * Identity: inspect an Auto ID's certificate chain (identifiers, signatures) and its revocation
 * state, and verify a provenance record, all in the browser with @autonomys/auto-id.
 *
 * The node has no Auto ID registry RPC, so revocation is judged against registry records the user
 * supplies: the `autonomys-id` registry file (the pallet's calls in order, each with its time),
 * replayed here through `AutoIdRegistry` with every signature checked. Without records the state is
 * shown as unknown, never as "not revoked", and provenance is checked against a registry built from
 * the pasted certificates alone (which knows no revocations; the page says so).
 */
import type { View } from '../context.js';
import { h, ms, replace } from '../dom.js';

type AutoId = typeof import('@autonomys/auto-id');
type Registry = InstanceType<AutoId['AutoIdRegistry']>;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** A certificate's common name (bytes in @autonomys/auto-id) as text. */
const commonName = (cn: unknown): string =>
  cn instanceof Uint8Array ? new TextDecoder().decode(cn) : cn === undefined ? '?' : String(cn);
const when = (msSinceEpoch: bigint): string => new Date(Number(msSinceEpoch)).toISOString();
const message = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  const text = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
};

/** The PEM certificates of `text`, parsed, the identity first. */
function certificatesOf(id: AutoId, text: string) {
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return pems.map((p) => id.parseCertificate(p));
}

/** Replays an `autonomys-id` registry file (JSON) into a registry; every call's signature is checked. */
async function replayRecords(id: AutoId, text: string): Promise<{ registry: Registry; calls: number }> {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (e) {
    throw new Error(`registry records: not JSON (${message(e)})`);
  }
  const f = file as { format?: unknown; version?: unknown; calls?: unknown };
  if (f?.format !== 'autonomys-auto-id-registry' || f.version !== 1 || !Array.isArray(f.calls))
    throw new Error('registry records: expected an autonomys-id registry file (format, version 1, calls)');
  const { hexToBytes } = await import('@autonomys/primitives');
  const registry = new id.AutoIdRegistry();
  let i = 0;
  for (const entry of f.calls as unknown[]) {
    const e = entry as { now?: unknown; call?: unknown };
    if (typeof e?.now !== 'string' || !/^\d{1,20}$/.test(e.now) || typeof e.call !== 'string')
      throw new Error(`registry records: call ${i} needs a decimal "now" and a hex "call"`);
    const now = BigInt(e.now);
    try {
      const c = id.decodeCall(hexToBytes(e.call));
      if (c.call === 'register_auto_id') await registry.registerAutoId(c.req, { now });
      else if (c.call === 'renew_auto_id') await registry.renewAutoId(c.id, c.req, { now });
      else if (c.call === 'revoke_certificate') await registry.revokeCertificate(c.id, c.signature, { now });
      else await registry.deactivateAutoId(c.id, c.signature, { now });
    } catch (err) {
      throw new Error(`registry records: call ${i} rejected (${message(err)})`);
    }
    i++;
  }
  return { registry, calls: i };
}

/** A registry holding only the pasted chain, registered root first at time `now`. */
async function registryFromChain(
  id: AutoId,
  certs: ReturnType<AutoId['parseCertificate']>[],
  now: bigint,
): Promise<Registry> {
  const registry = new id.AutoIdRegistry();
  let issuer: Uint8Array | undefined;
  for (let i = certs.length - 1; i >= 0; i--)
    issuer = await registry.registerAutoId(id.registrationFromCertificate(certs[i]!.der, issuer), { now });
  return registry;
}

export const identityView: View = (root) => {
  const certs = h('textarea', {
    id: 'certs',
    rows: '8',
    cols: '80',
    placeholder: 'PEM certificates: the identity first, then its issuers',
  });
  const records = h('textarea', {
    id: 'registry-records',
    rows: '5',
    cols: '80',
    placeholder: 'optional: Auto ID registry records (the autonomys-id registry file, JSON)',
  });
  const out = h('div', { id: 'identity-result' });
  const recordText = h('textarea', {
    id: 'provenance-record',
    rows: '6',
    cols: '80',
    placeholder: 'a provenance record: its JSON form or its bytes in hex',
  });
  const content = h('input', { type: 'file', id: 'provenance-content' });
  const verdict = h('div', { id: 'provenance-result', class: 'verdict' });

  const inspect = async () => {
    const t0 = performance.now();
    try {
      const id = await import('@autonomys/auto-id');
      const parsed = certificatesOf(id, certs.value);
      if (parsed.length === 0) throw new Error('no PEM certificate found');
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
      let source =
        'revocation state unknown: no registry records given (the node has no Auto ID registry RPC)';
      let states: { kind: string; text: string }[] = parsed.map(() => ({ kind: 'unknown', text: 'unknown' }));
      if (records.value.trim() !== '') {
        const { registry, calls } = await replayRecords(id, records.value);
        source = `revocation state from ${calls} registry records supplied here, replayed with their signatures checked in this browser (the node has no Auto ID registry RPC)`;
        states = ids.map((x) => {
          const s = registry.revocationStatus(x);
          if (s === undefined) return { kind: 'unregistered', text: 'not registered in the records' };
          if (!s.revoked) return { kind: 'valid', text: 'not revoked' };
          const since = s.since === undefined ? '' : ` since ${when(s.since)}`;
          return {
            kind: s.reason,
            text: `${s.reason === 'revoked' ? 'REVOKED' : 'DEACTIVATED'} (${hex(s.by) === hex(x) ? 'this certificate' : `through ${hex(s.by).slice(0, 16)}…`}${since})`,
          };
        });
      }
      replace(
        out,
        h(
          'ul',
          { class: 'chain' },
          ...parsed.map((c, i) =>
            h(
              'li',
              { 'data-revocation': states[i]!.kind },
              h('b', {}, commonName(c.subjectCommonName)),
              ' · Auto ID ',
              h('code', {}, hex(ids[i]!)),
              ' · ',
              h('span', { class: 'revocation' }, states[i]!.text),
            ),
          ),
        ),
        h('ul', {}, ...checks.map((c) => h('li', {}, c))),
        h('p', { class: 'note' }, source),
        `checked in ${ms(performance.now() - t0)}`,
      );
    } catch (e) {
      replace(out, h('span', { class: 'error' }, message(e)));
    }
  };

  const verifyProvenance = async () => {
    const t0 = performance.now();
    verdict.className = 'verdict running';
    delete verdict.dataset.result;
    replace(verdict, '…');
    try {
      const id = await import('@autonomys/auto-id');
      const text = recordText.value.trim();
      if (text === '') throw new Error('paste a provenance record');
      const record = text.startsWith('{')
        ? id.provenanceRecordFromJson(JSON.parse(text))
        : id.decodeProvenanceRecord((await import('@autonomys/primitives')).hexToBytes(text));
      let registry: Registry;
      let against: string;
      if (records.value.trim() !== '') {
        const r = await replayRecords(id, records.value);
        registry = r.registry;
        against = `the ${r.calls} registry records supplied here (revocations included)`;
      } else {
        const parsed = certificatesOf(id, certs.value);
        if (parsed.length === 0)
          throw new Error('give the signer’s certificates or registry records to verify against');
        registry = await registryFromChain(id, parsed, record.timestamp);
        against = 'the pasted certificates only (no registry records: revocations are NOT known)';
      }
      const file = content.files?.[0];
      const bytes = file === undefined ? undefined : new Uint8Array(await file.arrayBuffer());
      const v = await id.verifyProvenanceRecord(record, {
        registry,
        ...(bytes === undefined ? {} : { content: bytes }),
      });
      verdict.className = 'verdict ok';
      verdict.dataset.result = 'verified';
      replace(
        verdict,
        `✔ verified in ${ms(performance.now() - t0)}: ${record.cid.text} signed by ${id.didFromAutoId(v.signer)} at ${when(record.timestamp)}; chain of ${v.chain.length}, signature, validity and revocations checked against ${against}${bytes === undefined ? '; content not given' : `; content (${bytes.length} bytes) matches the CID`}`,
      );
    } catch (e) {
      verdict.className = 'verdict failed';
      verdict.dataset.result = 'failed';
      replace(verdict, `✘ failed in ${ms(performance.now() - t0)}: ${message(e)}`);
    }
  };

  replace(
    root,
    h('h2', {}, 'Identity'),
    certs,
    h('div', {}, records),
    h(
      'p',
      { class: 'note' },
      'This node has no Auto ID registry RPC: revocation is checked against the registry records you supply (the autonomys-id registry file), replayed and signature-checked in this browser.',
    ),
    h(
      'div',
      {},
      h('button', { type: 'button', id: 'inspect', onclick: () => void inspect() }, 'inspect and verify'),
    ),
    out,
    h('h3', {}, 'Provenance'),
    recordText,
    h('div', {}, h('label', {}, 'content (optional): ', content)),
    h(
      'div',
      {},
      h(
        'button',
        { type: 'button', id: 'verify-provenance', onclick: () => void verifyProvenance() },
        'verify provenance record',
      ),
    ),
    verdict,
  );
  return () => {};
};
