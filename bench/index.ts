// Benchmarks: `npm run bench` (the judge end to end, written to bench/RESULTS.md) or
// `npm run bench -- <name> [args]`. Each prints its figures and ratios on stdout.
// Loaded on demand, so one benchmark's dependencies never stand in another's way.
const benches: Record<string, (args: string[]) => Promise<void>> = {
  judge: async () => (await import('./judge.js')).benchJudge(),
  sandbox: async (args) => (await import('./sandbox.js')).benchSandbox(args),
  load: async (args) => (await import('./load.js')).benchLoad(args),
};

const [name = 'judge', ...args] = process.argv.slice(2);
const bench = benches[name];
if (!bench) {
  console.error(`unknown benchmark '${name}' (known: ${Object.keys(benches).join(', ')})`);
  process.exit(2);
}
await bench(args);
