/**
 * Sector expiration from the farmer's side (farming §4.8). The expiration history size itself is a
 * consensus rule and lives in `@autonomys/primitives` (`sectorExpirationHistorySize`); this is when
 * to replot.
 */
import { MIN_SECTOR_LIFETIME } from '@autonomys/primitives';
import { ahistorySize, aint, au64 } from './assert.js';

/**
 * The segment whose commitment decides a sector's expiration: `historySize + minSectorLifetime − 1`
 * (until it is archived the sector cannot expire).
 * @example sectorExpirationCheckSegmentIndex(10n) // 13n
 */
export function sectorExpirationCheckSegmentIndex(
  historySize: bigint,
  minSectorLifetime: number = MIN_SECTOR_LIFETIME,
): bigint {
  ahistorySize(historySize);
  aint(minSectorLifetime, 0, 0xffff, 'minSectorLifetime');
  return historySize + BigInt(minSectorLifetime) - 1n;
}

/** Where a sector stands once segment `segmentIndex` is archived. */
export type SectorExpirationStatus = 'active' | 'about-to-expire' | 'expired';

/**
 * The farmer's rule on each new archived segment: with `expiresAt = expirationHistorySize − 1` (a
 * segment index), `'expired'` once `expiresAt ≤ segmentIndex`, `'about-to-expire'` (replot now, one
 * segment early) once `expiresAt ≤ segmentIndex + 1`, else `'active'`.
 * @example sectorExpirationStatus(20n, 18n) // 'about-to-expire'
 */
export function sectorExpirationStatus(
  expirationHistorySize: bigint,
  segmentIndex: bigint,
): SectorExpirationStatus {
  ahistorySize(expirationHistorySize, 'expirationHistorySize');
  au64(segmentIndex, 'segmentIndex');
  const expiresAt = expirationHistorySize - 1n;
  if (expiresAt <= segmentIndex) return 'expired';
  if (expiresAt <= segmentIndex + 1n) return 'about-to-expire';
  return 'active';
}
