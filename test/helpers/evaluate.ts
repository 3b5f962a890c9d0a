/** A tiny evaluator of model ASTs, for tests that check solved forms numerically whatever shape they took. */
import type { Expr } from '../../src/model/ast.js';

export function evaluate(e: Expr, env: Record<string, number>): number {
  switch (e.kind) {
    case 'num': return e.value;
    case 'name': {
      const value = env[e.name];
      if (value === undefined) throw new Error(`no value for ${e.name}`);
      return value;
    }
    case 'unary': return e.op === '-' ? -evaluate(e.arg, env) : Number(!evaluate(e.arg, env));
    case 'ite': return evaluate(e.cond, env) ? evaluate(e.then, env) : evaluate(e.else, env);
    case 'random': throw new Error('random');
    case 'call': {
      const a = e.args.map((arg) => evaluate(arg, env));
      switch (e.fn) {
        case 'pow': return a[0]! ** a[1]!;
        case 'pos': return Math.max(a[0]!, 0);
        case 'neg': return Math.min(a[0]!, 0);
        case 'clip': return Math.min(Math.max(a[0]!, a[1]!), a[2]!);
        case 'modulo': return a[0]! % a[1]!;
        default: return Math[e.fn](a[0]!);
      }
    }
    case 'binary': {
      const l = evaluate(e.left, env);
      const r = evaluate(e.right, env);
      switch (e.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        case '^': return l ** r;
        case '==': return Number(l === r);
        case '!=': return Number(l !== r);
        case '<': return Number(l < r);
        case '>': return Number(l > r);
        case '<=': return Number(l <= r);
        case '>=': return Number(l >= r);
        case 'and': return Number(Boolean(l) && Boolean(r));
        case 'or': return Number(Boolean(l) || Boolean(r));
      }
    }
  }
}
