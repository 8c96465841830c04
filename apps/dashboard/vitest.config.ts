import { packageProject } from '../../vitest.shared.js';

// Sibling packages resolve to their sources in tests (the node for the end-to-end test).
export default packageProject('dashboard');
