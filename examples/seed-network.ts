/** The seed's small network run once: Poisson 100 → Izhikevich 100, p = 0.2, w = 5. Writes out/seed-network.svg. */
import { compile, Izhikevich, Monitor, PoissonPopulation, Population, Projection, setup, simulate } from '../src/index.js';
import { rasterSvg } from './lib/plot.js';
import { writeOutput } from './lib/output.js';

setup({ seed: 42 });
const pop1 = new PoissonPopulation(100, { rates: 10 });
const pop2 = new Population(100, Izhikevich);
new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5.0, probability: 0.2 });
const m = new Monitor(pop2, 'spike');
compile();
simulate(1000);
const [timesMs, ranks] = m.rasterPlot();
console.log(`pop2 fired ${timesMs.length} spikes: ${m.meanFr().toFixed(2)} Hz`);
console.log(`raster: ${writeOutput('seed-network.svg', rasterSvg({ title: 'Poisson 10 Hz → Izhikevich', timesMs, ranks, durationMs: 1000, neurons: 100 }))}`);
