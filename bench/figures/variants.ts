/**
 * COBA variants that take other paths of the step (float state, 1 s): a delay per synapse
 * (`Uniform(0.5, 1.5)` ms on all four projections: the pending ring's scatter and drain), and
 * `simulateUntil` with a stop condition that never holds (checked over 3200 neurons after every
 * step). Each beside plain COBA, alternating in the same run. (The JS-only back end is no fair
 * "before" here: its float kernels round every operation in JS, ~0.35–0.4 s.)
 */
import { compile, simulate, simulateUntil, Uniform } from '../../src/index.js';
import { buildCoba } from '../../examples/networks/coba.js';
import { fresh, SEED, type BenchContext } from '../lib/common.js';
import { timed } from '../lib/timing.js';

type Variant = 'plain' | 'delays' | 'until';

/** Wall ms of 1 s simulated of a freshly built and compiled variant. */
function once(variant: Variant): number {
  const { exc } = fresh(
    0.1,
    SEED,
    () =>
      buildCoba({
        record: false,
        ...(variant === 'delays' ? { delays: Uniform(0.5, 1.5) } : {}),
        ...(variant === 'until' ? { stopCondition: 'v > 1000 : any' } : {}),
      }),
    'auto',
    'float',
  );
  compile();
  return timed(() => (variant === 'until' ? simulateUntil(1000, exc) : simulate(1000))).ms;
}

export function variantFigures({ quick, reporter }: BenchContext): void {
  const repeats = quick ? 2 : 4;
  // Best of the repeats per run kind; the kinds alternate within each repeat.
  const ms: Record<string, number> = {};
  const keep = (key: string, value: number) => (ms[key] = Math.min(ms[key] ?? Infinity, value));
  for (let r = 0; r < repeats; r++) {
    for (const variant of ['plain', 'delays', 'until'] as const) keep(variant, once(variant));
  }
  const plain = ms['plain']!;
  reporter.emit({
    figure: 'coba_1s_float_per_synapse_delays_s',
    value: ms['delays']! / 1000,
    unit: 's',
    precision: 'float',
    delays_ms: 'Uniform(0.5, 1.5)',
    one_delay_s: plain / 1000,
    ratio_to_one_delay: ms['delays']! / plain,
  });
  reporter.emit({
    figure: 'coba_1s_float_simulate_until_s',
    value: ms['until']! / 1000,
    unit: 's',
    precision: 'float',
    condition: 'v > 1000 : any (never holds)',
    simulate_s: plain / 1000,
    ratio_to_simulate: ms['until']! / plain,
  });
}
