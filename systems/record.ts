import type { WorldRuntime } from '../components/runtime.js';

/** Stage 4: active monitors sample their variables (every `period` steps) and this step's spikes. */
export function record(world: WorldRuntime, step: number): void {
  for (const rec of world.recorders) {
    if (!rec.active) continue;
    if ((step - rec.startStep) % rec.periodSteps === 0) {
      for (const v of rec.variables) {
        v.rows.append(v.source);
        v.steps.push(step);
      }
    }
    const sp = rec.spikes;
    if (sp) {
      const { ring } = sp;
      const slot = step % ring.depth;
      const count = ring.counts[slot] as number;
      const base = slot * ring.size;
      for (let s = 0; s < count; s++) {
        sp.steps.push(step);
        sp.ranks.push(ring.ranks[base + s] as number);
      }
    }
  }
}
