/** Docker timeout error: the engine did not finish `what` in time. */
export class DockerTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`docker: ${what} did not finish within ${ms} ms`);
    this.name = 'DockerTimeoutError';
  }
}

/**
 * Rejects when `promise` has not settled after `ms`, so a stuck engine cannot hang a worker.
 * `onTimeout` releases what the pending call holds (e.g. destroys a hijacked stream).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new DockerTimeoutError(what, ms));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
