/**
 * Copies (semantics.md "Networks"): a copy holds the original's values at the time of add();
 * later changes to the original do not reach it; changes to a copy reach nothing else.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { clear, compile, Izhikevich, Monitor, Network, PoissonPopulation, Population, setup, simulate, Uniform } from '../../src/index.js';
import { arr, assign, seedNetwork } from './helpers.js';

beforeEach(() => {
  clear();
  setup({ seed: 42 });
});

describe('a copy takes the values of add() time', () => {
  it('values written on the original before add() are in the copy; later writes are not', () => {
    const pop = new Population(4, Izhikevich);
    const net = new Network();
    assign(pop, 'v', [-60, -61, -62, -63]); // after the network exists, before add(): still copied
    pop.set({ a: 0.1 });
    net.add(pop);
    assign(pop, 'v', [-40, -41, -42, -43]);
    pop.set({ a: 0.5 });
    expect(arr(net.get(pop).v)).toEqual([-60, -61, -62, -63]);
    expect(arr(net.get(pop).a)).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(arr(pop.v)).toEqual([-40, -41, -42, -43]);
  });

  it('everything: true copies at construction; changing the original afterwards has no effect', () => {
    const { pop1, pop2 } = seedNetwork(5);
    const net = new Network({ everything: true });
    pop1.rates = 50;
    assign(pop2, 'v', -30);
    expect(arr(net.get(pop1).rates)).toEqual([10, 10, 10, 10, 10]);
    expect(arr(net.get(pop2).v)).toEqual([-65, -65, -65, -65, -65]);
    net.compile();
    expect(arr(net.get(pop1).rates)).toEqual([10, 10, 10, 10, 10]);
    expect(arr(net.get(pop2).v)).toEqual([-65, -65, -65, -65, -65]);
  });

  it('a random initialisation drawn on the original is the same in every copy (not drawn again)', () => {
    const { pop2 } = seedNetwork(50);
    assign(pop2, 'v', Uniform(-60, -50));
    const original = arr(pop2.v);
    expect(new Set(original).size).toBeGreaterThan(40);
    const nets = [new Network({ everything: true }), new Network({ everything: true }), new Network({ seed: 99 })];
    nets[2]!.add(pop2);
    for (const net of nets) expect(arr(net.get(pop2).v)).toEqual(original);
    for (const net of nets) net.compile();
    for (const net of nets) expect(arr(net.get(pop2).v)).toEqual(original);
  });

  it('a copy made after the original was simulated takes its simulated values; later simulation does not reach it', () => {
    const pop = new Population(3, Izhikevich);
    compile();
    simulate(20);
    const simulated = arr(pop.v);
    expect(simulated[0]).not.toBe(-65);
    const net = new Network();
    net.add(pop);
    expect(arr(net.get(pop).v)).toEqual(simulated);
    simulate(20);
    expect(arr(pop.v)).not.toEqual(simulated);
    expect(arr(net.get(pop).v)).toEqual(simulated);
  });
});

describe('changes to a copy reach nothing else', () => {
  it('before compile: not the original, not another copy', () => {
    const { pop1, pop2 } = seedNetwork(4);
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    a.get(pop1).rates = 20;
    assign(a.get(pop2), 'v', [1, 2, 3, 4]);
    a.get(pop2).set({ d: 2 });
    expect(arr(pop1.rates)).toEqual([10, 10, 10, 10]);
    expect(arr(b.get(pop1).rates)).toEqual([10, 10, 10, 10]);
    expect(arr(pop2.v)).toEqual([-65, -65, -65, -65]);
    expect(arr(b.get(pop2).v)).toEqual([-65, -65, -65, -65]);
    expect(arr(pop2.d)).toEqual([8, 8, 8, 8]);
    expect(arr(b.get(pop2).d)).toEqual([8, 8, 8, 8]);
    expect(arr(a.get(pop1).rates)).toEqual([20, 20, 20, 20]);
  });

  it('after compile (values in each network\'s own shared memory): not the original, not another copy', () => {
    const { pop1, pop2 } = seedNetwork(4);
    compile(); // the original too
    const a = new Network({ everything: true });
    const b = new Network({ everything: true });
    a.compile();
    b.compile();
    a.get(pop1).rates = 30;
    assign(a.get(pop2), 'v', -50);
    expect(arr(a.get(pop1).rates)).toEqual([30, 30, 30, 30]);
    expect(arr(a.get(pop2).v)).toEqual([-50, -50, -50, -50]);
    for (const p of [pop1, b.get(pop1)]) expect(arr(p.rates)).toEqual([10, 10, 10, 10]);
    for (const p of [pop2, b.get(pop2)]) expect(arr(p.v)).toEqual([-65, -65, -65, -65]);
  });

  it('a copy keeps name, geometry, size and model of the original', () => {
    const pop = new Population([2, 3], Izhikevich, { name: 'grid' });
    const poisson = new PoissonPopulation(4, { rates: [1, 2, 3, 4], name: 'in' });
    const m = new Monitor(pop, ['spike', 'v'], { period: 2 });
    const net = new Network({ everything: true });
    const c = net.get(pop);
    expect(c).not.toBe(pop);
    expect([c.name, c.size, [...c.geometry]]).toEqual(['grid', 6, [2, 3]]);
    expect(c.attributes).toEqual(pop.attributes);
    expect(net.get(poisson).name).toBe('in');
    expect(arr(net.get(poisson).rates)).toEqual([1, 2, 3, 4]);
    const cm = net.get(m);
    expect(cm).not.toBe(m);
    expect([...cm.variables]).toEqual(['spike', 'v']);
    expect(cm.period).toBe(2);
    expect(cm.target).toBe(c);
  });
});
