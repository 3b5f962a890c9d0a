/** Spikes of a recording, as the Monitor hands them over. */
export interface SpikeRecord {
  /** One entry per recorded neuron (rank order): the integer steps at which it spiked, ascending. */
  spikes: Int32Array[];
  /** The population rank of each entry where they are not 0, 1, 2, … (a view's). */
  ranks?: ArrayLike<number>;
  /** Simulation step in ms. */
  dt: number;
  /** Total recorded duration in steps (sum of the recorded segments; pauses excluded). */
  durationSteps: number;
  /** First and one-past-last step of the recording window (for histogram/populationRate ranges). */
  startStep: number;
  stopStep: number;
}
