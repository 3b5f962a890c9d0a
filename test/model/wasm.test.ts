/**
 * The WebAssembly SIMD integrate loop does the JS kernel's arithmetic in the same order, and the
 * WebAssembly delivery loop the JS delivery's additions: the same network gives the same bits
 * with setup({ kernels: 'auto' }) and setup({ kernels: 'js' }),
 * with double storage (f64x2) and with float storage (f32x4; the JS kernel rounds every
 * operation to float32). Every model runs in WebAssembly but a population smaller than one vector.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { buildCoba } from '../../examples/networks/coba.js';
import { buildIzhikevich2003 } from '../../examples/networks/izhikevich2003.js';
import { templateNetwork } from '../../src/api/network.js';
import type { BuiltKernel } from '../../src/world/kernels.js';
import { denseRows } from '../../src/world/wasmDelivery.js';
import { wasmNormalFill } from '../../src/world/wasmNormal.js';
import { wasmUniformFill } from '../../src/world/wasmUniform.js';
import { fillNormal, fillUniform, largestFloat32Below, nextDown, uniformMayReachHi } from '../../src/random/stream.js';
import type { Precision } from '../../src/world/populationData.js';
import { clear, compile, DiscreteUniform, Izhikevich, Monitor, Network, Neuron, Normal, PoissonPopulation, Population, Projection, setup, simulate, step, Uniform } from '../../src/index.js';

beforeEach(() => clear());

function backends(): string[] {
  return templateNetwork().world.runtime!.populations.filter((p) => p.kernel).map((p) => (p.kernel as BuiltKernel).backend);
}

/** Runs `build` under both back ends for 300 ms; returns what each recorded. */
function both(precision: Precision, build: () => () => unknown, seed = 5, dt = 0.1): { js: unknown; wasm: unknown; kinds: string[] } {
  const out: Record<string, unknown> = {};
  let kinds: string[] = [];
  for (const kernels of ['js', 'auto'] as const) {
    clear();
    setup({ dt, seed, kernels, precision });
    const read = build();
    compile();
    if (kernels === 'auto') kinds = backends();
    simulate(300);
    out[kernels] = read();
  }
  return { js: out['js'], wasm: out['auto'], kinds };
}

/** 52 neurons of `model` (v, u, w) driven by 20 Poisson sources at 200 Hz; returns what to compare. */
function driven(model: Neuron, values: Parameters<Population['set']>[0], weights: number): () => unknown {
  const src = new PoissonPopulation(20, { rates: 200 });
  const pop = new Population(52, model);
  pop.set(values);
  new Projection(src, pop, 'exc').connectFixedProbability({ probability: 0.3, weights });
  const m = new Monitor(pop, ['spike', 'v', 'u', 'w']);
  return () => ({ spikes: m.get('spike').map((s) => [...s]), v: m.get('v').map((x) => [...x]), u: m.get('u').map((x) => [...x]), w: m.get('w').map((x) => [...x]) });
}

/**
 * `model` driven (see driven) under both back ends: WebAssembly ran it, every recorded value and
 * spike is equal, and it spiked more than `minSpikes` times. Returns the JS run's recordings.
 */
function sameBits(precision: Precision, model: Neuron, values: Parameters<Population['set']>[0], weights: number, minSpikes: number) {
  const r = both(precision, () => driven(model, values, weights));
  expect(r.kinds).toEqual(['wasm']);
  expect(r.wasm).toEqual(r.js);
  const js = r.js as { spikes: number[][]; v: number[][]; u: number[][]; w: number[][] };
  expect(js.spikes.flat().length).toBeGreaterThan(minSpikes);
  return js;
}

describe.each(['double', 'float'] as const)('WebAssembly kernels, %s storage', (precision) => {
  it('COBA: identical spikes and membrane potentials, both populations on WebAssembly', () => {
    const r = both(precision, () => {
      const { exc, inh, monitors } = buildCoba();
      return () => ({
        spikes: monitors.map((m) => m.get('spike').map((s) => [...s])),
        v: [...exc.v, ...inh.v],
        g: [...exc.g_exc, ...inh.g_inh],
      });
    });
    expect(r.kinds).toEqual(['wasm', 'wasm']);
    expect(r.wasm).toEqual(r.js);
    expect((r.js as { spikes: number[][][] }).spikes[0]!.flat().length).toBeGreaterThan(1000);
  });

  it('bounds, ite, pos/neg/clip, abs, sqrt, comparisons and logic give the same bits', () => {
    const model = new Neuron({
      name: 'mix',
      parameters: 'tau = 10\nth = 1.5 : population\nI = 0.3',
      equations: `
        tau * dv/dt = -v + I + g_exc + ite(v > 0.5, 0.2, -0.1) + pos(u - 0.2) : min = -1, max = 3
        du/dt = (neg(v) + clip(v, -0.5, 0.5) + abs(u) * 0.01 + sqrt(abs(v)) * 0.02) / 20
        w = if (v > 1 and u < 2) or not (v < -0.5) : 1 else : 0
      `,
      spike: 'v > th',
      reset: 'v = 0; u += 0.1',
      refractory: 2,
    });
    sameBits(precision, model, { v: Normal(0, 0.5), I: Normal(0.3, 0.2) }, 0.4, 10);
  });

  it('Poisson sources (the step in WebAssembly): identical spike trains and random stream', () => {
    const r = both(precision, () => {
      const src = new PoissonPopulation(500, { rates: 40 });
      src.rates = Array.from({ length: 500 }, (_, i) => (i % 50) * 4);
      const m = new Monitor(src, 'spike');
      return () => ({ spikes: m.get('spike').map((s) => [...s]), stream: [...templateNetwork().world.simRng] });
    });
    expect(r.wasm).toEqual(r.js);
    const spikes = (r.js as { spikes: number[][] }).spikes;
    // 300 ms at 0–196 Hz: about 0.3 · 98 spikes per neuron on average.
    expect(spikes.flat().length).toBeGreaterThan(10000);
    expect(spikes[0]).toEqual([]);
  });

  it('Poisson sizes that are not a multiple of the four lanes (the last group compared lane by lane): the same spikes and lane states', () => {
    const sizes = [1, 2, 3, 5, 6, 7, 9];
    const r = both(precision, () => {
      const monitors = sizes.map((n) => {
        const src = new PoissonPopulation(n, { rates: 100 });
        src.rates = Array.from({ length: n }, (_, i) => 60 + 90 * i);
        return new Monitor(src, 'spike');
      });
      return () => ({ spikes: monitors.map((m) => m.get('spike').map((s) => [...s])), stream: [...templateNetwork().world.simRng] });
    }, 11, 1);
    expect(r.wasm).toEqual(r.js);
    // 300 steps at 6–78 % per step: every source of every population spiked.
    for (const trains of (r.js as { spikes: number[][][] }).spikes) for (const t of trains) expect(t.length).toBeGreaterThan(5);
  });

  it('Poisson thresholds at their edges (rates 0, below 0, tiny, 1/4, 1/2 and just below 1 per step, 1 and more) and rates changed between runs: the same spikes', () => {
    // At dt 1 ms a rate in Hz / 1000 is the probability per step.
    const first = [0, -5, 0.001, 250, 500, 1000 * (1 - 2 ** -30), 1000, 2000, 40];
    const second = [2000, 0, 1000, 500, 250, -1, 0.001, 40, 1000 * (1 - 2 ** -30)];
    const out: Record<string, number[][]> = {};
    for (const kernels of ['js', 'auto'] as const) {
      clear();
      setup({ dt: 1, seed: 3, kernels, precision });
      const src = new PoissonPopulation(first.length, { rates: first });
      const m = new Monitor(src, 'spike');
      compile();
      simulate(400);
      src.rates = second;
      simulate(400);
      out[kernels] = m.get('spike').map((s) => [...s]);
    }
    expect(out['auto']).toEqual(out['js']);
    const spikes = out['js']!;
    const steps = (from: number) => Array.from({ length: 400 }, (_, k) => from + k);
    // 1000 Hz and more spike at every step (time in ms = step at dt 1); 0 and below never.
    expect(spikes[0]).toEqual(steps(400));
    expect(spikes[1]).toEqual([]);
    expect(spikes[6]!.slice(0, 400)).toEqual(steps(0));
    expect(spikes[7]!.slice(0, 400)).toEqual(steps(0));
    expect(spikes[7]!.length).toBeLessThan(400 + 40);
    // 1/4 then 1/2 per step: about 100 + 200.
    expect(spikes[3]!.length).toBeGreaterThan(250);
    expect(spikes[3]!.length).toBeLessThan(350);
  });

  it('dense rows (runs of consecutive targets with holes, runs of every length mod 4): the vector delivery adds the same bits', () => {
    // Pre p targets a run from p % 5 of 1 + 3p ranks, minus every rank ≡ p (mod 11) for odd p.
    const matrix = Array.from({ length: 80 }, (_, q) =>
      Array.from({ length: 24 }, (_, p) => {
        const inRun = q >= p % 5 && q < (p % 5) + 1 + 3 * p;
        const hole = p % 2 === 1 && q % 11 === p % 11;
        return inRun && !hole ? 0.05 + ((q * 31 + p * 17) % 97) / 97 : null;
      }),
    );
    const r = both(precision, () => {
      const src = new PoissonPopulation(24, { rates: 300 });
      const pop = new Population(80, new Neuron({ parameters: 'tau = 10', equations: 'tau * dv/dt = -v + g_exc', spike: 'v > 1000' }));
      new Projection(src, pop, 'exc').connectFromMatrix(matrix);
      const m = new Monitor(pop, ['g_exc', 'v']);
      return () => ({ g: m.get('g_exc').map((x) => [...x]), v: m.get('v').map((x) => [...x]) });
    });
    expect(denseRows(templateNetwork().world.runtime!.projections[0]!.csr)).toBe(true);
    expect(r.wasm).toEqual(r.js);
    // 0.72 source spikes per step: conductance arrived on about half of the 3000 steps.
    expect((r.js as { g: number[][] }).g.filter((row) => row.some((x) => x !== 0)).length).toBeGreaterThan(1200);
  });

  it('per-synapse delays (the WebAssembly scatter into the pending ring and its vector drain, an odd post size) give the same bits', () => {
    const r = both(precision, () => {
      const src = new PoissonPopulation(30, { rates: 150 });
      const pop = new Population(53, new Neuron({ parameters: 'tau = 10', equations: 'tau * dv/dt = -v + g_exc - g_inh\ntau * dg_inh/dt = -g_inh', spike: 'v > 1000' }));
      new Projection(src, pop, 'exc').connectFixedProbability({ probability: 0.4, weights: Uniform(0.1, 1), delays: Uniform(0.1, 3.2) });
      new Projection(src, pop, 'inh').connectFixedProbability({ probability: 0.3, weights: 0.7, delays: DiscreteUniform(1, 4) });
      const m = new Monitor(pop, ['g_exc', 'g_inh', 'v']);
      return () => ({ g: m.get('g_exc').map((x) => [...x]), gi: m.get('g_inh').map((x) => [...x]), v: m.get('v').map((x) => [...x]) });
    });
    // The WebAssembly run (the last one) delivered both projections in WebAssembly.
    expect(templateNetwork().world.runtime!.projections.map((p) => String(p.deliver).includes('[native code]'))).toEqual([true, true]);
    expect(r.wasm).toEqual(r.js);
    const g = (r.js as { g: number[][] }).g;
    // Arrivals spread over 1–32 steps after each of ~4.5 spikes per step, on most steps.
    expect(g.filter((row) => row.some((x) => x !== 0)).length).toBeGreaterThan(2500);
  });

  it('exp, log, trigonometric functions, ^ and modulo (JS Math called per lane) give the same bits', () => {
    const model = new Neuron({
      name: 'math',
      parameters: 'tau = 10\nk = 1.7 : population',
      equations: `
        tau * dv/dt = -v + g_exc + 0.3 * exp(-v * v) - 0.05 * tanh(u) + 0.01 * log(1 + v * v)
        du/dt = (sin(v) * cos(u) + 0.1 * atan(v) + 0.02 * tan(0.3 * u) - u) / 20
        w = asin(clip(v / 4, -1, 1)) + acos(clip(u / 4, -1, 1)) + modulo(v * 7, 1.3) + abs(v)^1.5 + abs(u)^k
      `,
      spike: 'v > 0.3',
      reset: 'v = exp(-1) - 1; u += 0.2',
      refractory: 2,
    });
    sameBits(precision, model, { v: Normal(0, 0.8), u: Normal(0, 0.5) }, 0.8, 200);
  });

  it('int and bool variables (truncation, 0/1 from any value, NaN included) give the same bits', () => {
    const model = new Neuron({
      name: 'casts',
      parameters: 'tau = 10',
      equations: `
        tau * dv/dt = -v + g_exc + 0.55
        n = n + 1 + 3.7 * v : int
        flag = v - 0.2 : bool
        u = if flag == 1 : modulo(n, 5) - 2.5 + log(v) else : -n / 3 : int
        w = n + flag + u
      `,
      spike: 'v > 0.6',
      reset: 'v = 0',
    });
    const js = sameBits(precision, model, { v: Normal(0.3, 0.3) }, 0.3, 100);
    expect(js.w.flat().some((x) => Number.isNaN(x))).toBe(true); // log of a negative v: NaN cast to int
  });

  it('sizes that are not a multiple of the lanes (1, 2, 3, 5, 7, 13): the last neurons in JS, the same bits', () => {
    const model = new Neuron({
      name: 'odd',
      parameters: 'tau = 10\nnoise = 0.3',
      equations: 'tau * dv/dt = -v + g_exc + 0.4 + noise * Normal(0, 1)\ntau * du/dt = -u + v\nw = u - v',
      spike: 'v > 0.6',
      reset: 'v = 0',
      refractory: 2,
    });
    const r = both(precision, () => {
      const src = new PoissonPopulation(8, { rates: 200 });
      const monitors = [1, 2, 3, 5, 7, 13].map((size) => {
        const pop = new Population(size, model);
        new Projection(src, pop, 'exc').connectAllToAll({ weights: 2 });
        return new Monitor(pop, ['spike', 'v', 'u']);
      });
      return () => monitors.map((m) => ({ spikes: m.get('spike').map((s) => [...s]), v: m.get('v').map((x) => [...x]), u: m.get('u').map((x) => [...x]) }));
    });
    // Fewer neurons than one vector (1–3 with float state, 1 with double) leave nothing for WebAssembly.
    expect(r.kinds).toEqual(precision === 'float' ? ['js', 'js', 'js', 'wasm', 'wasm', 'wasm'] : ['js', 'wasm', 'wasm', 'wasm', 'wasm', 'wasm']);
    expect(r.wasm).toEqual(r.js);
    // About 14 spikes per neuron in 300 ms: every size spiked, the remainder neurons included.
    expect((r.js as { spikes: number[][] }[]).map((m) => m.spikes.every((train) => train.length > 5))).toEqual(Array(6).fill(true));
  });

  it('min and max bounds that read the state (the bounded variable itself: its new value) give the same bits', () => {
    const model = new Neuron({
      name: 'bounds',
      parameters: 'tau = 10',
      equations: `
        tau * dv/dt = -v + g_exc + 0.5 * sin(u * 3) : min = u - 0.3, max = 0.8 - 0.1 * v
        tau * du/dt = -u + v : min = -v * v, max = exp(u) - 0.5
        w = u + v : min = w * 0.5 - 0.1, max = v
      `,
      spike: 'v > 0.5',
      reset: 'v = 0',
      refractory: 1,
    });
    sameBits(precision, model, { v: Normal(0, 0.5), u: Normal(0, 0.5) }, 0.5, 50);
  });

  it('a draw inside a bound (a bound at every write: equation and reset) runs in WebAssembly with the same bits', () => {
    const model = new Neuron({
      name: 'noisy bound',
      parameters: 'tau = 10',
      equations: 'tau * dv/dt = -v + g_exc + 0.8 : max = 0.75 + 0.1 * Uniform(0, 1)\ntau * du/dt = -u + v\nw = u : min = Normal(0, 0.05)',
      spike: 'v > 0.7',
      reset: 'v = -0.1',
    });
    sameBits(precision, model, { v: Normal(0, 0.3) }, 0.2, 100);
  });

  it('per-neuron refractory periods (0 to 3 ms) give the same bits', () => {
    const model = new Neuron({
      name: 'refractory',
      parameters: 'tau = 10\nr = 2',
      equations: 'tau * dv/dt = -v + g_exc + 0.5\ntau * du/dt = -u + v\nw = u - v',
      spike: 'v > 0.4',
      reset: 'v = -0.2',
      refractory: 'r',
    });
    sameBits(precision, model, { v: Normal(0, 0.3), u: Normal(0, 0.3), r: Uniform(0, 3) }, 0.3, 200);
  });

  it('per-step Uniform noise (numbers and : population parameters as bounds) gives the same bits', () => {
    const model = new Neuron({
      parameters: 'amp = 2\ntau = 10\nlo = -0.5 : population\nhi = 0.75 : population',
      equations: 'tau * dv/dt = -v + g_exc + Uniform(-1.5, 2) + amp * Uniform(lo, hi)\ntau * du/dt = -u + v\nw = Uniform(0, 1)',
      spike: 'v > 0.6',
      reset: 'v = 0',
    });
    sameBits(precision, model, { v: Uniform(0, 1), amp: Uniform(1, 3) }, 0.4, 100);
    // The WebAssembly run (the last one) drew all three terms in WebAssembly fills.
    const kernels = templateNetwork().world.runtime!.populations.flatMap((p) => (p.kernel ? [p.kernel as BuiltKernel] : []));
    expect(kernels.map((k) => k.wasmDraws)).toEqual([3]);
  });

  it('Izhikevich-2003 (per-step Normal noise, heterogeneous parameters): identical spikes', () => {
    const r = both(precision, () => {
      const { monitors } = buildIzhikevich2003();
      return () => monitors.map((m) => m.get('spike').map((s) => [...s]));
    }, 7, 1);
    expect(r.kinds).toEqual(['wasm', 'wasm']);
    expect(r.wasm).toEqual(r.js);
    expect((r.js as number[][][]).flat(2).length).toBeGreaterThan(1000);
  });

});

describe('WebAssembly kernels', () => {
  it('normal draws in WebAssembly equal fillNormal bit for bit and leave the stream where it does', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const tables = { k: new Int32Array(memory.buffer, 0, 256), w: new Float64Array(memory.buffer, 1024, 256), slowDraw: new Float64Array(memory.buffer, 3072, 1) };
    const rng = new Uint32Array(memory.buffer, 3136, 4);
    for (const [Storage, n, mu, sigma] of [[Float64Array, 1000, 0, 1], [Float32Array, 1000, -65, 5], [Float64Array, 13, 0.25, 3e-3], [Float32Array, 3, 1e6, 7]] as const) {
      rng.set([0x9e3779b9, 7, 0xdeadbeef, 123456789]);
      const out = new Storage(memory.buffer, 4096, n);
      const fill = wasmNormalFill(out, mu, sigma, rng, tables, memory, 'test');
      const state = rng.slice();
      const expected = new Storage(n);
      let slow = 0;
      for (let call = 0; call < 40; call++) {
        fill();
        fillNormal(state, expected, n, mu, sigma);
        expect(Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
        expect([...rng]).toEqual([...state]);
        slow += out.filter((x) => Math.abs(x - mu) > 3.6541528853610088 * sigma).length;
      }
      // Draws beyond the base layer come from the slow path (the tail): it was crossed.
      if (n >= 1000) expect(slow).toBeGreaterThan(0);
    }
  });

  it('uniform draws in WebAssembly equal fillUniform bit for bit (draws that would reach hi included) and leave the stream where it does', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const rng = new Uint32Array(memory.buffer, 0, 4);
    // [storage, n, lo, hi, the value a draw that rounded up to hi becomes (null: none can)]
    const cases = [
      [Float64Array, 1000, 0, 1, null],
      [Float32Array, 1000, -65, -50, null],
      [Float64Array, 7, 0.25, 0.2500003, null],
      // Doubles 2 apart around 2^53: half the draws round up to hi (fillUniform's checked loop).
      [Float64Array, 1000, 2 ** 53, 2 ** 53 + 2, nextDown(2 ** 53 + 2)],
      // Eight float32 values span [1, 1 + 2^-20): a draw in the top half-step rounds up to hi.
      [Float32Array, 1001, 1, 1 + 2 ** -20, largestFloat32Below(1 + 2 ** -20)],
    ] as const;
    for (const [Storage, n, lo, hi, top] of cases) {
      expect(uniformMayReachHi(lo, hi)).toBe(Storage === Float64Array && top !== null);
      rng.set([0x9e3779b9, 7, 0xdeadbeef, 123456789]);
      const out = new Storage(memory.buffer, 64, n);
      const fill = wasmUniformFill(out, lo, hi, rng, memory, 'test');
      const state = rng.slice();
      const expected = new Storage(n);
      let atTop = 0;
      for (let call = 0; call < 20; call++) {
        fill();
        fillUniform(state, expected, n, lo, hi);
        expect(Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
        expect([...rng]).toEqual([...state]);
        expect(out.every((x) => x >= lo && x < hi)).toBe(true);
        atTop += out.filter((x) => x === top).length;
      }
      // Where a draw can reach hi, some did and were kept below it.
      if (top !== null) expect(atTop).toBeGreaterThan(n);
    }
  });

  it('denseRows: rows must be strictly ascending, and 3 in 4 synapses continue a run', () => {
    const csr = (rows: number[][]) => {
      const rowStart = new Uint32Array(rows.length + 1);
      rows.forEach((row, p) => (rowStart[p + 1] = rowStart[p]! + row.length));
      return { rowStart, post: Uint32Array.from(rows.flat()) };
    };
    expect(denseRows(csr([[0, 1, 2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 7, 8, 9, 10]]))).toBe(true); // 13 of 16
    expect(denseRows(csr([[0, 1, 2, 3], [5, 9, 12, 20]]))).toBe(false); // 3 of 8
    expect(denseRows(csr([[0, 1, 2, 3, 4, 5, 6, 7, 9, 8]]))).toBe(false); // not ascending
    expect(denseRows(csr([[0, 1, 1, 2, 3, 4, 5, 6, 7, 8]]))).toBe(false); // a repeated target
    expect(denseRows(csr([[], []]))).toBe(false);
  });

  it('runs noise, exp(), ^, per-neuron refractory periods, int variables, odd sizes and bounds that read the state in WebAssembly, and a single neuron in JS (saying why); kernelInfo is null before compile and for Poisson sources', () => {
    setup({ dt: 1, seed: 1 });
    const noisy = new Population(10, new Neuron({ equations: 'dv/dt = -v + Normal(0, 1)', spike: 'v > 1', reset: 'v = 0' }));
    const exp = new Population(10, new Neuron({ equations: 'dv/dt = exp(-v) - 1', spike: 'v > 1', reset: 'v = 0' }));
    const odd = new Population(11, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    const perNeuron = new Population(10, new Neuron({ parameters: { r: 2 }, equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0', refractory: 'r' }));
    perNeuron.set({ r: Array.from({ length: 10 }, (_, i) => i) });
    const plain = new Population(10, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    const power = new Population(10, new Neuron({ equations: 'dv/dt = v^1.5 - 1', spike: 'v > 1', reset: 'v = 0' }));
    const counter = new Population(10, new Neuron({ equations: 'n = n + 1 : int\ndv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    const bounded = new Population(10, new Neuron({ equations: 'u = 0.5\ndv/dt = -v : min = u', spike: 'v > 1', reset: 'v = 0' }));
    const single = new Population(1, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    const source = new PoissonPopulation(4, { rates: 10 });
    expect(plain.kernelInfo).toBeNull(); // before compile
    compile();
    expect(backends()).toEqual([...Array(8).fill('wasm'), 'js']);
    expect([noisy, plain, exp, odd, power, perNeuron, counter, bounded].map((p) => p.kernelInfo)).toEqual(Array(8).fill({ backend: 'wasm' }));
    expect(single.kernelInfo).toEqual({ backend: 'js', reason: 'its 1 neuron is fewer than one SIMD vector (2 with double state)' });
    expect(source.kernelInfo).toBeNull();
  });

  it('a draw folded away at compile (noise = 0) has its buffer when noise changes: the rebuilt kernel stays WebAssembly', () => {
    setup({ dt: 1, seed: 1 });
    const pop = new Population(10, Izhikevich);
    compile();
    expect(backends()).toEqual(['wasm']);
    pop.noise = 5;
    step();
    expect(backends()).toEqual(['wasm']);
    // The rebuilt kernel draws: identical neurons part ways.
    simulate(5);
    expect(new Set(pop.v).size).toBeGreaterThan(1);
  });

  it('instantaneous conductances are zeroed in WebAssembly at the start of each step, and nothing beside them', () => {
    const run = (kernels: 'auto' | 'js') => {
      clear();
      setup({ dt: 1, seed: 1, kernels });
      const izh = new Population(8, Izhikevich); // g_exc and g_inh without equations: instantaneous
      const decaying = new Population(8, new Neuron<'g_exc' | 'v'>({ equations: 'dg_exc/dt = -g_exc / 10\ndv/dt = g_exc - v', spike: 'v > 100', reset: 'v = 0' }));
      compile();
      const runtime = templateNetwork().world.runtime!;
      // Both: the clearing alone, and as part of the whole input stage in one call (wasmInput.ts).
      const wasmClear = String(runtime.clearInstantaneous).includes('[native code]') && runtime.inputStage !== null;
      izh.set({ g_exc: 3, g_inh: 2 });
      decaying.set({ g_exc: 4 });
      step();
      return { wasmClear, izh: [izh.g_exc, izh.g_inh, izh.v, izh.u].map((a) => [...a]), decaying: [[...decaying.g_exc], [...decaying.v]] };
    };
    const wasm = run('auto'), js = run('js');
    expect([wasm.wasmClear, js.wasmClear]).toEqual([true, false]);
    expect(wasm.izh[0]).toEqual(new Array(8).fill(0));
    expect(wasm.izh[1]).toEqual(new Array(8).fill(0));
    // The ODE conductance is not cleared: it decays by dt / tau.
    expect(wasm.decaying[0]).toEqual(new Array(8).fill(4 * (1 - 1 / 10)));
    expect(wasm).toEqual({ ...js, wasmClear: true });
  });

  it('kernelInfo after a parameter change (per-neuron refractory periods: a rebuilt kernel) and after dispose()', () => {
    setup({ dt: 1, seed: 1 });
    const declared = new Population(10, new Neuron({ parameters: { r: 2 }, equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0', refractory: 'r' }));
    const net = new Network({ everything: true });
    const pop = net.get(declared);
    net.compile();
    expect(pop.kernelInfo).toEqual({ backend: 'wasm' });
    // Per-neuron refractory periods: a rebuilt kernel, WebAssembly still.
    pop.set({ r: Array.from({ length: 10 }, (_, i) => i) });
    expect(pop.kernelInfo).toEqual({ backend: 'wasm' });
    net.dispose();
    expect(() => pop.kernelInfo).toThrow(/disposed/);
  });

  it("setup({ kernels: 'js' }) turns WebAssembly off; a bad value is refused", () => {
    setup({ kernels: 'js' });
    const pop = new Population(10, new Neuron({ equations: 'dv/dt = -v', spike: 'v > 1', reset: 'v = 0' }));
    compile();
    expect(backends()).toEqual(['js']);
    expect(pop.kernelInfo).toEqual({ backend: 'js', reason: "setup({ kernels: 'js' }) turned WebAssembly off" });
    expect(() => setup({ kernels: 'gpu' as never })).toThrow(/kernels must be 'auto' or 'js', got gpu/);
  });
});
