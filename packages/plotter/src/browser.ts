/**
 * @autonomys/plotter for browsers (the `browser` condition of the package's exports): solution
 * verification and the pure functions around it (proofs of space, audits, sector layout, solution
 * ranges, expiration), without plotting, table generation on worker threads or plot files. Pass a
 * `Kzg` from `@autonomys/kzg`'s browser entry. No node: imports are reachable from here.
 * @module
 */
export {
  type AuditPlotOptions,
  type AuditSectorOptions,
  auditChunks,
  auditPlot,
  auditSBucket,
  auditSector,
  type ChunkCandidate,
  type SectorAuditResult,
  type SectorSource,
} from './auditing.js';
export * from './constants.js';
export { PlotterError, type PlotterErrorCode, type PlotterErrorType } from './errors.js';
export {
  type SectorExpirationStatus,
  sectorExpirationCheckSegmentIndex,
  sectorExpirationStatus,
} from './expiration.js';
export * from './pos/functions.js';
export { isShimProofValid } from './pos/shim.js';
export {
  decodeSectorContentsMap,
  decodeSectorMetadataChecksummed,
  encodeSectorContentsMap,
  encodeSectorMetadataChecksummed,
  SectorContentsMap,
  type SectorLayout,
  type SectorMetadata,
  type SectorOptions,
  sectorContentsMapSize,
  sectorLayout,
  sectorMetadataChecksummedSize,
  sectorSize,
} from './sector/layout.js';
export {
  blockForkWeight,
  deriveNextSolutionRange,
  type Fraction,
  type NextSolutionRangeParams,
  piecesToSolutionRange,
  solutionRangeToPieces,
  votingSolutionRange,
} from './solution-range.js';
export {
  auditDistance,
  type PieceCheckParams,
  solutionPieceIndex,
  type VerifySolutionOptions,
  type VerifySolutionParams,
  verifySolution,
} from './verification.js';
