import type { WorldRuntime } from '../components/runtime.js';

/** Stage 3: neurons whose spike condition holds emit, reset and turn refractory. */
export function spike(world: WorldRuntime, step: number): void {
  for (const pop of world.populations) pop.kernel?.spike(step);
}
