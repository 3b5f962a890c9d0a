/**
 * Run in a fresh process by figure 1 (`node --import tsx bench/coldBuild.ts`): times COBA's
 * build + compile from before the first spikeworld import to the end of compile() and prints one
 * JSON line `{ "total_ms", "import_ms", "build_ms", "compile_ms" }` on stdout.
 */
const t0 = performance.now();
const sw = await import('../src/index.js');
const { buildCoba } = await import('../examples/networks/coba.js');
const t1 = performance.now();
sw.setup({ dt: 0.1, seed: 42 });
buildCoba();
const t2 = performance.now();
sw.compile();
const t3 = performance.now();
console.log(JSON.stringify({ total_ms: t3 - t0, import_ms: t1 - t0, build_ms: t2 - t1, compile_ms: t3 - t2 }));
