/**
 * Embedding a live network in a page: `LiveNetwork` (page side) drives a network that a Web
 * Worker runs with `serveNetworks` (worker side, `./worker.js`), over shared memory when the
 * page is cross-origin isolated.
 */
export { LiveNetwork, Probe, type LiveNetworkOptions, type WorkerLike } from './live.js';
export { StepAccumulator, type AccumulatorOptions } from './accumulator.js';
export { EventRing, EventReader, canShare, type DrainResult } from './eventRing.js';
export type { Transport, LiveValue, PopulationInfo, ProjectionInfo, FieldInfo } from './protocol.js';
