/**
 * Errors of the Network API, each naming the object (and the network): get() of an object that is
 * not in the network, add() of a projection or monitor without its populations (nothing is added),
 * add() after compile(), simulate() before compile(), the same object twice, a copy, dispose().
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { clear, Izhikevich, Network, Population, setup } from '../../src/index.js';
import { expectError, seedNetwork } from './helpers.js';

beforeEach(() => {
  clear();
  setup({ seed: 5 });
});

describe('get()', () => {
  it('of a population, projection or monitor that is not in the network names it and the network', () => {
    const { pop1, pop2, proj, m } = seedNetwork(10);
    const net = new Network();
    expectError(() => net.get(pop1), 'network 1', "PoissonPopulation 'pop0' (10 neurons)", 'net.add()');
    net.add(pop2);
    expectError(() => net.get(proj), 'network 1', 'Projection pop0 -> pop1 (exc)');
    expectError(() => net.get(m), 'network 1', "Monitor on 'pop1' (spike)");
    expectError(() => net.get([pop2, pop1]), "PoissonPopulation 'pop0'");
    expect(net.get(pop2)).toBeDefined();
  });

  it('of something that is not a network object is an error, not a crash', () => {
    const net = new Network();
    expectError(() => net.get(undefined as never), 'network 1');
    expectError(() => net.get({ id: 0 } as never), 'network 1');
  });
});

describe('add()', () => {
  it('a projection whose pre population is missing: error names projection and population; nothing was added', () => {
    const { pop1, pop2, proj, m } = seedNetwork(10);
    const net = new Network();
    expectError(() => net.add([pop2, proj, m]), 'network 1', 'Projection pop0 -> pop1 (exc)', "'pop0'", 'not in the network');
    expectError(() => net.get(pop2), 'network 1', "'pop1'");
    expectError(() => net.get(m), "Monitor on 'pop1'");
    net.add([pop1, pop2, proj, m]); // a later correct add works
    net.compile();
    expect(net.get(proj).nbSynapses).toBeGreaterThan(0);
  });

  it('a projection whose post population is missing', () => {
    const { pop1, proj } = seedNetwork(10);
    const net = new Network();
    net.add(pop1);
    expectError(() => net.add(proj), 'network 1', 'Projection pop0 -> pop1 (exc)', "'pop1'", 'not in the network');
    expectError(() => net.get(proj), 'Projection pop0 -> pop1 (exc)');
  });

  it('a monitor whose population is missing', () => {
    const { m } = seedNetwork(10);
    const net = new Network();
    expectError(() => net.add(m), 'network 1', "Monitor on 'pop1' (spike)", "'pop1'", 'not in the network');
  });

  it('a projection may come before its populations in the same call', () => {
    const { pop1, pop2, proj, m } = seedNetwork(10);
    const net = new Network();
    net.add([m, proj, pop2, pop1]);
    net.compile();
    expect(net.get(proj).pre).toBe(net.get(pop1));
    expect(net.get(proj).post).toBe(net.get(pop2));
    expect(net.get(m).target).toBe(net.get(pop2));
  });

  it('after compile() names the network', () => {
    const { pop1, pop2 } = seedNetwork(10);
    const net = new Network();
    net.add(pop2);
    net.compile();
    expectError(() => net.add(pop1), 'network 1', 'add() after compile()');
  });

  it('the same object twice (in one call or in two) names it', () => {
    const { pop1, pop2, proj } = seedNetwork(10);
    const net = new Network();
    expectError(() => net.add([pop1, pop1]), 'network 1', "PoissonPopulation 'pop0' (10 neurons)", 'already added');
    expectError(() => net.get(pop1), "'pop0'"); // the failing call added nothing
    net.add([pop1, pop2, proj]);
    expectError(() => net.add(pop2), 'network 1', "Population 'pop1' (10 neurons)", 'already added');
    expectError(() => net.add(proj), 'network 1', 'Projection pop0 -> pop1 (exc)', 'already added');
    const all = new Network({ everything: true });
    expectError(() => all.add(pop1), 'network 2', "'pop0'", 'already added');
  });

  it('a copy (an object of another network) names it and its network', () => {
    const { pop1, pop2, proj, m } = seedNetwork(10);
    const a = new Network({ everything: true });
    const b = new Network();
    expectError(() => b.add(a.get(pop2)), 'network 2', "Population 'pop1'", 'belongs to network 1');
    expectError(() => b.add([pop1, pop2, a.get(proj)]), 'network 2', 'Projection pop0 -> pop1 (exc)', 'belongs to network 1');
    expectError(() => b.add([a.get(m)]), "Monitor on 'pop1'", 'belongs to network 1');
    expectError(() => b.get(pop1)); // nothing added by the failing calls
    b.add([pop1, pop2, proj, m]);
    b.compile();
    expect(b.get(proj).nbSynapses).toBeGreaterThan(0);
  });

  it('anything else is refused with a message', () => {
    const net = new Network();
    expectError(() => net.add(42 as never), 'network 1', 'add() takes populations, projections and monitors');
  });
});

describe('running', () => {
  it('simulate(), step(), simulateUntil(), reset() and view() before compile() say to compile', () => {
    const pop = new Population(2, Izhikevich, { stopCondition: 'v > 0 : any' });
    const net = new Network();
    net.add(pop);
    expectError(() => net.simulate(10), 'simulate', 'compile()');
    expectError(() => net.step(), 'compile()');
    expectError(() => net.simulateUntil(10, net.get(pop)), 'compile()');
    expectError(() => net.reset(), 'reset', 'compile()');
    expectError(() => net.view(pop), 'compile()');
    expect(net.getTime()).toBe(0);
  });

  it('simulate() before compile() names the network', () => {
    const pop = new Population(2, Izhikevich);
    new Network(); // network 1
    const net = new Network(); // network 2
    net.add(pop);
    expectError(() => net.simulate(10), 'network 2');
  });

  it('simulateUntil() with the original population (not the copy) names it and says net.get(pop)', () => {
    const pop = new Population(2, Izhikevich, { stopCondition: 'v > 0 : any' });
    const net = new Network();
    net.add(pop);
    net.compile();
    expectError(() => net.simulateUntil(10, pop), "Population 'pop0'", 'network 1', 'net.get(pop)');
    // With the copy (its stop condition copied too): a resting neuron never reaches v > 0.
    expect(net.simulateUntil(10, net.get(pop))).toBe(10);
    expect(net.getTime()).toBe(10);
  });

  it('a bad duration is refused', () => {
    const pop = new Population(2, Izhikevich);
    const net = new Network();
    net.add(pop);
    net.compile();
    expectError(() => net.simulate(-1), 'non-negative', '-1');
    expectError(() => net.simulate(Number.NaN), 'non-negative');
    expect(net.getTime()).toBe(0);
  });

  it('after dispose(), simulate / step / reset / view throw a clear error', () => {
    const { pop2 } = seedNetwork(10);
    const net = new Network({ everything: true });
    net.compile();
    net.simulate(10);
    net.dispose();
    expectError(() => net.simulate(10), 'simulate', 'disposed');
    expectError(() => net.step(), 'disposed');
    expectError(() => net.reset(), 'reset', 'disposed');
    expectError(() => net.view(pop2), 'disposed');
    // Other networks are untouched.
    const other = new Network({ everything: true });
    other.compile();
    other.simulate(10);
    expect(other.getTime()).toBe(10);
  });
});
