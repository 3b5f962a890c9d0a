/**
 * The step allocates (next to) nothing on the JS heap once a thread has run a few networks, as a
 * sweep's threads do: garbage made per step is collected on V8's helper threads, time that a
 * parallelRun's second thread needs. The young generation (where short-lived objects go; code
 * that V8 optimises late lands elsewhere) is read around 10,000 steps of a network that runs after
 * 30 others and is warmed up itself, least of five windows (a collection in between only lowers
 * it). Passing dt / 1000 to the Poisson step as a float argument once cost 16 bytes per step
 * here (a boxed number); now it is under 1. The neurons have noise, so their normal draws run
 * too: their slow path returning its draw as a float from JS to WebAssembly cost 24.5 bytes per
 * step here (it goes through the arena now).
 */
import { beforeEach, expect, it } from 'vitest';

import { clear, Izhikevich, Monitor, Network, PoissonPopulation, Population, Projection, setup, Uniform } from '../../src/index.js';
import { leastBytesPerStep } from '../helpers/heap.js';

const STEPS = 10_000;
const WARM_STEPS = 20_000;
const MAX_BYTES_PER_STEP = 4;

beforeEach(() => clear());

it(`the step allocates under ${MAX_BYTES_PER_STEP} bytes on the JS heap in a thread that has run other networks`, () => {
  setup({ seed: 3 });
  const input = new PoissonPopulation(100, { rates: 10 });
  const pop = new Population(100, Izhikevich({ noise: 3 }));
  new Projection(input, pop, 'exc').connectFixedProbability({ probability: 0.2, weights: 5 });
  const monitor = new Monitor(pop, 'spike');
  for (let k = 0; k < 30; k++) {
    const other = new Network({ everything: true, seed: 50 + k });
    other.get(input).rates = 5 + k;
    other.compile();
    other.simulate(2000);
    other.dispose();
  }
  const net = new Network({ everything: true, seed: 5 });
  net.get(input).rates = 40;
  net.compile();
  net.get(monitor).pause(); // recording keeps spikes: that memory is wanted
  net.simulate(WARM_STEPS * net.dt);
  const least = leastBytesPerStep((steps) => net.simulate(steps * net.dt), STEPS);
  expect(net.getCurrentStep()).toBe(WARM_STEPS + 5 * STEPS);
  expect(least).toBeLessThan(MAX_BYTES_PER_STEP);
  net.dispose();
});

it(`normal draws allocate under ${MAX_BYTES_PER_STEP} bytes per step, rare slow-path words included`, () => {
  // 1000 draws per step: about 15 words take the slow path and one in four steps reaches the
  // tail beyond the base layer, whose uniforms, returned from a helper, were boxed: 10.4 bytes
  // per step here.
  setup({ seed: 4, dt: 1 });
  new Population(1000, Izhikevich({ noise: 5 }));
  const net = new Network({ everything: true, seed: 6 });
  net.compile();
  net.simulate(WARM_STEPS * net.dt);
  const least = leastBytesPerStep((steps) => net.simulate(steps * net.dt), 2000);
  expect(least).toBeLessThan(MAX_BYTES_PER_STEP);
  net.dispose();
});

it(`simulateUntil (its stop test in WebAssembly, JS for the last neuron) with per-synapse delays at dt 0.1 allocates under ${MAX_BYTES_PER_STEP} bytes per step`, () => {
  // dt 0.1: the time of most steps is fractional, which passed between functions as a number
  // (the kernels' and the stop tests' t) was a heap allocation per call: 15 bytes per step on COBA.
  setup({ seed: 3, dt: 0.1 });
  const input = new PoissonPopulation(100, { rates: 10 });
  // 101 neurons: the stop test's JS predicate checks the last one every step.
  const pop = new Population(101, Izhikevich({ noise: 3 }), { stopCondition: 'v > 1000 : any' });
  new Projection(input, pop, 'exc').connectFixedProbability({ probability: 0.2, weights: 5, delays: Uniform(1, 5) });
  // As in the first test: a thread that has run other networks (V8 optimises the step late otherwise).
  for (let k = 0; k < 30; k++) {
    const other = new Network({ everything: true, seed: 50 + k });
    other.compile();
    other.simulateUntil(2000 * other.dt, other.get(pop));
    other.dispose();
  }
  const net = new Network({ everything: true, seed: 5 });
  net.compile();
  const watched = net.get(pop);
  net.simulateUntil(WARM_STEPS * net.dt, watched);
  const least = leastBytesPerStep((steps) => net.simulateUntil(steps * net.dt, watched), STEPS);
  expect(net.getCurrentStep()).toBe(WARM_STEPS + 5 * STEPS);
  expect(least).toBeLessThan(MAX_BYTES_PER_STEP);
  net.dispose();
});
