export { verifyAudit } from './verify.js';
export type { AuditReport, AuditProgress, ReadModelMismatch } from './verify.js';
export { verifyHashChains } from './hash-chains.js';
export type { ChainBreak } from './hash-chains.js';
