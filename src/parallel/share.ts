/**
 * Hand-offs for workers that start with every job (see WorkerBoot): each worker's start-up data
 * is a structured clone, so arrays on ordinary buffers would be copied once per worker. Moved
 * onto SharedArrayBuffers, the clones all view the same bytes (what state crossing threads
 * should be: shared memory, not copies).
 */
import type { NetworkHandoff } from '../api/network.js';
import type { Fields } from '../world/populationData.js';

type Shareable = Float64Array | Float32Array | Int32Array | Uint32Array;

/** A copy of `a` on a SharedArrayBuffer (the array itself if it already is on one). */
function onShared<T extends Shareable>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

function shareFields(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).map(([name, values]) => [name, onShared(values)]));
}

/**
 * The same hand-off with its compile-time state on shared memory (monitors' recordings are there
 * already: see RowChunks).
 */
export function shareHandoff(h: NetworkHandoff): NetworkHandoff {
  return {
    ...h,
    resetState: { fields: h.resetState.fields.map(shareFields), rng: onShared(h.resetState.rng) },
  };
}
