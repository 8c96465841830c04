import { packageProject } from '../../vitest.shared.js';

export default packageProject('dsn');
