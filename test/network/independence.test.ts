/**
 * Networks are independent (simulating one never changes another's state, time or monitors);
 * net.get() keeps the type; net.view() gives live views on the network's shared memory.
 */
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';

import {
  clear,
  compile,
  getTime,
  Monitor,
  Network,
  PoissonPopulation,
  Population,
  Projection,
  setup,
  simulate,
} from '../../src/index.js';
import { arr, assign, raster, seedNetwork } from './helpers.js';

beforeEach(() => {
  clear();
  setup({ seed: 21 });
});

describe('independence', () => {
  it("simulating network A leaves network B's time, state and monitors (and the original's) untouched", () => {
    const { pop1, pop2, m } = seedNetwork(50);
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    a.get(pop1).rates = 100;
    a.compile();
    b.compile();
    const vB = arr(b.get(pop2).v);
    a.simulate(200);
    expect(a.getTime()).toBe(200);
    expect(a.get(m).rasterPlot()[0].length).toBeGreaterThan(0);
    expect(b.getTime()).toBe(0);
    expect(b.getCurrentStep()).toBe(0);
    expect(arr(b.get(pop2).v)).toEqual(vB);
    expect(arr(b.get(pop2).u)).toEqual(arr(b.get(pop2).u).map(() => -13));
    expect(b.get(m).rasterPlot()[0].length).toBe(0);
    expect(b.get(m).get('spike').every((s) => s.length === 0)).toBe(true);
    // The original was never compiled nor simulated.
    expect(getTime()).toBe(0);
    expect(arr(pop2.v).every((v) => v === -65)).toBe(true);
    // Neither an uncompiled network.
    const c = new Network({ everything: true });
    a.simulate(50);
    expect(c.getTime()).toBe(0);
    expect(arr(c.get(pop2).v).every((v) => v === -65)).toBe(true);
  });

  it('simulating the original (global simulate) does not reach the networks', () => {
    const { pop1, pop2, m } = seedNetwork(30);
    pop1.rates = 200;
    const net = new Network({ everything: true });
    net.compile();
    compile();
    simulate(100);
    expect(m.rasterPlot()[0].length).toBeGreaterThan(0);
    expect(net.getTime()).toBe(0);
    expect(arr(net.get(pop2).v).every((v) => v === -65)).toBe(true);
    expect(net.get(m).rasterPlot()[0].length).toBe(0);
  });

  it('a network gives the same spikes whether it runs alone or interleaved with others (no shared random state)', () => {
    const { pop1, m } = seedNetwork(40);
    pop1.rates = 60;
    const alone = new Network({ everything: true, seed: 9 });
    alone.compile();
    alone.simulate(300);
    const expected = raster(alone.get(m));
    expect(expected[0].length).toBeGreaterThan(0);

    const twin = new Network({ everything: true, seed: 9 });
    const other = new Network({ everything: true, seed: 10 });
    other.compile();
    other.simulate(17);
    twin.compile();
    for (let k = 0; k < 30; k++) {
      twin.simulate(10);
      other.simulate(10);
      alone.step();
    }
    expect(raster(twin.get(m))).toEqual(expected);
    expect(raster(other.get(m))).not.toEqual(expected);
  });
});

describe('get()', () => {
  it('returns the same type and the same copy every time', () => {
    const { pop1, pop2, proj, m } = seedNetwork(5);
    const net = new Network({ everything: true });
    expect(net.get(pop1)).toBeInstanceOf(PoissonPopulation);
    expect(net.get(pop2)).toBeInstanceOf(Population);
    expect(net.get(pop2)).not.toBeInstanceOf(PoissonPopulation);
    expect(net.get(proj)).toBeInstanceOf(Projection);
    expect(net.get(m)).toBeInstanceOf(Monitor);
    expect(net.get(pop1)).toBe(net.get(pop1));
    expect(net.get(pop1).toString()).toBe(pop1.toString());
    expectTypeOf(net.get(pop1)).toEqualTypeOf<PoissonPopulation>();
    expectTypeOf(net.get(pop2).v).toEqualTypeOf<Float64Array>();
    expectTypeOf(net.get(m)).toEqualTypeOf<Monitor>();
  });

  it('get([a, b]) returns a tuple of the copies, in order', () => {
    const { pop1, pop2, proj, m } = seedNetwork(5);
    const net = new Network({ everything: true });
    const [p1, mm, p2, pr] = net.get([pop1, m, pop2, proj]);
    expectTypeOf(p1).toEqualTypeOf<PoissonPopulation>();
    expectTypeOf(mm).toEqualTypeOf<Monitor>();
    expectTypeOf(pr).toEqualTypeOf<Projection>();
    expect(p1).toBe(net.get(pop1));
    expect(mm).toBe(net.get(m));
    expect(p2).toBe(net.get(pop2));
    expect(pr).toBe(net.get(proj));
    expect(net.get([])).toEqual([]);
  });
});

describe('view()', () => {
  it('is live: the same shared memory over time, changes visible without calling view() again', () => {
    const { pop2 } = seedNetwork(10);
    const net = new Network({ everything: true });
    net.compile();
    const views = net.view(pop2);
    const v = views.v!;
    expect(v).toBeInstanceOf(Float64Array);
    expect(v.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(v.length).toBe(10);
    expect(v[0]).toBe(-65);
    net.simulate(50);
    // A resting Izhikevich neuron drifts from -65 towards -70 mV.
    expect(v[0]).toBeLessThan(-69);
    expect(arr(v)).toEqual(arr(net.get(pop2).v));
    const again = net.view(pop2);
    expect(again.v!.buffer).toBe(v.buffer);
    expect(again.v!.byteOffset).toBe(v.byteOffset);
    assign(net.get(pop2), 'v', -42);
    expect(v[3]).toBe(-42);
    expect(arr(views.u!)).toEqual(arr(net.get(pop2).u));
  });

  it('each network has its own memory; view() accepts the original or the copy', () => {
    const { pop1, pop2 } = seedNetwork(10);
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    a.compile();
    b.compile();
    expect(a.view(pop2).v!.buffer).not.toBe(b.view(pop2).v!.buffer);
    expect(a.view(a.get(pop2)).v!.byteOffset).toBe(a.view(pop2).v!.byteOffset);
    expect(arr(a.view(pop1).rates!)).toEqual(arr(a.get(pop1).rates));
    expect(a.view(pop1).rates!.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
