/**
 * Figures 2 and 3: wall time to simulate COBA (1 s, 10 s; dt 0.1) and Izhikevich-2003 (1 s; dt 1),
 * with double and float state, beside the plain C loop of bench/c/coba.c timed in the same run.
 */
import { compile, simulate } from '../../src/index.js';
import type { Precision } from '../../src/world/populationData.js';
import { buildCoba } from '../../examples/networks/coba.js';
import { buildIzhikevich2003 } from '../../examples/networks/izhikevich2003.js';
import { fresh, meanRate, SEED, type BenchContext } from '../lib/common.js';
import type { Reference } from '../lib/report.js';
import { best, timed } from '../lib/timing.js';
import { cCobaSeconds } from './cReference.js';

/** Issue 5's measurements on this machine kind (seconds; [min, max]). */
const COBA_REFERENCE: Record<number, Reference> = {
  1000: { annarchy: [0.12, 0.12], brian2_standalone: [0.09, 0.15], c_loop: [0.07, 0.07] },
  10000: { annarchy: [1.3, 1.5], brian2_standalone: [1.08, 1.08], c_loop: [0.78, 0.78] },
};
const IZHIKEVICH_REFERENCE: Reference = { annarchy: [0.07, 0.11] };

/**
 * Simulates `durationMs` of a freshly built, compiled network (monitors on); min over repeats.
 * With `compareJs`, also with JS only (`kernels: 'js'`), alternating with the default
 * (WebAssembly where the model allows), so the ratio of the two comes from the same run.
 */
export function simulateBest(
  repeats: number,
  dt: number,
  precision: Precision,
  build: () => { monitors: Parameters<typeof meanRate>[0] },
  durationMs: number,
  compareJs: boolean,
) {
  const once = (kernels: 'auto' | 'js') => {
    const { monitors } = fresh(dt, SEED, build, kernels, precision);
    compile();
    const { ms } = timed(() => simulate(durationMs));
    return { ms, rate: meanRate(monitors) };
  };
  let js = Infinity;
  const run = best(repeats, () => {
    if (compareJs) js = Math.min(js, once('js').ms);
    return once('auto');
  });
  return compareJs ? { ...run, js_kernels_s: js / 1000, speedup_over_js: js / run.ms } : run;
}

export function cobaFigures({ quick, reporter }: BenchContext): void {
  const durations = quick ? [1000] : [1000, 10000];
  for (const durationMs of durations) {
    const repeats = durationMs >= 10000 ? 2 : quick ? 3 : 5;
    for (const precision of ['double', 'float'] as const) {
      // JS-only float kernels are a slow fallback (a Math.fround per operation): compared in double only.
      const run = simulateBest(repeats, 0.1, precision, () => buildCoba(), durationMs, precision === 'double');
      const c = cCobaSeconds(durationMs, precision, repeats);
      const c128 = cCobaSeconds(durationMs, precision, repeats, '128');
      if ('error' in c) reporter.note(`coba: no same-run C reference (${c.error})`);
      const name = `coba_${durationMs / 1000}s${precision === 'float' ? '_float' : ''}_s`;
      reporter.emit({
        figure: name,
        value: run.ms / 1000,
        unit: 's',
        rate_hz: run.rate,
        ...(precision === 'double' ? {} : { precision }),
        ...('error' in c ? {} : { c_same_run_s: c.s, c_rate_hz: c.rate, ratio_to_c: run.ms / 1000 / c.s }),
        ...('error' in c128 ? {} : { c_128bit_s: c128.s, ratio_to_c_128bit: run.ms / 1000 / c128.s }),
        ...('js_kernels_s' in run ? { js_kernels_s: run.js_kernels_s, speedup_over_js: run.speedup_over_js } : {}),
        reference: COBA_REFERENCE[durationMs],
        ...(durationMs === 1000 ? { target_s: 0.23 } : {}),
      });
    }
  }
}

export function izhikevichFigures({ quick, reporter }: BenchContext): void {
  for (const precision of ['double', 'float'] as const) {
    const run = simulateBest(quick ? 3 : 5, 1.0, precision, () => buildIzhikevich2003(), 1000, precision === 'double');
    reporter.emit({
      figure: `izhikevich2003_1s${precision === 'float' ? '_float' : ''}_s`,
      value: run.ms / 1000,
      unit: 's',
      rate_hz: run.rate,
      ...(precision === 'double' ? {} : { precision }),
      ...('js_kernels_s' in run ? { js_kernels_s: run.js_kernels_s, speedup_over_js: run.speedup_over_js } : {}),
      reference: IZHIKEVICH_REFERENCE,
    });
  }
}
