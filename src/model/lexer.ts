/**
 * Lexer of the model language (see /work/shared/reference/equations.md).
 * It is the first half of the security boundary: any character that is not part of the language
 * is rejected here, so nothing but numbers, identifiers and a fixed set of operators ever reaches
 * the parser.
 */
import { ModelError } from '../errors.js';

/** Which model and which description field a text comes from: every error names both. */
export interface SourceContext {
  model: string;
  /** 'parameters', 'equations', 'spike', 'reset', 'refractory' or 'description'. */
  field: string;
}

export type TokenKind = 'num' | 'ident' | 'kw' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token ('' for eof). */
  text: string;
  /** 1-based line within the field's text. */
  line: number;
  /** The value of a 'num' token. */
  value?: number;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'if', 'else']);

// Longest first: the lexer takes the first operator that matches at the cursor.
const OPERATORS = [
  '**', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=',
  '+', '-', '*', '/', '^', '(', ')', ',', ':', ';', '=', '<', '>',
] as const;

export type Operator = (typeof OPERATORS)[number];

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
// What follows a number directly and makes it malformed (`2v`, `1e`, `1.2.3`).
const NUMBER_TAIL = /[A-Za-z0-9_.]+/y;

/** Throws the ModelError of a model text; the detail says the field and the line. */
export function modelError(ctx: SourceContext, line: number, token: string, detail: string): never {
  throw new ModelError(ctx.model, line, token, `${ctx.field} line ${line}: ${detail}`);
}

/** Splits a field's text into tokens; the list always ends with one 'eof' token. */
export function lex(text: string, ctx: SourceContext): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      // Comments may say anything: their text never leaves the lexer.
      while (i < text.length && text[i] !== '\n') i++;
    } else if (isDigit(ch) || (ch === '.' && isDigit(text[i + 1] ?? ''))) {
      i = lexNumber(text, i, line, ctx, tokens);
    } else if (isIdentStart(ch)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(text)![0];
      tokens.push({ kind: KEYWORDS.has(word) ? 'kw' : 'ident', text: word, line });
      i += word.length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) strayCharacter(text, i, line, ctx);
      tokens.push({ kind: 'op', text: op, line });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', text: '', line });
  return tokens;
}

function lexNumber(text: string, i: number, line: number, ctx: SourceContext, out: Token[]): number {
  NUMBER.lastIndex = i;
  const literal = NUMBER.exec(text)![0];
  const end = i + literal.length;
  NUMBER_TAIL.lastIndex = end;
  const tail = NUMBER_TAIL.exec(text);
  if (tail !== null) {
    modelError(ctx, line, literal + tail[0], `malformed number '${literal + tail[0]}'`);
  }
  const value = Number(literal);
  if (!Number.isFinite(value)) {
    modelError(ctx, line, literal, `number '${literal}' is out of range`);
  }
  out.push({ kind: 'num', text: literal, line, value });
  return end;
}

function strayCharacter(text: string, i: number, line: number, ctx: SourceContext): never {
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  const hint =
    ch === '!' ? " (use 'not' for negation, '!=' for inequality)"
    : ch === '&' || ch === '|' ? " (use 'and' / 'or')"
    : ch === '%' ? ' (use modulo(a, b))'
    : '';
  modelError(ctx, line, ch, `unexpected character '${ch}'${hint}`);
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isIdentStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}
