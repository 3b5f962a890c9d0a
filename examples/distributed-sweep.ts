/**
 * The seed sweep (100 Poisson inputs → 100 Izhikevich neurons, 8 input rates) on several
 * machines: parallelRun sends the networks through Redis to `spikeworld worker` processes.
 *
 *   redis-server --port 6379 --save '' --appendonly no --protected-mode no   # one machine
 *   npx spikeworld worker --redis redis://HOST:6379                          # each machine, in this project
 *   SPIKEWORLD_REDIS=redis://HOST:6379 npx tsx examples/distributed-sweep.ts # anywhere
 *
 * Workers import this very file (by its path in the project), so the declarations sit at top
 * level and the run under `if (isMainThread)`. The results equal `npm start`'s local sweep
 * exactly (same master seed). Writes out/distributed-sweep.html.
 */
import {
  Izhikevich,
  isMainThread,
  Monitor,
  type Network,
  parallelRun,
  PoissonPopulation,
  Population,
  Projection,
  redisExecutor,
  setup,
} from '../src/index.js';
import { lineSvg, page, rasterSvg } from './lib/plot.js';
import { progressBar, writeOutput } from './lib/output.js';

setup({ seed: 2026 });

export const pop1 = new PoissonPopulation(100, { rates: 10 });
export const pop2 = new Population(100, Izhikevich);
export const proj = new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5.0, probability: 0.2 });
export const m = new Monitor(pop2, 'spike');

const DURATION_MS = 1000;
const RATES_HZ = [0, 5, 10, 15, 20, 25, 30, 40];

/** Runs on a worker machine: one condition of the sweep. */
export function simulation(idx: number, net: Network, args: { rate: number }) {
  net.get(pop1).rates = args.rate;
  net.compile();
  net.simulate(DURATION_MS);
  const monitor = net.get(m);
  const [timesMs, ranks] = monitor.rasterPlot();
  return { idx, rate: args.rate, meanFr: monitor.meanFr(), timesMs, ranks };
}

if (isMainThread) {
  const connection = process.env['SPIKEWORLD_REDIS'] ?? 'redis://127.0.0.1:6379';
  const started = performance.now();
  const results = await parallelRun({
    method: simulation,
    number: RATES_HZ.length,
    args: { rate: RATES_HZ },
    executor: redisExecutor({ connection }),
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
  const file = writeOutput('distributed-sweep.html', page('spikeworld: the seed sweep through Redis', figures));
  console.log(`${RATES_HZ.length} networks through ${connection} in ${((performance.now() - started) / 1000).toFixed(2)} s; picture: ${file}`);
}
