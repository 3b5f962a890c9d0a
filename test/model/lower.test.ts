import { describe, expect, it } from 'vitest';
import type { BinaryOp, Expr, NeuronSpec } from '../../src/model/ast.js';
import { js } from '../../src/model/codegen.js';
import { Lowering, type IR } from '../../src/model/lower.js';

const F = Math.fround;
const name = (n: string): Expr => ({ kind: 'name', name: n });
const minus = (arg: Expr): Expr => ({ kind: 'unary', op: '-', arg });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const x = name('x'), y = name('y');

/** A model with two per-neuron variables x and y (what the lowering needs to know of it). */
const spec = {
  name: 'test',
  parameters: [],
  variables: ['x', 'y'].map((n) => ({ name: n, init: 0, global: false, type: 'float', conductance: false })),
  targets: [],
  instantaneousTargets: [],
  equations: [],
  reset: [],
} as unknown as NeuronSpec;

function lower(e: Expr): IR {
  return new Lowering(spec, new Map(), 0.1).lower(e).ir;
}

/** The lowered expression as a function of (x, y), printed like the kernels print it. */
function compiled(e: Expr, f32: boolean): (x: number, y: number) => number {
  const f = new Function('F', 'v_x', 'v_y', `return ${js(lower(e), f32)};`);
  return (a, b) => f(F, a, b) as number;
}

function negations(ir: IR): number {
  const own = ir.k === 'scale' && ir.f === -1 ? 1 : 0;
  const children = Object.values(ir).filter((c): c is IR => typeof c === 'object' && c !== null && 'k' in c);
  return own + children.reduce((n, c) => n + negations(c), 0);
}

// Signed zeros, subnormals, infinities, NaN, and values whose products and sums round.
const VALUES = [0, -0, 1, -1, 1 / 3, -2.75, 1e-310, -5e-324, 1.5e-45, 3.4e38, -1.7e308, Infinity, -Infinity, NaN, 0.1, 7e22];

/** The arithmetic as written, each operation's result passed through `r` (float32 rounding or none). */
type Written = (a: number, b: number, r: (v: number) => number) => number;

// Each expression as the model text says it, beside the same arithmetic written out without rewriting.
const CASES: [string, Expr, Written, number][] = [
  ['x + -y', bin('+', x, minus(y)), (a, b) => a + -b, 0],
  ['-x + y', bin('+', minus(x), y), (a, b) => -a + b, 0],
  // Left as written: -(x + y) differs for x = 0, y = -0.
  ['-x + -y', bin('+', minus(x), minus(y)), (a, b) => -a + -b, 2],
  ['x - -y', bin('-', x, minus(y)), (a, b) => a - -b, 0],
  ['-x - y', bin('-', minus(x), y), (a, b) => -a - b, 1],
  ['-x - y + -x * y', bin('+', bin('-', minus(x), y), bin('*', minus(x), y)), (a, b, r) => r(r(-a - b) + r(-a * b)), 1],
  ['-x - -y', bin('-', minus(x), minus(y)), (a, b) => -a - -b, 0],
  ['x * -y', bin('*', x, minus(y)), (a, b) => a * -b, 1],
  ['-x * y', bin('*', minus(x), y), (a, b) => -a * b, 1],
  ['-x * -y', bin('*', minus(x), minus(y)), (a, b) => -a * -b, 0],
  ['y + -x * y', bin('+', y, bin('*', minus(x), y)), (a, b, r) => r(b + r(-a * b)), 0],
  // COBA's g_exc * (Erev_exc - v) with Erev_exc = 0, inside the sum: no negation is left.
  // Compared with `y * -x`, not `y * (0 - x)`: the lowering has always turned `0 - x` into `-x`
  // (for x = +0 that gives -0 where `0 - x` gives +0; see Lowering.withoutNegation).
  ['y - x + y * (0 - x)', bin('+', bin('-', y, x), bin('*', y, bin('-', { kind: 'num', value: 0 }, x))), (a, b, r) => r(r(b - a) + r(b * -a)), 0],
];

describe('lowering: a negated operand moves its sign into the operation', () => {
  it.each(CASES)('%s: the same bits as written, in double and in float, with the negations left counted', (_, e, reference, left) => {
    const double = compiled(e, false), float = compiled(e, true);
    for (const a of VALUES) {
      for (const b of VALUES) {
        const at = (p: number, q: number) => `x = ${Object.is(p, -0) ? '-0' : p}, y = ${Object.is(q, -0) ? '-0' : q}`;
        expect(Object.is(double(a, b), reference(a, b, (v) => v)), `double, ${at(a, b)}`).toBe(true);
        const fa = F(a), fb = F(b);
        expect(Object.is(float(fa, fb), F(reference(fa, fb, F))), `float, ${at(fa, fb)}`).toBe(true);
      }
    }
    expect(negations(lower(e))).toBe(left);
  });
});
