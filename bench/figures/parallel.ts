/**
 * Figures 7 and 8: the seed sweep (8 networks) through parallelRun on 2 workers vs sequential, and
 * parallelRun's overhead per network (16 networks whose method only returns its index).
 */
import { templateNetwork } from '../../src/api/network.js';
import { clear, parallelRun, releaseWorkers } from '../../src/index.js';
import type { BenchContext } from '../lib/common.js';
import { bestAsync, now, settle, timedAsync } from '../lib/timing.js';

type SweepModule = typeof import('../sweepModule.js');

const MODULE = new URL('../sweepModule.ts', import.meta.url);
const WORKERS = 2;
let loaded: SweepModule | null = null;

/** Imports the sweep module into an empty template (once; workers import it too). */
async function sweepModule(): Promise<SweepModule> {
  if (!loaded) {
    clear();
    loaded = await import('../sweepModule.js');
  }
  if (!templateNetwork().objects().includes(loaded.pop1)) {
    throw new Error('bench: the template no longer holds sweepModule.ts\'s declarations; run the parallel figures after the others without clear()');
  }
  return loaded;
}

/**
 * A signal that never fires: with one, parallelRun keeps the calling thread out of the work, so
 * the figures below time the workers (the calling thread would otherwise run no-op networks itself
 * before any worker is up).
 */
const workersOnly = () => new AbortController().signal;

/** Time of a parallelRun that does nothing on `WORKERS` networks in workers: spawn + module import + init. */
async function startupMs(mod: SweepModule, repeats: number): Promise<number> {
  const run = await bestAsync(repeats, () => {
    releaseWorkers(); // fresh workers: a kept pool would skip the start-up
    return timedAsync(() => parallelRun({ method: mod.noop, number: WORKERS, module: MODULE, maxWorkers: WORKERS, signal: workersOnly() }));
  });
  return run.ms;
}

export async function parallelSweepFigures({ quick, reporter }: BenchContext): Promise<void> {
  const mod = await sweepModule();
  const networks = 8;
  const durationMs = mod.sweepDurationMs();
  const repeats = quick ? 2 : 3;
  const startup = await startupMs(mod, repeats);
  reporter.emit({
    figure: 'parallelrun_startup_ms',
    value: startup,
    unit: 'ms',
    workers: WORKERS,
    note: 'spawn (from TypeScript source) + module import + init, 2 no-op networks in workers',
  });
  let seq: Sweep | null = null;
  let par: Sweep | null = null;
  let kept: Sweep | null = null;
  for (let r = 0; r < repeats; r++) {
    reporter.progress(`parallel sweep: repeat ${r + 1}/${repeats}…`);
    await settle();
    const s = await runSweep(mod, networks, true);
    await settle();
    // First call: workers start for it. Second call right after: the kept workers serve it.
    releaseWorkers();
    const p = await runSweep(mod, networks, false);
    const k = await runSweep(mod, networks, false);
    const rates = (x: Sweep) => JSON.stringify(x.rates);
    for (const x of [p, k]) {
      if (rates(s) !== rates(x)) throw new Error(`bench: parallel sweep rates ${rates(x)} differ from the sequential ones ${rates(s)}`);
    }
    if (!seq || s.ms < seq.ms) seq = s;
    if (!par || p.ms < par.ms) par = p;
    if (!kept || k.ms < kept.ms) kept = k;
  }
  releaseWorkers();
  reporter.clearProgress();
  const common = { networks, simulated_ms: durationMs };
  reporter.emit({ figure: 'parallel_sweep_sequential_s', value: seq!.ms / 1000, unit: 's', ...common, in_method_s: seq!.methodMs / 1000 });
  reporter.emit({
    figure: 'parallel_sweep_parallel_s',
    value: par!.ms / 1000,
    unit: 's',
    ...common,
    workers: WORKERS,
    in_method_s: par!.methodMs / 1000,
    note: 'first call: its worker starts meanwhile',
  });
  reporter.emit({
    figure: 'parallel_sweep_speedup',
    value: seq!.ms / par!.ms,
    unit: 'x',
    ...common,
    workers: WORKERS,
    pop2_rates_hz: seq!.rates.map((x) => x.toFixed(2)).join(' '),
    target: 1.8,
  });
  reporter.emit({
    figure: 'parallel_sweep_speedup_kept_workers',
    value: seq!.ms / kept!.ms,
    unit: 'x',
    ...common,
    workers: WORKERS,
    parallel_s: kept!.ms / 1000,
    note: 'a second call right after the first: served by the workers parallelRun keeps',
    target: 1.8,
  });
}

interface Sweep {
  ms: number;
  /** Sum over networks of the time spent inside `sweep` (where it ran). */
  methodMs: number;
  rates: number[];
}

async function runSweep(mod: SweepModule, networks: number, sequential: boolean): Promise<Sweep> {
  const { ms, result } = await timedAsync(() =>
    parallelRun({ method: mod.sweep, number: networks, module: MODULE, ...(sequential ? { sequential: true } : { maxWorkers: WORKERS }) }),
  );
  return { ms, methodMs: result.reduce((s, x) => s + x.ms, 0), rates: result.map((x) => x.rate) };
}

export async function parallelOverheadFigures({ quick, reporter }: BenchContext): Promise<void> {
  const mod = await sweepModule();
  const networks = 16;
  const repeats = quick ? 3 : 5;
  const par = await bestAsync(repeats, async () => {
    const done: number[] = [];
    const run = await timedAsync(() =>
      parallelRun({ method: mod.noop, number: networks, module: MODULE, maxWorkers: WORKERS, onProgress: () => done.push(now()) }),
    );
    // The default call (the calling thread computes too): what dispatching a network costs a user;
    // the steady pace is the time between consecutive completions.
    return { ...run, steadyMs: ((done.at(-1) as number) - (done[0] as number)) / (networks - 1) };
  });
  const seq = await bestAsync(repeats, () =>
    timedAsync(() => parallelRun({ method: mod.noop, number: networks, module: MODULE, sequential: true })),
  );
  reporter.emit({
    figure: 'parallelrun_overhead_ms_per_network',
    value: par.ms / networks,
    unit: 'ms',
    networks,
    workers: WORKERS,
    total_ms: par.ms,
    steady_ms_per_network: par.steadyMs,
    target_ms: 20,
  });
  reporter.emit({
    figure: 'parallelrun_overhead_sequential_ms_per_network',
    value: seq.ms / networks,
    unit: 'ms',
    networks,
    total_ms: seq.ms,
  });
}
