/**
 * Figure 6: create (`new Network({ everything: true })`), compile and dispose one copy of the
 * template network, beside the time one copy takes to simulate 1 s.
 */
import { Network } from '../../src/index.js';
import { buildCoba } from '../../examples/networks/coba.js';
import { buildIzhikevich2003 } from '../../examples/networks/izhikevich2003.js';
import { fresh, SEED, type BenchContext } from '../lib/common.js';
import { best, now, timed } from '../lib/timing.js';

interface CloneCase {
  name: string;
  dt: number;
  build: () => unknown;
}

const CASES: CloneCase[] = [
  { name: 'coba', dt: 0.1, build: () => buildCoba() },
  { name: 'izhikevich2003', dt: 1.0, build: () => buildIzhikevich2003() },
];

export function cloneFigures({ quick, reporter }: BenchContext): void {
  for (const c of CASES) {
    fresh(c.dt, SEED, c.build);
    const clone = best(quick ? 5 : 10, () => {
      const start = now();
      const net = new Network({ everything: true });
      const created = now();
      net.compile();
      const compiled = now();
      net.dispose();
      const end = now();
      return { ms: end - start, create_ms: created - start, compile_ms: compiled - created, dispose_ms: end - compiled };
    });
    const sim = best(quick ? 2 : 3, () => {
      const net = new Network({ everything: true });
      net.compile();
      const run = timed(() => net.simulate(1000));
      net.dispose();
      return run;
    });
    reporter.emit({
      figure: 'clone_ms',
      tag: c.name,
      value: clone.ms,
      unit: 'ms',
      network: c.name,
      create_ms: clone.create_ms,
      compile_ms: clone.compile_ms,
      dispose_ms: clone.dispose_ms,
      simulate_1s_ms: sim.ms,
      clone_over_simulate_1s: clone.ms / sim.ms,
    });
  }
}
