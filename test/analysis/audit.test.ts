/**
 * Audit against ANNarchy 4.8's Monitor / spike-analysis semantics, with hand-counted numbers.
 * Each block names the ANNarchy behaviour it checks (core/Monitor.py, cython_ext/Transformations.pyx).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { SpikeRecord } from '../../src/analysis/spikeRecord.js';
import { coefficientOfVariation, histogram, interSpikeInterval, populationRate, rasterPlot } from '../../src/analysis/spikes.js';
import { clear, compile, Monitor, Neuron, Population, reset, simulate } from '../../src/index.js';
import { expectError } from '../helpers/core.js';

beforeEach(() => clear());

/** Neuron i fires every k[i] steps, first at step k[i] - 1. */
function regular(k: number[]) {
  const pop = new Population(k.length, new Neuron({ parameters: { k: 1 }, equations: 'v = v + 1', spike: 'v >= k', reset: 'v = 0' }));
  pop.set({ k });
  return pop;
}

const list = (x: ArrayLike<number>) => Array.from(x);

function rec(spikes: number[][], dt: number, startStep: number, stopStep: number): SpikeRecord {
  return { spikes: spikes.map((s) => Int32Array.from(s)), dt, durationSteps: stopStep - startStep, startStep, stopStep };
}

describe('flat ISI / CV of a view listed out of rank order come in ascending population rank (ANNarchy: spike dict keyed by rank)', () => {
  // Entry 0 is population rank 4: steps 0, 1, 3 -> ISIs 1, 2 -> mean 1.5, std 0.5 -> CV 1/3.
  // Entry 1 is population rank 1: steps 0, 2, 4, 6 -> ISIs 2, 2, 2 -> CV 0.
  const viewRecord = (): SpikeRecord => ({
    spikes: [Int32Array.from([0, 1, 3]), Int32Array.from([0, 2, 4, 6])],
    ranks: Int32Array.from([4, 1]),
    dt: 1,
    durationSteps: 8,
    startStep: 0,
    stopStep: 8,
  });

  it('interSpikeInterval: rank 1 first, then rank 4; perNeuron keeps the order of the spike lists', () => {
    expect(list(interSpikeInterval(viewRecord()))).toEqual([2, 2, 2, 1, 2]);
    expect(interSpikeInterval(viewRecord(), { perNeuron: true }).map(list)).toEqual([[1, 2], [2, 2, 2]]);
  });

  it('coefficientOfVariation: [rank 1, rank 4] = [0, 1/3]', () => {
    const cv = list(coefficientOfVariation(viewRecord()));
    expect(cv).toHaveLength(2);
    expect(cv[0]).toBe(0);
    expect(cv[1]).toBeCloseTo(1 / 3, 15);
  });

  it('the same order as rasterPlot gives', () => {
    expect(list(rasterPlot(viewRecord())[1])).toEqual([1, 1, 1, 1, 4, 4, 4]);
  });

  it('through a Monitor on pop.view([4, 1]): 20 steps, rank 1 (k=2) has 9 ISIs of 2 ms, rank 4 (k=5) 3 of 5 ms', () => {
    const pop = regular([1, 2, 3, 4, 5]);
    const m = new Monitor(pop.view([4, 1]), 'spike');
    compile();
    simulate(20);
    expect(list(m.interSpikeInterval())).toEqual([...new Array(9).fill(2), 5, 5, 5]);
    // (4 + 10) spikes / 2 neurons / 0.02 s
    expect(m.meanFr()).toBe(350);
  });
});

describe("the analyses accept get()'s object, as ANNarchy's take get()'s dict", () => {
  it('meanFr / histogram / rasterPlot of m.get(): 5 spikes (steps 1, 3, 5, 7, 9) in 10 ms', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    const all = m.get();
    // 5 spikes / 1 neuron / 0.01 s = 500 Hz (ANNarchy: fr / N / duration / dt * 1000)
    expect(m.meanFr(all)).toBe(500);
    // 5 ms bins over [0, 10): steps 1, 3 | 5, 7, 9
    expect(list(m.histogram(5, all))).toEqual([2, 3]);
    expect(list(m.rasterPlot(all)[0])).toEqual([1, 3, 5, 7, 9]);
    // null is "no data given", as ANNarchy's spikes=None: the (now empty) recording.
    expect(m.rasterPlot(null as never)[0]).toHaveLength(0);
  });

  it('anything else is refused with a message saying what it takes', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    expectError(() => m.meanFr({ v: [] } as never), "get('spike')", "'spike'");
    expectError(() => m.rasterPlot(42 as never), "get('spike')");
  });
});

describe("ANNarchy's argument order (spikes first) is named in the error", () => {
  it('histogram / populationRate / smoothedRate with the spike lists first', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(10);
    const spikes = m.get('spike');
    expectError(() => m.histogram(spikes as never), 'histogram(binMs, spikes)', 'number first');
    expectError(() => m.populationRate(spikes as never), 'populationRate(smoothMs, spikes)');
    expectError(() => m.smoothedRate(spikes as never), 'smoothedRate(smoothMs, spikes)');
  });

  it('bad numbers name the value and the way out', () => {
    const r: SpikeRecord = { spikes: [Int32Array.from([1])], dt: 0.5, durationSteps: 4, startStep: 0, stopStep: 4 };
    for (const bin of [0, -1, Number.NaN]) expectError(() => histogram(r, bin), String(bin), 'dt = 0.5 ms', 'histogram(0.5)');
    expectError(() => populationRate(r, -1), '-1', 'use 0 for no smoothing');
  });
});

describe('Monitor.smoothedRate and interSpikeInterval(perNeuron), as ANNarchy\'s m.smoothed_rate / per_neuron', () => {
  it('smoothedRate: spikes at 3, 7, 11 over 12 steps -> 1000 / 4 ms = 250 Hz on steps 3..10', () => {
    const pop = regular([4]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(12);
    expect(m.smoothedRate().map(list)).toEqual([[0, 0, 0, 250, 250, 250, 250, 250, 250, 250, 250, 0]]);
    // Low-pass with tau 2 ms at dt 1: s[k+1] = s[k] + (x[k+1] - s[k]) / 2
    expect(list(m.smoothedRate(2)[0]!).slice(2, 6)).toEqual([0, 125, 187.5, 218.75]);
  });

  it('interSpikeInterval(spikes, { perNeuron: true }): one array per recorded neuron, empty below 2 spikes', () => {
    const pop = regular([2, 20]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(8); // rank 0: 1, 3, 5, 7; rank 1: none
    expect(m.interSpikeInterval(undefined, { perNeuron: true }).map(list)).toEqual([[2, 2, 2], []]);
    expect(list(m.interSpikeInterval())).toEqual([2, 2, 2]);
  });
});

describe('the window after reset (hand-counted; pins the audited behaviour)', () => {
  it('the global reset() empties the monitor and the window restarts at step 0', () => {
    const pop = regular([2]);
    const m = new Monitor(pop, 'spike');
    compile();
    simulate(100);
    reset();
    simulate(50); // 25 spikes in 50 ms
    expect(m.meanFr()).toBe(500);
    expect(list(m.histogram(10))).toEqual([5, 5, 5, 5, 5]);
  });
});

describe('a histogram bin that is not a multiple of dt is rounded to whole steps, with a warning naming the bins used', () => {
  it('1.5 ms at dt 1: 2 ms bins and a warning; 0.3 ms at dt 0.1 (2.9999… steps) and 2 ms at dt 1: none', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(Array.from(histogram(rec([[0, 1, 2, 5]], 1, 0, 6), 1.5))).toEqual([2, 1, 1]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toBe('histogram: a bin of 1.5 ms is not a multiple of dt (1 ms); the bins are 2 ms (2 steps)');
      histogram(rec([[0, 3]], 0.1, 0, 6), 0.3);
      histogram(rec([[0, 3]], 1, 0, 6), 2);
      // Said once per width and dt: a page may ask every frame.
      histogram(rec([[0, 1]], 1, 0, 6), 1.5);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
