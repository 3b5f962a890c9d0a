import type { WorldRuntime } from '../components/runtime.js';
import { countFiringRates } from '../src/world/firingRateCount.js';

/**
 * Stage 3: neurons of enabled populations whose spike condition holds emit, reset and turn
 * refractory; populations that compute their firing rate count this step's spikes (those of input
 * populations included); then plastic (STDP) projections run the post events of the neurons that
 * spiked.
 */
export function spike(world: WorldRuntime, step: number): void {
  const { populations } = world;
  // Indexed: for...of allocates an iterator per step where V8 does not inline it.
  for (let p = 0; p < populations.length; p++) {
    const pop = populations[p]!;
    const kernel = pop.kernel;
    if (kernel === null) continue;
    if (pop.enabled[0] !== 0) kernel.spike(step);
    // Disabled: no spike this step (the slot would otherwise keep the spikes of step − depth).
    else pop.ring.counts[step % pop.ring.depth] = 0;
  }
  countFiringRates(world, step);
  const post = world.postEvents;
  if (post !== null) post(step);
}
