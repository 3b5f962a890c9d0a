/**
 * setup({ precision: 'float' }): population state is stored as float32 and every kernel operation
 * is rounded to float32 (that JS and WebAssembly kernels then agree bit for bit is in
 * wasm.test.ts). Float conductances are flushed to 0 below the smallest normal float32.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { buildCoba } from '../../examples/networks/coba.js';
import { Network, templateNetwork } from '../../src/api/network.js';
import type { BuiltKernel } from '../../src/world/kernels.js';
import { clear, compile, Monitor, Neuron, Population, setup, simulate, simulateUntil } from '../../src/index.js';
import { fillUniform } from '../../src/random/stream.js';

beforeEach(() => clear());

function backends(): string[] {
  return templateNetwork().world.runtime!.populations.filter((p) => p.kernel).map((p) => (p.kernel as BuiltKernel).backend);
}

/** fillUniform's value for the largest uint32 word, into a Float32Array (a state that yields it first). */
function clampedTop(lo: number, hi: number): number {
  // sfc32 returns t = a + b + d first: a = 0xffffffff, b = d = 0 gives the word 0xffffffff.
  const out = new Float32Array(1);
  fillUniform(new Uint32Array([0xffffffff, 0, 0, 0]), out, 1, lo, hi);
  return out[0]!;
}

const isFloat32 = (xs: Iterable<number>) => [...xs].every((x) => Math.fround(x) === x || Number.isNaN(x));

describe("setup({ precision: 'float' })", () => {
  it('stores state as float32: live views are Float32Arrays, get() gives float32 values as a Float64Array', () => {
    setup({ dt: 0.1, seed: 3, precision: 'float' });
    const { exc } = buildCoba({ scale: 0.1 });
    const net = new Network({ everything: true });
    net.compile();
    expect(net.view(net.get(exc)).v).toBeInstanceOf(Float32Array);
    net.simulate(50);
    const v = net.get(exc).get('v');
    expect(v).toBeInstanceOf(Float64Array);
    expect(isFloat32(v)).toBe(true);
    expect(v.some((x) => Math.fround(x) !== Math.fround(-55))).toBe(true);
  });

  it('float results differ from double ones (the arithmetic really is float32)', () => {
    const run = (precision: 'float' | 'double') => {
      clear();
      setup({ dt: 0.1, seed: 5, precision });
      const { exc } = buildCoba({ scale: 0.25 });
      compile();
      simulate(20);
      return [...exc.v];
    };
    const f = run('float'), d = run('double');
    expect(f).not.toEqual(d);
    // Same network, same draws: 20 ms apart only by rounding, far below a millivolt.
    expect(Math.max(...f.map((x, i) => Math.abs(x - (d[i] as number))))).toBeLessThan(1e-2);
  });

  it('a size that is not a multiple of four runs WebAssembly too (its last neurons in the JS loop)', () => {
    setup({ dt: 1, seed: 1, precision: 'float' });
    new Population(10, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    new Population(12, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    compile();
    expect(backends()).toEqual(['wasm', 'wasm']);
  });

  it('flushes a decaying float conductance to exactly 0 below the smallest normal float32 (double keeps it)', () => {
    const decay = new Neuron({ parameters: { tau: 1 }, equations: 'dv/dt = -v\ntau * dg_exc/dt = -g_exc', spike: 'v > 100', reset: 'v = 0' });
    // g ← 0.9 g per step: below 2^-126 (1.18e-38) after ~830 steps, still a subnormal at 900 without the flush.
    const after = (precision: 'float' | 'double', kernels: 'auto' | 'js') => {
      clear();
      setup({ dt: 0.1, seed: 1, precision, kernels });
      const pop = new Population(4, decay);
      pop.set({ g_exc: 1 });
      compile();
      simulate(90);
      return [...pop.get('g_exc')];
    };
    expect(after('float', 'auto')).toEqual([0, 0, 0, 0]);
    expect(after('float', 'js')).toEqual([0, 0, 0, 0]);
    const d = after('double', 'auto');
    expect(d[0]).toBeGreaterThan(0);
    expect(d[0]).toBeLessThan(1e-30);
  });

  it('a stop condition computes like the kernel: the spike and the stop agree on a float value', () => {
    setup({ dt: 1, precision: 'float' });
    // 0.7 stored as float32 is 0.699999988…: below the double 0.7, equal to the float32 one.
    const pop = new Population(4, new Neuron({ equations: 'v = 0.7', spike: 'v >= 0.7', reset: '' }), { stopCondition: 'v >= 0.7' });
    const m = new Monitor(pop, 'spike');
    compile();
    expect(simulateUntil(50, pop)).toBe(1);
    expect(m.get('spike').map((s) => s.length)).toEqual([1, 1, 1, 1]);
  });

  it('float Uniform(lo, hi) draws stay below hi after rounding to float32', () => {
    // About 1 word in 2^25 lands within half a float32 step of hi; the largest word maps to
    // 1 - 2^-32, which float32 rounds to 1 without the clamp.
    expect(clampedTop(0, 1)).toBe(1 - 2 ** -24);
    expect(clampedTop(-3, -2)).toBeLessThan(-2);
  });

  it('is refused with a named value, cannot change after declarations, and clear() returns to double', () => {
    expect(() => setup({ precision: 'half' as never })).toThrow(/precision must be 'double' or 'float', got half/);
    setup({ precision: 'float' });
    new Population(4, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    expect(() => setup({ precision: 'double' })).toThrow(/precision cannot change after populations were declared \(now 'float'\)/);
    setup({ precision: 'float' });
    clear();
    const pop = new Population(4, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    compile();
    expect(templateNetwork().view(pop).v).toBeInstanceOf(Float64Array);
  });
});
