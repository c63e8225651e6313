export { parseConfig, ConfigError, ROLES } from './config.js';
export type { AbuseLimitsConfig, Config, Role } from './config.js';
export { resolveAdminToken } from './admin-token.js';
export { projectFile } from './project-file.js';
