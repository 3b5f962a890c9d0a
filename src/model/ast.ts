/**
 * The AST of spikeworld's model language (see README "Model language").
 * Kernels are generated only from these nodes: no text of a model ever reaches generated code
 * except numbers (as numbers) and names that the analysis resolved to a parameter, a variable,
 * a conductance or a built-in.
 */

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '^'
  | '==' | '!=' | '<' | '>' | '<=' | '>='
  | 'and' | 'or';

/** Functions the language knows; `power`, `pow` and `^` with an integer exponent become products. */
export type FunctionName =
  | 'exp' | 'log' | 'sqrt' | 'abs' | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'tanh'
  | 'pow' | 'pos' | 'neg' | 'clip' | 'modulo';

export type Expr =
  | { kind: 'num'; value: number }
  /** A resolved name: a parameter, a variable, a conductance `g_<target>`, or `t` / `dt`. */
  | { kind: 'name'; name: string }
  | { kind: 'unary'; op: '-' | 'not'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; fn: FunctionName; args: Expr[] }
  | { kind: 'ite'; cond: Expr; then: Expr; else: Expr }
  /** A fresh draw per neuron per step; `args` are numbers or global parameters. */
  | { kind: 'random'; dist: 'Uniform' | 'Normal'; args: [Expr, Expr] };

export type Method = 'explicit' | 'exponential';

export type Statement =
  | {
      kind: 'assign';
      target: string;
      op: '=' | '+=' | '-=' | '*=' | '/=';
      value: Expr;
      line: number;
    }
  | {
      kind: 'ode';
      target: string;
      /** dx/dt, already solved from the linear left side. */
      rhs: Expr;
      method: Method;
      /** For `exponential`: rhs == A - B * x with A and B free of x. */
      linear?: { A: Expr; B: Expr };
      line: number;
    };

export type ValueType = 'float' | 'int' | 'bool';

export interface ParameterSpec {
  name: string;
  value: number;
  /** `: population` — one value for the whole population (default: one per neuron). */
  global: boolean;
  type: ValueType;
}

export interface VariableSpec {
  name: string;
  /** A number, or the name of a parameter whose value it starts with. */
  init: number | { param: string };
  min?: Expr;
  max?: Expr;
  global: boolean;
  type: ValueType;
  /** True when the variable is a conductance `g_<target>` with its own equation. */
  conductance: boolean;
}

/** A parsed, checked neuron model: what code generation and the engine consume. */
export interface NeuronSpec {
  name: string;
  parameters: ParameterSpec[];
  /** Declared variables in declaration order (conductances with their own equation included). */
  variables: VariableSpec[];
  /** Every target used as `g_<target>`, e.g. ['exc', 'inh'], in first-use order. */
  targets: string[];
  /** Targets whose `g_<target>` has no equation of its own: cleared before each delivery. */
  instantaneousTargets: string[];
  equations: Statement[];
  /** Absent for rate-coded models (not supported yet: the engine rejects them). */
  spike?: Expr;
  reset: Statement[];
  /** Milliseconds, or the name of a parameter holding them; absent = no refractoriness. */
  refractory?: number | string;
}
