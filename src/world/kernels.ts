/**
 * Turns a population's model into a running kernel: decides which parameters fold into
 * constants (those uniform across the population), generates the source, and binds it to
 * the population's arena views.
 */
import type { NeuronKernel } from '../../components/runtime.js';
import type { SpikeRing } from '../../components/spikeRing.js';
import { kernelSource } from '../model/codegen.js';
import { planNeuron, type NeuronPlan } from '../model/plan.js';
import { KERNEL_MATH, vectorNeurons, wasmIntegrate } from '../model/wasm.js';
import { instantiate, memoryShape } from '../wasm/encode.js';
import { fillNormal, fillUniform } from '../random/stream.js';
import type { PopulationData, StateArray } from './populationData.js';
import { wasmNormalFill } from './wasmNormal.js';
import { wasmUniformFill } from './wasmUniform.js';

export interface KernelTarget {
  pop: PopulationData;
  dt: number;
  ring: SpikeRing;
  rng: Uint32Array;
  lastSpike: Int32Array;
  refractoryLeft: Int32Array;
  /** Ranks that met the spike condition this step, written by integrate, read by spike. */
  candidates: Uint32Array;
  /** Arena buffers for the per-step random draws (as many as the layout planned). */
  random: StateArray[];
  /** The arena's place for the ziggurat tables (WebAssembly normal draws); null in a world without draws. */
  zigguratTables: { k: Int32Array; w: Float64Array; slowDraw: Float64Array } | null;
  /** The world's memory: WebAssembly kernels run on it. */
  memory: WebAssembly.Memory;
  /**
   * 'auto': a WebAssembly SIMD integrate loop where the model allows it, and WebAssembly normal
   * draws (also under a JS integrate loop, which kernelInfo reports as 'js'); 'js': JS only.
   */
  backend: KernelBackend;
}

export type KernelBackend = 'auto' | 'js';

/** Which back end runs a population's neuron update, and why the JS kernel does when it does. */
export interface KernelInfo {
  backend: 'wasm' | 'js';
  /** Why not WebAssembly (backend 'js' only), e.g. "setup({ kernels: 'js' }) turned WebAssembly off". */
  reason?: string;
}

/** A kernel with what it is (see KernelInfo). */
export interface BuiltKernel extends NeuronKernel {
  readonly backend: 'wasm' | 'js';
  readonly reason?: string;
  /** How many of the model's random terms a WebAssembly fill draws (the rest: fillNormal / fillUniform). */
  readonly wasmDraws: number;
}

let kernelCounter = 0;

/** The kernel plan of a population with its current values (parameters uniform across it fold). */
function planFor(pop: PopulationData, dt: number): NeuronPlan {
  const folded = new Map<string, number>();
  for (const p of pop.spec.parameters) {
    const values = pop.fields[p.name] as StateArray;
    if (isUniform(values)) folded.set(p.name, values[0] as number);
  }
  return planNeuron(pop.spec, pop.size, dt, folded, refractorySteps(pop, folded, dt), pop.precision);
}

export function buildKernel(target: KernelTarget): NeuronKernel {
  const { pop, dt } = target;
  const spec = pop.spec;
  const plan = planFor(pop, dt);
  const refractory = 'steps' in plan.refractory ? plan.refractory.steps : null;
  // A kernel without refractory code would neither honour nor count down what is left.
  if (refractory === 0) target.refractoryLeft.fill(0);
  // Random draws live in the arena when the layout reserved enough buffers (WebAssembly reads them there).
  const inArena = plan.randomTerms.length <= target.random.length;
  const Storage = pop.precision === 'float' ? Float32Array : Float64Array;
  const random = inArena ? target.random.slice(0, plan.randomTerms.length) : plan.randomTerms.map(() => new Storage(pop.size));
  const wasm = wasmKernel(plan, target, inArena ? random : null, `integrate ${pop.name} (${spec.name})`);
  const integrateWith = 'integrate' in wasm ? wasm.integrate : null;
  // A JS integrate loop gets its own function (a unique tag: see codegen.ts). Where WebAssembly
  // integrates, the JS left (reset of the few neurons that spike, the last 1–3 neurons of a size
  // that is not a multiple of the lanes) is shared by every kernel of the same source: V8 compiles it once per thread instead of once per network, which in a seed
  // sweep was ~4 ms of optimising compiler work per network on a background thread (the sweep
  // used 1.2–1.3 s of CPU per second), CPU that parallelRun's second thread needs.
  const tag = integrateWith ? 'wasm' : `k${++kernelCounter}`;
  const fills = wasmFills(plan, target, inArena ? random : null);
  const source = kernelSource(plan, spec.name, tag, fills.map((f) => f !== null), integrateWith ? vectorNeurons(plan) : 0);
  const factory = new Function('B', source) as (b: unknown) => NeuronKernel;
  const kernel = factory({
    fields: pop.fields,
    refractoryLeft: target.refractoryLeft,
    lastSpike: target.lastSpike,
    ring: target.ring,
    rng: target.rng,
    fillUniform,
    fillNormal,
    random,
    fills,
    candidates: target.candidates,
    integrateWith,
  });
  const wasmDraws = fills.filter((f) => f !== null).length;
  return Object.assign(kernel, 'reason' in wasm ? { backend: 'js' as const, reason: wasm.reason, wasmDraws } : { backend: 'wasm' as const, wasmDraws });
}

/**
 * The WebAssembly integrate loop for `plan` on the world's memory, or why not (then JS runs it).
 * `random`: the draw buffers in the arena, null when they do not fit there.
 */
function wasmKernel(
  plan: NeuronPlan,
  target: KernelTarget,
  random: StateArray[] | null,
  debugName: string,
): { integrate: (t: number) => number } | { reason: string } {
  if (target.backend !== 'auto') return { reason: "setup({ kernels: 'js' }) turned WebAssembly off" };
  if (!random) return { reason: 'it draws more random terms than its arena has buffers for' };
  if (!simdAvailable()) return { reason: 'this JavaScript engine has no WebAssembly SIMD' };
  const fields: Record<string, number> = {};
  for (const [name, values] of Object.entries(target.pop.fields)) fields[name] = values.byteOffset;
  const module = wasmIntegrate(
    plan,
    {
      fields,
      refractoryLeft: target.refractoryLeft.byteOffset,
      candidates: target.candidates.byteOffset,
      random: random.map((r) => r.byteOffset),
    },
    memoryShape(target.memory),
    debugName,
  );
  if ('unsupported' in module) return { reason: module.unsupported };
  return { integrate: instantiate<(t: number) => number>(module.bytes, target.memory, 'integrate', KERNEL_MATH) };
}

/**
 * Per random term, its WebAssembly fill where its arguments are constants (mu and sigma of a
 * `Normal`, lo and hi of a `Uniform`), the backend allows WebAssembly and the draws live in the
 * arena; null where the kernel calls fillNormal / fillUniform in JS. The same draws either way
 * (wasmNormal.ts, wasmUniform.ts).
 */
function wasmFills(plan: NeuronPlan, target: KernelTarget, random: StateArray[] | null): ((() => void) | null)[] {
  return plan.randomTerms.map((term, k) => {
    const [p, q] = term.args;
    if (target.backend !== 'auto' || !random || p.k !== 'const' || q.k !== 'const') return null;
    if (term.dist === 'Uniform') return wasmUniformFill(random[k]!, p.v, q.v, target.rng, target.memory, target.pop.name);
    const tables = target.zigguratTables;
    return tables ? wasmNormalFill(random[k]!, p.v, q.v, target.rng, tables, target.memory, target.pop.name) : null;
  });
}

let simd: boolean | undefined;

/** Whether this engine runs WebAssembly SIMD (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16+). */
export function simdAvailable(): boolean {
  // The smallest module with a v128 value: (func (result v128) v128.const 0).
  simd ??= WebAssembly.validate(
    new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]),
  );
  return simd;
}

/** Steps of refractoriness if the same for all neurons (0 = none), or null when it varies. */
function refractorySteps(pop: PopulationData, folded: ReadonlyMap<string, number>, dt: number): number | null {
  const r = pop.spec.refractory;
  if (r === undefined) return 0;
  const ms = typeof r === 'number' ? r : folded.get(r);
  return ms === undefined ? null : Math.round(ms / dt);
}

function isUniform(values: StateArray): boolean {
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return values.length > 0 && !Number.isNaN(first);
}
