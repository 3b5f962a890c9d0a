import type { WorldRuntime } from '../components/runtime.js';
import { fillUniformLanes } from '../src/random/lanes.js';

/**
 * Stage 1: set timed Poisson rates due at `step`, clear instantaneous conductances, deliver the
 * spikes due at `step` (`g_target += w`), then let Poisson sources emit this step's spikes. A
 * disabled population (pop.disable()) keeps its conductances, receives nothing (each delivery
 * tests its post's enabled word) and emits nothing.
 */
export function input(world: WorldRuntime, step: number): void {
  // Timed Poisson populations first: their rates change at their onsets, before this step's draws.
  const switches = world.rateSwitches;
  for (let k = 0; k < switches.length; k++) switches[k]!(step);
  // Where every part runs in WebAssembly, one call does all that follows (src/world/wasmInput.ts).
  const stage = world.inputStage;
  if (stage !== null) {
    stage(step);
    return;
  }
  world.clearInstantaneous();
  // Indexed loops: for...of allocates an iterator per loop per step where V8 does not inline it.
  const { projections, populations } = world;
  for (let k = 0; k < projections.length; k++) projections[k]!.deliver(step);
  for (let p = 0; p < populations.length; p++) {
    const pop = populations[p]!;
    const src = pop.poisson;
    if (!src) continue;
    const { ring, size } = pop;
    const slot = step % ring.depth;
    const base = slot * size;
    if (pop.enabled[0] === 0) {
      ring.counts[slot] = 0;
      // A spike source array's clock pauses (ANNarchy's SpikeSourceArray counts its own `_t` only while active).
      if (src.sourceState !== null) src.sourceState[1] = (src.sourceState[1] as number) + 1;
      continue;
    }
    if (src.emit) {
      ring.counts[slot] = src.emit(base, step);
      continue;
    }
    fillUniformLanes(world.poissonLanes, src.draws, size);
    let count = 0;
    // poissonStepProbabilityPerHz written out: where V8 did not inline that call, its double came
    // back boxed, a heap number per step (test/core/timedPoisson-allocation.test.ts).
    const pFactor = world.dt / 1000;
    for (let i = 0; i < size; i++) {
      if ((src.draws[i] as number) < (src.rates[i] as number) * pFactor) {
        ring.ranks[base + count++] = i;
        src.lastSpike[i] = step;
      }
    }
    ring.counts[slot] = count;
  }
}

/** A Poisson source's spike probability per step per Hz of rate: dt / 1000 (dt in ms). */
export function poissonStepProbabilityPerHz(dtMs: number): number {
  return dtMs / 1000;
}
