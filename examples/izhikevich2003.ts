/** Izhikevich's (2003) network of 1000 neurons for 1 s; prints rates and writes out/izhikevich2003.svg. */
import { compile, setup, simulate } from '../src/index.js';
import { rasterSvg } from './lib/plot.js';
import { writeOutput } from './lib/output.js';
import { buildIzhikevich2003 } from './networks/izhikevich2003.js';

setup({ dt: 1.0, seed: 7 });
const { monitors } = buildIzhikevich2003();
compile();
const started = performance.now();
simulate(1000);
console.log(`simulated 1 s in ${(performance.now() - started).toFixed(0)} ms`);
const [excM, inhM] = monitors as [typeof monitors[0], typeof monitors[0]];
console.log(`excitatory ${excM.meanFr().toFixed(2)} Hz, inhibitory ${inhM.meanFr().toFixed(2)} Hz`);
const [te, re] = excM.rasterPlot();
const [ti, ri] = inhM.rasterPlot();
const times = Float64Array.from([...te, ...ti]);
const ranks = Int32Array.from([...re, ...Array.from(ri, (r) => r + 800)]);
console.log(`raster: ${writeOutput('izhikevich2003.svg', rasterSvg({ title: 'Izhikevich (2003), 800 exc + 200 inh', timesMs: times, ranks, durationMs: 1000, neurons: 1000 }))}`);
