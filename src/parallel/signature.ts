import { Monitor } from '../api/monitor.js';
import type { NetworkObject } from '../api/network.js';
import { PopulationBase } from '../api/population.js';
import { Projection } from '../api/projection.js';
import type { PopulationView } from '../api/view.js';
import { RandomDistribution } from '../random/distributions.js';

/**
 * One line per declared object: what must match between the main thread and a worker. A
 * projection's line ends with its connector and a hash of its whole recipe (weights, delays,
 * probabilities, a matrix's values), so that a connection made or changed on the main thread
 * only, or drawn from Math.random at import, is refused instead of silently differing.
 */
export function declarationSignature(objects: readonly NetworkObject[]): string[] {
  return objects.map((o) => {
    if (o instanceof PopulationBase) return `population:${o.id}:${o.name}:${o.size}`;
    const side = (x: PopulationBase | PopulationView) => (x instanceof PopulationBase ? `${x.id}` : `${x.population.id}[${x.ranks.join(',')}]`);
    if (o instanceof Monitor) {
      const { period, start } = o.copyState();
      return `monitor:${o.id}:${side(o.target)}:${o.variables.join('+')}:period=${period}:start=${start}`;
    }
    const recipe = (o as Projection).copyState().recipe;
    const connection = recipe ? `${recipe.method}#${hash(JSON.stringify(recipe, distributionsAsText))}` : 'unconnected';
    return `projection:${o.id}:${side(o.pre)}->${side(o.post)}:${o.target}:${connection}`;
  });
}

/** The first line where two signatures differ, for an error message (null when they agree). */
export function firstDifference(worker: readonly string[], main: readonly string[]): { worker: string; main: string } | null {
  for (let i = 0; i < Math.max(worker.length, main.length); i++) {
    if (worker[i] !== main[i]) return { worker: worker[i] ?? '(nothing)', main: main[i] ?? '(nothing)' };
  }
  return null;
}

function distributionsAsText(_key: string, value: unknown): unknown {
  return value instanceof RandomDistribution ? value.toString() : value;
}

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable digest of a recipe's JSON. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
