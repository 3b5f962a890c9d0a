/**
 * The seed text's walk-through ("Parallel simulations and networks", 2.16.1) as a test, and the
 * seeds: default seeds differ per network; with setup({ seed }) the same script gives the same
 * results per network.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { clear, getSeed, Network, setup, Uniform } from '../../src/index.js';
import { arr, assign, raster, seedNetwork } from './helpers.js';

beforeEach(() => clear());

describe("the seed's walk-through", () => {
  it('no input: 0 spikes; 10 Hz input < 20 Hz input; the original keeps its values', () => {
    setup({ seed: 1234 });
    const { pop1, pop2, proj, m } = seedNetwork(100);

    const net1 = new Network();
    net1.add([pop2, m]);
    const net2 = new Network();
    net2.add([pop1, pop2, proj, m]);
    const net3 = new Network({ everything: true });
    net3.get(pop1).rates = 20.0;

    for (const net of [net1, net2, net3]) {
      net.compile();
      net.simulate(1000);
      expect(net.getTime()).toBe(1000);
    }
    const [t1, n1] = net1.get(m).rasterPlot();
    const [t2] = net2.get(m).rasterPlot();
    const [t3] = net3.get(m).rasterPlot();
    // Izhikevich with noise 0 and no input stays at rest.
    expect(t1.length).toBe(0);
    expect(n1.length).toBe(0);
    expect(net1.get(m).meanFr()).toBe(0);
    expect(t2.length).toBeGreaterThan(0);
    const fr2 = net2.get(m).meanFr();
    const fr3 = net3.get(m).meanFr();
    expect(fr2).toBeGreaterThan(0);
    expect(fr3).toBeGreaterThan(fr2);
    expect(t3.length).toBeGreaterThan(t2.length);
    expect(fr2).toBeCloseTo(t2.length / 100, 10); // spikes / 100 neurons / 1 s
    // Networks only work on copies: the originals hold their original values.
    expect(arr(pop1.rates).every((r) => r === 10)).toBe(true);
    expect(arr(pop2.v).every((v) => v === -65)).toBe(true);
    expect(arr(net2.get(pop1).rates).every((r) => r === 10)).toBe(true);
    expect(() => net1.get(pop1)).toThrow(/network 1/);
  });

  it('per-network random initialisation (net.get(pop2).v = Uniform(-60, -50)) differs between networks', () => {
    setup({ seed: 1234 });
    const { pop2, m } = seedNetwork(100);
    const nets = [new Network(), new Network({ everything: true }), new Network({ everything: true })];
    nets[0]!.add([pop2, m]);
    for (const net of nets) assign(net.get(pop2), 'v', Uniform(-60, -50));
    const vs = nets.map((net) => arr(net.get(pop2).v));
    for (const v of vs) {
      expect(v.every((x) => x >= -60 && x <= -50)).toBe(true);
      expect(new Set(v).size).toBe(100);
    }
    expect(vs[0]).not.toEqual(vs[1]);
    expect(vs[1]).not.toEqual(vs[2]);
    expect(vs[0]).not.toEqual(vs[2]);
    expect(arr(pop2.v).every((v) => v === -65)).toBe(true);
  });
});

describe('seeds', () => {
  it('without setup({ seed }): two everything-networks get different seeds and different connectivity', () => {
    const { proj } = seedNetwork(100);
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    expect(a.seed).not.toEqual(b.seed);
    a.compile();
    b.compile();
    expect(arr(a.get(proj).postRanks)).not.toEqual(arr(b.get(proj).postRanks));
  });

  it('with setup({ seed: 5 }) two networks still differ from each other', () => {
    setup({ seed: 5 });
    expect(getSeed()).toBe(5);
    const { proj } = seedNetwork(100);
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    expect(a.seed).not.toEqual(b.seed);
    a.compile();
    b.compile();
    expect(arr(a.get(proj).postRanks)).not.toEqual(arr(b.get(proj).postRanks));
  });

  it('with setup({ seed: 5 }), the same script run twice (clear() between) gives identical results per network', () => {
    const script = () => {
      clear();
      setup({ seed: 5 });
      const { pop1, pop2, proj, m } = seedNetwork(60);
      const net1 = new Network();
      net1.add([pop2, m]);
      const net2 = new Network({ everything: true });
      const net3 = new Network({ everything: true });
      net3.get(pop1).rates = 20;
      const out = [];
      for (const net of [net1, net2, net3]) {
        assign(net.get(pop2), 'v', Uniform(-60, -50));
        const v0 = arr(net.get(pop2).v);
        net.compile();
        net.simulate(300);
        out.push({
          seed: net.seed,
          v0,
          synapses: net === net1 ? [] : arr(net.get(proj).postRanks),
          weights: net === net1 ? [] : arr(net.get(proj).w),
          spikes: raster(net.get(m)),
          v: arr(net.get(pop2).v),
        });
      }
      return out;
    };
    const first = script();
    const second = script();
    expect(second).toEqual(first);
    expect(first[2]!.spikes[0].length).toBeGreaterThan(first[1]!.spikes[0].length);
    expect(first[1]!.synapses).not.toEqual(first[2]!.synapses);
  });
});
