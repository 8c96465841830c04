/**
 * @autonomys/plotter: the farmer's side of Proof-of-Archival-Storage. Proof of space (f1/fn, tables
 * with the canonical ordering, first proofs, the consensus verifier, the shim table, a worker table
 * generator); sector layout and codecs; plotting; reading records and pieces back; auditing;
 * proving; solution verification; solution ranges.
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
export {
  type PieceGetter,
  type PlotProgressEvent,
  type PlotSectorOptions,
  type PlottedSector,
  plotSector,
} from './plotting.js';
export * from './pos/functions.js';
export {
  type AbortOptions,
  ChiaPosTable,
  createPosTableGenerator,
  createShimTableGenerator,
  type GenerateOptions,
  type PosTable,
  type PosTableGenerator,
  type PosTableGeneratorOptions,
  proofMaskOf,
} from './pos/generator.js';
export { isShimProofValid } from './pos/shim.js';
export {
  createPosTables,
  defaultBackend,
  findProof,
  type PosTablesData,
  type PosTablesOptions,
  type ProofMasks,
} from './pos/tables.js';
export { type ProveSolutionsOptions, proveSolutions } from './proving.js';
export { checkSector, readPiece, readRecord, type SectorReadOptions } from './reading.js';
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
