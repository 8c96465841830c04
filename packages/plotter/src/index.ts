/**
 * @autonomys/plotter: proof of space for Autonomys farmers (this slice): f1/fn, table construction
 * with the canonical ordering, first proofs, the consensus verifier, the shim table, and a worker
 * table generator. Plotting, auditing, proving and solution verification are the next slices.
 * @module
 */
export * from './constants.js';
export { PlotterError, type PlotterErrorCode, type PlotterErrorType } from './errors.js';
export * from './pos/functions.js';
export {
  type AbortOptions,
  ChiaPosTable,
  createPosTableGenerator,
  createShimTableGenerator,
  type PosTable,
  type PosTableGenerator,
  type PosTableGeneratorOptions,
} from './pos/generator.js';
export { isShimProofValid } from './pos/shim.js';
export {
  createPosTables,
  defaultBackend,
  findProof,
  type PosTablesData,
  type PosTablesOptions,
} from './pos/tables.js';
