import { describe, expect, it, vi } from 'vitest';
import { SpikeworldError } from '../../src/errors.js';
import type { SpikeRecord } from '../../src/analysis/spikeRecord.js';
import {
  coefficientOfVariation,
  histogram,
  interSpikeInterval,
  meanFr,
  populationRate,
  rasterPlot,
  smoothedRate,
  spikeCounts,
} from '../../src/analysis/spikes.js';

/** Shorthand: a record from plain step arrays. */
function rec(spikes: number[][], dt: number, startStep: number, stopStep: number, durationSteps = stopStep - startStep): SpikeRecord {
  return { spikes: spikes.map((s) => Int32Array.from(s)), dt, durationSteps, startStep, stopStep };
}

/**
 * 4 neurons, dt = 0.5 ms, window [0, 10) steps = 5 ms. Neuron 1 is silent, neuron 3 spikes once.
 * One spike at one step is worth 1000 / (0.5 * 4) = 500 Hz of population rate.
 */
const A = () => rec([[1, 4, 9], [], [0, 2, 4, 6], [9]], 0.5, 0, 10);

const EMPTY = () => rec([], 0.5, 0, 0);

describe('spikeCounts', () => {
  it('counts spikes per rank', () => {
    expect(Array.from(spikeCounts(A()))).toEqual([3, 0, 4, 1]);
    expect(spikeCounts(EMPTY()).length).toBe(0);
  });
});

describe('rasterPlot', () => {
  it('groups by rank ascending then time, times = step * dt', () => {
    const [t, n] = rasterPlot(A());
    expect(t).toBeInstanceOf(Float64Array);
    expect(n).toBeInstanceOf(Int32Array);
    expect(Array.from(t)).toEqual([0.5, 2, 4.5, 0, 1, 2, 3, 4.5]);
    expect(Array.from(n)).toEqual([0, 0, 0, 2, 2, 2, 2, 3]);
  });

  it('is empty for an empty record or silent neurons', () => {
    const [t, n] = rasterPlot(EMPTY());
    expect(t.length).toBe(0);
    expect(n.length).toBe(0);
    expect(rasterPlot(rec([[], []], 1, 0, 5))[0].length).toBe(0);
  });
});

describe('meanFr', () => {
  it('is spikes / neurons / duration in Hz', () => {
    // 8 spikes / 4 neurons / 0.005 s = 400 Hz
    expect(meanFr(A())).toBe(400);
  });

  it('uses durationSteps (pauses excluded), not the window', () => {
    // same spikes, 20 recorded steps = 0.01 s -> 200 Hz
    const r = A();
    r.durationSteps = 20;
    expect(meanFr(r)).toBe(200);
  });

  it('is 0 without neurons, without duration, or without spikes', () => {
    expect(meanFr(EMPTY())).toBe(0);
    expect(meanFr(rec([], 0.5, 0, 10))).toBe(0);
    expect(meanFr(rec([[1, 2]], 0.5, 0, 10, 0))).toBe(0);
    expect(meanFr(rec([[], []], 0.5, 0, 10))).toBe(0);
  });
});

describe('histogram', () => {
  it('defaults to one bin per step over the window', () => {
    expect(Array.from(histogram(A()))).toEqual([1, 1, 1, 0, 2, 0, 1, 0, 0, 2]);
  });

  it('bins of several steps, last bin partial', () => {
    // 1.5 ms = 3 steps: [0..2]=3, [3..5]=2, [6..8]=1, [9]=2; length ceil(10/3) = 4
    expect(Array.from(histogram(A(), 1.5))).toEqual([3, 2, 1, 2]);
    // 2 ms = 4 steps: [0..3]=3, [4..7]=3, [8..9]=2; length ceil(10/4) = 3
    expect(Array.from(histogram(A(), 2))).toEqual([3, 3, 2]);
    // 5 ms = the whole window in one bin
    expect(Array.from(histogram(A(), 5))).toEqual([8]);
  });

  it('rounds the bin width to whole steps, at least 1 (warning where that changes it)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const perStep = [1, 1, 1, 0, 2, 0, 1, 0, 0, 2];
      expect(Array.from(histogram(A(), 0.1))).toEqual(perStep); // round(0.2) = 0 -> 1 step
      expect(Array.from(histogram(A(), 0.7))).toEqual(perStep); // round(1.4) = 1 step
      expect(warn).toHaveBeenCalledTimes(2);
      expect(Array.from(histogram(rec([[0, 3]], 0.1, 0, 6), 0.3))).toEqual([1, 1]); // 0.3/0.1 = 2.999.. -> 3 steps
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });

  it('spans the recording window, not the observed spikes (edges)', () => {
    // window [100, 106), 2-step bins: [100,101] [102,103] [104,105]; 99 and 106 are outside
    const r = rec([[99, 100, 105, 106]], 0.5, 100, 106);
    expect(Array.from(histogram(r, 1))).toEqual([1, 0, 1]);
    // window [100, 105): the last bin holds only step 104
    const r2 = rec([[100, 101, 104, 105]], 0.5, 100, 105);
    expect(Array.from(histogram(r2, 1))).toEqual([2, 0, 1]);
    // silence at both ends is kept
    expect(Array.from(histogram(rec([[3]], 1, 0, 6), 2))).toEqual([0, 1, 0]);
  });

  it('is empty for an empty window, zeros for silent neurons', () => {
    expect(histogram(EMPTY()).length).toBe(0);
    expect(Array.from(histogram(rec([[], []], 1, 0, 4)))).toEqual([0, 0, 0, 0]);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects bin width %s', (bin) => {
    expect(() => histogram(A(), bin)).toThrow(SpikeworldError);
    expect(() => histogram(A(), bin)).toThrow(String(bin));
  });
});

describe('populationRate', () => {
  const raw = [500, 500, 500, 0, 1000, 0, 500, 0, 0, 1000];

  it('is count / (dt * N / 1000) per step', () => {
    const p = populationRate(A());
    expect(p).toBeInstanceOf(Float64Array);
    expect(Array.from(p)).toEqual(raw);
  });

  it('does not smooth when smoothMs <= dt', () => {
    expect(Array.from(populationRate(A(), 0.5))).toEqual(raw);
    expect(Array.from(populationRate(A(), 0.25))).toEqual(raw);
  });

  it('low-pass filters when smoothMs > dt', () => {
    // dt / smooth = 0.5: s[k+1] = (s[k] + x[k+1]) / 2, s[0] = x[0]
    expect(Array.from(populationRate(A(), 1))).toEqual([
      500, 500, 500, 250, 625, 312.5, 406.25, 203.125, 101.5625, 550.78125,
    ]);
    // dt / smooth = 0.25
    expect(Array.from(populationRate(A(), 2)).slice(0, 5)).toEqual([500, 500, 500, 375, 531.25]);
  });

  it('is relative to the window start and ignores spikes outside it', () => {
    // 1 neuron, dt = 1: one spike at a step = 1000 Hz
    expect(Array.from(populationRate(rec([[9, 10, 12, 13]], 1, 10, 13)))).toEqual([1000, 0, 1000]);
  });

  it('handles empty records and silent neurons', () => {
    expect(populationRate(EMPTY()).length).toBe(0);
    expect(Array.from(populationRate(rec([], 1, 0, 3)))).toEqual([0, 0, 0]);
    expect(Array.from(populationRate(rec([[], []], 1, 0, 3), 5))).toEqual([0, 0, 0]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects smoothing %s', (s) => {
    expect(() => populationRate(A(), s)).toThrow(SpikeworldError);
    expect(() => populationRate(A(), s)).toThrow(String(s));
  });
});

describe('interSpikeInterval', () => {
  it('is flat in rank order, ms, only neurons with >= 2 spikes', () => {
    const flat: Float64Array = interSpikeInterval(A());
    expect(flat).toBeInstanceOf(Float64Array);
    // n0: steps 3, 5 -> 1.5, 2.5 ms; n2: 2, 2, 2 -> 1 ms each
    expect(Array.from(flat)).toEqual([1.5, 2.5, 1, 1, 1]);
    expect(Array.from(interSpikeInterval(A(), { perNeuron: false }))).toEqual([1.5, 2.5, 1, 1, 1]);
  });

  it('per neuron: one array per rank, empty below 2 spikes', () => {
    const per: Float64Array[] = interSpikeInterval(A(), { perNeuron: true });
    expect(per.map((a) => Array.from(a))).toEqual([[1.5, 2.5], [], [1, 1, 1], []]);
  });

  it('is empty for an empty record', () => {
    expect(interSpikeInterval(EMPTY()).length).toBe(0);
    expect(interSpikeInterval(EMPTY(), { perNeuron: true })).toEqual([]);
  });
});

describe('coefficientOfVariation', () => {
  it('is std / mean (ddof 0) for neurons with >= 2 ISIs', () => {
    // n0: ISIs 3, 5 steps -> mean 4, std 1 -> 0.25; n2: regular -> 0; n1, n3 skipped
    expect(Array.from(coefficientOfVariation(A()))).toEqual([0.25, 0]);
  });

  it('skips neurons with a single ISI', () => {
    // n0 has 1 ISI (skipped); n1: ISIs 1, 2 -> mean 1.5, std 0.5 -> 1/3
    const cv = coefficientOfVariation(rec([[0, 5], [0, 1, 3]], 1, 0, 10));
    expect(cv.length).toBe(1);
    expect(cv[0]).toBeCloseTo(1 / 3, 15);
  });

  it('is empty for an empty record', () => {
    expect(coefficientOfVariation(EMPTY()).length).toBe(0);
  });
});

describe('smoothedRate', () => {
  it('holds 1000 / ISI on the steps [a, b) between spikes, 0 elsewhere', () => {
    const [n0, n1, n2, n3] = smoothedRate(A());
    // n0: ISI 3 steps = 1.5 ms -> 2000/3 Hz on steps 1..3; 5 steps = 2.5 ms -> 400 Hz on 4..8
    expect(n0!.length).toBe(10);
    expect(n0![0]).toBe(0);
    for (const k of [1, 2, 3]) expect(n0![k]).toBeCloseTo(2000 / 3, 10);
    expect(Array.from(n0!.slice(4))).toEqual([400, 400, 400, 400, 400, 0]);
    expect(Array.from(n1!)).toEqual(new Array(10).fill(0));
    // n2: ISI 2 steps = 1 ms -> 1000 Hz on steps 0..5
    expect(Array.from(n2!)).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 0, 0, 0, 0]);
    expect(Array.from(n3!)).toEqual(new Array(10).fill(0));
  });

  it('low-pass filters when smoothMs > dt', () => {
    // dt / smooth = 0.5
    expect(Array.from(smoothedRate(A(), 1)[2]!)).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 500, 250, 125, 62.5]);
    expect(Array.from(smoothedRate(A(), 0.5)[2]!)).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 0, 0, 0, 0]);
  });

  it('is relative to the window and clips intervals to it', () => {
    // window [100, 106), dt 0.5: [98,102) 4 steps -> 500 Hz; [102,104) -> 1000; [104,107) 3 steps -> 2000/3
    const [s] = smoothedRate(rec([[98, 102, 104, 107]], 0.5, 100, 106));
    expect(Array.from(s!.slice(0, 4))).toEqual([500, 500, 1000, 1000]);
    expect(s![4]).toBeCloseTo(2000 / 3, 10);
    expect(s![5]).toBeCloseTo(2000 / 3, 10);
    // a first spike exactly at the window start counts (ANNarchy drops this interval)
    expect(Array.from(smoothedRate(rec([[100, 102]], 0.5, 100, 104))[0]!)).toEqual([1000, 1000, 0, 0]);
  });

  it('handles empty records', () => {
    expect(smoothedRate(EMPTY())).toEqual([]);
  });

  it.each([-0.5, Number.NaN, Number.NEGATIVE_INFINITY])('rejects smoothing %s', (s) => {
    expect(() => smoothedRate(A(), s)).toThrow(SpikeworldError);
    expect(() => smoothedRate(A(), s)).toThrow(String(s));
  });
});

describe('purity', () => {
  it('never modifies the record, so calls can be repeated', () => {
    const r = A();
    const before = r.spikes.map((s) => Array.from(s));
    const first = Array.from(histogram(r));
    rasterPlot(r);
    meanFr(r);
    populationRate(r, 2);
    interSpikeInterval(r);
    coefficientOfVariation(r);
    smoothedRate(r, 2);
    expect(r.spikes.map((s) => Array.from(s))).toEqual(before);
    expect(Array.from(histogram(r))).toEqual(first);
    expect(r.durationSteps).toBe(10);
  });
});
