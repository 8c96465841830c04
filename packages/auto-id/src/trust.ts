/**
 * The relying-party checks shared by credentials, agents and provenance (our design, not pallet
 * rules): an Auto ID's chain up to its root resolves in the registry, no link is revoked or
 * deactivated (or, for a signature with a time, not before that time), and every certificate's
 * validity window covers the time checked.
 */
import { bytesToHex } from '@autonomys/primitives';
import { au64 } from './assert.js';
import { fail } from './errors.js';
import type { AutoIdRegistry, ChainLink } from './registry.js';
import type { Identifier } from './types.js';

/**
 * Largest TBSCertificate the relying-party layer accepts in a chain (the pallet has no such limit
 * and the registry keeps none: only credentials, agents and provenance judge it).
 */
export const MAX_CHAIN_CERTIFICATE_SIZE = 16_384;

/** Options of {@link checkChain}. */
export interface ChainCheck {
  /** The time the chain must be good at (ms). */
  at: bigint;
  /**
   * For a signature made at `at` and verified later: revocations and deactivations from `at` on
   * (strictly later) do not count, and only `notAfter` is checked (a renewal keeps the key and
   * the Auto ID but moves `notBefore` forward, so older signatures stay checkable).
   */
  signedBefore?: boolean;
}

/**
 * Checks the chain of `id` and returns it (the identity first, its root last). Throws
 * AUTO_ID_UNRESOLVED_IDENTITY, AUTO_ID_REVOKED, AUTO_ID_NOT_VALID_AT or
 * AUTO_ID_CERTIFICATE_TOO_LARGE (a TBS over 16 KiB, e.g. oversized extensions).
 *
 * @example checkChain(registry, agentId, { at: BigInt(Date.now()) }).length // 3 for root -> creator -> agent
 */
export function checkChain(registry: AutoIdRegistry, id: Identifier, opts: ChainCheck): ChainLink[] {
  const at = au64(opts.at, 'at');
  const chain = registry.chainOf(id);
  if (!chain) return fail({ code: 'AUTO_ID_UNRESOLVED_IDENTITY', id: bytesToHex(id) });
  const last = chain[chain.length - 1]!;
  if (last.certificate.issuerId)
    return fail({ code: 'AUTO_ID_UNRESOLVED_IDENTITY', id: bytesToHex(last.certificate.issuerId) });
  const status = registry.revocationStatus(id);
  if (status?.revoked) {
    const before = opts.signedBefore && status.since !== undefined && at < status.since;
    if (!before)
      fail({
        code: 'AUTO_ID_REVOKED',
        id: bytesToHex(status.by),
        reason:
          status.since === undefined
            ? `${status.reason} (time unknown)`
            : `${status.reason} at ${status.since} ms${opts.signedBefore ? `, signed at ${at} ms` : ''}`,
      });
  }
  for (const link of chain) {
    const size = link.certificate.raw.length;
    if (size > MAX_CHAIN_CERTIFICATE_SIZE)
      fail({
        code: 'AUTO_ID_CERTIFICATE_TOO_LARGE',
        id: bytesToHex(link.id),
        size,
        limit: MAX_CHAIN_CERTIFICATE_SIZE,
      });
    const v = link.certificate.validity;
    if ((!opts.signedBefore && at < v.notBefore) || at > v.notAfter)
      fail({
        code: 'AUTO_ID_NOT_VALID_AT',
        what: `certificate of ${bytesToHex(link.id)}`,
        reason: `valid ${v.notBefore}..${v.notAfter} ms, checked at ${at} ms`,
      });
  }
  return chain;
}
