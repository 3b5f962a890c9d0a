/**
 * The COBA benchmark (Vogels & Abbott 2005, Brette et al. 2007), as ANNarchy's benchmark script
 * builds it: 4000 conductance-based LIF neurons (3200 exc, 800 inh), 2 % connectivity, dt 0.1 ms.
 * ANNarchy uses one population with views P[:3200] / P[3200:]; here they are two populations of
 * the same model with four projections (self-connections allowed, as ANNarchy's views allow them).
 */
import { Monitor, Neuron, Normal, Population, Projection, type RandomDistribution } from '../../src/index.js';

export const COBA = new Neuron<'v' | 'g_exc' | 'g_inh'>({
  name: 'COBA',
  parameters: `
    El = -60.0 : population
    Vr = -60.0 : population
    Erev_exc = 0.0 : population
    Erev_inh = -80.0 : population
    Vt = -50.0 : population
    tau = 20.0 : population
    tau_exc = 5.0 : population
    tau_inh = 10.0 : population
    I = 20.0 : population
  `,
  equations: `
    tau * dv/dt = (El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I
    tau_exc * dg_exc/dt = - g_exc
    tau_inh * dg_inh/dt = - g_inh
  `,
  spike: 'v > Vt',
  reset: 'v = Vr',
  refractory: 5.0,
});

/**
 * Declares the network in the template (call setup({ dt: 0.1 }) first); `scale` multiplies the
 * sizes. Variants for the bench: `delays` (ms, one per synapse when a distribution; default one
 * step), `stopCondition` of the excitatory population (for simulateUntil).
 */
export function buildCoba(options: { scale?: number; record?: boolean; delays?: number | RandomDistribution; stopCondition?: string } = {}) {
  const scale = options.scale ?? 1;
  const exc = new Population(Math.round(3200 * scale), COBA, {
    name: 'Exc',
    ...(options.stopCondition !== undefined ? { stopCondition: options.stopCondition } : {}),
  });
  const inh = new Population(Math.round(800 * scale), COBA, { name: 'Inh' });
  for (const pop of [exc, inh]) pop.set({ v: Normal(-55, 5), g_exc: Normal(4, 1.5), g_inh: Normal(20, 12) });
  // Keep the in-degree of the original (80 synapses per neuron) when scaling.
  const probability = 0.02 / scale;
  const projections = [
    [exc, exc, 'exc', 0.6],
    [exc, inh, 'exc', 0.6],
    [inh, exc, 'inh', 6.7],
    [inh, inh, 'inh', 6.7],
  ].map(([pre, post, target, weights]) =>
    new Projection(pre as Population, post as Population, target as string).connectFixedProbability({
      probability,
      weights: weights as number,
      allowSelfConnections: true,
      ...(options.delays !== undefined ? { delays: options.delays } : {}),
    }),
  );
  const monitors = options.record === false ? [] : [new Monitor(exc, 'spike'), new Monitor(inh, 'spike')];
  return { exc, inh, projections, monitors };
}
