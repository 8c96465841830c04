/** The roles (timekeeper, farmer, block author), the node's farming hub, and their interfaces. */
export {
  type AuthorChain,
  type AuthorEvent,
  BLOCK_AUTHORING_DELAY,
  BlockAuthor,
  type BlockAuthorInit,
} from './author.js';
export { Farmer, type FarmerEvent, type FarmerInit } from './farmer.js';
export { FarmingHub, type FarmingHubOptions, type HubChain } from './hub.js';
export { TimekeeperRole, type TimekeeperRoleInit } from './timekeeper.js';
export type { FarmerNode, PotSource, SolutionCandidate, Unsubscribe } from './types.js';
