export { DEFAULT_RUNTIMES, LANGUAGES, RUNTIMES, findLanguage, runtimeImage } from './registry.js';
export type { LanguageId, LanguageSpec, RuntimeName } from './registry.js';
