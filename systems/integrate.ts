import type { WorldRuntime } from '../components/runtime.js';

/** Stage 2: every neuron population's generated kernel advances its equations by one step. */
export function integrate(world: WorldRuntime, step: number): void {
  const { populations } = world;
  // Indexed: for...of allocates an iterator per step where V8 does not inline it.
  for (let p = 0; p < populations.length; p++) populations[p]!.kernel?.integrate(step);
}
