import type { WorldRuntime } from '../components/runtime.js';

/** Stage 4: active monitors sample their variables (every `period` steps) and this step's spikes. */
export function record(world: WorldRuntime, step: number): void {
  const { recorders } = world;
  // Indexed loops: for...of allocates an iterator per loop per step where V8 does not inline it.
  for (let r = 0; r < recorders.length; r++) {
    const rec = recorders[r]!;
    if (!rec.active) continue;
    // Spike-only monitors skip the % (not free per step and recorder).
    if (rec.variables.length > 0 && (step - rec.startStep) % rec.periodSteps === 0) {
      for (let j = 0; j < rec.variables.length; j++) {
        const v = rec.variables[j]!;
        const gather = v.gather;
        if (gather) {
          for (let k = 0; k < gather.length; k++) v.scratch[k] = v.source[gather[k] as number] as number;
          v.rows.append(v.scratch);
        } else v.rows.append(v.source);
        v.steps.push(step);
      }
    }
    const sp = rec.spikes;
    if (sp) {
      const { ring } = sp;
      const slot = step % ring.depth;
      const count = ring.counts[slot] as number;
      const base = slot * ring.size;
      const position = sp.position;
      for (let s = 0; s < count; s++) {
        const rank = ring.ranks[base + s] as number;
        const recorded = position ? (position[rank] as number) : rank;
        if (recorded < 0) continue;
        sp.steps.push(step);
        sp.ranks.push(recorded);
      }
    }
  }
}
