/** Names shared by the caller and the workers (no imports: the browser bundle reaches this file). */
export const DEFAULT_QUEUE = 'spikeworld';
/** Prefix of the keys that hold a sweep's data (BullMQ's own keys keep BullMQ's prefix). */
export const KEY_PREFIX = 'spikeworld';
/** failedReason of a job whose method threw: this prefix, then JSON of MethodFailure. */
export const METHOD_FAILED = 'spikeworld:method-failed:';
export const CANCELLED = 'spikeworld: the sweep was cancelled';
/** Job names in the queue: the flow's parent, and its children (a chunk of networks each). */
export const SWEEP_JOB = 'sweep';
export const CHUNK_JOB = 'networks';
