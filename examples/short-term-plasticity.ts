/**
 * Short-term plasticity on a rate step: 200 Poisson inputs step from 5 Hz to 40 Hz at 300 ms and
 * back at 700 ms (a TimedPoissonPopulation), and drive two groups of 50 IF_cond_exp cells through
 * ANNarchy's STP synapse: one depressing (U 0.5, resources recover with tau_rec 500 ms), one
 * facilitating (U 0.05, utilisation decays with tau_facil 500 ms). computeFiringRate gives each
 * cell's rate over the last 50 ms; the depressing group answers the step with a transient that
 * fades, the facilitating one builds up. Writes out/short-term-plasticity.html.
 */
import {
  compile, IF_cond_exp, Monitor, Population, Projection, setup, simulate, STP, TimedPoissonPopulation,
} from '../src/index.js';
import { lineSvg, page, rasterSvg } from './lib/plot.js';
import { writeOutput } from './lib/output.js';

const durationMs = 1200;
setup({ dt: 0.1, seed: 3 });
const input = new TimedPoissonPopulation(200, { rates: [5, 40, 5], schedule: [0, 300, 700], name: 'input' });
const depressed = new Population(50, IF_cond_exp, { name: 'depressing' });
const facilitated = new Population(50, IF_cond_exp, { name: 'facilitating' });
new Projection(input, depressed, 'exc', STP({ U: 0.5, tau_rec: 500, tau_facil: 0.01 })).connectFixedProbability({ probability: 0.5, weights: 0.008 });
new Projection(input, facilitated, 'exc', STP({ U: 0.05, tau_rec: 100, tau_facil: 500 })).connectFixedProbability({ probability: 0.5, weights: 0.008 });

const stepMs = 10;
const monitors = [depressed, facilitated].map((pop) => {
  pop.computeFiringRate(50);
  return new Monitor(pop, ['spike', 'r'], { period: stepMs });
});
compile();
simulate(durationMs);

const figures: string[] = [];
for (const [k, pop] of [depressed, facilitated].entries()) {
  const m = monitors[k]!;
  // Mean r over the group at each recorded row (every 10 ms).
  const rows = m.get('r');
  const meanHz = rows.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
  const timesMs = rows.map((_, i) => i * stepMs);
  const [spikeMs, ranks] = m.rasterPlot();
  const at = (ms: number) => meanHz[Math.round(ms / stepMs)]!.toFixed(1);
  console.log(`${pop.name}: ${at(290)} Hz before the step, ${at(350)} Hz just after it, ${at(690)} Hz at its end`);
  figures.push(rasterSvg({ title: `${pop.name} synapses: spikes`, timesMs: spikeMs, ranks, durationMs, neurons: pop.size }));
  figures.push(lineSvg(`${pop.name} synapses: mean r over the last 50 ms (Hz); input 5 → 40 Hz at 300 ms, back at 700 ms`, timesMs, meanHz, 'time (ms)', 'Hz'));
}
console.log(`figures: ${writeOutput('short-term-plasticity.html', page('Short-term plasticity on a rate step', figures))}`);
