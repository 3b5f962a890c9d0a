import { Monitor } from '../api/monitor.js';
import type { NetworkObject } from '../api/network.js';
import { PopulationBase } from '../api/population.js';
import type { PopulationView } from '../api/view.js';

/** One line per declared object: what must match between the main thread and a worker. */
export function declarationSignature(objects: readonly NetworkObject[]): string[] {
  return objects.map((o) => {
    if (o instanceof PopulationBase) return `population:${o.id}:${o.name}:${o.size}`;
    const side = (x: PopulationBase | PopulationView) => (x instanceof PopulationBase ? `${x.id}` : `${x.population.id}[${x.ranks.join(',')}]`);
    if (o instanceof Monitor) return `monitor:${o.id}:${side(o.target)}:${o.variables.join('+')}`;
    return `projection:${o.id}:${side(o.pre)}->${side(o.post)}:${o.target}`;
  });
}
