/**
 * The seed sweep (8 networks) sequential vs parallel from compiled JavaScript — what users of the
 * npm package run: the bundled package (`npm run build`, bench/lib/compiled.ts) under plain `node`
 * in a child process, so workers start without tsx. Same module and durations as the TypeScript
 * figures in parallel.ts. Then the same sequential sweep in two independent processes at once:
 * what this machine gives two copies of exactly this work, the ceiling for parallelRun's speed-up.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { BenchContext } from '../lib/common.js';
import { compiledDir, REPO_ROOT } from '../lib/compiled.js';

const DRIVER = `import { parallelRun, releaseWorkers } from './dist/index.js';
const mod = await import('./bench/sweepModule.js');
const MODULE = new URL('./bench/sweepModule.js', import.meta.url);
const repeats = Number(process.argv[2]);
const time = async (f) => { const t = performance.now(); await f(); return performance.now() - t; };
let seq = Infinity, par = Infinity, kept = Infinity, warm = Infinity, warmSeq = Infinity, startup = Infinity;
const warmRatios = [];
for (let r = 0; r < repeats; r++) {
  // A signal keeps the calling thread out: the no-op networks run in fresh workers (start-up timed).
  releaseWorkers();
  startup = Math.min(startup, await time(() => parallelRun({ method: mod.noop, number: 2, module: MODULE, maxWorkers: 2, signal: new AbortController().signal })));
  seq = Math.min(seq, await time(() => parallelRun({ method: mod.sweep, number: 8, module: MODULE, sequential: true })));
  // A first call (its worker starts meanwhile), then one served by the kept worker.
  releaseWorkers();
  par = Math.min(par, await time(() => parallelRun({ method: mod.sweep, number: 8, module: MODULE, maxWorkers: 2 })));
  kept = Math.min(kept, await time(() => parallelRun({ method: mod.sweep, number: 8, module: MODULE, maxWorkers: 2 })));
  // Steady state: after a few more calls the kept worker's code is as optimised as this thread's
  // (a worker's first networks run 2-4x slower; after one call it has run one or two). Timed
  // alternately with as many sequential calls, so that both sides get the same chances.
  for (let w = 0; w < 3; w++) await parallelRun({ method: mod.sweep, number: 8, module: MODULE, maxWorkers: 2 });
  for (let w = 0; w < 3; w++) {
    const s = await time(() => parallelRun({ method: mod.sweep, number: 8, module: MODULE, sequential: true }));
    const p = await time(() => parallelRun({ method: mod.sweep, number: 8, module: MODULE, maxWorkers: 2 }));
    warmSeq = Math.min(warmSeq, s);
    warm = Math.min(warm, p);
    warmRatios.push(s / p);
  }
}
releaseWorkers();
console.log(JSON.stringify({ seq, par, kept, warm, warmSeq, startup, warmRatios }));
`;

/**
 * Sequential seed sweeps in one process for `windowMs` after five warm-up calls; prints each
 * call's ms. Run alone and as two processes at once (solo.mjs).
 */
const SOLO = `import { parallelRun } from './dist/index.js';
const mod = await import('./bench/sweepModule.js');
const MODULE = new URL('./bench/sweepModule.js', import.meta.url);
const sweep = () => parallelRun({ method: mod.sweep, number: 8, module: MODULE, sequential: true });
for (let w = 0; w < 5; w++) await sweep();
const ms = [];
const end = performance.now() + Number(process.argv[2]);
while (performance.now() < end) { const t = performance.now(); await sweep(); ms.push(performance.now() - t); }
console.log(JSON.stringify(ms));
`;

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

/** Each call's ms from `copies` solo.mjs processes started together (all copies' calls in one list). */
async function soloCalls(out: string, windowMs: number, copies: number): Promise<number[]> {
  const once = () =>
    new Promise<number[]>((done, fail) =>
      execFile(process.execPath, [resolve(out, 'solo.mjs'), String(windowMs)], { cwd: REPO_ROOT, encoding: 'utf8' }, (error, stdout) =>
        error ? fail(error) : done(JSON.parse(stdout.trim().split('\n').at(-1) as string) as number[]),
      ),
    );
  return (await Promise.all(Array.from({ length: copies }, once))).flat();
}

/**
 * Median call alone, median call while a second process runs the same calls, and their ratio
 * 2 · alone / pair: the throughput two processes get over one, for this very workload.
 */
async function twoProcessCeiling(out: string, windowMs: number, rounds: number): Promise<{ alone_ms: number; pair_ms: number; speedup: number }> {
  const alone: number[] = [], pair: number[] = [];
  for (let r = 0; r < rounds; r++) {
    alone.push(...(await soloCalls(out, windowMs, 1)));
    pair.push(...(await soloCalls(out, windowMs, 2)));
  }
  const [a, p] = [median(alone), median(pair)];
  return { alone_ms: a, pair_ms: p, speedup: (2 * a) / p };
}

/** Runs the compiled driver with `sweepMs` per network; best of `repeats`. */
type DriverTimes = Record<'seq' | 'par' | 'kept' | 'warm' | 'warmSeq' | 'startup', number> & { warmRatios: number[] };

function runDriver(out: string, sweepMs: string, repeats: number): DriverTimes {
  const env = { ...process.env, SPIKEWORLD_SWEEP_MS: sweepMs };
  const printed = execFileSync(process.execPath, [resolve(out, 'driver.mjs'), String(repeats)], { cwd: REPO_ROOT, encoding: 'utf8', env });
  return JSON.parse(printed.trim().split('\n').at(-1) as string) as DriverTimes;
}

export async function parallelCompiledFigures({ quick, reporter }: BenchContext): Promise<void> {
  const out = await compiledDir();
  writeFileSync(resolve(out, 'driver.mjs'), DRIVER);
  writeFileSync(resolve(out, 'solo.mjs'), SOLO);
  const sweepMs = process.env['SPIKEWORLD_SWEEP_MS'] as string;
  // The sweep, then (full run) networks 10x longer: the same call with start-up amortised.
  const runs = quick ? [sweepMs] : [sweepMs, String(Number(sweepMs) * 10)];
  for (const [k, ms] of runs.entries()) {
    const { seq, par, kept, warm, warmSeq, startup, warmRatios } = runDriver(out, ms, quick ? 2 : k === 0 ? 3 : 2);
    const common = { networks: 8, simulated_ms: Number(ms), workers: 2, from: 'bundled JS (node)' };
    if (k === 0) reporter.emit({ figure: 'parallelrun_startup_compiled_ms', value: startup, unit: 'ms', ...common, note: '2 no-op networks in workers' });
    reporter.emit({
      figure: 'parallel_sweep_speedup_compiled',
      ...(k === 0 ? {} : { tag: `${Number(ms) / 1000} s networks` }),
      value: seq / par,
      unit: 'x',
      ...common,
      sequential_s: seq / 1000,
      parallel_s: par / 1000,
      kept_workers_speedup: seq / kept,
      target: 1.8,
    });
    reporter.emit({
      figure: 'parallel_sweep_speedup_warm_workers_compiled',
      ...(k === 0 ? {} : { tag: `${Number(ms) / 1000} s networks` }),
      value: warmSeq / warm,
      unit: 'x',
      ...common,
      sequential_s: warmSeq / 1000,
      parallel_s: warm / 1000,
      median_pair_ratio: median(warmRatios),
      note: 'steady state: kept workers after 5 earlier calls; best of all repeats (3 calls each), each call alternating with a sequential one (sequential_s: their best)',
      target: 1.8,
    });
    if (k === 0) {
      reporter.progress('parallel sweep: two independent processes…');
      const ceiling = await twoProcessCeiling(out, quick ? 1500 : 3000, quick ? 1 : 2);
      reporter.clearProgress();
      reporter.emit({
        figure: 'parallel_sweep_two_process_ceiling_compiled',
        value: ceiling.speedup,
        unit: 'x',
        networks: 8,
        simulated_ms: Number(ms),
        processes: 2,
        from: common.from,
        alone_call_s: ceiling.alone_ms / 1000,
        pair_call_s: ceiling.pair_ms / 1000,
        note: 'the sequential sweep in two processes at once vs one (median calls after 5 warm-up calls): what this machine gives two copies of this work',
      });
    }
  }
}
