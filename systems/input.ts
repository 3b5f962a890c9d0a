import type { WorldRuntime } from '../components/runtime.js';
import { fillUniform } from '../src/random/stream.js';

/**
 * Stage 1: clear instantaneous conductances, deliver the spikes due at `step`
 * (`g_target += w`), then let Poisson sources emit this step's spikes.
 */
export function input(world: WorldRuntime, step: number): void {
  world.clearInstantaneous();
  for (const proj of world.projections) proj.deliver(step);
  const pFactor = world.dt / 1000;
  for (const pop of world.populations) {
    const src = pop.poisson;
    if (!src) continue;
    const { ring, size } = pop;
    const slot = step % ring.depth;
    const base = slot * size;
    if (src.emit) {
      ring.counts[slot] = src.emit(base, step, pFactor);
      continue;
    }
    fillUniform(world.rng, src.draws, size, 0, 1);
    let count = 0;
    // Per-step spike probability rate·dt/1000 (rates in Hz, dt in ms).
    for (let i = 0; i < size; i++) {
      if ((src.draws[i] as number) < (src.rates[i] as number) * pFactor) {
        ring.ranks[base + count++] = i;
        src.lastSpike[i] = step;
      }
    }
    ring.counts[slot] = count;
  }
}
