/** What this machine's cores give two independent busy processes (the ceiling for a parallel speedup). */
import type { BenchContext } from '../lib/common.js';
import { cTwoProcessSpeedup } from './cReference.js';

export async function machineFigures({ quick, reporter }: BenchContext): Promise<void> {
  const durationMs = quick ? 2000 : 10000;
  const run = await cTwoProcessSpeedup(durationMs, quick ? 2 : 3);
  if ('error' in run) {
    reporter.note(`machine ceiling: skipped (${run.error})`);
    return;
  }
  reporter.emit({
    figure: 'machine_two_process_speedup',
    value: run.speedup,
    unit: 'x',
    workload: `bench/c/coba.c, double, ${durationMs / 1000} s simulated, two processes`,
    alone_s: run.alone_s,
    pair_s: run.pair_s,
  });
}
