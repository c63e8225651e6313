export { LANGUAGES, RUNTIMES, findLanguage, runtimeImage } from './registry.js';
export type { LanguageId, LanguageSpec, RuntimeName } from './registry.js';
