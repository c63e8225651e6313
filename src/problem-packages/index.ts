export { readPackageFiles } from './read-files.js';
export type { PackageFiles } from './read-files.js';
export { parsePackage, PackageError } from './parse-package.js';
export type { CreateProblemArgs, PackageSubmission, ParsedPackage } from './parse-package.js';
export { importPackage, verifyPackage } from './import.js';
export type { ImportResult, VerifyResult } from './import.js';
