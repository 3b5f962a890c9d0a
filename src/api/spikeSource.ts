/**
 * `SpikeSourceArray`: neuron i spikes at the times (ms) of its own list, ANNarchy's
 * `SpikeSourceArray(spike_times, name)`. Times become steps with ANNarchy's `round(t / dt)`
 * (Python's round: halves to even), duplicates count once; the spikes come out in the input
 * stage of their step, as Poisson sources' do (src/world/spikeSchedule.ts).
 */
import { buildSchedule, restartSchedule, scheduleTimes, setSchedule, type SpikeTimes } from '../world/spikeSchedule.js';
import { stateLessSpec } from './neuron.js';
import { optionsObject } from './options.js';
import { currentOwner } from './owner.js';
import { PopulationBase } from './population.js';

export type { SpikeTimes };

export interface SpikeSourceOptions {
  name?: string;
  /** Condition for `simulateUntil`: `'spiked : any'`, `'spiked : all'` or one on `r`, its firing rate once computeFiringRate counts (`'r > 10 : any'`); a spike source has no other variables to test. */
  stopCondition?: string;
}

const SPIKE_SOURCE_SPEC = stateLessSpec('Spike source');

export class SpikeSourceArray extends PopulationBase {
  /**
   * `spikeTimes`: one list of times in ms for a population of one neuron (`[10, 20, 30]`), or one
   * list per neuron (`[[10, 20], [], [15]]`; empty lists allowed): the population has that many
   * neurons. Times must be finite and >= 0.
   */
  constructor(spikeTimes: SpikeTimes, options?: SpikeSourceOptions) {
    const named = optionsObject('new SpikeSourceArray()', options, ['name', 'stopCondition']);
    // Checked and converted before the population exists: a refused list leaves no trace.
    const what = named.name !== undefined ? `new SpikeSourceArray '${named.name}'` : 'new SpikeSourceArray()';
    const schedule = buildSchedule(spikeTimes, currentOwner().world.dt, undefined, what);
    super(schedule.size, SPIKE_SOURCE_SPEC, 'spikeSource', {
      ...(named.name !== undefined ? { name: named.name } : {}),
      ...(named.stopCondition !== undefined ? { stopCondition: named.stopCondition } : {}),
    });
    this.data.schedule = schedule;
  }

  /**
   * The spike times in ms, one ascending list per neuron (rounded to steps of dt, duplicates once),
   * as ANNarchy's `spike_times` after compile.
   */
  get spikeTimes(): number[][] {
    const world = this.owner.world;
    world.assertNotDisposed(`read spikeTimes of '${this.name}'`);
    return scheduleTimes(this.data.schedule!, world.dt);
  }

  /**
   * New times (one list per neuron; a flat list for one neuron), for as many neurons as the
   * population has. After compile they count from the current time on: times already past are
   * skipped (as in ANNarchy); `reset()` of the network starts again from the first one.
   */
  set spikeTimes(times: SpikeTimes) {
    const world = this.owner.world;
    world.assertNotDisposed(`set spikeTimes of '${this.name}'`);
    setSchedule(world, this.data, buildSchedule(times, world.dt, this.size, `SpikeSourceArray '${this.name}'`));
  }

  /**
   * ANNarchy's `pop.reset()` of a spike source: its times count from the current time, so the
   * same stimulation plays again (before compile they count from 0 anyway). The network's
   * `reset()` goes back to time 0 and to the first spike time.
   */
  reset(): void {
    restartSchedule(this.owner.world, this.data);
  }

  override toString(): string {
    return `SpikeSourceArray '${this.name}' (${this.size} neuron${this.size === 1 ? '' : 's'})`;
  }
}
