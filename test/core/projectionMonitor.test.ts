/**
 * Monitors on projections (ANNarchy's Monitor(proj, 'w')): a row is one value per synapse in CSR
 * order, recorded at the end of the step, so each row equals what proj.w (proj.x, proj.u) reads
 * after the simulate(1) that ran the recorded step.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  clear,
  compile,
  Izhikevich,
  Monitor,
  Network,
  PoissonPopulation,
  Population,
  Projection,
  reset,
  setup,
  simulate,
  STDP,
  STP,
} from '../../src/index.js';
import { expectError, rows } from '../helpers/core.js';

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  clear();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

type Kernels = 'js' | 'auto';
type Precision = 'float' | 'double';

/** Poisson input onto Izhikevich cells through STDP (learning) and a static drive that makes the cells fire. */
function stdpNetwork(kernels: Kernels = 'auto', precision: Precision = 'double') {
  setup({ dt: 1, seed: 7, kernels, precision });
  const input = new PoissonPopulation(12, { rates: 60 });
  const cells = new Population(4, Izhikevich);
  const proj = new Projection(input, cells, 'exc', STDP({ A_plus: 0.05, A_minus: 0.04 })).connectFixedProbability({ probability: 0.6, weights: 0.5 });
  new Projection(input, cells, 'exc').connectAllToAll({ weights: 4 });
  return { input, cells, proj };
}

/** proj.w (or x, u) read after each of `steps` simulate(1) calls. */
function stepwise(steps: number, read: () => ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    simulate(1);
    out.push(Array.from(read()));
  }
  return out;
}

describe('recorded rows are the synapses at the end of each step', () => {
  for (const kernels of ['js', 'auto'] as const) {
    for (const precision of ['float', 'double'] as const) {
      it(`STDP weights, every step, equal proj.w after each simulate(1) (${kernels}, ${precision})`, () => {
        const { proj } = stdpNetwork(kernels, precision);
        const m = new Monitor(proj, 'w');
        compile();
        const expected = stepwise(60, () => proj.w);
        expect(Array.from(m.times('w'))).toEqual(Array.from({ length: 60 }, (_, k) => k));
        const got = m.get('w');
        expect(got).toHaveLength(60);
        expect(got[0]).toBeInstanceOf(Float64Array);
        expect(got[0]).toHaveLength(proj.nbSynapses);
        expect(rows(got)).toEqual(expected);
        // The weights did move, and on different steps for different synapses.
        expect(new Set(expected.flat()).size).toBeGreaterThan(20);
        expect(expected[0]).not.toEqual(expected[59]);
      });
    }
  }

  it("STP's x and u with a period of 2 ms: rows of the even steps", () => {
    setup({ dt: 1, seed: 3 });
    const input = new PoissonPopulation(6, { rates: 80 });
    const cells = new Population(3, Izhikevich);
    const proj = new Projection(input, cells, 'exc', STP({ U: 0.3, tau_facil: 50, tau_rec: 100 })).connectAllToAll({ weights: 1, delays: 1 });
    const m = new Monitor(proj, ['x', 'u', 'w'], { period: 2 });
    compile();
    const xs: number[][] = [];
    const us: number[][] = [];
    for (let k = 0; k < 40; k++) {
      simulate(1);
      if (k % 2 === 0) {
        xs.push(Array.from(proj.x));
        us.push(Array.from(proj.u));
      }
    }
    expect(Array.from(m.times('x'))).toEqual(Array.from({ length: 20 }, (_, k) => 2 * k));
    const { x, u, w } = m.get(['x', 'u', 'w']);
    expect(rows(x)).toEqual(xs);
    expect(rows(u)).toEqual(us);
    expect(rows(w)).toEqual(Array.from({ length: 20 }, () => Array.from(proj.w)));
    expect(new Set(xs.flat()).size).toBeGreaterThan(10);
    expect(new Set(us.flat()).size).toBeGreaterThan(10);
  });
});

describe('period, start, pause, resume, get, reset', () => {
  it('period 5 ms, start: false, start() at 10, pause at 25, resume at 35: rows 10, 15, 20, 35, 40', () => {
    const { proj } = stdpNetwork();
    const m = new Monitor(proj, 'w', { period: 5, start: false });
    compile();
    simulate(10);
    m.start();
    simulate(15);
    m.pause();
    simulate(10);
    m.resume();
    simulate(10);
    expect(Array.from(m.times('w'))).toEqual([10, 15, 20, 35, 40]);
    expect(m.period).toBe(5);
  });

  it('get() empties the recording; reset() on the monitor and the global reset() empty it and it records on from the clock', () => {
    const { proj } = stdpNetwork();
    const m = new Monitor(proj, 'w', { period: 10 });
    compile();
    simulate(30);
    expect(m.get('w')).toHaveLength(3);
    expect(m.get('w')).toHaveLength(0);
    simulate(20);
    m.reset();
    expect(m.times('w')).toHaveLength(0);
    simulate(20); // steps 50..69
    expect(Array.from(m.times('w'))).toEqual([50, 60]);
    reset();
    expect(m.times('w')).toHaveLength(0);
    // Learned weights stay across reset(); the rows go on matching proj.w from step 0.
    const expected = stepwise(25, () => proj.w).filter((_, k) => k % 10 === 0);
    expect(Array.from(m.times('w'))).toEqual([0, 10, 20]);
    expect(rows(m.get('w'))).toEqual(expected);
  });

  it('a monitor made after compile records from that step', () => {
    const { proj } = stdpNetwork();
    compile();
    simulate(7);
    const m = new Monitor(proj, 'w', { period: 3 });
    const expected = stepwise(9, () => proj.w).filter((_, k) => k % 3 === 0);
    expect(Array.from(m.times('w'))).toEqual([7, 10, 13]);
    expect(rows(m.get('w'))).toEqual(expected);
  });

  it('perDendrite: per row, the lists of proj.dendrite(r).w for each post rank with synapses, ascending', () => {
    const { proj, cells } = stdpNetwork();
    const m = new Monitor(proj, 'w', { period: 4 });
    compile();
    const expected: number[][][] = [];
    for (let k = 0; k < 20; k++) {
      simulate(1);
      if (k % 4 === 0) {
        expected.push(
          Array.from({ length: cells.size }, (_, r) => r)
            .filter((r) => proj.nbSynapses > 0 && Array.from(proj.postRanks).includes(r))
            .map((r) => Array.from(proj.dendrite(r).w)),
        );
      }
    }
    const got = m.get('w', { perDendrite: true });
    expect(got).toHaveLength(5);
    expect(got.map((row) => row.map((d) => Array.from(d)))).toEqual(expected);
    expect(m.get('w')).toHaveLength(0); // emptied
  });
});

describe('copies', () => {
  it("a Network copy's monitor records its own projection; two copies with one seed record the same rows", () => {
    const { proj } = stdpNetwork();
    const m = new Monitor(proj, 'w', { period: 2 });
    const a = new Network({ everything: true, seed: 11 });
    const b = new Network({ everything: true, seed: 11 });
    a.compile();
    b.compile();
    const expected: number[][] = [];
    for (let k = 0; k < 30; k++) {
      a.simulate(1);
      if (k % 2 === 0) expected.push(Array.from(a.get(proj).w));
    }
    b.simulate(30);
    const rowsA = rows(a.get(m).get('w'));
    expect(rowsA).toEqual(expected);
    expect(rows(b.get(m).get('w'))).toEqual(rowsA);
    expect(new Set(rowsA.flat()).size).toBeGreaterThan(10);
    // The template's monitor recorded nothing (its network never compiled).
    expect(m.times('w')).toHaveLength(0);
    a.dispose();
    b.dispose();
  });

  it('add() copies a projection monitor only with its projection', () => {
    const { input, cells, proj } = stdpNetwork();
    const m = new Monitor(proj, 'w', { period: 5 });
    const net = new Network();
    expectError(() => net.add([input, cells, m]), "its projection 'proj", 'is not in the network');
    net.add([input, cells, proj, m]);
    net.compile();
    net.simulate(10);
    expect(Array.from(net.get(m).times('w'))).toEqual([0, 5]);
    net.dispose();
  });
});

describe('errors and warnings', () => {
  it('an unknown variable names what the projection can record', () => {
    const { proj } = stdpNetwork();
    expectError(() => new Monitor(proj, 'v'), "Monitor on projection 'proj", "unknown variable 'v'", 'one of w');
    expectError(() => new Monitor(proj, 'x'), "'x' (x is a variable of STP(…) synapses; this projection's are STDP(…))");
    expectError(() => new Monitor(proj, 'spike'), "unknown variable 'spike'");
    expectError(() => new Monitor(proj, ['w', 'w']), 'listed twice');
    expectError(() => new Monitor(proj, []), 'name at least one variable');
  });

  it('a monitor on a projection before its connect method is refused', () => {
    setup({ dt: 1 });
    const cells = new Population(2, Izhikevich);
    const proj = new Projection(cells, cells, 'exc');
    expectError(() => new Monitor(proj, 'w'), 'is not connected yet', 'connect… methods before making a monitor');
  });

  it('recording every step warns (as ANNarchy), a period does not', () => {
    const { proj } = stdpNetwork();
    new Monitor(proj, 'w', { period: 10 });
    expect(warn).not.toHaveBeenCalled();
    new Monitor(proj, 'w');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('recording every step (period = dt = 1 ms)');
  });

  it("perDendrite is for projections; the spike analyses are for populations", () => {
    const { proj, cells } = stdpNetwork();
    const pm = new Monitor(proj, 'w', { period: 5 });
    const cm = new Monitor(cells, 'v');
    compile();
    simulate(5);
    expectError(() => cm.get('v', { perDendrite: true }), 'perDendrite is for monitors on a projection');
    expectError(() => pm.get('v', { perDendrite: true }), "'v' is not recorded; recorded: w");
    // A projection records no spikes: the analyses point at a monitor of the post population.
    for (const analyse of [() => pm.meanFr(), () => pm.rasterPlot(), () => pm.histogram(5), () => pm.spikeData()]) {
      expectError(analyse, "a projection monitor records synaptic variables, not spikes: the spike analyses need a monitor of a population, new Monitor(proj.post, 'spike')");
    }
    expect(pm.get('w', { perDendrite: false })).toHaveLength(1);
  });
});
