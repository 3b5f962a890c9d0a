/**
 * A travelling wave on a line of 150 IF_cond_exp neurons: each excites its neighbours through
 * connectGaussian, a SpikeSourceArray kicks the first five at 20 ms and 200 ms (wired with
 * connectWithFunc), and a 15 ms refractory period keeps each wave moving away from where it came
 * from: every neuron fires once per wave. Writes out/travelling-wave.svg.
 */
import {
  compile, IF_cond_exp, LILConnectivity, Monitor, Population, Projection, setup, simulate, SpikeSourceArray,
} from '../src/index.js';
import { rasterSvg } from './lib/plot.js';
import { writeOutput } from './lib/output.js';

const durationMs = 450;
setup({ dt: 0.1, seed: 1 });
const kick = new SpikeSourceArray([[20, 200]], { name: 'kick' });
const line = new Population(150, IF_cond_exp({ tau_refrac: 15, tau_syn_E: 2 }), { name: 'line' });

// The kick reaches neurons 0..4: connectWithFunc lists any pattern, per post neuron.
new Projection(kick, line, 'exc').connectWithFunc(
  (_pre, _post, args: { first: number; weight: number }) => {
    const lil = new LILConnectivity();
    for (let post = 0; post < args.first; post++) lil.add(post, [0], args.weight, 1);
    return lil;
  },
  { first: 5, weight: 0.5 },
);
// Neighbours excite each other: w = amp · exp(-d² / 2σ²) over the positions rank / 149.
new Projection(line, line, 'exc').connectGaussian({ amp: 0.07, sigma: 0.02, delays: 1 });

const m = new Monitor(line, 'spike');
compile();
simulate(durationMs);
const [timesMs, ranks] = m.rasterPlot();
const last = ranks.indexOf(149);
console.log(`${timesMs.length} spikes; the first wave reached neuron 149 at ${last >= 0 ? timesMs[last] : '—'} ms`);
console.log(`raster: ${writeOutput('travelling-wave.svg', rasterSvg({ title: 'Two waves along 150 IF_cond_exp neurons', timesMs, ranks, durationMs, neurons: 150 }))}`);
