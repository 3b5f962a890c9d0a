/**
 * A spike source array's spikes as the world runs them (`SpikeSourceArray`, src/api/spikeSource.ts):
 * every (step, rank) event of the population, sorted by step (then rank), and a cursor. Each step
 * the input stage emits the events due at that step and moves the cursor past them, so a step
 * costs in proportion to its spikes, not to the population's size, and allocates nothing.
 *
 * The cursor and the origin (the step the times count from: 0, or where `pop.reset()` restarted
 * them) are two int32 words in the world's arena (`sourceState`), so the network's reset, and a
 * hand-off to another thread, carry them. The events themselves live outside the arena (a new
 * list, of any length, may replace them after compile), on shared memory where the platform has
 * it: a schedule is never changed once made (a new one replaces it), so copies and threads can
 * hold the same one.
 */
import { sharedInt32s } from '../../components/arena.js';
import { describeInput as describe, SpikeworldError } from '../errors.js';
import { firstStepAtOrAfter, LAST_STEP, stepsToMs } from './clock.js';
import type { PopulationData } from './populationData.js';
import type { World } from './world.js';

/** Plain data (it crosses threads by structured clone): never modified once made. */
export interface SpikeSchedule {
  /** Neurons of the population. */
  readonly size: number;
  /** Step of each event (relative to the origin), ascending. */
  readonly steps: Int32Array;
  /** Rank of each event; ascending within a step. */
  readonly ranks: Int32Array;
}

/** Words of a spike source's state in the arena: [cursor (next event), origin (step of time 0)]. */
export const SOURCE_STATE_WORDS = 2;

/** Times in ms as given to SpikeSourceArray: one list (one neuron) or one list per neuron. */
export type SpikeTimes = ArrayLike<number> | readonly ArrayLike<number>[];

/**
 * ANNarchy's `round(t / dt)`: Python's round, to the nearest integer with halves to the even one
 * (2.5 → 2, 3.5 → 4), on the same double quotient.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The lists of times per neuron, checked: `times` is one list of numbers (one neuron) or a list of
 * lists (one per neuron, empty ones allowed). `size`: the population's (a set after construction);
 * undefined: any (the constructor). `what` names the population in errors.
 */
export function timesPerNeuron(times: unknown, size: number | undefined, what: string): ArrayLike<unknown>[] {
  const list = (x: unknown): x is ArrayLike<unknown> => Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
  const fix = 'give one list of times in ms for one neuron ([10, 20]) or one list per neuron ([[10, 20], [], [15]])';
  if (!list(times)) throw new SpikeworldError(`${what}: spikeTimes must be an array; ${fix}, got ${describe(times)}`);
  const nested = Array.isArray(times) && times.some((x) => list(x));
  if (nested) {
    for (let i = 0; i < times.length; i++) {
      if (!list(times[i])) {
        throw new SpikeworldError(`${what}: spikeTimes[${i}] is ${describe(times[i])} but other entries are lists; ${fix}`);
      }
    }
  }
  const perNeuron = nested ? (times as ArrayLike<unknown>[]) : [times];
  if (size !== undefined && perNeuron.length !== size) {
    throw new SpikeworldError(
      `${what} has ${size} neuron${size === 1 ? '' : 's'}: give ${size === 1 ? 'one list of times' : `${size} lists of times, one per neuron`}, got ${nested ? `${perNeuron.length} lists` : 'one list of times (one neuron)'}`,
    );
  }
  return perNeuron;
}

/**
 * The schedule of `times` (see timesPerNeuron) at step `dt`: each time becomes step
 * roundHalfEven(t / dt); a neuron's equal steps count once. Refuses times that are not finite
 * numbers >= 0 and steps past the last one a network reaches, naming the entry.
 */
export function buildSchedule(times: unknown, dt: number, size: number | undefined, what: string): SpikeSchedule {
  const perNeuron = timesPerNeuron(times, size, what);
  const n = perNeuron.length;
  let total = 0;
  for (const t of perNeuron) total += t.length;
  const steps = new Float64Array(total);
  const ranks = new Int32Array(total);
  const entry = (i: number, j: number) => (perNeuron[0] !== times ? `spikeTimes[${i}][${j}]` : `spikeTimes[${j}]`);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const list = perNeuron[i]!;
    for (let j = 0; j < list.length; j++) {
      const t = list[j];
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
        throw new SpikeworldError(`${what}: ${entry(i, j)} is ${describe(t)}; spike times must be finite numbers of ms >= 0`);
      }
      const s = roundHalfEven(t / dt);
      if (s > LAST_STEP) {
        throw new SpikeworldError(
          `${what}: ${entry(i, j)} is ${t} ms, step ${s}: past the last step a network reaches (${LAST_STEP}, ${stepsToMs(LAST_STEP, dt)} ms at dt ${dt} ms); remove it`,
        );
      }
      steps[k] = s;
      ranks[k] = i;
      k++;
    }
  }
  return sortEvents(steps, ranks, n);
}

/** Events sorted by (step, rank), duplicates dropped, on shared memory where there is some. */
function sortEvents(steps: Float64Array, ranks: Int32Array, size: number): SpikeSchedule {
  const total = steps.length;
  const sortedSteps = new Int32Array(total), sortedRanks = new Int32Array(total);
  if ((LAST_STEP + 1) * size <= Number.MAX_SAFE_INTEGER) {
    // One exact number per event, step · size + rank, sorted natively.
    const keys = new Float64Array(total);
    for (let k = 0; k < total; k++) keys[k] = (steps[k] as number) * size + (ranks[k] as number);
    keys.sort();
    for (let k = 0; k < total; k++) {
      const key = keys[k] as number;
      let step = Math.floor(key / size);
      if (step * size > key) step--; // the quotient rounded up to the next integer
      sortedSteps[k] = step;
      sortedRanks[k] = key - step * size;
    }
  } else {
    const order = Array.from({ length: total }, (_, k) => k);
    order.sort((a, b) => (steps[a] as number) - (steps[b] as number) || (ranks[a] as number) - (ranks[b] as number));
    for (let k = 0; k < total; k++) {
      sortedSteps[k] = steps[order[k] as number] as number;
      sortedRanks[k] = ranks[order[k] as number] as number;
    }
  }
  let u = 0;
  for (let k = 0; k < total; k++) {
    if (u > 0 && sortedSteps[u - 1] === sortedSteps[k] && sortedRanks[u - 1] === sortedRanks[k]) continue;
    sortedSteps[u] = sortedSteps[k] as number;
    sortedRanks[u] = sortedRanks[k] as number;
    u++;
  }
  const out = { size, steps: sharedInt32s(u), ranks: sharedInt32s(u) };
  out.steps.set(sortedSteps.subarray(0, u));
  out.ranks.set(sortedRanks.subarray(0, u));
  return out;
}

/** The schedule's times in ms, one ascending list per neuron (steps · dt without float noise). */
export function scheduleTimes(schedule: SpikeSchedule, dt: number): number[][] {
  const out: number[][] = Array.from({ length: schedule.size }, () => []);
  for (let k = 0; k < schedule.steps.length; k++) out[schedule.ranks[k] as number]!.push(stepsToMs(schedule.steps[k] as number, dt));
  return out;
}

/**
 * A spike source array's new spikes in `world`: after compile they count from the current step on
 * (times already past are skipped, as in ANNarchy); the network's reset() starts again from their
 * first time.
 */
export function setSchedule(world: World, pop: PopulationData, schedule: SpikeSchedule): void {
  world.assertNotDisposed('set spike times');
  pop.schedule = schedule;
  const state = sourceState(world, pop);
  if (state) seekSchedule(schedule, state, world.step);
}

/** ANNarchy's pop.reset() of a spike source: its times count from the current step (before compile they do anyway). */
export function restartSchedule(world: World, pop: PopulationData): void {
  world.assertNotDisposed('reset a spike source');
  const state = sourceState(world, pop);
  if (!state) return;
  state[0] = 0;
  state[1] = world.step;
}

/** [cursor, origin] of a spike source array in a compiled world (null before compile). */
function sourceState(world: World, pop: PopulationData): Int32Array | null {
  const region = world.runtime ? world.layout!.populations[world.populations.indexOf(pop)]?.sourceState : null;
  return region ? world.arena!.view(region) : null;
}

/**
 * Where the cursor goes when a schedule is set at `step` (the next step to run): to the first event
 * not in the past, relative to the origin (as ANNarchy's recompute_spike_times, which skips times
 * before its internal time).
 */
export function seekSchedule(schedule: SpikeSchedule, state: Int32Array, step: number): void {
  state[0] = firstStepAtOrAfter(schedule.steps, step - (state[1] as number));
}

/**
 * A spike source's input-stage step, with the signature of a Poisson source's (systems/input.ts,
 * wasmInput.ts): writes the ranks due at `step` into the spike ring from index `base`, stamps
 * lastSpike, moves the cursor on and returns how many. `current()` gives the schedule in force (a
 * set after compile replaces it).
 */
export function spikeSourceStep(
  current: () => SpikeSchedule,
  state: Int32Array,
  ringRanks: Uint32Array,
  lastSpike: Int32Array,
): (base: number, step: number) => number {
  return (base: number, step: number): number => {
    const { steps, ranks } = current();
    const n = steps.length;
    const due = step - (state[1] as number);
    let c = state[0] as number;
    // A cursor kept from another schedule (one a worker set before its parallelRun was aborted:
    // the arena came back, the schedule did not) may stand past events not yet due: seek again.
    // In a run the event before the cursor is always past, so this costs one comparison.
    if (c > 0 && (c > n || (steps[c - 1] as number) >= due)) c = firstStepAtOrAfter(steps, due);
    // Events already past: none in a run; a guard for a cursor kept from another schedule.
    while (c < n && (steps[c] as number) < due) c++;
    let count = 0;
    while (c < n && steps[c] === due) {
      const rank = ranks[c] as number;
      ringRanks[base + count++] = rank;
      lastSpike[rank] = step;
      c++;
    }
    state[0] = c;
    return count;
  };
}

/** Schedules never change once made: each is hashed once per thread. */
const hashes = new WeakMap<SpikeSchedule, string>();

/** FNV-1a (32 bits, 8 hex digits) of a schedule's size and events, for parallelRun's declaration signature. */
export function scheduleHash(schedule: SpikeSchedule): string {
  let h = hashes.get(schedule);
  if (h !== undefined) return h;
  let state = Math.imul(0x811c9dc5 ^ schedule.size, 0x01000193);
  for (let k = 0; k < schedule.steps.length; k++) {
    state = Math.imul(state ^ (schedule.steps[k] as number), 0x01000193);
    state = Math.imul(state ^ (schedule.ranks[k] as number), 0x01000193);
  }
  h = `${schedule.steps.length}:${(state >>> 0).toString(16).padStart(8, '0')}`;
  hashes.set(schedule, h);
  return h;
}

