/**
 * What the demo's workers can build (see sim.worker.ts). Each builder runs in its own worker, so
 * its declarations start from a fresh template network.
 */
import { Izhikevich, Network, PoissonPopulation, Population, Projection, setup, Uniform } from '../../src/index.js';
import type { EmbeddedNetwork } from '../../src/embed/worker.js';
import { buildIzhikevich2003 } from '../networks/izhikevich2003.js';

/** Izhikevich (2003): 800 excitatory + 200 inhibitory neurons, all-to-all, dt 1 ms. */
export function izhikevich2003(options: { seed?: number } = {}): EmbeddedNetwork {
  setup({ seed: options.seed ?? 2003 });
  const { exc, inh, projections } = buildIzhikevich2003({ record: false });
  const net = new Network({ everything: true });
  const [ee, ei, ie, ii] = projections.map((p) => net.get(p));
  return {
    network: net,
    populations: { exc: net.get(exc), inh: net.get(inh) },
    projections: { 'exc→exc': ee!, 'exc→inh': ei!, 'inh→exc': ie!, 'inh→inh': ii! },
  };
}

/**
 * The seed network — Poisson 100 → Izhikevich 100, p 0.2, w 5 — in one of its three conditions:
 * no input (`rate: null`: pop2 alone, as net1 = Network(); net1.add([pop2])), or Poisson input at `rate` Hz.
 */
export function seedCondition(options: { rate: number | null; seed?: number }): EmbeddedNetwork {
  setup({ seed: options.seed ?? 1234 });
  const pop1 = new PoissonPopulation(100, { rates: options.rate ?? 10 });
  const pop2 = new Population(100, Izhikevich);
  const proj = new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5.0, probability: 0.2 });
  let net: Network;
  if (options.rate === null) {
    net = new Network();
    net.add([pop2]);
  } else {
    net = new Network({ everything: true });
    net.get(pop1).rates = options.rate;
  }
  // Random initialisation per network, as the seed text advises.
  net.get(pop2).set({ v: Uniform(-60, -50) });
  if (options.rate === null) return { network: net, populations: { pop2: net.get(pop2) } };
  return {
    network: net,
    populations: { pop2: net.get(pop2), pop1: net.get(pop1) },
    projections: { 'pop1→pop2': net.get(proj) },
  };
}
