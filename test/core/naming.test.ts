/**
 * Names and stop conditions of populations and projections: checked when declared (a bad one used
 * to be kept, and failed later with "text.trim is not a function" or a projection named undefined).
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { clear, compile, Izhikevich, Network, PoissonPopulation, Population, Projection, simulateUntil, SpikeSourceArray } from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

describe('population names', () => {
  it('refuses a name that is not a non-empty string, naming the constructor and the value', () => {
    expectError(() => new Population(3, Izhikevich, { name: 5 as unknown as string }), 'new Population()', 'name must be a non-empty string', 'got 5');
    expectError(() => new Population(3, Izhikevich, { name: '' }), "got ''");
    expectError(() => new PoissonPopulation(3, { rates: 5, name: {} as unknown as string }), 'new PoissonPopulation()', 'got Object');
    expectError(() => new SpikeSourceArray([[1]], { name: 7 as unknown as string }), 'new SpikeSourceArray()', 'got 7');
  });

  it('refuses a second population of the same name in one network, and the refused one leaves no trace', () => {
    const a = new Population(3, Izhikevich, { name: 'exc' });
    expectError(() => new Population(4, Izhikevich, { name: 'exc' }), "the template network already has a population named 'exc'", "{ name: 'exc2' }");
    const b = new Population(2, Izhikevich);
    expect([a.name, b.name]).toEqual(['exc', 'pop1']);
    compile();
    expect(a.size + b.size).toBe(5);
  });

  it("refuses a default name pop<id> that another population was given, saying it is the default", () => {
    new Population(3, Izhikevich, { name: 'pop1' });
    expectError(() => new Population(4, Izhikevich), "new Population(): its default name 'pop1' is taken by another population of the template network", "give this one a name ({ name: 'exc' })");
    expect(new Population(2, Izhikevich, { name: 'inh' }).id).toBe(1);
  });

  it('lets a copy keep its original name in its own network', () => {
    const a = new Population(3, Izhikevich, { name: 'exc' });
    const net = new Network({ everything: true });
    expect(net.get(a).name).toBe('exc');
    net.dispose();
  });

  it('refuses a stop condition that is not a string when declared, not at simulateUntil', () => {
    expectError(() => new Population(3, Izhikevich, { stopCondition: 3 as unknown as string }), 'stopCondition must be a condition', "'spiked : any'", 'got 3');
    const p = new Population(1, Izhikevich, { stopCondition: 'spiked : any' });
    p.set({ i_offset: 20 });
    compile();
    expect(simulateUntil(100, p)).toBeLessThan(100);
  });
});

describe('projection names', () => {
  it("takes ANNarchy's name as an option, keeps it in copies, and defaults to proj<id>", () => {
    const pop = new Population(3, Izhikevich);
    const named = new Projection(pop, pop, 'exc', undefined, { name: 'recurrent' }).connectAllToAll({ weights: 1 });
    const plain = new Projection(pop, pop, 'inh').connectAllToAll({ weights: 1 });
    expect(named.name).toBe('recurrent');
    expect(named.id).toBe(pop.id + 1);
    expect(plain.name).toBe(`proj${plain.id}`);
    const net = new Network({ everything: true });
    expect(net.get(named).name).toBe('recurrent');
    net.dispose();
  });

  it('refuses a name given as a string argument, a bad name, an unknown option and a duplicate', () => {
    const pop = new Population(3, Izhikevich);
    expectError(() => new Projection(pop, pop, 'exc', undefined, 'ee' as never), "give the name as an option", "{ name: 'ee' }");
    expectError(() => new Projection(pop, pop, 'exc', undefined, { name: 3 as unknown as string }), 'name must be a non-empty string', 'got 3');
    expectError(() => new Projection(pop, pop, 'exc', undefined, { nmae: 'x' } as never), "unknown option 'nmae'");
    new Projection(pop, pop, 'exc', undefined, { name: 'ee' });
    expectError(() => new Projection(pop, pop, 'inh', undefined, { name: 'ee' }), "already has a projection named 'ee'");
  });

  it('refuses a default name proj<id> that another projection was given (a second one of that name was made)', () => {
    const pop = new Population(3, Izhikevich);
    const named = new Projection(pop, pop, 'exc', undefined, { name: `proj${pop.id + 2}` });
    expectError(() => new Projection(pop, pop, 'inh'), `its default name 'proj${pop.id + 2}' is taken by another projection of the template network`, "give this one a name ({ name: 'exc_exc' })");
    // The refused one took no id: the next gets the id it would have had.
    const next = new Projection(pop, pop, 'inh', undefined, { name: 'ie' });
    expect([named.name, next.id]).toEqual([`proj${pop.id + 2}`, pop.id + 2]);
  });
});
