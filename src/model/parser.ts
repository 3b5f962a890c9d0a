/**
 * Parser of the model language: tokens → syntax trees (names still unresolved).
 * The syntax tree keeps, for every node, the line and the token it came from, so that the
 * analysis (analyze.ts) can name them in its errors; the analysis turns it into the checked AST
 * of ast.ts.
 *
 * Precedence, loosest first: `or` < `and` < `not` < comparisons < `+ -` < `* /` < unary minus <
 * `^` / `**` (right-associative).
 */
import type { BinaryOp } from './ast.js';
import { lex, modelError, type SourceContext, type Token } from './lexer.js';

export interface Position {
  /** 1-based line within the field. */
  line: number;
  /** The source token the node stands for (the operator of a binary node, a call's name...). */
  token: string;
}

export type SyntaxExpr =
  | ({ kind: 'num'; value: number } & Position)
  | ({ kind: 'name'; name: string } & Position)
  /** `dx/dt`: only produced on the left side of a statement. */
  | ({ kind: 'deriv'; target: string } & Position)
  | ({ kind: 'unary'; op: '-' | 'not'; arg: SyntaxExpr } & Position)
  | ({ kind: 'binary'; op: BinaryOp; left: SyntaxExpr; right: SyntaxExpr } & Position)
  /** Any call but `ite`: the function name is checked by the analysis. */
  | ({ kind: 'call'; fn: string; args: SyntaxExpr[] } & Position)
  /** `ite(c, a, b)` and the statement form `if c : a else : b`. */
  | ({ kind: 'ite'; cond: SyntaxExpr; then: SyntaxExpr; else: SyntaxExpr } & Position);

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=';

export interface SyntaxFlag {
  name: string;
  value?: SyntaxExpr;
  line: number;
}

export interface SyntaxStatement {
  /** Line of the statement's first token. */
  line: number;
  lhs: SyntaxExpr;
  op: AssignOp;
  rhs: SyntaxExpr;
  flags: SyntaxFlag[];
}

export interface ParseOptions {
  /** Recognise `dx/dt` on left sides of statements (equations and reset; not parameters). */
  derivatives: boolean;
}

/** Beyond these the parser refuses, so that no model text can overflow the stack. */
const MAX_NESTING = 64;
const MAX_DEPTH = 256;

const ASSIGN_OPS: ReadonlySet<string> = new Set(['=', '+=', '-=', '*=', '/=']);
const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '>', '<=', '>=']);
/** A line ending with one of these continues on the next line. */
const CONTINUING: ReadonlySet<string> = new Set([
  '+', '-', '*', '/', '^', '**', '==', '!=', '<', '>', '<=', '>=',
  '=', '+=', '-=', '*=', '/=', ':', ',', 'and', 'or', 'not', 'if', 'else',
]);

/**
 * A line starting with one of these continues the statement before it (ANNarchy: a line without
 * an assignment of its own continues the previous equation), unless the line assigns before any
 * `:` (`-dv/dt = v` is a statement of its own).
 */
const LEADING: ReadonlySet<string> = new Set([
  '+', '-', '*', '/', '^', '**', '==', '!=', '<', '>', '<=', '>=', 'and', 'or',
]);

/** Parses a field made of statements (`equations`, `reset`, text `parameters`). */
export function parseStatements(text: string, ctx: SourceContext, options: ParseOptions): SyntaxStatement[] {
  return splitStatements(lex(text, ctx), ctx).map((tokens) =>
    new Parser(tokens, ctx, options.derivatives).statement(),
  );
}

/** Parses a field that must be exactly one expression (`spike`). */
export function parseExpression(text: string, ctx: SourceContext): SyntaxExpr {
  const statements = splitStatements(lex(text, ctx), ctx);
  if (statements.length === 0) modelError(ctx, 1, '', `empty expression: ${ctx.field} needs one expression`);
  if (statements.length > 1) {
    const first = statements[1]![0]!;
    modelError(ctx, first.line, first.text, `${ctx.field} must be one expression, found a second statement`);
  }
  return new Parser(statements[0]!, ctx, false).wholeExpression();
}

/**
 * Cuts the token stream into statements: at `;`, and at line ends unless a bracket is open, the
 * line ends with an operator, the next line starts with `else`, or the next line starts with an
 * operator and assigns nothing (ANNarchy's HH_cond_exp writes `+ g_exc * (e_rev_E - v) ...` on a
 * line of its own). Checks bracket balance. Each statement ends with its own 'eof' token.
 */
export function splitStatements(tokens: Token[], ctx: SourceContext): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  const open: Token[] = [];
  const finish = (): void => {
    if (open.length > 0) {
      const paren = open[open.length - 1]!;
      modelError(ctx, paren.line, '(', "unbalanced brackets: this '(' is never closed");
    }
    if (current.length > 0) {
      const last = current[current.length - 1]!;
      current.push({ kind: 'eof', text: '', line: last.line });
      statements.push(current);
    }
    current = [];
  };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind === 'eof') break;
    const previous = current[current.length - 1];
    if (
      previous !== undefined && token.line !== previous.line && open.length === 0 &&
      !CONTINUING.has(previous.text) && token.text !== 'else' && !continuesLine(tokens, index)
    ) {
      finish();
    }
    if (token.text === ';') {
      finish();
      continue;
    }
    if (token.text === '(') open.push(token);
    if (token.text === ')' && open.pop() === undefined) {
      modelError(ctx, token.line, ')', "unbalanced brackets: this ')' has no matching '('");
    }
    current.push(token);
  }
  finish();
  return statements;
}

/**
 * Whether the line starting at `tokens[start]` continues the statement before it: it starts with
 * an operator (LEADING) and has no assignment operator outside brackets before a `:` (its flags).
 */
function continuesLine(tokens: readonly Token[], start: number): boolean {
  const first = tokens[start]!;
  if (!LEADING.has(first.text)) return false;
  let depth = 0;
  for (let i = start; i < tokens.length && tokens[i]!.line === first.line; i++) {
    const text = tokens[i]!.text;
    if (text === '(') depth++;
    else if (text === ')') depth--;
    else if (depth === 0 && (text === ':' || text === ';')) return true;
    else if (depth === 0 && ASSIGN_OPS.has(text)) return false;
  }
  return true;
}

/** Recursive descent over one statement's tokens (which end with 'eof'). */
class Parser {
  private i = 0;
  private nesting = 0;
  /** True while parsing a left side: only there is `dx/dt` a derivative. */
  private inLeftSide = false;
  private readonly depth = new WeakMap<SyntaxExpr, number>();

  constructor(
    private readonly tokens: Token[],
    private readonly ctx: SourceContext,
    private readonly derivatives: boolean,
  ) {}

  statement(): SyntaxStatement {
    const line = this.peek().line;
    this.inLeftSide = this.derivatives;
    const lhs = this.expression();
    this.inLeftSide = false;
    const op = this.peek();
    if (!ASSIGN_OPS.has(op.text)) {
      if (op.kind === 'eof') this.fail(op, "expected an assignment ('=', '+=', '-=', '*=', '/=')");
      this.fail(op, `expected an assignment ('=', '+=', ...), found '${op.text}'`);
    }
    this.next();
    const rhs = this.rightSide();
    const flags = this.atOp(':') ? this.flags() : [];
    this.expectEnd();
    return { line, lhs, op: op.text as AssignOp, rhs, flags };
  }

  wholeExpression(): SyntaxExpr {
    const e = this.rightSide();
    const rest = this.peek();
    if (rest.text === '=') this.fail(rest, "'=' assigns: compare with '=='");
    this.expectEnd();
    return e;
  }

  /** An expression, or the statement form `if cond : a else : b` (which may nest). */
  private rightSide(): SyntaxExpr {
    const start = this.peek();
    if (start.kind !== 'kw' || start.text !== 'if') return this.expression();
    this.enter(start);
    this.next();
    const cond = this.expression();
    this.expectOp(':', "':' after the condition of 'if'");
    const then = this.rightSide();
    const elseToken = this.peek();
    if (elseToken.text !== 'else') this.fail(elseToken, "expected 'else' ('if cond : a else : b')");
    this.next();
    this.expectOp(':', "':' after 'else'");
    const otherwise = this.rightSide();
    this.nesting--;
    return this.node({ kind: 'ite', cond, then, else: otherwise, line: start.line, token: 'if' });
  }

  private flags(): SyntaxFlag[] {
    this.next(); // ':'
    const flags: SyntaxFlag[] = [];
    for (;;) {
      const name = this.next();
      if (name.kind !== 'ident') this.fail(name, name.kind === 'eof' ? "expected a flag after ':'" : `expected a flag, found '${name.text}'`);
      if (this.atOp('=')) {
        this.next();
        flags.push({ name: name.text, value: this.expression(), line: name.line });
      } else {
        flags.push({ name: name.text, line: name.line });
      }
      if (!this.atOp(',')) return flags;
      this.next();
    }
  }

  private expression(): SyntaxExpr {
    return this.or();
  }

  private or(): SyntaxExpr {
    let left = this.and();
    while (this.atKw('or')) {
      const op = this.next();
      left = this.binary('or', left, this.and(), op);
    }
    return left;
  }

  private and(): SyntaxExpr {
    let left = this.not();
    while (this.atKw('and')) {
      const op = this.next();
      left = this.binary('and', left, this.not(), op);
    }
    return left;
  }

  private not(): SyntaxExpr {
    if (!this.atKw('not')) return this.comparison();
    const op = this.next();
    this.enter(op);
    const arg = this.not();
    this.nesting--;
    return this.node({ kind: 'unary', op: 'not', arg, line: op.line, token: 'not' });
  }

  private comparison(): SyntaxExpr {
    const left = this.additive();
    if (!this.atComparison()) return left;
    const op = this.next();
    const e = this.binary(op.text as BinaryOp, left, this.additive(), op);
    if (this.atComparison()) {
      this.fail(this.peek(), 'chained comparison: write (a < b) and (b < c)');
    }
    return e;
  }

  private additive(): SyntaxExpr {
    let left = this.multiplicative();
    while (this.atOp('+') || this.atOp('-')) {
      const op = this.next();
      left = this.binary(op.text as '+' | '-', left, this.multiplicative(), op);
    }
    return left;
  }

  private multiplicative(): SyntaxExpr {
    let left = this.unary();
    while (this.atOp('*') || this.atOp('/')) {
      const op = this.next();
      left = this.binary(op.text as '*' | '/', left, this.unary(), op);
    }
    return left;
  }

  private unary(): SyntaxExpr {
    if (!this.atOp('-') && !this.atOp('+')) return this.power();
    const op = this.next();
    this.enter(op);
    const arg = this.unary();
    this.nesting--;
    if (op.text === '+') return arg;
    // Fold `-3` into a number so literals and init values stay plain numbers.
    if (arg.kind === 'num') return { ...arg, value: -arg.value, token: `-${arg.token}` };
    return this.node({ kind: 'unary', op: '-', arg, line: op.line, token: '-' });
  }

  private power(): SyntaxExpr {
    const base = this.primary();
    if (!this.atOp('^') && !this.atOp('**')) return base;
    const op = this.next();
    this.enter(op);
    // The exponent is parsed at unary level: right-associative, and `2^-1` works.
    const exponent = this.unary();
    this.nesting--;
    return this.binary('^', base, exponent, op);
  }

  private primary(): SyntaxExpr {
    const token = this.peek();
    switch (token.kind) {
      case 'num':
        this.next();
        return { kind: 'num', value: token.value!, line: token.line, token: token.text };
      case 'ident':
        return this.identifier();
      case 'eof': {
        const before = this.tokens[this.i - 1];
        return this.fail(before ?? token, before ? `empty expression after '${before.text}'` : 'empty expression');
      }
      case 'kw':
        if (token.text === 'if') {
          this.fail(token, "'if' must start the right side of a statement; inside an expression use ite(cond, a, b)");
        }
        return this.fail(token, `unexpected '${token.text}'`);
      case 'op':
        if (token.text === ')' || token.text === ',') return this.fail(token, `empty expression before '${token.text}'`);
        if (token.text !== '(') return this.fail(token, `unexpected '${token.text}'`);
        this.next();
        this.enter(token);
        {
          const inner = this.expression();
          this.expectOp(')', "')'");
          this.nesting--;
          return inner;
        }
    }
  }

  private identifier(): SyntaxExpr {
    const token = this.next();
    if (this.inLeftSide && /^d[A-Za-z_]/.test(token.text) && this.atOp('/') && this.tokens[this.i + 1]?.text === 'dt') {
      this.i += 2;
      return { kind: 'deriv', target: token.text.slice(1), line: token.line, token: `${token.text}/dt` };
    }
    if (!this.atOp('(')) return { kind: 'name', name: token.text, line: token.line, token: token.text };
    this.enter(this.next());
    const args: SyntaxExpr[] = [];
    if (!this.atOp(')')) {
      args.push(this.expression());
      while (this.atOp(',')) {
        this.next();
        args.push(this.expression());
      }
    }
    this.expectOp(')', `')' or ',' in the arguments of ${token.text}()`);
    this.nesting--;
    const position = { line: token.line, token: token.text };
    if (token.text !== 'ite') return this.node({ kind: 'call', fn: token.text, args, ...position });
    if (args.length !== 3) this.fail(token, `ite(cond, a, b) takes 3 arguments, got ${args.length}`);
    return this.node({ kind: 'ite', cond: args[0]!, then: args[1]!, else: args[2]!, ...position });
  }

  private binary(op: BinaryOp, left: SyntaxExpr, right: SyntaxExpr, token: Token): SyntaxExpr {
    return this.node({ kind: 'binary', op, left, right, line: token.line, token: token.text });
  }

  /** Records a node's depth; refuses trees deep enough to threaten the stack of later passes. */
  private node(e: SyntaxExpr): SyntaxExpr {
    const children =
      e.kind === 'unary' ? [e.arg]
      : e.kind === 'binary' ? [e.left, e.right]
      : e.kind === 'call' ? e.args
      : e.kind === 'ite' ? [e.cond, e.then, e.else]
      : [];
    const depth = 1 + Math.max(0, ...children.map((c) => this.depth.get(c) ?? 0));
    if (depth > MAX_DEPTH) this.fail({ line: e.line, text: e.token }, `expression too long (more than ${MAX_DEPTH} levels)`);
    this.depth.set(e, depth);
    return e;
  }

  private enter(token: Token): void {
    if (++this.nesting > MAX_NESTING) this.fail(token, `expression nested too deeply (more than ${MAX_NESTING} levels)`);
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'eof') this.fail(token, `unexpected '${token.text}'`);
  }

  private expectOp(text: string, what: string): void {
    const token = this.peek();
    if (token.text !== text || token.kind !== 'op') {
      this.fail(token, token.kind === 'eof' ? `expected ${what}` : `expected ${what}, found '${token.text}'`);
    }
    this.next();
  }

  private atOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }

  private atKw(text: string): boolean {
    const token = this.peek();
    return token.kind === 'kw' && token.text === text;
  }

  private atComparison(): boolean {
    const token = this.peek();
    return token.kind === 'op' && COMPARISONS.has(token.text);
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const token = this.tokens[this.i]!;
    if (token.kind !== 'eof') this.i++;
    return token;
  }

  /** At the end of a statement the culprit is the last token there is: name that one. */
  private fail(token: { line: number; text: string }, detail: string): never {
    const culprit = token.text === '' && this.tokens.length > 1 ? this.tokens[this.tokens.length - 2]! : token;
    return modelError(this.ctx, culprit.line, culprit.text, token.text === '' ? `${detail} at the end of the statement` : detail);
  }
}
