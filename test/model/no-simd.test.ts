/**
 * An engine without WebAssembly SIMD (Safari before 16.4): every step that needs it falls back to
 * its JS twin (the same bits), instead of failing to compile. Simulated by making the SIMD probe
 * fail; this file's module state starts fresh (vitest runs each file in its own context).
 */
import { afterAll, expect, it, vi } from 'vitest';

import { clear, compile, Izhikevich, Monitor, PoissonPopulation, Population, Projection, setup, simulate } from '../../src/index.js';
import { templateNetwork } from '../../src/api/network.js';

// The probe is the only module with a v128 result type (0x7b) in its type section; others pass.
const validate = WebAssembly.validate.bind(WebAssembly);
vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes: BufferSource) => {
  const b = new Uint8Array(bytes as ArrayBuffer);
  return b.length < 60 && b.includes(0x7b) ? false : validate(bytes);
});
afterAll(() => vi.restoreAllMocks());

function run(kernels: 'auto' | 'js') {
  clear();
  setup({ seed: 4, dt: 1, kernels });
  const src = new PoissonPopulation(10, { rates: 100 });
  const izh = new Population(6, Izhikevich);
  new Projection(src, izh, 'exc').connectAllToAll({ weights: 8 });
  const m = new Monitor(izh, 'spike');
  const s = new Monitor(src, 'spike');
  compile();
  simulate(300);
  const rt = templateNetwork().world.runtime!;
  return {
    spikes: [m.get('spike'), s.get('spike')].map((trains) => trains.map((t) => [...t])),
    poissonInWasm: rt.populations[0]!.poisson!.emit !== null,
    inputStage: rt.inputStage !== null,
    kernel: izh.kernelInfo,
  };
}

it('without SIMD, Poisson steps, deliveries and neuron kernels run in JS, with the spikes of the JS backend', () => {
  const auto = run('auto'), js = run('js');
  expect([auto.poissonInWasm, auto.inputStage]).toEqual([false, false]);
  expect(auto.kernel).toEqual({ backend: 'js', reason: 'this JavaScript engine has no WebAssembly SIMD' });
  expect(auto.spikes).toEqual(js.spikes);
  expect(auto.spikes[0]!.flat().length).toBeGreaterThan(10);
});
