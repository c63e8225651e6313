// Runs one submission in one hardened, throw-away container; time and memory are measured by
// the kernel through the box-run helper inside the runtime image.
export { openSandbox } from './open-sandbox.js';
export { removeLeftoverSandboxes } from './remove-leftover-sandboxes.js';
export { listRuntimes } from './list-runtimes.js';
export type { CompileOutcome, OpenSandboxOptions, RunOutcome, RuntimeImage, Sandbox, SandboxLimits } from './types.js';
