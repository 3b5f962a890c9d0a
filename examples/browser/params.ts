/** Constants the page and the worker share (kept apart from networks.ts so the page does not load the engine). */

/** Noise of the Izhikevich-2003 network at input drive 1 (excitatory, inhibitory). */
export const IZHIKEVICH_NOISE = { exc: 5, inh: 2 } as const;
