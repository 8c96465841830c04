/**
 * Object retrieval (C.7): the archiver's `fetchObject` over a DSN piece getter, so every piece it
 * reads is validated, and objects running across piece and segment boundaries are joined.
 */
import { type ArchivingParams, fetchObject } from '@autonomys/archiver';
import type { GlobalObject } from '@autonomys/primitives';
import type { PieceGetter } from './retrieval.js';

/**
 * The bytes of the object a mapping points to (its BLAKE3 hash is checked).
 * @example const data = await fetchObjectFromDsn(mapping, getter, { params })
 */
export function fetchObjectFromDsn(
  mapping: GlobalObject,
  getter: PieceGetter,
  opts: { params?: ArchivingParams; signal?: AbortSignal; maxObjectSize?: number } = {},
): Promise<Uint8Array> {
  return fetchObject(mapping, (i, o) => getter.getPiece(i, o?.signal ? { signal: o.signal } : {}), opts);
}
