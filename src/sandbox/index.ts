// Runs submissions in hardened, throw-away containers: one container per submission, compiled
// once, every test run in it by the box-run supervisor (pid 1), which measures with the kernel.
export { openSandbox } from './open-sandbox.js';
export { createSandboxPool } from './sandbox-pool.js';
export { removeLeftoverSandboxes, type RemoveLeftoverOptions } from './remove-leftover-sandboxes.js';
export { listRuntimes } from './list-runtimes.js';
export { COMPILE_DEFAULTS } from './limits.js';
export { SandboxLostError } from './supervisor.js';
export { SupervisorError } from './supervisor-protocol.js';
export type {
  CompileLimits,
  CompileOutcome,
  OpenSandboxOptions,
  RunOptions,
  RunOutcome,
  RuntimeImage,
  Sandbox,
  SandboxLimits,
  SandboxOptions,
  SandboxPool,
  SandboxPoolOptions,
} from './types.js';
