/**
 * `Projection`: synapses from a pre to a post population on one target (`'exc'`, `'inh'`, …).
 * A connect method stores a recipe; each network draws its synapses from it at compile.
 * The default synapse adds its weight to the post neuron's `g_<target>` when a spike arrives.
 */
import { byPost } from '../../components/csr.js';
import { SpikeworldError } from '../errors.js';
import { declarationWarning } from '../parallel/context.js';
import {
  checkSynapseValue,
  isMatrix,
  isFloat32Weight,
  notAWeight,
  sortedRows,
  type ConnectorRecipe,
  type DelayMatrix,
  type DrawnSynapses,
  type ExplicitSynapses,
  type SynapseValue,
} from '../world/connect.js';
import { stepsToMs } from '../world/clock.js';
import { isDistribution } from '../random/distributions.js';
import type { ProjectionEntry } from '../world/world.js';
import { LILConnectivity } from './lil.js';
import { currentOwner, type Owner } from './owner.js';
import type { PopulationBase } from './population.js';
import { populationOf, PopulationView } from './view.js';
import { checkOptionNames, optionsObject } from './options.js';
import { newObjectId, peekObjectId } from './registry.js';
import { describe, resolveValues, type Assignable } from './values.js';
import type { StpViews } from '../world/stp.js';
import { synapseSpec, type StdpParameters, type StpParameters, type SynapseModel } from './synapse.js';

const CONNECT_OPTIONS = ['weights', 'delays'] as const;
const SELF_OPTIONS = [...CONNECT_OPTIONS, 'allowSelfConnections'] as const;
const GAUSSIAN_OPTIONS = ['amp', 'sigma', 'delays', 'limit', 'allowSelfConnections'] as const;
const DOG_OPTIONS = ['ampPos', 'sigmaPos', 'ampNeg', 'sigmaNeg', 'delays', 'limit', 'allowSelfConnections'] as const;

/** A projection's pre or post side. */
type Side = PopulationBase | PopulationView;

export interface ConnectOptions {
  /** A number or a distribution; the weight added to `g_<target>` per spike. */
  weights: SynapseValue;
  /** ms, a number or a distribution; rounded to steps, at least one step. Default: one step. */
  delays?: SynapseValue;
}

export interface SelfConnectOptions extends ConnectOptions {
  /** Only matters when pre and post are the same population. Default false. */
  allowSelfConnections?: boolean;
}

/** connectGaussian's options (ANNarchy's connect_gaussian). */
export interface GaussianOptions {
  /** The weight at distance 0 (w = amp · exp(−d² / (2 sigma²))). */
  amp: number;
  /** Width, in normalized coordinates (each dimension of a geometry spans 0..1); > 0. */
  sigma: number;
  /** ms, a number or a distribution. Default: one step. */
  delays?: SynapseValue;
  /** No synapse where w <= limit · amp. Default 0.01. */
  limit?: number;
  /** Only matters when pre and post are the same population. Default false. */
  allowSelfConnections?: boolean;
}

/** connectDog's options (ANNarchy's connect_dog): w = ampPos·exp(−d²/(2 sigmaPos²)) − ampNeg·exp(−d²/(2 sigmaNeg²)). */
export interface DogOptions {
  ampPos: number;
  sigmaPos: number;
  ampNeg: number;
  sigmaNeg: number;
  /** ms, a number or a distribution. Default: one step. */
  delays?: SynapseValue;
  /** No synapse where |w| <= limit · |ampPos − ampNeg|. Default 0.01. */
  limit?: number;
  /** Only matters when pre and post are the same population. Default false. */
  allowSelfConnections?: boolean;
}

/**
 * A sparse matrix as scipy's CSR one (`m.shape`, `m.indptr`, `m.indices`, `m.data`), with the
 * pre population as the first dimension (as ANNarchy's connect_from_sparse): the synapses of pre
 * neuron `p` go to posts `indices[indptr[p] .. indptr[p + 1] - 1]` with weights `data[…]`. Every
 * stored entry is a synapse (a stored 0 too).
 */
export interface SparseMatrix {
  /** [pre size, post size] (of the views, when the projection connects views). */
  shape: ArrayLike<number>;
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  data: ArrayLike<number>;
  /** scipy's format name; only 'csr' is read (left out: CSR). */
  format?: string;
}

/** What a connectWithFunc method receives and returns (ANNarchy's connect_with_func). */
export type ConnectivityMethod<A extends object = Record<string, never>> = (pre: Side, post: Side, args: A) => LILConnectivity;

/** ANNarchy's `connect_one_to_one` and `connect_fixed_number_post` default `weights=1.0`. */
type DefaultWeight<T extends ConnectOptions> = Omit<T, 'weights'> & { weights?: SynapseValue };

/** Internal: what a copy needs. */
export interface ProjectionCopy {
  id: number;
  name: string;
  target: string;
  recipe: ConnectorRecipe | null;
  /** The STDP parameters of a plastic projection (null: the default synapse). */
  stdp: StdpParameters | null;
  /** A plastic projection's learning switch when the copy is made. */
  learning: boolean;
  /** The STP parameters of an STP projection (null: another synapse). */
  stp: StpParameters | null;
}

export interface ProjectionOptions {
  /** A non-empty string, unique in its network; default `proj<id>`. */
  name?: string;
}

export class Projection {
  readonly id: number;
  readonly name: string;
  readonly pre: PopulationBase | PopulationView;
  readonly post: PopulationBase | PopulationView;
  readonly target: string;
  /** @internal */
  readonly owner: Owner;
  /** @internal */
  readonly entry: ProjectionEntry;

  /**
   * `synapse`: left out for the default synapse (`g_target += w` when a spike arrives), or
   * `STDP(…)` (`STDP` alone: its defaults) for ANNarchy's spike-timing dependent plasticity, or
   * `STP(…)` (`STP` alone: its defaults) for its short-term facilitation and depression.
   * `options.name` is ANNarchy's fifth argument `name`.
   */
  constructor(
    pre: PopulationBase | PopulationView,
    post: PopulationBase | PopulationView,
    target: string,
    synapse?: SynapseModel | null,
    options?: ProjectionOptions,
    copy?: ProjectionCopy,
  ) {
    this.owner = currentOwner();
    const label = `Projection ${pre?.name} -> ${post?.name} (${target})`;
    for (const [side, side_] of [['pre', pre], ['post', post]] as const) {
      if (!side_ || typeof side_ !== 'object' || !(side_ instanceof PopulationView || 'data' in side_)) {
        throw new SpikeworldError(`${label}: ${side} must be a Population or a PopulationView, got ${String(side_)}`);
      }
      const p = populationOf(side_);
      if (p.owner !== this.owner) {
        throw new SpikeworldError(
          `${label}: the ${side} population '${p.name}' belongs to ${p.owner.label}, not ${this.owner.label}`,
        );
      }
    }
    if (typeof target !== 'string' || !/^[A-Za-z_]\w*$/.test(target)) {
      throw new SpikeworldError(`${label}: target must be a name such as 'exc' or 'inh', got ${String(target)}`);
    }
    const name = copy ? copy.name : this.checkedName(label, options);
    const spec = copy ? null : synapseSpec(synapse, label);
    const stdp = copy ? copy.stdp : spec?.type === 'STDP' ? spec.parameters : null;
    const stp = copy ? copy.stp : spec?.type === 'STP' ? spec.parameters : null;
    const postData = populationOf(post).data;
    if (postData.spec.parameters.some((p) => p.name === `g_${target}`)) {
      throw new SpikeworldError(
        `${label}: the model of '${post.name}' declares g_${target} as a parameter, so no synapse can add to it; ` +
          `conductances are declared by use in the equations (or as a variable with its own ODE): rename the parameter or remove it`,
      );
    }
    if (!postData.spec.targets.includes(target)) {
      throw new SpikeworldError(
        `${label}: the model of '${post.name}' never uses g_${target}, so these synapses would have no effect; ` +
          `use one of its targets (${postData.spec.targets.join(', ') || 'none'}) or add g_${target} to its equations`,
      );
    }
    this.id = copy ? copy.id : newObjectId();
    this.name = name;
    this.pre = pre;
    this.post = post;
    this.target = target;
    this.entry = {
      pre: populationOf(pre).data,
      post: postData,
      preRanks: pre instanceof PopulationView ? pre.ranks : null,
      postRanks: post instanceof PopulationView ? post.ranks : null,
      target,
      name: this.name,
      recipe: copy?.recipe ?? null,
      label,
      synapses: null,
      stdp,
      learning: copy ? copy.learning : true,
      stp,
    };
    this.owner.world.addProjection(this.entry);
    this.owner.register(this);
  }

  /** The name asked for, or the default proj<id> (the id this projection takes once every check passed), checked. */
  private checkedName(label: string, options: ProjectionOptions | undefined): string {
    if (typeof options === 'string') {
      throw new SpikeworldError(`${label}: give the name as an option: new Projection(pre, post, target, synapse, { name: '${options}' })`);
    }
    const { name: given } = optionsObject(`${label}`, options, ['name']);
    if (given !== undefined && (typeof given !== 'string' || given === '')) {
      throw new SpikeworldError(`${label}: name must be a non-empty string such as 'exc_exc', got ${describe(given)}`);
    }
    const name = given ?? `proj${peekObjectId()}`;
    if (this.owner.world.projections.some((p) => p.name === name)) {
      throw new SpikeworldError(
        given === undefined
          ? `${label}: its default name '${name}' is taken by another projection of ${this.owner.label}; give this one a name ({ name: 'exc_exc' })`
          : `${label}: ${this.owner.label} already has a projection named '${name}'; give this one another name ({ name: '${name}2' })`,
      );
    }
    return name;
  }

  /** Every pre neuron to every post neuron (no self-connections within one population unless allowed). */
  connectAllToAll(options: SelfConnectOptions): this {
    const values = this.values(options, 'connectAllToAll', SELF_OPTIONS);
    return this.connect({ method: 'allToAll', ...values, allowSelfConnections: this.allowSelf(options, 'connectAllToAll') });
  }

  /** Pre rank i to post rank i, for i < min(sizes). Weights default to 1, as in ANNarchy. */
  connectOneToOne(options: DefaultWeight<ConnectOptions> = {}): this {
    const values = this.values(options, 'connectOneToOne', CONNECT_OPTIONS, 1);
    if (this.pre.size !== this.post.size) {
      // As ANNarchy's connect_one_to_one: allowed, but said (only min(sizes) pairs are made).
      declarationWarning(
        `${this.entry.label}: connectOneToOne between a pre of ${this.pre.size} and a post of ${this.post.size} neurons; ` +
          `only ranks 0..${Math.min(this.pre.size, this.post.size) - 1} are connected`,
      );
    }
    return this.connect({ method: 'oneToOne', ...values });
  }

  /** Each (pre, post) pair independently with `probability`. */
  connectFixedProbability(options: SelfConnectOptions & { probability: number }): this {
    const values = this.values(options, 'connectFixedProbability', [...SELF_OPTIONS, 'probability']);
    const p = options.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new SpikeworldError(`${this.entry.label}: connectFixedProbability needs 0 <= probability <= 1, got ${String(p)}`);
    }
    return this.connect({ method: 'fixedProbability', probability: p, ...values, allowSelfConnections: this.allowSelf(options, 'connectFixedProbability') });
  }

  /** Each post neuron receives from exactly `number` distinct pre neurons. */
  connectFixedNumberPre(options: SelfConnectOptions & { number: number }): this {
    const values = this.values(options, 'connectFixedNumberPre', [...SELF_OPTIONS, 'number']);
    this.checkCount(options.number, this.pre.size, 'connectFixedNumberPre', 'pre');
    return this.connect({ method: 'fixedNumberPre', number: options.number, ...values, allowSelfConnections: this.allowSelf(options, 'connectFixedNumberPre') });
  }

  /** Each pre neuron sends to exactly `number` distinct post neurons. Weights default to 1, as in ANNarchy. */
  connectFixedNumberPost(options: DefaultWeight<SelfConnectOptions> & { number: number }): this {
    const values = this.values(options, 'connectFixedNumberPost', [...SELF_OPTIONS, 'number'], 1);
    this.checkCount(options.number, this.post.size, 'connectFixedNumberPost', 'post');
    return this.connect({ method: 'fixedNumberPost', number: options.number, ...values, allowSelfConnections: this.allowSelf(options, 'connectFixedNumberPost') });
  }

  /**
   * Weights as a dense matrix `[post][pre]`; `null` or `NaN` means no synapse. Delays (ms): a
   * number, a distribution, or a `[post][pre]` matrix like ANNarchy's, read where a weight is.
   */
  connectFromMatrix(weights: ArrayLike<ArrayLike<number | null>>, options: { delays?: SynapseValue | DelayMatrix } = {}): this {
    checkOptionNames(`${this.entry.label}: connectFromMatrix`, options ?? {}, ['delays']);
    const delays = isMatrix(options.delays) ? options.delays : checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label);
    if (!weights || typeof weights.length !== 'number') {
      throw new SpikeworldError(`${this.entry.label}: connectFromMatrix needs a [post][pre] array of weights`);
    }
    // A copy (the user's arrays may change before compile), checked in the same pass; plain loops:
    // a closure per entry made this several times slower on 10M entries.
    const copy: (number | null)[][] = new Array(weights.length);
    for (let q = 0; q < weights.length; q++) {
      const row = weights[q] ?? [];
      const mine: (number | null)[] = (copy[q] = new Array(row.length));
      for (let p = 0; p < row.length; p++) {
        const x = row[p];
        // null, undefined and NaN: no synapse; anything else must be a weight.
        mine[p] = x ?? null;
        if (x === null || x === undefined || Number.isNaN(x)) continue;
        if (typeof x !== 'number') {
          throw new SpikeworldError(`${this.entry.label}: connectFromMatrix: weights[${q}][${p}] is ${describe(x)}, not a number (null or NaN: no synapse)`);
        }
        if (!isFloat32Weight(x)) throw notAWeight(x, `${this.entry.label}: connectFromMatrix: weights[${q}][${p}]`);
      }
    }
    return this.connect({ method: 'fromMatrix', weights: copy, delays: isMatrix(delays) ? this.delayMatrix(delays, copy) : delays });
  }

  /**
   * A copy of connectFromMatrix's delays matrix, checked against the weights: the same shape, and
   * a delay >= 0 ms wherever a weight makes a synapse (ANNarchy: "Must represent the same synapses
   * as weights"). Entries without a weight are not read.
   */
  private delayMatrix(delays: DelayMatrix, weights: (number | null)[][]): (number | null)[][] {
    const what = `${this.entry.label}: connectFromMatrix: delays`;
    if (delays.length !== weights.length) {
      throw new SpikeworldError(`${what} has ${delays.length} rows, the weights ${weights.length}: give one delay per weight ([post][pre], in ms)`);
    }
    return weights.map((row, q) => {
      const drow = delays[q];
      if (!drow || typeof drow.length !== 'number' || drow.length !== row.length) {
        throw new SpikeworldError(`${what}[${q}] has ${drow?.length} entries, weights[${q}] ${row.length}: give one delay per weight ([post][pre], in ms)`);
      }
      return row.map((x, p) => {
        if (x === null || Number.isNaN(x)) return null;
        const d = drow[p];
        if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) {
          throw new SpikeworldError(`${what}[${q}][${p}] is ${describe(d)}, but weights[${q}][${p}] makes a synapse: its delay must be a number >= 0 ms`);
        }
        return d;
      });
    });
  }

  /**
   * ANNarchy's `connect_with_func(method, **args)`: calls `method(pre, post, args)` at once (as
   * ANNarchy does, not at compile) and connects the synapses of the `LILConnectivity` it returns
   * (ranks of the populations, also for views; delays in ms). Copies of the projection
   * (`Network`, `parallelRun` in networks mode) take these synapses; a `parallelRun` worker that
   * imports the module runs the method again and must get the same ones (a method drawing from
   * Math.random is refused there: make it reproducible, or pass `networks`).
   */
  connectWithFunc(method: (pre: Side, post: Side) => LILConnectivity): this;
  connectWithFunc<A extends object>(method: (pre: Side, post: Side, args: A) => LILConnectivity, args: A): this;
  connectWithFunc(method: (pre: Side, post: Side, args: object) => LILConnectivity, args: object = {}): this {
    const what = `${this.entry.label}: connectWithFunc`;
    this.assertConnectable();
    if (typeof method !== 'function') {
      throw new SpikeworldError(`${what} takes a function (pre, post, args) => LILConnectivity, got ${describe(method)}`);
    }
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new SpikeworldError(`${what}: args must be an object of named arguments (ANNarchy's **args), got ${describe(args)}`);
    }
    const lil: unknown = method(this.pre, this.post, args);
    if (!(lil instanceof LILConnectivity)) {
      throw new SpikeworldError(
        `${what}: ${method.name ? `the method ${method.name}` : 'the method'} returned ${describe(lil)}; it must return a LILConnectivity ` +
          `(const lil = new LILConnectivity(); lil.add(postRank, preRanks, weights, delays) per post neuron; return lil)`,
      );
    }
    return this.connect({ method: 'withFunc', ...this.listedSynapses(lil, what) });
  }

  /** A LILConnectivity's synapses (population ranks) checked against the projection and sorted into a CSR by pre index. */
  private listedSynapses(lil: LILConnectivity, what: string): ExplicitSynapses {
    const preSize = this.pre.size;
    const postSize = this.post.size;
    const preLocal = localIndices(this.pre);
    const postLocal = localIndices(this.post);
    const nnz = lil.nbSynapses;
    const pre = new Uint32Array(nnz);
    const post = new Uint32Array(nnz);
    for (let i = 0; i < lil.size; i++) {
      const rank = lil.postRanks[i] as number;
      const q = rank < postLocal.length ? (postLocal[rank] as number) : -1;
      if (q < 0) throw this.notARank(rank, this.post, 'post', what);
      for (let k = lil.starts[i] as number; k < (lil.starts[i + 1] as number); k++) {
        const r = lil.pre[k] as number;
        const p = r < preLocal.length ? (preLocal[r] as number) : -1;
        if (p < 0) throw this.notARank(r, this.pre, 'pre', what, rank);
        pre[k] = p;
        post[k] = q;
      }
    }
    const d = lil.d.subarray(0, nnz);
    let uniform = true;
    for (let k = 1; k < nnz; k++) {
      if (d[k] !== d[0]) {
        uniform = false;
        break;
      }
    }
    const rows = sortedRows(preSize, postSize, pre, post, lil.w.subarray(0, nnz), uniform ? null : d);
    if (rows.duplicate) {
      const p = rankOf(this.pre, rows.duplicate.pre);
      const q = rankOf(this.post, rows.duplicate.post);
      throw new SpikeworldError(`${what}: post neuron ${q} is given pre neuron ${p} twice in its add() call; list each pre rank once per post neuron`);
    }
    return { preSize, postSize, rowStart: rows.rowStart, post: rows.post, w: rows.w, delays: rows.delays ?? (nnz > 0 ? (d[0] as number) : 0) };
  }

  private notARank(rank: number, side: Side, name: 'pre' | 'post', what: string, postRank?: number): SpikeworldError {
    const population = populationOf(side);
    const where = postRank === undefined ? `a post rank` : `a pre rank of post neuron ${postRank}`;
    if (rank >= population.size) {
      return new SpikeworldError(`${what}: ${where} is ${rank}, but the ${name} population '${population.name}' has ranks 0..${population.size - 1}`);
    }
    const ranks = (side as PopulationView).ranks;
    const shown = Array.from(ranks.subarray(0, 8)).join(', ') + (ranks.length > 8 ? ', …' : '');
    return new SpikeworldError(
      `${what}: ${where} is ${rank}, which is not in the ${name} view of '${population.name}' (its ranks: ${shown}); ` +
        `a LILConnectivity takes the population's ranks (view.ranks[i]), not indices in the view`,
    );
  }

  /**
   * ANNarchy's `connect_from_sparse(weights, delays)`: a CSR matrix shaped like scipy's, with the
   * pre neurons as rows (see SparseMatrix); one constant delay (ms), as ANNarchy.
   */
  connectFromSparse(matrix: SparseMatrix, options: { delays?: number } = {}): this {
    const what = `${this.entry.label}: connectFromSparse`;
    this.assertConnectable();
    // ANNarchy's positional delay (connect_from_sparse(W, 2.0)) is refused here, not ignored.
    const delays = optionsObject(what, options, ['delays']).delays ?? 0;
    if (typeof delays !== 'number') {
      throw new SpikeworldError(
        `${what}: delays must be one number (ms), got ${isDistribution(delays) ? String(delays) : describe(delays)}: a sparse matrix carries the weights only, so ANNarchy's ` +
          `connect_from_sparse takes a constant delay ("only constant delays are allowed for sparse matrices"); ` +
          `for a delay per synapse use connectFromMatrix with a delays matrix, or connectWithFunc`,
      );
    }
    checkSynapseValue(delays, 'delays', what);
    return this.connect({ method: 'fromSparse', ...this.sparseSynapses(matrix, delays, what) });
  }

  private sparseSynapses(matrix: SparseMatrix, delays: number, what: string): ExplicitSynapses {
    if (!matrix || typeof matrix !== 'object') {
      throw new SpikeworldError(`${what} takes a CSR matrix { shape: [pre, post], indptr, indices, data } (scipy's csr_matrix fields), got ${describe(matrix)}`);
    }
    if (matrix.format !== undefined && matrix.format !== 'csr') {
      throw new SpikeworldError(`${what}: the matrix is in '${String(matrix.format)}' format; give its CSR form (scipy: m.tocsr()), pre neurons as rows`);
    }
    const preSize = this.pre.size;
    const postSize = this.post.size;
    const { shape, indptr, indices, data } = matrix;
    for (const [name, x] of [['shape', shape], ['indptr', indptr], ['indices', indices], ['data', data]] as const) {
      if (!x || typeof x !== 'object' || typeof x.length !== 'number') {
        throw new SpikeworldError(`${what}: matrix.${name} must be an array, got ${describe(x)} (a CSR matrix: { shape: [pre, post], indptr, indices, data })`);
      }
    }
    if (shape.length !== 2 || shape[0] !== preSize || shape[1] !== postSize) {
      const swapped = shape.length === 2 && shape[0] === postSize && shape[1] === preSize;
      throw new SpikeworldError(
        `${what}: the matrix's shape is [${Array.from(shape).join(', ')}], expected [${preSize}, ${postSize}] (pre neurons as rows, post as columns, as ANNarchy's connect_from_sparse)` +
          (swapped ? '; it looks transposed: give the pre × post matrix (scipy: m.T.tocsr())' : ''),
      );
    }
    if (indptr.length !== preSize + 1) {
      throw new SpikeworldError(`${what}: matrix.indptr has ${indptr.length} entries, expected ${preSize + 1} (one per pre neuron, plus one)`);
    }
    const nnz = indices.length;
    if (data.length !== nnz) {
      throw new SpikeworldError(`${what}: matrix.data has ${data.length} entries, matrix.indices ${nnz}: give one weight per stored entry`);
    }
    if (indptr[0] !== 0 || indptr[preSize] !== nnz) {
      throw new SpikeworldError(
        `${what}: matrix.indptr must start at 0 and end at the number of entries (${nnz}), got ${describe(indptr[0])} … ${describe(indptr[preSize])}`,
      );
    }
    const pre = new Uint32Array(nnz);
    const post = new Uint32Array(nnz);
    const w = new Float32Array(nnz);
    for (let p = 0; p < preSize; p++) {
      const from = indptr[p] as number;
      const to = indptr[p + 1] as number;
      if (!Number.isInteger(to) || to < from || to > nnz) {
        throw new SpikeworldError(
          `${what}: matrix.indptr must be integers that never decrease, from 0 to the number of entries (${nnz}); indptr[${p + 1}] is ${describe(to)} after ${describe(from)}`,
        );
      }
      for (let k = from; k < to; k++) {
        const q = indices[k] as number;
        if (!Number.isInteger(q) || q < 0 || q >= postSize) {
          throw new SpikeworldError(`${what}: matrix.indices[${k}] (row ${p}) is ${describe(q)}, not a post index in 0..${postSize - 1}`);
        }
        const x = data[k] as number;
        if (typeof x !== 'number' || !isFloat32Weight(x)) {
          if (typeof x === 'number' && !Number.isNaN(x)) throw notAWeight(x, `${what}: matrix.data[${k}] (row ${p}, column ${q})`);
          throw new SpikeworldError(`${what}: matrix.data[${k}] (row ${p}, column ${q}) is ${describe(x)}, not a finite number (every stored entry is a synapse)`);
        }
        pre[k] = p;
        post[k] = q;
        w[k] = x;
      }
    }
    const rows = sortedRows(preSize, postSize, pre, post, w, null);
    if (rows.duplicate) {
      throw new SpikeworldError(
        `${what}: the matrix stores entry (${rows.duplicate.pre}, ${rows.duplicate.post}) twice (pre ${rows.duplicate.pre}, post ${rows.duplicate.post}); ` +
          `a synapse is made once: sum or drop the duplicates (scipy: m.sum_duplicates())`,
      );
    }
    return { preSize, postSize, rowStart: rows.rowStart, post: rows.post, w: rows.w, delays };
  }

  /**
   * ANNarchy's `connect_gaussian`: post neuron j receives from pre neuron i with
   * w = amp · exp(−d² / (2 sigma²)), d the Euclidean distance between their normalized
   * coordinates (each dimension of the geometry spans 0..1: rank / (size − 1) in 1-D), where
   * w > limit · amp. Whole populations only, with geometries of the same number of dimensions.
   */
  connectGaussian(options: GaussianOptions): this {
    const method = 'connectGaussian';
    this.optionsOf(options, method, GAUSSIAN_OPTIONS);
    const [preGeometry, postGeometry] = this.geometries(method);
    const amp = this.weightParameter(options.amp, 'amp', method);
    const sigma = this.widthParameter(options.sigma, 'sigma', method);
    return this.connect({
      method: 'gaussian',
      amp,
      sigma,
      limit: this.limitParameter(options.limit, method),
      preGeometry,
      postGeometry,
      delays: checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label),
      allowSelfConnections: this.allowSelf(options, method),
    });
  }

  /**
   * ANNarchy's `connect_dog` (difference of gaussians): w = ampPos · exp(−d² / (2 sigmaPos²)) −
   * ampNeg · exp(−d² / (2 sigmaNeg²)), a synapse where |w| > limit · |ampPos − ampNeg| (see
   * connectGaussian for d).
   */
  connectDog(options: DogOptions): this {
    const method = 'connectDog';
    this.optionsOf(options, method, DOG_OPTIONS);
    const [preGeometry, postGeometry] = this.geometries(method);
    return this.connect({
      method: 'dog',
      ampPos: this.weightParameter(options.ampPos, 'ampPos', method),
      sigmaPos: this.widthParameter(options.sigmaPos, 'sigmaPos', method),
      ampNeg: this.weightParameter(options.ampNeg, 'ampNeg', method),
      sigmaNeg: this.widthParameter(options.sigmaNeg, 'sigmaNeg', method),
      limit: this.limitParameter(options.limit, method),
      preGeometry,
      postGeometry,
      delays: checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label),
      allowSelfConnections: this.allowSelf(options, method),
    });
  }

  /** The pre and post geometries, for the distance-based connectors: whole populations of the same number of dimensions. */
  private geometries(method: string): [readonly number[], readonly number[]] {
    if (this.pre instanceof PopulationView || this.post instanceof PopulationView) {
      throw new SpikeworldError(
        `${this.entry.label}: ${method} is only possible between whole populations, not PopulationViews (as in ANNarchy): ` +
          `the coordinates are normalized over a population's geometry`,
      );
    }
    const pre = this.pre.geometry;
    const post = this.post.geometry;
    if (pre.length !== post.length) {
      throw new SpikeworldError(
        `${this.entry.label}: ${method} needs pre and post geometries of the same number of dimensions, got [${pre.join(', ')}] and [${post.join(', ')}]; ` +
          `give both populations geometries of ${Math.max(pre.length, post.length)} dimensions (a size-1 dimension is allowed)`,
      );
    }
    return [pre, post];
  }

  /** An amplitude: a finite float32 number (ANNarchy's `float amp`). */
  private weightParameter(x: unknown, name: string, method: string): number {
    if (typeof x !== 'number' || !isFloat32Weight(x)) {
      throw new SpikeworldError(`${this.entry.label}: ${method}: ${name} must be a finite number (a weight, float32), got ${describe(x)}`);
    }
    return x;
  }

  /** A width: > 0 also once rounded to float32 (ANNarchy's `float sigma`). */
  private widthParameter(x: unknown, name: string, method: string): number {
    if (typeof x !== 'number' || !isFloat32Weight(x) || !(Math.fround(x) > 0)) {
      throw new SpikeworldError(
        `${this.entry.label}: ${method}: ${name} must be a number > 0 (a width in normalized coordinates, each dimension spanning 0..1), got ${describe(x)}`,
      );
    }
    return x;
  }

  private limitParameter(x: unknown, method: string): number {
    if (x === undefined) return 0.01;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new SpikeworldError(`${this.entry.label}: ${method}: limit must be a finite number (the fraction of the amplitude below which no synapse is made; default 0.01), got ${describe(x)}`);
    }
    return x;
  }

  /** Number of synapses (after compile). */
  get nbSynapses(): number {
    return this.synapses('nbSynapses').post.length;
  }

  /** Weights in synapse order (CSR by pre rank), a copy. */
  get w(): Float32Array {
    return this.synapses('w').w.slice();
  }

  /**
   * Sets the weights (after compile): one number for all, one value per synapse in CSR order,
   * a distribution, or ANNarchy's per-dendrite lists: one list per post neuron that has
   * synapses (ascending rank), each with one weight per synapse in ascending pre rank. Delivery
   * reads them from shared memory, so the next step uses them. Nothing is written unless every
   * weight is a finite float32.
   */
  set w(value: Assignable) {
    const s = this.synapses('w');
    const what = () => `${this.entry.label}: weights`;
    const values = isNested(value)
      ? perDendrite(value, s.post, what)
      : resolveValues(value, s.w.length, this.owner.world.initRng, what, 'synapse in CSR order');
    for (let k = 0; k < values.length; k++) {
      // No message closure per synapse: the message is built only for a weight that fails.
      if (!isFloat32Weight(values[k] as number)) throw notAWeight(values[k] as number, `${what()}: synapse ${k}`);
    }
    s.w.set(values);
  }

  /**
   * ANNarchy's `proj.enable_learning()`: an STDP projection's weights change with its spikes again
   * (the default). Before or after compile; in a running network from its next step.
   */
  enableLearning(): void {
    this.switchLearning(true, 'enableLearning');
  }

  /**
   * ANNarchy's `proj.disable_learning()`: spikes still go through with the current weights and
   * the traces still move (ANNarchy's switch guards only the statements that change `w`), but the
   * weights stay as they are (a test phase after training, say).
   */
  disableLearning(): void {
    this.switchLearning(false, 'disableLearning');
  }

  /** Whether an STDP projection's weights learn (false for static synapses). */
  get learning(): boolean {
    return this.entry.stdp !== null && this.owner.world.learning(this.entry);
  }

  private switchLearning(on: boolean, what: string): void {
    this.owner.world.assertNotDisposed(`${what}() on ${this.entry.label}`);
    if (!this.entry.stdp) {
      const these = this.entry.stp ? "this one's synapses are STP(…), whose weights do not change" : "this one's synapses are static";
      throw new SpikeworldError(`${this.entry.label}: ${what}() is for plastic projections (new Projection(pre, post, target, STDP(…))); ${these}`);
    }
    this.owner.world.setLearning(this.entry, on);
  }

  /** Number of post neurons that receive synapses (ANNarchy's `proj.size`; after compile). */
  get size(): number {
    return this.postIndex('size').ranks.length;
  }

  /** Synapses per post neuron that has any, by ascending post rank (ANNarchy's `nb_synapses_per_dendrite`; after compile). */
  nbSynapsesPerDendrite(): Uint32Array {
    const { start, ranks } = this.postIndex('nbSynapsesPerDendrite()');
    const out = new Uint32Array(ranks.length);
    for (let d = 0; d < ranks.length; d++) out[d] = start[ranks[d]! + 1]! - start[ranks[d]!]!;
    return out;
  }

  /**
   * The synapses of post neuron `postRank` (a rank of the post population): its pre ranks,
   * weights and delays (ANNarchy's `proj.dendrite(rank)`; after compile). A neuron that
   * receives no synapse has no dendrite: an error, as in ANNarchy.
   */
  dendrite(postRank: number): Dendrite {
    const index = this.postIndex('dendrite()');
    const population = populationOf(this.post);
    if (typeof postRank !== 'number' || !Number.isInteger(postRank) || postRank < 0 || postRank >= population.size) {
      throw new SpikeworldError(
        `${this.entry.label}: dendrite(${describe(postRank)}) takes the rank of a neuron of the post population '${population.name}' (0..${population.size - 1})`,
      );
    }
    const from = index.start[postRank] as number;
    const to = index.start[postRank + 1] as number;
    if (from === to) {
      const some = Array.from(index.ranks.subarray(0, 8)).join(', ') + (index.ranks.length > 8 ? ', …' : '');
      throw new SpikeworldError(
        `${this.entry.label}: the neuron of rank ${postRank} has no dendrite in this projection (no synapse reaches it); ` +
          (index.ranks.length > 0 ? `the post neurons with synapses are ${some}` : 'the projection has no synapse'),
      );
    }
    return new Dendrite(postRank, index.pre.slice(from, to), index.synapse.slice(from, to), {
      label: this.entry.label,
      synapses: (what) => this.synapses(what),
      dt: () => this.owner.world.dt,
      rng: () => this.owner.world.initRng,
      stp: (what) => this.stpState(what),
    });
  }

  /**
   * The weights as a dense matrix `[post][pre]` over the whole populations (also for views, as
   * ANNarchy's `connectivity_matrix`), `fill` where there is no synapse (after compile).
   */
  connectivityMatrix(fill = 0): Float64Array[] {
    if (typeof fill !== 'number') throw new SpikeworldError(`${this.entry.label}: connectivityMatrix(fill) takes a number, got ${describe(fill)}`);
    const s = this.synapses('connectivityMatrix()');
    const preSize = populationOf(this.pre).size;
    const out = Array.from({ length: populationOf(this.post).size }, () => new Float64Array(preSize).fill(fill));
    for (let p = 0; p < s.rowStart.length - 1; p++) {
      for (let k = s.rowStart[p] as number; k < (s.rowStart[p + 1] as number); k++) (out[s.post[k]!] as Float64Array)[p] = s.w[k] as number;
    }
    return out;
  }

  /** @internal each post neuron's synapses (CSR indices) and the post ranks that have any, for a monitor's per-dendrite rows. */
  dendriteIndex(what: string): Readonly<PostIndex> {
    return this.postIndex(what);
  }

  private postIndex(what: string): PostIndex {
    return postIndex(this.synapses(what), populationOf(this.post).size);
  }

  /**
   * An STP projection's resources x per synapse (CSR order, a copy; after compile): each as its
   * synapse's last spike left it (after `x *= 1 − u`), as ANNarchy stores event-driven variables;
   * 1 for a synapse that has had none.
   */
  get x(): Float64Array {
    return this.stpState('x').x.slice();
  }

  /** An STP projection's utilisation u per synapse (CSR order, a copy; after compile), as its last spike left it; U before any. */
  get u(): Float64Array {
    return this.stpState('u').u.slice();
  }

  /** x and u move only with the synapses' spikes (ANNarchy lets you set them; spikeworld does not). */
  set x(_value: never) {
    throw stpReadOnly(this.entry.label, 'x');
  }

  set u(_value: never) {
    throw stpReadOnly(this.entry.label, 'u');
  }

  private stpState(what: 'x' | 'u'): StpViews {
    if (!this.entry.stp) {
      throw new SpikeworldError(`${this.entry.label}: ${what} is a variable of STP(…) synapses; this projection's are ${this.entry.stdp ? 'STDP(…)' : 'static (no synapse argument)'}`);
    }
    this.synapses(what); // compiled, not disposed
    return this.owner.world.stpState(this.entry)!;
  }

  /** Delays in ms per synapse (CSR order), a copy. */
  get delay(): Float64Array {
    const s = this.synapses('delay');
    const dt = this.owner.world.dt;
    // stepsToMs: 3 steps of 0.1 ms read back as 0.3 ms, not 0.30000000000000004 (as getTime());
    // once per distinct delay (a string round trip per synapse made this 3× slower).
    if (!s.delaySteps) return new Float64Array(s.post.length).fill(stepsToMs(s.uniformDelaySteps ?? 1, dt));
    const ms = new Map<number, number>();
    const out = new Float64Array(s.delaySteps.length);
    for (let k = 0; k < out.length; k++) {
      const steps = s.delaySteps[k] as number;
      let d = ms.get(steps);
      if (d === undefined) ms.set(steps, (d = stepsToMs(steps, dt)));
      out[k] = d;
    }
    return out;
  }

  /** Delays are fixed when the synapses are drawn (they size the delivery's rings). */
  set delay(_value: never) {
    throw new SpikeworldError(`${this.entry.label}: delays cannot change after connecting; give them to the connect method ({ delays: 2 }) and compile again`);
  }

  /** Pre rank (in the pre population) of every synapse (CSR order). */
  get preRanks(): Uint32Array {
    const s = this.synapses('preRanks');
    const out = new Uint32Array(s.post.length);
    for (let p = 0; p < s.rowStart.length - 1; p++) out.fill(p, s.rowStart[p], s.rowStart[p + 1]);
    return out;
  }

  /** Post rank (in the post population) of every synapse (CSR order). */
  get postRanks(): Uint32Array {
    return this.synapses('postRanks').post.slice();
  }

  /** @internal */
  copyState(): ProjectionCopy {
    return { id: this.id, name: this.name, target: this.target, recipe: this.entry.recipe, stdp: this.entry.stdp, learning: this.learning, stp: this.entry.stp };
  }

  toString(): string {
    return this.entry.label;
  }

  private synapses(what: string) {
    this.owner.world.assertNotDisposed(`read ${what} of ${this.entry.label}`);
    if (!this.entry.synapses || !this.owner.world.compiled) {
      throw new SpikeworldError(`${this.entry.label}: ${what} is known after compile(); call compile() first`);
    }
    return this.entry.synapses;
  }

  private assertConnectable(): void {
    if (this.owner.world.compiled) {
      throw new SpikeworldError(`${this.entry.label}: cannot connect after compile(); connect before compiling`);
    }
  }

  private connect(recipe: ConnectorRecipe): this {
    this.assertConnectable();
    // As ANNarchy: allowed (a script may redo a pattern), but said.
    const before = this.entry.recipe;
    if (before) declarationWarning(`${this.entry.label}: already connected (${before.method}); the new pattern (${recipe.method}) replaces it`);
    this.entry.recipe = recipe;
    return this;
  }

  private values(
    options: { weights?: SynapseValue; delays?: SynapseValue },
    method: string,
    names: readonly string[],
    defaultWeight?: number,
  ): { weights: SynapseValue; delays: SynapseValue } {
    this.optionsOf(options, method, names);
    return {
      weights: checkSynapseValue(options.weights ?? defaultWeight, 'weights', this.entry.label),
      delays: checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label),
    };
  }

  /** An options object with known names only. */
  private optionsOf(options: object, method: string, names: readonly string[]): void {
    if (!options || typeof options !== 'object' || Array.isArray(options)) {
      // Name the method and what came: ANNarchy's positional arguments (connect_all_to_all(1.0)) land here.
      const example = method === 'connectGaussian' ? '{ amp: 1, sigma: 0.2 }' : method === 'connectDog' ? '{ ampPos: 1, sigmaPos: 0.2, ampNeg: 0.5, sigmaNeg: 0.4 }' : '{ weights: 1 }';
      throw new SpikeworldError(
        `${this.entry.label}: ${method} takes an options object such as ${example} (ANNarchy's arguments by name), got ${describe(options)}`,
      );
    }
    checkOptionNames(`${this.entry.label}: ${method}`, options, names);
  }

  /** A switch must be a boolean: 'no' or 1 would otherwise be read as true and add self-connections. */
  private allowSelf(options: { allowSelfConnections?: unknown }, method: string): boolean {
    const x = options.allowSelfConnections;
    if (x === undefined) return false;
    if (typeof x !== 'boolean') {
      throw new SpikeworldError(`${this.entry.label}: ${method}: allowSelfConnections must be true or false, got ${describe(x)}`);
    }
    return x;
  }

  private checkCount(k: unknown, max: number, method: string, side: string): void {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > max) {
      throw new SpikeworldError(
        `${this.entry.label}: ${method} needs an integer number between 0 and ${max} (the ${side} population's size), got ${describe(k)}`,
      );
    }
  }
}

/** For each rank of the side's population, its index in the side (a view's order), or -1. */
function localIndices(side: Side): Int32Array {
  const population = populationOf(side);
  const out = new Int32Array(population.size);
  if (!(side instanceof PopulationView)) {
    for (let r = 0; r < out.length; r++) out[r] = r;
    return out;
  }
  out.fill(-1);
  for (let i = 0; i < side.ranks.length; i++) out[side.ranks[i] as number] = i;
  return out;
}

/** The population rank of index `i` in a side. */
function rankOf(side: Side, i: number): number {
  return side instanceof PopulationView ? (side.ranks[i] as number) : i;
}

/** The synapses by post neuron: each post rank's synapses (CSR indices) and pre ranks, ascending. */
export interface PostIndex {
  /** Per post rank of the population: its first entry below, and the end. */
  start: Uint32Array;
  pre: Uint32Array;
  synapse: Uint32Array;
  /** The post ranks that have synapses, ascending (ANNarchy's post_ranks). */
  ranks: Uint32Array;
}

/** One per compiled CSR (keyed by its post array, which compile, adopt and dispose replace). */
const postIndexes = new WeakMap<Uint32Array, PostIndex>();

function postIndex(s: DrawnSynapses, postSize: number): PostIndex {
  let index = postIndexes.get(s.post);
  if (index) return index;
  const { start, synapse } = byPost(s.post, postSize);
  // Each post neuron's synapses in ascending pre rank; their pre ranks from the rows.
  const preOf = new Uint32Array(s.post.length);
  for (let p = 0; p < s.rowStart.length - 1; p++) preOf.fill(p, s.rowStart[p], s.rowStart[p + 1]);
  const pre = new Uint32Array(synapse.length);
  for (let i = 0; i < synapse.length; i++) pre[i] = preOf[synapse[i]!]!;
  let dendrites = 0;
  for (let q = 0; q < postSize; q++) if (start[q + 1]! > start[q]!) dendrites++;
  const ranks = new Uint32Array(dendrites);
  for (let q = 0, d = 0; q < postSize; q++) if (start[q + 1]! > start[q]!) ranks[d++] = q;
  index = { start, pre, synapse, ranks };
  postIndexes.set(s.post, index);
  return index;
}

function stpReadOnly(label: string, what: 'x' | 'u'): SpikeworldError {
  return new SpikeworldError(
    `${label}: ${what} cannot be set: STP's x and u move only with the synapses' spikes (ANNarchy lets you set them, spikeworld does not); reset() sets them back to 1 and U`,
  );
}

/** How a Dendrite reaches its projection's synapses (checked at each access: compiled, not disposed). */
interface DendriteAccess {
  label: string;
  synapses(what: string): DrawnSynapses;
  dt(): number;
  rng(): Uint32Array;
  stp(what: 'x' | 'u'): { x: Float64Array; u: Float64Array };
}

/**
 * The synapses of one post neuron (ANNarchy's `Dendrite`, from `proj.dendrite(postRank)`), by
 * ascending pre rank. `w` reads the current weights and can be set (a number, one per synapse,
 * or a distribution).
 */
export class Dendrite {
  /** The post neuron's rank in the post population. */
  readonly postRank: number;
  /** Ranks (in the pre population) of the neurons it receives from, ascending. */
  readonly preRanks: Uint32Array;
  private readonly synapseIds: Uint32Array;
  private readonly access: DendriteAccess;

  /** @internal */
  constructor(postRank: number, preRanks: Uint32Array, synapseIds: Uint32Array, access: DendriteAccess) {
    this.postRank = postRank;
    this.preRanks = preRanks;
    this.synapseIds = synapseIds;
    this.access = access;
  }

  /** Number of synapses. */
  get size(): number {
    return this.preRanks.length;
  }

  /** Weights, in the order of preRanks (a copy). */
  get w(): Float32Array {
    const s = this.access.synapses('dendrite weights');
    const out = new Float32Array(this.synapseIds.length);
    for (let i = 0; i < out.length; i++) out[i] = s.w[this.synapseIds[i]!] as number;
    return out;
  }

  /** Sets this dendrite's weights: one number, one per synapse (preRanks order) or a distribution; the next step uses them. */
  set w(value: Assignable) {
    const s = this.access.synapses('dendrite weights');
    const what = () => `${this.access.label}: dendrite ${this.postRank}: weights`;
    const values = resolveValues(value, this.synapseIds.length, this.access.rng(), what, 'synapse of the dendrite, in preRanks order');
    for (let i = 0; i < values.length; i++) {
      if (!isFloat32Weight(values[i] as number)) throw notAWeight(values[i] as number, `${what()}: synapse ${i}`);
    }
    for (let i = 0; i < values.length; i++) s.w[this.synapseIds[i]!] = values[i] as number;
  }

  /** An STP projection's resources x, in the order of preRanks (a copy; see Projection.x). */
  get x(): Float64Array {
    const x = this.access.stp('x').x;
    return Float64Array.from(this.synapseIds, (k) => x[k] as number);
  }

  /** An STP projection's utilisation u, in the order of preRanks (a copy; see Projection.u). */
  get u(): Float64Array {
    const u = this.access.stp('u').u;
    return Float64Array.from(this.synapseIds, (k) => u[k] as number);
  }

  set x(_value: never) {
    throw stpReadOnly(this.access.label, 'x');
  }

  set u(_value: never) {
    throw stpReadOnly(this.access.label, 'u');
  }

  /** Delays in ms, in the order of preRanks (a copy). */
  get delay(): Float64Array {
    const s = this.access.synapses('dendrite delays');
    const dt = this.access.dt();
    const out = new Float64Array(this.synapseIds.length);
    for (let i = 0; i < out.length; i++) out[i] = stepsToMs(s.delaySteps ? (s.delaySteps[this.synapseIds[i]!] as number) : (s.uniformDelaySteps ?? 1), dt);
    return out;
  }

  /** Delays are fixed when the synapses are drawn (they size the delivery's rings). */
  set delay(_value: never) {
    throw new SpikeworldError(`${this.access.label}: delays cannot change after connecting; give them to the connect method and compile again`);
  }
}

function isNested(value: unknown): value is ArrayLike<ArrayLike<unknown>> {
  return Array.isArray(value) && value.length > 0 && value.every((x) => Array.isArray(x) || ArrayBuffer.isView(x));
}

/**
 * ANNarchy's `proj.w = [[...], ...]`: one list per dendrite (post neuron with synapses, ascending
 * rank), its weights by ascending pre rank, into CSR order (rows by pre rank, so a post neuron's
 * synapses come up in ascending pre rank as the rows are walked).
 */
function perDendrite(lists: ArrayLike<ArrayLike<unknown>>, post: Uint32Array, what: () => string): Float64Array {
  let postSize = 0;
  for (let k = 0; k < post.length; k++) if ((post[k] as number) >= postSize) postSize = (post[k] as number) + 1;
  // The synapses of each post neuron in CSR order (by pre rank: the list's order); each list is
  // then read through once: reading the lists in synapse order jumped between them (10M
  // synapses onto 100k posts: 2.7 s, now 0.3 s).
  const { start, synapse: bySynapse } = byPost(post, postSize);
  const degree = (q: number) => start[q + 1]! - start[q]!;
  const dendriteOf = new Int32Array(postSize).fill(-1);
  let dendrites = 0;
  for (let q = 0; q < postSize; q++) if (degree(q) > 0) dendriteOf[q] = dendrites++;
  if (lists.length !== dendrites) {
    throw new SpikeworldError(`${what()}: got ${lists.length} per-dendrite lists, expected ${dendrites} (one per post neuron that has synapses, by ascending rank)`);
  }
  for (let q = 0; q < postSize; q++) {
    const k = dendriteOf[q]!;
    if (k >= 0 && lists[k]!.length !== degree(q)) {
      throw new SpikeworldError(`${what()}: the list for post neuron ${q} (dendrite ${k}) has ${lists[k]!.length} weights; it has ${degree(q)} synapses`);
    }
  }
  const out = new Float64Array(post.length);
  for (let q = 0; q < postSize; q++) {
    const k = dendriteOf[q]!;
    if (k < 0) continue;
    const list = lists[k]!;
    for (let i = 0, at = start[q]!; i < list.length; i++, at++) {
      const x = list[i];
      if (typeof x !== 'number') throw new SpikeworldError(`${what()}: entry ${i} of dendrite ${k} is ${describe(x)}, not a number`);
      out[bySynapse[at]!] = x;
    }
  }
  return out;
}
