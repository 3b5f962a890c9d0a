import type { WorldRuntime } from '../components/runtime.js';

/**
 * Stage 3: neurons whose spike condition holds emit, reset and turn refractory; then plastic
 * (STDP) projections run the post events of the neurons that spiked.
 */
export function spike(world: WorldRuntime, step: number): void {
  const { populations } = world;
  // Indexed: for...of allocates an iterator per step where V8 does not inline it.
  for (let p = 0; p < populations.length; p++) populations[p]!.kernel?.spike(step);
  const post = world.postEvents;
  if (post !== null) post(step);
}
