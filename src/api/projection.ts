/**
 * `Projection`: synapses from a pre to a post population on one target (`'exc'`, `'inh'`, …).
 * A connect method stores a recipe; each network draws its synapses from it at compile.
 * The default synapse adds its weight to the post neuron's `g_<target>` when a spike arrives.
 */
import { SpikeworldError } from '../errors.js';
import { declarationWarning } from '../parallel/context.js';
import { checkSynapseValue, isMatrix, isFloat32Weight, notAWeight, type ConnectorRecipe, type DelayMatrix, type SynapseValue } from '../world/connect.js';
import { stepsToMs } from '../world/clock.js';
import type { ProjectionEntry } from '../world/world.js';
import { currentOwner, type Owner } from './owner.js';
import type { PopulationBase } from './population.js';
import { populationOf, PopulationView } from './view.js';
import { checkOptionNames } from './options.js';
import { newObjectId } from './registry.js';
import { describe, resolveValues, type Assignable } from './values.js';

const CONNECT_OPTIONS = ['weights', 'delays'] as const;
const SELF_OPTIONS = [...CONNECT_OPTIONS, 'allowSelfConnections'] as const;

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

/** ANNarchy's `connect_one_to_one` and `connect_fixed_number_post` default `weights=1.0`. */
type DefaultWeight<T extends ConnectOptions> = Omit<T, 'weights'> & { weights?: SynapseValue };

/** Internal: what a copy needs. */
export interface ProjectionCopy {
  id: number;
  name: string;
  target: string;
  recipe: ConnectorRecipe | null;
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

  constructor(pre: PopulationBase | PopulationView, post: PopulationBase | PopulationView, target: string, synapse?: unknown, copy?: ProjectionCopy) {
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
    if (synapse !== undefined && synapse !== null) {
      throw new SpikeworldError(`${label}: custom synapse models are not supported yet; omit the synapse for g_${target} += w`);
    }
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
    this.name = copy ? copy.name : `proj${this.id}`;
    this.pre = pre;
    this.post = post;
    this.target = target;
    this.entry = {
      pre: populationOf(pre).data,
      post: postData,
      preRanks: pre instanceof PopulationView ? pre.ranks : null,
      postRanks: post instanceof PopulationView ? post.ranks : null,
      target,
      recipe: copy?.recipe ?? null,
      label,
      synapses: null,
    };
    this.owner.world.addProjection(this.entry);
    this.owner.register(this);
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
    return { id: this.id, name: this.name, target: this.target, recipe: this.entry.recipe };
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

  private connect(recipe: ConnectorRecipe): this {
    if (this.owner.world.compiled) {
      throw new SpikeworldError(`${this.entry.label}: cannot connect after compile(); connect before compiling`);
    }
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
    if (!options || typeof options !== 'object' || Array.isArray(options)) {
      // Name the method and what came: ANNarchy's positional arguments (connect_all_to_all(1.0)) land here.
      throw new SpikeworldError(
        `${this.entry.label}: ${method} takes an options object such as { weights: 1 } (ANNarchy's arguments by name), got ${describe(options)}`,
      );
    }
    checkOptionNames(`${this.entry.label}: ${method}`, options, names);
    return {
      weights: checkSynapseValue(options.weights ?? defaultWeight, 'weights', this.entry.label),
      delays: checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label),
    };
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
  const degree = new Uint32Array(postSize);
  for (let k = 0; k < post.length; k++) degree[post[k]!]!++;
  const dendriteOf = new Int32Array(postSize).fill(-1);
  let dendrites = 0;
  for (let q = 0; q < postSize; q++) if (degree[q]! > 0) dendriteOf[q] = dendrites++;
  if (lists.length !== dendrites) {
    throw new SpikeworldError(`${what()}: got ${lists.length} per-dendrite lists, expected ${dendrites} (one per post neuron that has synapses, by ascending rank)`);
  }
  for (let q = 0; q < postSize; q++) {
    const k = dendriteOf[q]!;
    if (k >= 0 && lists[k]!.length !== degree[q]) {
      throw new SpikeworldError(`${what()}: the list for post neuron ${q} (dendrite ${k}) has ${lists[k]!.length} weights; it has ${degree[q]} synapses`);
    }
  }
  // The synapses of each post neuron in CSR order (by pre rank: the list's order), then each list
  // read through once: reading the lists in synapse order jumped between them (10M synapses onto
  // 100k posts: 2.7 s, now 0.3 s).
  const start = new Uint32Array(postSize + 1);
  for (let q = 0; q < postSize; q++) start[q + 1] = (start[q] as number) + (degree[q] as number);
  const bySynapse = new Uint32Array(post.length);
  const cursor = start.slice(0, postSize);
  for (let syn = 0; syn < post.length; syn++) bySynapse[cursor[post[syn]!]!++] = syn;
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
