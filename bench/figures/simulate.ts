/** Figures 2 and 3: wall time to simulate COBA (1 s, 10 s; dt 0.1) and Izhikevich-2003 (1 s; dt 1). */
import { compile, simulate } from '../../src/index.js';
import { buildCoba } from '../../examples/networks/coba.js';
import { buildIzhikevich2003 } from '../../examples/networks/izhikevich2003.js';
import { fresh, meanRate, SEED, type BenchContext } from '../lib/common.js';
import type { Reference } from '../lib/report.js';
import { best, timed } from '../lib/timing.js';

/** Issue 5's measurements on this machine kind (seconds; [min, max]). */
const COBA_REFERENCE: Record<number, Reference> = {
  1000: { annarchy: [0.12, 0.12], brian2_standalone: [0.09, 0.15], c_loop: [0.07, 0.07] },
  10000: { annarchy: [1.3, 1.5], brian2_standalone: [1.08, 1.08], c_loop: [0.78, 0.78] },
};
const IZHIKEVICH_REFERENCE: Reference = { annarchy: [0.07, 0.11] };

/**
 * Simulates `durationMs` of a freshly built, compiled network (monitors on); min over repeats.
 * Also with JS kernels only, alternating with the default (WebAssembly where the model allows),
 * so the ratio of the two comes from the same run.
 */
function simulateBest(repeats: number, dt: number, build: () => { monitors: Parameters<typeof meanRate>[0] }, durationMs: number) {
  const once = (kernels: 'auto' | 'js') => {
    const { monitors } = fresh(dt, SEED, build, kernels);
    compile();
    const { ms } = timed(() => simulate(durationMs));
    return { ms, rate: meanRate(monitors) };
  };
  let js = Infinity;
  const run = best(repeats, () => {
    js = Math.min(js, once('js').ms);
    return once('auto');
  });
  return { ...run, js_kernels_s: js / 1000, speedup_over_js: js / run.ms };
}

export function cobaFigures({ quick, reporter }: BenchContext): void {
  const durations = quick ? [1000] : [1000, 10000];
  for (const durationMs of durations) {
    const repeats = durationMs >= 10000 ? 2 : quick ? 3 : 5;
    const run = simulateBest(repeats, 0.1, () => buildCoba(), durationMs);
    reporter.emit({
      figure: `coba_${durationMs / 1000}s_s`,
      value: run.ms / 1000,
      unit: 's',
      rate_hz: run.rate,
      js_kernels_s: run.js_kernels_s,
      speedup_over_js: run.speedup_over_js,
      reference: COBA_REFERENCE[durationMs],
      ...(durationMs === 1000 ? { target_s: 0.23 } : {}),
    });
  }
}

export function izhikevichFigures({ quick, reporter }: BenchContext): void {
  const run = simulateBest(quick ? 3 : 5, 1.0, () => buildIzhikevich2003(), 1000);
  reporter.emit({
    figure: 'izhikevich2003_1s_s',
    value: run.ms / 1000,
    unit: 's',
    rate_hz: run.rate,
    js_kernels_s: run.js_kernels_s,
    speedup_over_js: run.speedup_over_js,
    reference: IZHIKEVICH_REFERENCE,
  });
}
