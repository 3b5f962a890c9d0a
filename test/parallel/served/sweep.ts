/**
 * The seed network as a sweep module that a worker file of the user's serves (worker.ts here):
 * no setup({ seed }), so that the workers must take the calling thread's random master seed.
 */
import { isMainThread, Izhikevich, Monitor, Network, PoissonPopulation, Population, Projection } from '../../../src/index.js';

/** What isMainThread was while this module ran: false in a worker that imported serveParallelRun first. */
export const loadedInMain = isMainThread;

export const pop1 = new PoissonPopulation(100, { rates: 10 });
export const pop2 = new Population(100, Izhikevich);
new Projection(pop1, pop2, 'exc').connectFixedProbability({ weights: 5.0, probability: 0.2 });
export const m = new Monitor(pop2, 'spike');

/** Rates 5 + 5·idx, 200 ms; the rate, the raster's size, and where the module ran. */
export function sweep(idx: number, net: Network) {
  net.get(pop1).rates = 5 + 5 * idx;
  net.compile();
  net.simulate(200);
  return { rate: net.get(m).meanFr(), spikes: net.get(m).rasterPlot()[0].length, loadedInMain };
}

/** networks mode: runs a given network on. */
export function runGiven(_idx: number, net: Network) {
  net.simulate(100);
  return net.get(m).rasterPlot()[0].length;
}
