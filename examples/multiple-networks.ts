/**
 * The seed text's "Multiple networks" walk-through: one template network, three copies.
 *   net1: pop2 and its monitor only (no input)
 *   net2: everything, Poisson input at 10 Hz
 *   net3: everything, Poisson input at 20 Hz (set on net3's copy of pop1)
 * Each network gets its own random initial v, drawn with its own generator.
 *
 * Run: npx tsx examples/multiple-networks.ts
 */
import { Izhikevich, Monitor, Network, PoissonPopulation, Population, Projection, setup, Uniform } from '../src/index.js';

setup({ seed: 1234 });

const pop1 = new PoissonPopulation(100, { rates: 10.0 });
const pop2 = new Population(100, Izhikevich);
const proj = new Projection(pop1, pop2, 'exc');
proj.connectFixedProbability({ weights: 5.0, probability: 0.2 });
const m = new Monitor(pop2, 'spike');

const net1 = new Network();
net1.add([pop2, m]);

const net2 = new Network();
net2.add([pop1, pop2, proj, m]);

const net3 = new Network({ everything: true });
net3.get(pop1).rates = 20.0;

for (const [name, net] of [['net1', net1], ['net2', net2], ['net3', net3]] as const) {
  // Random initialisation per network: done on the original, it would be the same in every copy.
  // (It is also why net1 fires a little: neurons that start above about -56 mV spike once.)
  net.get(pop2).set({ v: Uniform(-60, -50) });
  net.compile();
  net.simulate(1000);
  const [times] = net.get(m).rasterPlot();
  console.log(`${name}: pop2 mean rate ${net.get(m).meanFr().toFixed(2)} Hz, ${times.length} spikes`);
}
