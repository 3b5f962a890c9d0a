/**
 * Izhikevich's (2003) pulse-coupled network as ANNarchy's docs build it from the built-in
 * `Izhikevich` model: 800 excitatory + 200 inhibitory neurons, noise 5 / 2, random all-to-all
 * weights Uniform(0, 0.5) (exc) and Uniform(0, 1) (inh), dt 1 ms. ANNarchy 4.8 fires at 9.0–9.3 Hz.
 */
import { Izhikevich, Monitor, Population, Projection, Uniform, sample } from '../../src/index.js';

export function buildIzhikevich2003(options: { record?: boolean } = {}) {
  const exc = new Population(800, Izhikevich({ noise: 5.0 }), { name: 'Exc' });
  const inh = new Population(200, Izhikevich({ noise: 2.0 }), { name: 'Inh' });
  const re = sample(Uniform(0, 1), 800);
  const ri = sample(Uniform(0, 1), 200);
  exc.set({
    a: 0.02,
    b: 0.2,
    c: re.map((r) => -65 + 15 * r * r),
    d: re.map((r) => 8 - 6 * r * r),
  });
  inh.set({
    a: ri.map((r) => 0.02 + 0.08 * r),
    b: ri.map((r) => 0.25 - 0.05 * r),
    c: -65,
    d: 2,
  });
  for (const pop of [exc, inh]) pop.set({ v: -65, u: pop.v.map((v, i) => v * (pop.b[i] as number)) });
  const projections = [];
  for (const post of [exc, inh]) {
    projections.push(new Projection(exc, post, 'exc').connectAllToAll({ weights: Uniform(0, 0.5) }));
    projections.push(new Projection(inh, post, 'inh').connectAllToAll({ weights: Uniform(0, 1) }));
  }
  const monitors = options.record === false ? [] : [new Monitor(exc, 'spike'), new Monitor(inh, 'spike')];
  return { exc, inh, projections, monitors };
}
