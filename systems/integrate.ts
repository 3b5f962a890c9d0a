import type { WorldRuntime } from '../components/runtime.js';

/**
 * Stage 2: every enabled neuron population's generated kernel advances its equations by one step
 * (a disabled one keeps its values, refractory counts included, and draws no noise).
 */
export function integrate(world: WorldRuntime, step: number): void {
  const { populations } = world;
  // Indexed: for...of allocates an iterator per step where V8 does not inline it.
  for (let p = 0; p < populations.length; p++) {
    const pop = populations[p]!;
    if (pop.enabled[0] !== 0) pop.kernel?.integrate(step);
  }
}
