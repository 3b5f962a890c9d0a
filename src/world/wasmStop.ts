/**
 * A stop condition of simulateUntil in WebAssembly: the integrate emitter (src/model/wasm.ts) run
 * on the condition's plan (planStopCondition: no equations, the condition as its spike test)
 * looks for a neuron of the whole SIMD vectors that meets it, evaluating it as the kernels
 * evaluate spike conditions (so as the JS predicate does, bit for bit), and returns after the
 * first vector that has one (as the JS predicate returns at the first neuron). Their ranks go to
 * the population's candidates buffer, which the spike stage has read by the time a stop condition
 * is checked (after the step) and the next integrate overwrites. The JS predicate tests the last
 * 1–3 neurons.
 */
import type { NeuronPlan } from '../model/plan.js';
import { KERNEL_MATH, vectorNeurons, wasmIntegrate } from '../model/wasm.js';
import { instantiate, memoryShape } from '../wasm/encode.js';
import type { Fields } from './populationData.js';

export interface WasmStopCount {
  /** 0 if none of the first `neurons` neurons meets the condition at time step · dt, else how many of the first vector with one do. */
  count: (step: number) => number;
  /** The neurons it tests (whole vectors); the JS predicate tests the rest. */
  neurons: number;
}

/** The counting test of `plan`, or null where the emitter cannot run it (the JS predicate then tests every neuron). */
export function wasmStopCount(plan: NeuronPlan, fields: Fields, candidates: Uint32Array, memory: WebAssembly.Memory, name: string): WasmStopCount | null {
  const at: Record<string, number> = {};
  for (const f of plan.fields) at[f] = (fields[f] as Float32Array | Float64Array).byteOffset;
  const addresses = { fields: at, refractoryLeft: 0, candidates: candidates.byteOffset, random: [] };
  const module = wasmIntegrate(plan, addresses, memoryShape(memory), `stop condition ${name}`, true);
  if ('unsupported' in module) return null;
  return { count: instantiate<(step: number) => number>(module.bytes, memory, 'integrate', KERNEL_MATH), neurons: vectorNeurons(plan) };
}
