/** Prints progress of long work to stderr, at most about once a second, and a final line. */
export function progressPrinter(label: string, stream: NodeJS.WriteStream = process.stderr): { tick(n: number): void; done(n: number): void } {
  let last = 0;
  return {
    tick(n) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      stream.write(`${label}: ${n} events…\n`);
    },
    done(n) {
      stream.write(`${label}: ${n} events, done\n`);
    },
  };
}
