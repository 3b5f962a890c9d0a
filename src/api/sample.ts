import { SpikeworldError } from '../errors.js';
import { isDistribution, type RandomDistribution } from '../random/distributions.js';
import { Network, templateNetwork } from './network.js';

/**
 * `n` values drawn from `distribution` with a network's initialisation stream (default: the
 * template network's, seeded by the master seed): numpy's `np.random.random(n)` for scripts,
 * reproducible from the seed.
 */
export function sample(distribution: RandomDistribution, n: number, net: Network = templateNetwork()): Float64Array {
  if (!isDistribution(distribution)) {
    throw new SpikeworldError(`sample: give a distribution such as Uniform(0, 1), got ${String(distribution)}`);
  }
  if (!Number.isInteger(n) || n < 0) throw new SpikeworldError(`sample: n must be a non-negative integer, got ${n}`);
  if (!(net instanceof Network)) throw new SpikeworldError(`sample: the third argument must be a Network (default: the template), got ${String(net)}`);
  net.world.assertNotDisposed('sample');
  const out = new Float64Array(n);
  distribution.sample(net.world.initRng, out, n);
  return out;
}
