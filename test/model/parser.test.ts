import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/errors.js';
import { lex } from '../../src/model/lexer.js';
import { parseExpression, parseStatements, splitStatements, type SyntaxExpr } from '../../src/model/parser.js';

const ctx = { model: 'M', field: 'equations' };

/** A syntax tree without positions, in a compact form: easier to compare exactly. */
type Plain = number | string | Plain[];
function plain(e: SyntaxExpr): Plain {
  switch (e.kind) {
    case 'num': return e.value;
    case 'name': return e.name;
    case 'deriv': return ['d/dt', e.target];
    case 'unary': return [e.op, plain(e.arg)];
    case 'binary': return [e.op, plain(e.left), plain(e.right)];
    case 'call': return [`${e.fn}()`, ...e.args.map(plain)];
    case 'ite': return ['ite', plain(e.cond), plain(e.then), plain(e.else)];
  }
}

const expr = (text: string): Plain => plain(parseExpression(text, ctx));

function errorOf(run: () => unknown): ModelError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return e as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe('lexer', () => {
  it('produces tokens with 1-based lines, skipping comments', () => {
    const tokens = lex('x = 1.5e-3 # note: anything "goes" @ here\n  y=.5**2', ctx);
    expect(tokens.map((t) => [t.kind, t.text, t.line])).toEqual([
      ['ident', 'x', 1], ['op', '=', 1], ['num', '1.5e-3', 1],
      ['ident', 'y', 2], ['op', '=', 2], ['num', '.5', 2], ['op', '**', 2], ['num', '2', 2],
      ['eof', '', 2],
    ]);
    expect(tokens[2]!.value).toBe(1.5e-3);
  });

  it('knows keywords and multi-character operators', () => {
    const tokens = lex('a and not b or c <= d >= e == f != g += -= *= /=', ctx);
    expect(tokens.filter((t) => t.kind === 'kw').map((t) => t.text)).toEqual(['and', 'not', 'or']);
    expect(tokens.filter((t) => t.kind === 'op').map((t) => t.text)).toEqual(
      ['<=', '>=', '==', '!=', '+=', '-=', '*=', '/='],
    );
  });

  it.each(['@', '$', '`', "'", '"', '\\', '{', '[', '&', '|', '%', '!', '~', '?', '.', 'τ', '\u00a0'])(
    'rejects the stray character %j, naming model, line and character',
    (ch) => {
      const error = errorOf(() => lex(`x = 1\ny = a ${ch} b`, ctx));
      expect(error.model).toBe('M');
      expect(error.line).toBe(2);
      expect(error.token).toBe(ch);
      expect(error.message).toContain("model 'M'");
      expect(error.message).toContain('equations line 2');
      expect(error.message).toContain(`'${ch}'`);
    },
  );

  it.each([['2v', '2v'], ['1.2.3', '1.2.3'], ['1e', '1e'], ['1e999', '1e999']])('rejects the number %s', (text, token) => {
    expect(errorOf(() => lex(`x = ${text}`, ctx)).token).toBe(token);
  });
});

describe('statement splitting', () => {
  const texts = (text: string): string[] =>
    splitStatements(lex(text, ctx), ctx).map((s) => s.filter((t) => t.kind !== 'eof').map((t) => t.text).join(' '));

  it('splits at line ends and semicolons', () => {
    expect(texts('a = 1; b = 2\n\n c = 3 ;;')).toEqual(['a = 1', 'b = 2', 'c = 3']);
  });

  it('continues while brackets are open, after an operator, and before else', () => {
    expect(texts('a = (1 +\n 2\n )\nb = 3 *\n # comment\n 4\nc = if x : 1\n else : 2')).toEqual([
      'a = ( 1 + 2 )', 'b = 3 * 4', 'c = if x : 1 else : 2',
    ]);
  });

  it('reports unbalanced brackets at the bracket', () => {
    let error = errorOf(() => splitStatements(lex('a = 1\nb = (1 + 2\nc = 3', ctx), ctx));
    expect([error.line, error.token]).toEqual([2, '(']);
    expect(error.message).toContain('unbalanced');
    error = errorOf(() => splitStatements(lex('a = 1)', ctx), ctx));
    expect([error.line, error.token]).toEqual([1, ')']);
    error = errorOf(() => splitStatements(lex('a = (1; b = 2)', ctx), ctx));
    expect(error.token).toBe('(');
  });
});

describe('expressions', () => {
  it.each<[string, Plain]>([
    ['1 + 2 * 3', ['+', 1, ['*', 2, 3]]],
    ['a - b - c', ['-', ['-', 'a', 'b'], 'c']],
    ['a / b * c', ['*', ['/', 'a', 'b'], 'c']],
    ['(a + b) * c', ['*', ['+', 'a', 'b'], 'c']],
    ['-a^2', ['-', ['^', 'a', 2]]],
    ['a^b^c', ['^', 'a', ['^', 'b', 'c']]],
    ['a ** 2 ** 3', ['^', 'a', ['^', 2, 3]]],
    ['2^-x', ['^', 2, ['-', 'x']]],
    ['a * -b', ['*', 'a', ['-', 'b']]],
    ['-3', -3],
    ['- -3', 3],
    ['+a', 'a'],
    ['a or b and c', ['or', 'a', ['and', 'b', 'c']]],
    ['not a == b', ['not', ['==', 'a', 'b']]],
    ['not not a', ['not', ['not', 'a']]],
    ['(a > 1) and (b <= 2) or not (c != 3)', ['or', ['and', ['>', 'a', 1], ['<=', 'b', 2]], ['not', ['!=', 'c', 3]]]],
    ['a + 1 < b * 2', ['<', ['+', 'a', 1], ['*', 'b', 2]]],
    ['ite(a > 0, 1, -1)', ['ite', ['>', 'a', 0], 1, -1]],
    ['f(x, g(y), 2)', ['f()', 'x', ['g()', 'y'], 2]],
    ['f()', ['f()']],
    ['if a > 0 : 1 else : if b : 2 else : 3', ['ite', ['>', 'a', 0], 1, ['ite', 'b', 2, 3]]],
    ['dv/dt', ['/', 'dv', 'dt']],
  ])('%s', (text, tree) => {
    expect(expr(text)).toEqual(tree);
  });

  it('keeps positions', () => {
    const e = parseExpression('\n  a +\n  b', ctx);
    expect(e).toMatchObject({ kind: 'binary', line: 2, token: '+', left: { line: 2 }, right: { line: 3, token: 'b' } });
  });

  it.each<[string, string, number]>([
    ['a < b < c', '<', 1],
    ['ite(a, b)', 'ite', 1],
    ['1 + if a : b else : c', 'if', 1],
    ['if a : b', 'b', 1],
    ['if a b else : c', 'b', 1],
    ['a +', '+', 1],
    ['()', ')', 1],
    ['f(1,)', ')', 1],
    ['a b', 'b', 1],
    ['a, b', ',', 1],
    ['v = 3', '=', 1],
    ['a > 1; b > 2', 'b', 1],
    ['a > 1\nb > 2', 'b', 2],
    ['', '', 1],
  ])('rejects %j at %j', (text, token, line) => {
    const error = errorOf(() => parseExpression(text, { model: 'M', field: 'spike' }));
    expect(error.token).toBe(token);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`spike line ${line}`);
  });

  it('refuses deep nesting and long chains with a ModelError, not a stack overflow', () => {
    expect(errorOf(() => expr(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).message).toContain('nested too deeply');
    expect(errorOf(() => expr('-'.repeat(5000) + '1')).message).toContain('nested too deeply');
    expect(errorOf(() => expr(Array(5000).fill('a').join(' + '))).message).toContain('too long');
    expect(expr(Array(200).fill('a').join(' + '))).toBeDefined();
  });
});

describe('statements', () => {
  const statements = (text: string) =>
    parseStatements(text, ctx, { derivatives: true }).map((s) => ({
      line: s.line, lhs: plain(s.lhs), op: s.op, rhs: plain(s.rhs),
      flags: s.flags.map((f) => (f.value ? [f.name, plain(f.value)] : f.name)),
    }));

  it('parses assignments, ODE left sides and flags', () => {
    expect(statements('x += 2 : min = -1, max = a*2, population\n\ntau * dv/dt + v = E : init = -65, exponential')).toEqual([
      { line: 1, lhs: 'x', op: '+=', rhs: 2, flags: [['min', -1], ['max', ['*', 'a', 2]], 'population'] },
      { line: 3, lhs: ['+', ['*', 'tau', ['d/dt', 'v']], 'v'], op: '=', rhs: 'E', flags: [['init', -65], 'exponential'] },
    ]);
  });

  it('recognises dx/dt only on the left side', () => {
    expect(statements('dv/dt = dv/dt')[0]).toMatchObject({ lhs: ['d/dt', 'v'], rhs: ['/', 'dv', 'dt'] });
    expect(parseStatements('dv/dt = 1', ctx, { derivatives: false }).map((s) => plain(s.lhs))).toEqual([['/', 'dv', 'dt']]);
  });

  it('parses the multi-line if form and its flags', () => {
    expect(statements('x = if v > 0 :\n    1\n  else :\n    if v < -1 : 2 else : 3 : init = 1\ny = 2')).toEqual([
      { line: 1, lhs: 'x', op: '=', rhs: ['ite', ['>', 'v', 0], 1, ['ite', ['<', 'v', -1], 2, 3]], flags: [['init', 1]] },
      { line: 5, lhs: 'y', op: '=', rhs: 2, flags: [] },
    ]);
  });

  it.each<[string, string, number]>([
    ['x = ', '=', 1],
    ['x', 'x', 1],
    ['x 1', '1', 1],
    ['x == 1', '1', 1],
    ['x = 1 2', '2', 1],
    ['x = 1 :', ':', 1],
    ['x = 1 : 3', '3', 1],
    ['x = 1 : init = ', '=', 1],
    ['a = 1\n= 2', '=', 2],
  ])('rejects %j at %j', (text, token, line) => {
    const error = errorOf(() => parseStatements(text, ctx, { derivatives: true }));
    expect([error.token, error.line]).toEqual([token, line]);
  });
});
