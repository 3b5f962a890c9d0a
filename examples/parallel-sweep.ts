/**
 * The main demo (`npm start`): the seed network — 100 Poisson inputs → 100 Izhikevich neurons,
 * p = 0.2, w = 5 — swept over 8 input rates with parallelRun on worker threads. Prints the rate
 * of pop2 per condition and writes out/parallel-sweep.html (rate vs input, and the rasters).
 *
 * Workers import this very file for its declarations and the exported `simulation`, so the run
 * itself sits under `if (isMainThread)`.
 */
import { Izhikevich, isMainThread, Monitor, type Network, parallelRun, PoissonPopulation, Population, Projection, setup } from '../src/index.js';
import { lineSvg, page, rasterSvg } from './lib/plot.js';
import { progressBar, writeOutput } from './lib/output.js';

setup({ seed: 2026 });

export const pop1 = new PoissonPopulation(100, { rates: 10 });
export const pop2 = new Population(100, Izhikevich);
export const proj = new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5.0, probability: 0.2 });
export const m = new Monitor(pop2, 'spike');

const DURATION_MS = 1000;
const RATES_HZ = [0, 5, 10, 15, 20, 25, 30, 40];

/** Runs in a worker: one condition of the sweep. */
export function simulation(idx: number, net: Network, args: { rate: number }) {
  net.get(pop1).rates = args.rate;
  net.compile();
  net.simulate(DURATION_MS);
  const monitor = net.get(m);
  const [timesMs, ranks] = monitor.rasterPlot();
  return { idx, rate: args.rate, meanFr: monitor.meanFr(), timesMs, ranks };
}

if (isMainThread) {
  const started = performance.now();
  const results = await parallelRun({
    method: simulation,
    number: RATES_HZ.length,
    args: { rate: RATES_HZ },
    onProgress: (done, total) => process.stdout.write(`\r${progressBar(done, total)}`),
  });
  process.stdout.write('\n');
  console.log('input rate (Hz) -> pop2 rate (Hz)');
  for (const r of results) console.log(`${String(r.rate).padStart(6)} -> ${r.meanFr.toFixed(2)}`);
  const figures = [
    lineSvg('pop2 rate vs Poisson input rate', RATES_HZ, results.map((r) => r.meanFr), 'input rate (Hz)', 'pop2 rate (Hz)'),
    ...results.map((r) =>
      rasterSvg({ title: `input ${r.rate} Hz: pop2 at ${r.meanFr.toFixed(2)} Hz`, timesMs: r.timesMs, ranks: r.ranks, durationMs: DURATION_MS, neurons: 100 }),
    ),
  ];
  const file = writeOutput('parallel-sweep.html', page('spikeworld: parallel sweep of the seed network', figures));
  console.log(`${RATES_HZ.length} networks in ${((performance.now() - started) / 1000).toFixed(2)} s; picture: ${file}`);
}
