/**
 * What an STP synapse event costs beside a static one: 1,000 Poisson sources at 20 Hz onto 1,000
 * probe neurons through ~200k synapses (probability 0.2), dt 0.1 ms, 200 ms per run (~800k
 * synapse events). The STP projection has U = 1 and tiny time constants, so w·u·x = w and both
 * networks compute the same conductances; the static one delivers in WebAssembly (kernels 'auto';
 * in JS with kernels 'js'), the STP one runs its events in JS. Best of 10 alternating runs per variant.
 *
 *   npx tsx bench/synapses/stp.ts
 */
import { clear, Network, Neuron, PoissonPopulation, Population, Projection, setup, STP } from '../../src/index.js';

const Probe = () => new Neuron({ equations: 'v = g_exc', spike: 'v > 1e9', reset: 'v = 0' });
type Variant = 'static' | 'stp';

function build(variant: Variant, precision: 'double' | 'float', kernels: 'auto' | 'js'): Network {
  clear();
  setup({ dt: 0.1, seed: 3, precision, kernels });
  const input = new PoissonPopulation(1000, { rates: 20 });
  const probe = new Population(1000, Probe());
  const synapse = variant === 'stp' ? STP({ U: 1, tau_rec: 1e-3, tau_facil: 1e-3 }) : undefined;
  new Projection(input, probe, 'exc', synapse).connectFixedProbability({ probability: 0.2, weights: 0.01 });
  const net = new Network({ everything: true, seed: 7 });
  net.compile();
  return net;
}

const runMs = 200;
const expectedEvents = 1000 * 20 * (runMs / 1000) * 200;
for (const kernels of ['auto', 'js'] as const) {
  for (const precision of ['float', 'double'] as const) {
    const nets = { static: build('static', precision, kernels), stp: build('stp', precision, kernels) };
    const best = { static: Infinity, stp: Infinity };
    for (const v of ['static', 'stp'] as const) nets[v].simulate(100);
    for (let r = 0; r < 10; r++) {
      for (const v of ['static', 'stp'] as const) {
        const t0 = performance.now();
        nets[v].simulate(runMs);
        best[v] = Math.min(best[v], performance.now() - t0);
      }
    }
    const extraNs = ((best.stp - best.static) * 1e6) / expectedEvents;
    console.log(
      `kernels ${kernels}, ${precision}: static ${best.static.toFixed(1)} ms, STP ${best.stp.toFixed(1)} ms per ${runMs} ms; ` +
        `${extraNs.toFixed(1)} ns more per synapse event`,
    );
    nets.static.dispose();
    nets.stp.dispose();
  }
}
