/**
 * JS heap a run allocates per step: the young generation (where short-lived objects go) read
 * around `windows` runs of `steps` steps, each after a collection; the least of them (a
 * collection during a window only lowers it).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes in use in the young generation. */
function youngBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
}

/** Least young-generation bytes per step over `windows` calls of `run(steps)` (which runs that many steps). */
export function leastBytesPerStep(run: (steps: number) => void, steps: number, windows = 5): number {
  let least = Infinity;
  for (let r = 0; r < windows; r++) {
    gc();
    const before = youngBytes();
    run(steps);
    least = Math.min(least, (youngBytes() - before) / steps);
  }
  return least;
}
