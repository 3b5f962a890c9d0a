/**
 * Neuron updates: time inside equations, refractoriness, bounds, explicit and exponential Euler,
 * init flags, parameter changes after compile, and the built-in Izhikevich model against a
 * hand-written reference loop (semantics.md "Built-in Izhikevich").
 */
import { beforeEach, describe, expect, it } from 'vitest';

import {
  clear,
  compile,
  Izhikevich,
  Monitor,
  Neuron,
  Population,
  setup,
  simulate,
} from '../../src/index.js';
import { column, rows, trains } from '../helpers/core.js';
import { templateNetwork } from '../../src/api/network.js';

beforeEach(() => clear());

/** A never-spiking model with the given equations (spiking models are the only kind for now). */
const quiet = (equations: string, parameters?: Record<string, number> | string) =>
  new Neuron({ equations, spike: 'never_spikes > 0', parameters: withNever(parameters) });

function withNever(p?: Record<string, number> | string): Record<string, number> | string {
  if (p === undefined) return { never_spikes: 0 };
  if (typeof p === 'string') return `${p}\nnever_spikes = 0`;
  return { ...p, never_spikes: 0 };
}

describe('time', () => {
  it('v = t records the time at the start of each step: 0, 1, ..., 9', () => {
    const pop = new Population(3, quiet('v = t'));
    const m = new Monitor(pop, 'v');
    compile();
    simulate(10);
    expect(rows(m.get('v'))).toEqual(Array.from({ length: 10 }, (_, k) => [k, k, k]));
    expect(Array.from(pop.get('v'))).toEqual([9, 9, 9]);
  });

  it('at dt = 0.5, t advances by 0.5 per step', () => {
    setup({ dt: 0.5 });
    const pop = new Population(1, quiet('v = t'));
    const m = new Monitor(pop, 'v');
    compile();
    simulate(3); // 6 steps
    expect(column(m.get('v'), 0)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('dt inside equations is the step in ms', () => {
    setup({ dt: 0.25 });
    const pop = new Population(1, quiet('v = v + dt'));
    compile();
    simulate(2); // 8 steps
    expect(pop.get('v')[0]).toBe(2);
  });
});

describe('refractoriness (ANNarchy test_Monitor)', () => {
  const refractoryModel = (refractory: number | string, parameters?: Record<string, number>) =>
    new Neuron({
      ...(parameters ? { parameters } : {}),
      equations: 'v = v + 1',
      spike: 'v == 3',
      reset: 'v = 1',
      refractory,
    });

  it('v = v + 1; spike v == 3; reset v = 1; refractory 3 ms -> v = [1,2,1,1,1,1,2,1,1,1], spikes [2, 7]', () => {
    const pop = new Population(3, refractoryModel(3.0));
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(10);
    const d = m.get();
    expect(column(d['v']!, 0)).toEqual([1, 2, 1, 1, 1, 1, 2, 1, 1, 1]);
    expect(column(d['v']!, 2)).toEqual([1, 2, 1, 1, 1, 1, 2, 1, 1, 1]);
    expect(trains(d['spike']!)).toEqual([[2, 7], [2, 7], [2, 7]]);
  });

  it('refractory given as a parameter name, per neuron (0, 1, 3 ms)', () => {
    const pop = new Population(3, refractoryModel('tau_r', { tau_r: 0 }));
    pop.set({ tau_r: [0, 1, 3] });
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(10);
    const d = m.get();
    // No refractoriness: spike at 2, reset to 1, v = 2, 3 -> spikes every 2 steps.
    expect(column(d['v']!, 0)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    // One frozen step after each spike.
    expect(column(d['v']!, 1)).toEqual([1, 2, 1, 1, 2, 1, 1, 2, 1, 1]);
    expect(column(d['v']!, 2)).toEqual([1, 2, 1, 1, 1, 1, 2, 1, 1, 1]);
    expect(trains(d['spike']!)).toEqual([[2, 4, 6, 8], [2, 5, 8], [2, 7]]);
  });

  it('refractory in ms is round(ms / dt) steps: 1.5 ms at dt = 0.5 is 3 steps', () => {
    setup({ dt: 0.5 });
    const pop = new Population(1, refractoryModel(1.5));
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(5);
    const d = m.get();
    expect(column(d['v']!, 0)).toEqual([1, 2, 1, 1, 1, 1, 2, 1, 1, 1]);
    expect(trains(d['spike']!)).toEqual([[2, 7]]);
  });

  it('changing the refractory parameter after compile takes effect for later spikes', () => {
    const pop = new Population(1, refractoryModel('tau_r', { tau_r: 3 }));
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(11); // spikes at 2 and 7; frozen at 8, 9, 10
    (pop as any).tau_r = 0;
    simulate(9);
    expect(Array.from(m.get('spike')[0]!)).toEqual([2, 7, 12, 14, 16, 18]);
    (pop as any).tau_r = 1;
    simulate(6); // v = 2 at 19 -> spike at 20, frozen at 21, v = 2 at 22, spike at 23
    expect(Array.from(m.get('spike')[0]!)).toEqual([20, 23]);
  });

  // A count left while the period was 0 must not freeze the neuron when the period comes back.
  it('a refractory count left over while the period was 0 does not freeze the neuron later', () => {
    const pop = new Population(1, refractoryModel('tau_r', { tau_r: 3 }));
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(9); // spike at 7; step 8 used one of its 3 refractory steps
    (pop as any).tau_r = 0;
    simulate(11); // steps 9..19: the neuron spikes every other step; v = 2 at step 19
    (pop as any).tau_r = 3;
    simulate(3);
    // Step 20: v = 3 -> spike. (With the stale count the neuron is frozen at 20 and 21.)
    expect(Array.from(m.get('spike')[0]!)).toContain(20);
  });

  it('the spike condition is not tested while refractory: a neuron always above threshold fires every 1 + n steps', () => {
    const pop = new Population(1, new Neuron({ equations: 'v = 5', spike: 'v > 0', refractory: 2 }));
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    expect(trains(m.get('spike'))).toEqual([[0, 3, 6, 9]]);
  });

  it('without refractoriness (spike v == 5; reset v = 3) the spikes are at [4, 6, 8]', () => {
    const pop = new Population(3, new Neuron({ equations: 'v = v + 1', spike: 'v == 5', reset: 'v = 3' }));
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(10);
    const d = m.get();
    expect(trains(d['spike']!)).toEqual([[4, 6, 8], [4, 6, 8], [4, 6, 8]]);
    expect(column(d['v']!, 1)).toEqual([1, 2, 3, 4, 3, 4, 3, 4, 3, 4]);
  });
});

describe('equations', () => {
  it('bounds clip after the update: v = t : min=1, max=3 -> [1, 1, 2, 3, 3]', () => {
    const pop = new Population(2, quiet('v = t : min = 1, max = 3'));
    const m = new Monitor(pop, 'v');
    compile();
    simulate(5);
    expect(column(m.get('v'), 0)).toEqual([1, 1, 2, 3, 3]);
  });

  it('bounds apply to ODEs too, and may name parameters', () => {
    const pop = new Population(1, quiet('dv/dt = 2 : max = top\ndw/dt = -1 : min = 0, init = 2', { top: 5 }));
    const m = new Monitor(pop, ['v', 'w']);
    compile();
    simulate(4);
    const d = m.get();
    expect(column(d['v']!, 0)).toEqual([2, 4, 5, 5]);
    expect(column(d['w']!, 0)).toEqual([1, 0, 0, 0]);
  });

  it('statements run in declaration order; a variable used before its line reads the old value', () => {
    const pop = new Population(1, quiet('a = b\nb = t\nc = b'));
    const m = new Monitor(pop, ['a', 'b', 'c']);
    compile();
    simulate(4);
    const d = m.get();
    expect(column(d['a']!, 0)).toEqual([0, 0, 1, 2]);
    expect(column(d['b']!, 0)).toEqual([0, 1, 2, 3]);
    expect(column(d['c']!, 0)).toEqual([0, 1, 2, 3]);
  });

  it('explicit Euler block: two coupled ODEs both use the old values', () => {
    // dx/dt = y, dy/dt = -x with x0 = 1, y0 = 0, dt = 0.1.
    setup({ dt: 0.1 });
    const pop = new Population(1, quiet('dx/dt = y : init = 1\ndy/dt = -x'));
    const m = new Monitor(pop, ['x', 'y']);
    compile();
    simulate(1); // 10 steps
    const d = m.get();
    let x = 1;
    let y = 0;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < 10; k++) {
      const dx = 0.1 * y;
      const dy = 0.1 * -x;
      x += dx;
      y += dy;
      xs.push(x);
      ys.push(y);
    }
    // Step 1 by hand: x = 1 + 0.1·0 = 1, y = 0 - 0.1·1 = -0.1 (a sequential update would give the same x);
    // step 2: x = 1 + 0.1·(-0.1) = 0.99, y = -0.1 - 0.1·1 = -0.2 (sequential would give -0.199).
    expect(column(d['x']!, 0).slice(0, 2)).toEqual([1, 0.99]);
    expect(column(d['y']!, 0).slice(0, 2)).toEqual([-0.1, -0.2]);
    column(d['x']!, 0).forEach((v, k) => expect(v).toBeCloseTo(xs[k]!, 14));
    column(d['y']!, 0).forEach((v, k) => expect(v).toBeCloseTo(ys[k]!, 14));
    // Forward Euler on a rotation grows the radius by sqrt(1 + dt²) per step.
    const r2 = xs[9]! ** 2 + ys[9]! ** 2;
    expect(r2).toBeCloseTo(1.01 ** 10, 12);
  });

  it('an assignment between two ODEs splits the block: the second ODE sees the new value', () => {
    const pop = new Population(1, quiet('dx/dt = 1\nz = x\ndy/dt = z'));
    const m = new Monitor(pop, ['x', 'y']);
    compile();
    simulate(3);
    const d = m.get();
    expect(column(d['x']!, 0)).toEqual([1, 2, 3]);
    expect(column(d['y']!, 0)).toEqual([1, 3, 6]);
  });

  it('exponential Euler: x += (1 - exp(-dt/tau)) · (A - x), exact for a constant input', () => {
    setup({ dt: 0.5 });
    const pop = new Population(2, quiet('tau * dx/dt = A - x : exponential', { tau: 10, A: 2 }));
    pop.set({ A: [2, -4] });
    const m = new Monitor(pop, 'x');
    compile();
    simulate(5); // 10 steps
    const got = rows(m.get('x'));
    const k = 1 - Math.exp(-0.5 / 10);
    const x = [0, 0];
    for (let s = 0; s < 10; s++) {
      x[0] = x[0]! + k * (2 - x[0]!);
      x[1] = x[1]! + k * (-4 - x[1]!);
      expect(got[s]![0]).toBeCloseTo(x[0]!, 13);
      expect(got[s]![1]).toBeCloseTo(x[1]!, 13);
    }
    // Exact solution of the ODE at t = 5 ms.
    expect(got[9]![0]).toBeCloseTo(2 * (1 - Math.exp(-5 / 10)), 12);
  });

  it('ite() and the if/else statement', () => {
    const pop = new Population(1, quiet('a = ite(t > 1, 10, -10)\nb = if t >= 3 : 1 else : 0'));
    const m = new Monitor(pop, ['a', 'b']);
    compile();
    simulate(4);
    const d = m.get();
    expect(column(d['a']!, 0)).toEqual([-10, -10, 10, 10]);
    expect(column(d['b']!, 0)).toEqual([0, 0, 0, 1]);
  });

  it('an int variable truncates', () => {
    const pop = new Population(1, quiet('k = t / 2 : int'));
    const m = new Monitor(pop, 'k');
    compile();
    simulate(5);
    expect(column(m.get('k'), 0)).toEqual([0, 0, 1, 1, 2]);
  });

  it('the spike condition is tested on the updated values of the same step', () => {
    const pop = new Population(1, new Neuron({ equations: 'v = v + 1', spike: 'v >= 1', reset: 'v = -2' }));
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(7);
    const d = m.get();
    expect(trains(d['spike']!)).toEqual([[0, 3, 6]]);
    expect(column(d['v']!, 0)).toEqual([-2, -1, 0, -2, -1, 0, -2]);
  });

  it('reset statements run in order and see each other\'s results', () => {
    const pop = new Population(
      1,
      new Neuron({ equations: 'v = v + 1\nw = w', spike: 'v > 1', reset: 'v = 0\nw = w + v + 10' }),
    );
    const m = new Monitor(pop, ['v', 'w']);
    compile();
    simulate(4);
    const d = m.get();
    expect(column(d['v']!, 0)).toEqual([1, 0, 1, 0]);
    expect(column(d['w']!, 0)).toEqual([0, 10, 10, 20]);
  });
});

describe('random numbers in equations', () => {
  it('Uniform(a, b) draws a fresh value per neuron per step, within range, with the right mean', () => {
    setup({ seed: 17 });
    const pop = new Population(200, quiet('x = Uniform(-1, 3)'));
    const m = new Monitor(pop, 'x');
    compile();
    simulate(100);
    const data = m.get('x');
    let total = 0;
    let n = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of data) {
      for (const x of row) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
        total += x;
        n++;
      }
      expect(new Set(row).size).toBeGreaterThan(190);
    }
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThan(3);
    expect(lo).toBeLessThan(-0.99);
    expect(hi).toBeGreaterThan(2.99);
    // Variance of U(-1, 3) is 16/12.
    expect(Math.abs(total / n - 1)).toBeLessThan(5 * Math.sqrt(16 / 12 / n));
    expect(column(data, 0).slice(0, 10)).not.toEqual(column(data, 1).slice(0, 10));
    expect(new Set(column(data, 0)).size).toBe(100);
  });

  it('Normal(mu, sigma): mean and variance within 5 standard errors', () => {
    setup({ seed: 18 });
    const pop = new Population(500, quiet('x = Normal(2, 3)'));
    const m = new Monitor(pop, 'x');
    compile();
    simulate(40);
    const xs: number[] = m.get('x').flatMap((r) => Array.from(r));
    const n = xs.length;
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - 2)).toBeLessThan(5 * Math.sqrt(9 / n));
    expect(Math.abs(variance - 9)).toBeLessThan(5 * 9 * Math.sqrt(2 / n));
  });

  it('same seed, same draws; another seed, other draws', () => {
    const draw = (seed: number) => {
      clear();
      setup({ seed });
      const pop = new Population(10, quiet('x = Normal(0, 1)'));
      const m = new Monitor(pop, 'x');
      compile();
      simulate(5);
      return rows(m.get('x'));
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });
});

describe('init values and parameters', () => {
  it('init flag: a number or a parameter name; default 0', () => {
    const pop = new Population(2, quiet('dv/dt = 0 : init = 5\ndu/dt = 0 : init = p\ndw/dt = 0', { p: -3 }));
    expect(Array.from(pop.get('v'))).toEqual([5, 5]);
    expect(Array.from(pop.get('u'))).toEqual([-3, -3]);
    expect(Array.from(pop.get('w'))).toEqual([0, 0]);
  });

  it('values set before compile are the initial state', () => {
    const pop = new Population(3, quiet('dv/dt = a', { a: 1 }));
    pop.set({ v: [10, 20, 30], a: [1, 2, 3] });
    compile();
    simulate(2);
    expect(Array.from(pop.get('v'))).toEqual([12, 24, 36]);
  });

  it('a parameter change after compile takes effect from the next step (uniform value, folded into the kernel)', () => {
    const pop = new Population(2, quiet('dv/dt = a', { a: 1 }));
    compile();
    simulate(3);
    expect(Array.from(pop.get('v'))).toEqual([3, 3]);
    (pop as any).a = 2;
    simulate(2);
    expect(Array.from(pop.get('v'))).toEqual([7, 7]);
    pop.set({ a: [0, -1] }); // now per neuron
    simulate(2);
    expect(Array.from(pop.get('v'))).toEqual([7, 5]);
    pop.set({ a: 0.5 }); // uniform again
    simulate(2);
    expect(Array.from(pop.get('v'))).toEqual([8, 6]);
  });

  it('a `: population` parameter is one value; changing it after compile takes effect', () => {
    const pop = new Population(3, quiet('dv/dt = a', 'a = 2 : population'));
    expect(Array.from(pop.get('a'))).toEqual([2]);
    compile();
    simulate(1);
    (pop as any).a = -1;
    simulate(1);
    expect(Array.from(pop.get('v'))).toEqual([1, 1, 1]);
  });

  it('writing a variable after compile changes the state the next step starts from', () => {
    const pop = new Population(2, quiet('dv/dt = 1'));
    compile();
    simulate(2);
    pop.set({ v: [100, -100] });
    simulate(1);
    expect(Array.from(pop.get('v'))).toEqual([101, -99]);
  });

  it('reading an attribute returns a copy', () => {
    const pop = new Population(2, quiet('dv/dt = 1'));
    compile();
    const v = (pop as any).v as Float64Array;
    v[0] = 42;
    expect(Array.from(pop.get('v'))).toEqual([0, 0]);
  });
});

/** ANNarchy's Izhikevich update for one neuron: explicit Euler from the old values. */
function izhikevichReference(steps: number, dt: number, p: { a: number; b: number; c: number; d: number; i: number }) {
  let v = p.c;
  let u = p.b * p.c;
  const vs: number[] = [];
  const us: number[] = [];
  const spikes: number[] = [];
  for (let s = 0; s < steps; s++) {
    const I = p.i;
    const dv = dt * (0.04 * (v * v) + 5.0 * v + 140.0 - u + I);
    const du = dt * (p.a * (p.b * v - u));
    v = v + dv;
    u = u + du;
    if (v > 30) {
      v = p.c;
      u = u + p.d;
      spikes.push(s);
    }
    vs.push(v);
    us.push(u);
  }
  return { vs, us, spikes };
}

describe('built-in Izhikevich', () => {
  for (const dt of [1, 0.5]) {
    it(`i_offset = 10, dt = ${dt}: v, u and spikes match the reference loop exactly for 100 steps`, () => {
      setup({ dt });
      const pop = new Population(2, Izhikevich({ i_offset: 10 }));
      const m = new Monitor(pop, ['v', 'u', 'spike']);
      compile();
      simulate(100 * dt);
      const d = m.get();
      const ref = izhikevichReference(100, dt, { a: 0.02, b: 0.2, c: -65, d: 8, i: 10 });
      expect(column(d['v']!, 0)).toEqual(ref.vs);
      expect(column(d['u']!, 0)).toEqual(ref.us);
      expect(column(d['v']!, 1)).toEqual(ref.vs);
      expect(trains(d['spike']!)).toEqual([ref.spikes, ref.spikes]);
      expect(ref.spikes.length).toBeGreaterThan(1);
      // First step by hand: v = -65 + dt·(169 - 325 + 140 + 13 + 10) = -65 + 7·dt.
      expect(ref.vs[0]).toBe(-65 + 7 * dt);
    });
  }

  it('other parameters (fast spiking a = 0.1, d = 2) and the first spike step', () => {
    const pop = new Population(1, Izhikevich({ a: 0.1, d: 2, i_offset: 5 }));
    const m = new Monitor(pop, ['v', 'spike']);
    compile();
    simulate(100);
    const d = m.get();
    const ref = izhikevichReference(100, 1, { a: 0.1, b: 0.2, c: -65, d: 2, i: 5 });
    expect(column(d['v']!, 0)).toEqual(ref.vs);
    expect(Array.from(d['spike']![0]!)).toEqual(ref.spikes);
    expect(ref.spikes[0]).toBeGreaterThan(0);
  });

  it('initial state: v = c, u = b·c; defaults as ANNarchy', () => {
    const pop = new Population(2, Izhikevich);
    expect(Array.from(pop.get('v'))).toEqual([-65, -65]);
    expect(Array.from(pop.get('u'))).toEqual([-13, -13]);
    for (const [name, value] of Object.entries({ a: 0.02, b: 0.2, c: -65, d: 8, v_thresh: 30, i_offset: 0, noise: 0, tau_refrac: 0 })) {
      expect(Array.from(pop.get(name)), name).toEqual([value, value]);
    }
  });

  it('without input, the resting neuron stays silent for 1000 ms', () => {
    const pop = new Population(10, Izhikevich);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(1000);
    expect(m.get('spike').every((s) => s.length === 0)).toBe(true);
    const ref = izhikevichReference(1000, 1, { a: 0.02, b: 0.2, c: -65, d: 8, i: 0 });
    expect(pop.get('v')[0]).toBe(ref.vs[999]);
  });

  it('noise draws a fresh value per neuron per step: identical neurons diverge, noise = 0 keeps them equal', () => {
    setup({ seed: 1 });
    const noisy = new Population(5, Izhikevich({ noise: 5 }));
    const calm = new Population(5, Izhikevich);
    const mn = new Monitor(noisy, 'v');
    compile();
    simulate(3);
    const v = rows(mn.get('v'));
    // Every neuron differs from every other, in every step.
    for (const row of v) expect(new Set(row).size).toBe(5);
    // Step to step, the noise term is not a constant offset.
    const diffs = v.slice(1).map((row, k) => row[0]! - v[k]![0]!);
    expect(new Set(diffs).size).toBe(2);
    expect(new Set(calm.get('v')).size).toBe(1);
  });

  it('draws nothing for noise = 0 (0 · Normal is 0), but does when noise varies across neurons', () => {
    setup({ seed: 1 });
    new Population(4, Izhikevich);
    const uneven = new Population(4, Izhikevich);
    uneven.noise = [0, 0, 0, 5];
    compile();
    const rng = templateNetwork().world.simRng;
    const before = [...rng];
    // The first population's kernel alone: its step must not move the simulation stream.
    const [first, second] = templateNetwork().world.runtime!.populations;
    first!.kernel!.integrate(0);
    expect([...rng]).toEqual(before);
    second!.kernel!.integrate(0);
    expect([...rng]).not.toEqual(before);
  });
});
