/**
 * Lowered expressions (lower.ts) → JavaScript kernel source, one fresh function per population
 * instance where JS runs the integrate loop.
 *
 * Why generated per instance: V8 shares type feedback between functions of identical source, so
 * a kernel whose loop runs in JS carries a unique tag (kernels.ts shares the others, where JS only
 * resets spiking neurons and updates the last 1–3 neurons after the WebAssembly loop); parameters
 * whose values are uniform across the population are folded into the text as constants (`dt / tau`
 * becomes one number); refractory machinery exists only where the model has a refractory period.
 * Only numbers and names that the analysis resolved ever reach the source: user text cannot
 * inject code.
 */
import type { IR } from './lower.js';
import type { NeuronPlan, Op } from './plan.js';


const MATH: Record<string, string> = {
  exp: 'Math.exp', log: 'Math.log', sqrt: 'Math.sqrt', abs: 'Math.abs', sin: 'Math.sin',
  cos: 'Math.cos', tan: 'Math.tan', asin: 'Math.asin', acos: 'Math.acos', atan: 'Math.atan',
  tanh: 'Math.tanh', pow: 'Math.pow',
};

export function literal(x: number): string {
  if (Number.isNaN(x)) return '(0/0)';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

/**
 * JavaScript text of a lowered expression. With `f32`, constants, `t` and the result of every
 * arithmetic operation are rounded to float32 (`F` is Math.fround): for +, −, ×, ÷ and sqrt of
 * float32 operands that gives exactly the float32 operation, so the JS kernel matches the
 * WebAssembly f32x4 kernel bit for bit.
 */
export function js(ir: IR, f32 = false): string {
  const e = (x: IR) => js(x, f32);
  const round = (text: string) => (f32 ? `F(${text})` : text);
  switch (ir.k) {
    case 'const': return literal(f32 ? Math.fround(ir.v) : ir.v);
    case 'local': return `v_${ir.name}`;
    case 'field': return `F_${ir.name}[i]`;
    case 'global': return `F_${ir.name}[0]`;
    case 't': return round('t');
    case 'rand': return `R${ir.idx}[i]`;
    case 'inc': return `d_${ir.target}`;
    case 'temp': return ir.name;
    case 'arith': return round(`(${e(ir.a)} ${ir.op} ${e(ir.b)})`);
    case 'scale':
      if (ir.f === 1) return e(ir.a);
      if (ir.f === -1) return `(-${e(ir.a)})`;
      return round(`(${e(ir.a)} * ${literal(f32 ? Math.fround(ir.f) : ir.f)})`);
    case 'pow': return round(`Math.pow(${e(ir.a)}, ${e(ir.b)})`);
    case 'cmp': return `(${e(ir.a)} ${ir.op === '==' ? '===' : ir.op === '!=' ? '!==' : ir.op} ${e(ir.b)})`;
    case 'logic': return `(${e(ir.a)} ${ir.op === 'and' ? '&&' : '||'} ${e(ir.b)})`;
    case 'not': return `(!${e(ir.a)})`;
    case 'tonum': return `(${e(ir.a)} ? 1 : 0)`;
    case 'tobool': return `(${e(ir.a)} !== 0)`;
    case 'ite': return `(${e(ir.c)} ? ${e(ir.a)} : ${e(ir.b)})`;
    case 'call': {
      const c = ir.args.map(e);
      switch (ir.fn) {
        case 'pos': case 'neg': case 'clip': return `${ir.fn}(${c.join(', ')})`;
        case 'modulo': return round(`(${c[0]} % ${c[1]})`);
        default: return round(`${MATH[ir.fn] as string}(${c.join(', ')})`);
      }
    }
  }
}

/** The smallest normal float32 (2^−126): float conductances below it are flushed to 0. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;

/** JS statements of one planned operation on neuron i. */
function opCode(op: Op, f32: boolean): string[] {
  const e = (x: IR) => js(x, f32);
  if (op.op === 'increment') return [`const d_${op.target} = ${e(op.value)};`];
  if (op.op === 'temp') return [`const ${op.name} = ${e(op.value)};`];
  const v = op.global ? `F_${op.target}[0]` : `v_${op.target}`;
  const value = e(op.value);
  const lines = [`${v} = ${op.cast === 'int' ? `Math.trunc(${value})` : op.cast === 'bool' ? `((${value}) !== 0 ? 1 : 0)` : value};`];
  if (op.min) lines.push(`if (${v} < ${e(op.min)}) ${v} = ${e(op.min)};`);
  if (op.max) lines.push(`if (${v} > ${e(op.max)}) ${v} = ${e(op.max)};`);
  if (op.flush) lines.push(`if (Math.abs(${v}) < ${literal(FLOAT32_MIN_NORMAL)}) ${v} = 0;`);
  return op.gated ? ['if (free) {', ...lines, '}'] : lines;
}

/** What js() output calls besides Math: float32 rounding, pos(), neg(), clip(). */
const HELPERS = `const F = Math.fround;
const pos = (x) => (x > 0 ? x : 0), neg = (x) => (x < 0 ? x : 0);
const clip = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);`;

/**
 * Source of `function (B) { ...; return { integrate, spike } }` where B binds the arrays (see
 * src/world/kernels.ts). `B.integrateWith`, when set, replaces the integrate loop (the
 * WebAssembly kernel) for the first `wasmNeurons` neurons (whole SIMD vectors; the JS loop does
 * the rest): it returns how many neurons met the spike condition, whose ranks it wrote to
 * `B.candidates`. Where `wasmFills[k]`, random term k is drawn by `B.fills[k]()` (a
 * WebAssembly fill with its buffer and parameters folded in) rather than fillNormal/fillUniform.
 */
export function kernelSource(plan: NeuronPlan, model: string, tag: string, wasmFills: readonly boolean[] = [], wasmNeurons = 0): string {
  const { size, dt } = plan;
  const refractory = !('steps' in plan.refractory) || plan.refractory.steps !== 0;
  const f32 = plan.precision === 'float';
  const cond = js(plan.cond, f32);
  const load = plan.stateVars.map((name) => `let v_${name} = F_${name}[i];`).join('\n      ');
  const store = plan.stateVars.map((name) => `F_${name}[i] = v_${name};`).join('\n      ');
  const spikeLoad = plan.resetVars.map((name) => `let v_${name} = F_${name}[i];`).join('\n      ');
  const spikeStore = plan.resetVars
    .filter((name) => plan.resetTargets.includes(name))
    .map((name) => `F_${name}[i] = v_${name};`)
    .join('\n      ');
  // A negative period (a parameter may hold one) is none; NaN stores as 0 in the Int32Array.
  const refractorySet =
    'ms' in plan.refractory
      ? `refLeft[i] = Math.max(0, Math.round(${js(plan.refractory.ms)} / ${literal(dt)}));`
      : refractory
        ? `refLeft[i] = ${plan.refractory.steps};`
        : '';
  const randomFill = plan.randomTerms
    .map((r, k) =>
      wasmFills[k] ? `D${k}();` : `${r.dist === 'Normal' ? 'fillNormal' : 'fillUniform'}(rng, R${k}, n, ${js(r.args[0])}, ${js(r.args[1])});`,
    )
    .join('\n    ');

  return `"use strict";
// spikeworld kernel ${tag} (model ${JSON.stringify(model).replace(/[^\w" -]/g, '_')})
const n = ${size};
${plan.fields.map((f) => `const F_${f} = B.fields[${JSON.stringify(f)}];`).join('\n')}
const refLeft = B.refractoryLeft, lastSpike = B.lastSpike;
const ringCounts = B.ring.counts, ringRanks = B.ring.ranks, depth = B.ring.depth;
const rng = B.rng, fillUniform = B.fillUniform, fillNormal = B.fillNormal;
${plan.randomTerms.map((_, k) => `const R${k} = B.random[${k}];${wasmFills[k] ? ` const D${k} = B.fills[${k}];` : ''}`).join('\n')}
${HELPERS}
const candidates = B.candidates;
const integrateWith = B.integrateWith;
let candidateCount = 0;
function integrate(step) {
    const t = step * ${literal(dt)};
    ${plan.population.flatMap((op) => opCode(op, f32)).join('\n    ')}
    ${randomFill}
    let c = 0, first = 0;
    if (integrateWith) {
      c = integrateWith(step);
      first = ${wasmNeurons};
    }
    for (let i = first; i < n; i++) {
      ${refractory ? 'const left = refLeft[i], free = left === 0;' : ''}
      ${load}
      ${plan.integrate.flatMap((op) => opCode(op, f32)).join('\n      ')}
      ${store}
      ${refractory ? `if (!free) refLeft[i] = left - 1;\n      else if (${cond}) candidates[c++] = i;` : `if (${cond}) candidates[c++] = i;`}
    }
    candidateCount = c;
}
function spike(step) {
    const t = step * ${literal(dt)};
    const slot = step % depth, base = slot * n;
    for (let k = 0; k < candidateCount; k++) {
      const i = candidates[k];
      ${spikeLoad}
      ${plan.reset.flatMap((op) => opCode(op, f32)).join('\n      ')}
      ${spikeStore}
      lastSpike[i] = step;
      ${refractorySet}
      ringRanks[base + k] = i;
    }
    ringCounts[slot] = candidateCount;
    candidateCount = 0;
}
return { integrate, spike };
`;
}

/**
 * Source of `function (FIELDS, STEP) -> boolean` testing a stop condition's plan
 * (planStopCondition) at time STEP · dt over neurons `first` … size − 1: 'any' returns true at
 * the first neuron that meets it, 'all' false at the first that does not (used by
 * simulateUntil; WebAssembly may test the neurons before `first`).
 */
export function generatePredicate(plan: NeuronPlan, mode: 'any' | 'all', first = 0): string {
  // With float state, the arithmetic of the kernels' spike condition: the same text stops alike.
  const test = js(plan.cond, plan.precision === 'float');
  return `"use strict";
${HELPERS}
${plan.fields.map((f) => `const F_${f} = FIELDS[${JSON.stringify(f)}];`).join('\n')}
const t = STEP * ${literal(plan.dt)};
for (let i = ${first}; i < ${plan.size}; i++) {
  ${plan.stateVars.map((f) => `const v_${f} = F_${f}[i];`).join(' ')}
  ${mode === 'any' ? `if (${test}) return true;` : `if (!${test}) return false;`}
}
return ${mode === 'any' ? 'false' : 'true'};
`;
}
