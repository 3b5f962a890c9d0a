import type { WorldRuntime, ProjectionRuntime } from '../components/runtime.js';
import { fillUniform } from '../src/random/stream.js';

/**
 * Stage 1: clear instantaneous conductances, deliver the spikes due at `step`
 * (`g_target += w`), then let Poisson sources emit this step's spikes.
 */
export function input(world: WorldRuntime, step: number): void {
  for (const pop of world.populations) {
    for (const g of pop.instantaneous) g.fill(0);
  }
  for (const proj of world.projections) {
    if (proj.pending) deliverDelayed(proj, step);
    else deliverUniform(proj, step);
  }
  const pFactor = world.dt / 1000;
  for (const pop of world.populations) {
    const src = pop.poisson;
    if (!src) continue;
    const { ring, size } = pop;
    const slot = step % ring.depth;
    const base = slot * size;
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

/** All synapses share one delay d: deliver the pre spikes of step - d, row by row of the CSR. */
function deliverUniform(proj: ProjectionRuntime, step: number): void {
  const emitted = step - proj.uniformDelaySteps;
  if (emitted < 0) return;
  const { ring } = proj.pre;
  const slot = emitted % ring.depth;
  const count = ring.counts[slot] as number;
  const base = slot * ring.size;
  const { rowStart, post, w } = proj.csr;
  const g = proj.target;
  for (let s = 0; s < count; s++) {
    const pre = ring.ranks[base + s] as number;
    const end = rowStart[pre + 1] as number;
    for (let k = rowStart[pre] as number; k < end; k++) g[post[k] as number]! += w[k] as number;
  }
}

/**
 * Each synapse has its own delay: scatter the spikes of step - 1 into the pending ring at their
 * arrival steps, then add what arrives now.
 */
function deliverDelayed(proj: ProjectionRuntime, step: number): void {
  const pending = proj.pending!;
  const { depth, values } = pending;
  const postSize = proj.target.length;
  const emitted = step - 1;
  if (emitted >= 0) {
    const { ring } = proj.pre;
    const slot = emitted % ring.depth;
    const count = ring.counts[slot] as number;
    const base = slot * ring.size;
    const { rowStart, post, w } = proj.csr;
    const delay = proj.csr.delaySteps!;
    for (let s = 0; s < count; s++) {
      const pre = ring.ranks[base + s] as number;
      const end = rowStart[pre + 1] as number;
      for (let k = rowStart[pre] as number; k < end; k++) {
        const arrival = (emitted + (delay[k] as number)) % depth;
        values[arrival * postSize + (post[k] as number)]! += w[k] as number;
      }
    }
  }
  const now = (step % depth) * postSize;
  const g = proj.target;
  for (let q = 0; q < postSize; q++) {
    g[q]! += values[now + q] as number;
    values[now + q] = 0;
  }
}
