import type { WorldRuntime } from '../components/runtime.js';

/** Stage 2: every neuron population's generated kernel advances its equations by one step. */
export function integrate(world: WorldRuntime, step: number): void {
  const tMs = step * world.dt;
  for (const pop of world.populations) pop.kernel?.integrate(tMs);
}
