/**
 * Spike-train analysis over a {@link SpikeRecord}: the counterparts of ANNarchy's Monitor methods
 * (`raster_plot`, `mean_fr`, `histogram`, `population_rate`, `inter_spike_interval`,
 * `coefficient_of_variation`, `smoothed_rate`).
 *
 * Every function is pure: it reads the record, never modifies or empties it (ANNarchy empties the
 * buffer on each call, see semantics.md "Monitors"), and allocates only its typed-array result.
 * Spike times in the record are integer steps; results are converted to ms / Hz with `r.dt`.
 */
import { SpikeworldError } from '../errors.js';
import { stepsToMs } from '../world/clock.js';
import type { SpikeRecord } from './spikeRecord.js';

/** Total number of spikes in the record. */
function totalSpikes(r: SpikeRecord): number {
  let total = 0;
  for (const train of r.spikes) total += train.length;
  return total;
}

/** Steps in the recording window `[startStep, stopStep)`; 0 for an empty or inverted window. */
function windowSteps(r: SpikeRecord): number {
  return Math.max(0, r.stopStep - r.startStep);
}

/**
 * Entry indices of `r.spikes` in ascending population rank: ANNarchy's spike dict is keyed by rank
 * (a C++ std::map), so its flat outputs (raster, ISI, CV) come in that order even for a view whose
 * ranks are listed in another order (`pop.view([4, 1])`). Stable, so equal ranks keep entry order.
 */
function rankOrder(r: SpikeRecord): number[] {
  const order = Array.from(r.spikes, (_, n) => n);
  const rankOf = r.ranks;
  if (rankOf) order.sort((a, b) => rankOf[a]! - rankOf[b]!);
  return order;
}

/**
 * Rejects a smoothing time constant that is negative or not finite.
 * @param smoothMs time constant in ms.
 * @param fn name of the calling function, for the message.
 */
function checkSmooth(smoothMs: number, fn: string): void {
  if (!Number.isFinite(smoothMs) || smoothMs < 0) {
    throw new SpikeworldError(
      `${fn}: the smoothing time constant must be a finite number >= 0 ms, got ${String(smoothMs)}; use 0 for no smoothing`,
    );
  }
}

/**
 * In-place first-order low-pass `s[k+1] = s[k] + (x[k+1] - s[k]) * dt / smoothMs`, `s[0] = x[0]`.
 * Applied only when `smoothMs > dt`: at `smoothMs == dt` the filter is the identity, and below it
 * the factor `dt / smoothMs` exceeds 1 so the Euler step overshoots (and diverges past 2) — such a
 * time constant cannot be resolved at this step anyway.
 */
function lowPass(x: Float64Array, dt: number, smoothMs: number): void {
  if (!(smoothMs > dt)) return;
  const alpha = dt / smoothMs;
  // In place is safe: s[k+1] needs x[k+1] (not yet overwritten) and s[k] (already computed).
  for (let k = 0; k + 1 < x.length; k++) {
    x[k + 1] = x[k] + (x[k + 1] - x[k]) * alpha;
  }
}

/**
 * Number of spikes of each neuron, in rank order.
 * @returns counts (spikes), one per recorded neuron.
 */
export function spikeCounts(r: SpikeRecord): Int32Array {
  const counts = new Int32Array(r.spikes.length);
  for (let n = 0; n < r.spikes.length; n++) counts[n] = r.spikes[n].length;
  return counts;
}

/**
 * Spike times and ranks for a raster plot: two arrays of length = total spike count.
 * Order is ANNarchy's: grouped by rank ascending, then by time (not globally time-sorted).
 * @returns `[timesMs, ranks]` with `timesMs[i] = step * dt` (ms).
 */
export function rasterPlot(r: SpikeRecord): [timesMs: Float64Array, ranks: Int32Array] {
  const total = totalSpikes(r);
  const times = new Float64Array(total);
  const ranks = new Int32Array(total);
  const rankOf = r.ranks ?? null;
  let i = 0;
  for (const n of rankOrder(r)) {
    const train = r.spikes[n];
    for (let k = 0; k < train.length; k++, i++) {
      times[i] = train[k] * r.dt;
      ranks[i] = rankOf ? rankOf[n] : n;
    }
  }
  return [times, ranks];
}

/**
 * Mean firing rate of the recorded neurons over the recorded duration (pauses excluded).
 * @returns spikes / neurons / (durationSteps * dt / 1000), in Hz; 0 when there is no neuron or no
 *   recorded duration (rather than NaN/Infinity, so callers can average or plot it directly).
 */
export function meanFr(r: SpikeRecord): number {
  const n = r.spikes.length;
  if (n === 0 || r.durationSteps <= 0) return 0;
  return totalSpikes(r) / n / ((r.durationSteps * r.dt) / 1000);
}

/** Bin widths and dt (`${binMs}/${dt}`) whose rounding histogram() has said already. */
const roundedBins = new Set<string>();

/**
 * Spike counts of the whole population per time bin over the recording window.
 *
 * Deliberate difference from ANNarchy: ANNarchy spans the bins over the *observed* spikes
 * (`t_min..t_max`) unless given `recording_window`, so the bins shift with the data, leading and
 * trailing silence disappears, and two recordings of the same window are not comparable. Here the
 * bins always cover the recording window `[startStep, stopStep)`: bin `b` holds the steps
 * `[startStep + b * binSteps, startStep + (b + 1) * binSteps)`, the last bin may be partial.
 * Spikes outside the window (only possible in hand-made records) are ignored.
 *
 * @param binMs bin width in ms (default `dt`), rounded to a whole number of steps, at least 1 (with a warning where that changes it).
 * @returns counts (spikes) per bin, length `ceil((stopStep - startStep) / binSteps)`.
 * @throws SpikeworldError if `binMs` is not a positive finite number.
 */
export function histogram(r: SpikeRecord, binMs: number = r.dt): Int32Array {
  if (!Number.isFinite(binMs) || binMs <= 0) {
    throw new SpikeworldError(
      `histogram: the bin width must be a positive finite number of ms, got ${String(binMs)}; ` +
        `give it in ms as a multiple of dt (dt = ${r.dt} ms), e.g. histogram(${r.dt}) for one bin per step`,
    );
  }
  // Rounding (not ANNarchy's truncation) so 0.3 / 0.1 = 2.9999… still gives 3 steps.
  const binSteps = Math.max(1, Math.round(binMs / r.dt));
  const usedMs = stepsToMs(binSteps, r.dt);
  if (Math.abs(usedMs - binMs) > 1e-9 * binMs && !roundedBins.has(`${binMs}/${r.dt}`)) {
    // Counts divided by the width asked for would be rates off by up to a half bin: say so (as
    // Monitor's period does), once per width and dt (a page may ask for a histogram every frame).
    roundedBins.add(`${binMs}/${r.dt}`);
    console.warn(`histogram: a bin of ${binMs} ms is not a multiple of dt (${r.dt} ms); the bins are ${usedMs} ms (${binSteps} steps)`);
  }
  const span = windowSteps(r);
  const counts = new Int32Array(Math.ceil(span / binSteps));
  for (const train of r.spikes) {
    for (let k = 0; k < train.length; k++) {
      const offset = train[k] - r.startStep;
      if (offset < 0 || offset >= span) continue;
      counts[Math.floor(offset / binSteps)]++;
    }
  }
  return counts;
}

/**
 * Instantaneous population rate, one value per step of the recording window.
 * Each step holds `count / (dt * N / 1000)` Hz (`count` = spikes of all N neurons at that step),
 * then, if `smoothMs > dt`, the low-pass `s[k+1] = s[k] + (x[k+1] - s[k]) * dt / smoothMs`,
 * `s[0] = x[0]`. A record without neurons gives zeros (no spikes, no division by 0).
 * @param smoothMs smoothing time constant in ms (default 0: no smoothing).
 * @returns rate in Hz per step, length `stopStep - startStep`.
 * @throws SpikeworldError if `smoothMs` is negative or not finite.
 */
export function populationRate(r: SpikeRecord, smoothMs = 0): Float64Array {
  checkSmooth(smoothMs, 'populationRate');
  const span = windowSteps(r);
  const rate = new Float64Array(span);
  const n = r.spikes.length;
  if (n === 0) return rate;
  // One spike at a step is worth 1000 / (dt * N) Hz; accumulate that directly (no second pass).
  const perSpike = 1000 / (r.dt * n);
  for (const train of r.spikes) {
    for (let k = 0; k < train.length; k++) {
      const offset = train[k] - r.startStep;
      if (offset >= 0 && offset < span) rate[offset] += perSpike;
    }
  }
  lowPass(rate, r.dt, smoothMs);
  return rate;
}

/** Options of {@link interSpikeInterval}. */
export interface IsiOptions {
  /** One array per rank instead of one flat array (default false). */
  perNeuron?: boolean;
}

/**
 * Inter-spike intervals in ms (`diff(steps) * dt`), per neuron: one array per rank, empty where
 * the neuron spiked fewer than 2 times.
 */
export function interSpikeInterval(r: SpikeRecord, options: { perNeuron: true }): Float64Array[];
/**
 * Inter-spike intervals in ms (`diff(steps) * dt`) of the neurons with >= 2 spikes, concatenated
 * in ascending population rank (as ANNarchy, also for a view listed in another order).
 */
export function interSpikeInterval(r: SpikeRecord, options?: { perNeuron?: false }): Float64Array;
/** Inter-spike intervals in ms: flat (default) or per neuron (`perNeuron: true`). */
export function interSpikeInterval(r: SpikeRecord, options?: IsiOptions): Float64Array | Float64Array[];
export function interSpikeInterval(r: SpikeRecord, options: IsiOptions = {}): Float64Array | Float64Array[] {
  if (options.perNeuron === true) {
    return r.spikes.map((train) => {
      const isi = new Float64Array(Math.max(0, train.length - 1));
      for (let k = 1; k < train.length; k++) isi[k - 1] = (train[k] - train[k - 1]) * r.dt;
      return isi;
    });
  }
  let total = 0;
  for (const train of r.spikes) total += Math.max(0, train.length - 1);
  const flat = new Float64Array(total);
  let i = 0;
  for (const n of rankOrder(r)) {
    const train = r.spikes[n]!;
    for (let k = 1; k < train.length; k++, i++) flat[i] = (train[k] - train[k - 1]) * r.dt;
  }
  return flat;
}

/**
 * Coefficient of variation of the ISIs, `std(isi) / mean(isi)` (population std, ddof 0), for each
 * neuron with >= 2 ISIs (>= 3 spikes), in ascending population rank (also for a view listed in
 * another order); other neurons are skipped, as in ANNarchy.
 * Computed on the integer step differences: the ratio does not depend on `dt`, and this avoids
 * rounding from the ms conversion (a perfectly regular train gives exactly 0).
 * @returns CV (dimensionless), one per qualifying neuron.
 */
export function coefficientOfVariation(r: SpikeRecord): Float64Array {
  let qualifying = 0;
  for (const train of r.spikes) if (train.length >= 3) qualifying++;
  const cv = new Float64Array(qualifying);
  let i = 0;
  for (const n of rankOrder(r)) {
    const train = r.spikes[n]!;
    const m = train.length - 1; // number of ISIs
    if (m < 2) continue;
    const mean = (train[m] - train[0]) / m; // the ISIs telescope to last - first
    let sq = 0;
    for (let k = 1; k <= m; k++) {
      const d = train[k] - train[k - 1] - mean;
      sq += d * d;
    }
    cv[i++] = Math.sqrt(sq / m) / mean;
  }
  return cv;
}

/**
 * Per-neuron firing rate from the inverse ISI (ANNarchy's `smoothed_rate`), one value per step of
 * the recording window: between two consecutive spikes at steps `a < b`, the steps `[a, b)` hold
 * `1000 / ((b - a) * dt)` Hz; steps before the first spike and from the last spike on hold 0.
 * Then, if `smoothMs > dt`, the same low-pass as {@link populationRate}.
 *
 * Fixes two ANNarchy bugs: it writes `rates[n, a:b]` with absolute steps instead of steps relative
 * to the window start (so a recording not starting at 0 is shifted or truncated), and it skips the
 * interval that begins with a spike exactly at the window start (`last_spike > start`).
 * @param smoothMs smoothing time constant in ms (default 0: no smoothing).
 * @returns one Float64Array per rank (Hz per step), each of length `stopStep - startStep`.
 * @throws SpikeworldError if `smoothMs` is negative or not finite.
 */
export function smoothedRate(r: SpikeRecord, smoothMs = 0): Float64Array[] {
  checkSmooth(smoothMs, 'smoothedRate');
  const span = windowSteps(r);
  return r.spikes.map((train) => {
    const rate = new Float64Array(span);
    for (let k = 1; k < train.length; k++) {
      const a = train[k - 1];
      const b = train[k];
      if (b <= a) continue; // malformed (non-ascending) input: no meaningful interval
      const value = 1000 / ((b - a) * r.dt);
      // Clip the interval [a, b) to the window (hand-made records may hold spikes outside it).
      const from = Math.max(a - r.startStep, 0);
      const to = Math.min(b - r.startStep, span);
      rate.fill(value, from, Math.max(from, to));
    }
    lowPass(rate, r.dt, smoothMs);
    return rate;
  });
}
