/**
 * `Projection`: synapses from a pre to a post population on one target (`'exc'`, `'inh'`, …).
 * A connect method stores a recipe; each network draws its synapses from it at compile.
 * The default synapse adds its weight to the post neuron's `g_<target>` when a spike arrives.
 */
import { SpikeworldError } from '../errors.js';
import { checkSynapseValue, type ConnectorRecipe, type SynapseValue } from '../world/connect.js';
import type { ProjectionEntry } from '../world/world.js';
import { currentOwner, type Owner } from './owner.js';
import type { PopulationBase } from './population.js';
import { populationOf, PopulationView } from './view.js';
import { newObjectId } from './registry.js';
import { resolveValues, type Assignable } from './values.js';

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
    return this.connect({
      method: 'allToAll',
      ...this.values(options),
      allowSelfConnections: options.allowSelfConnections ?? false,
    });
  }

  /** Pre rank i to post rank i, for i < min(sizes). */
  connectOneToOne(options: ConnectOptions = { weights: 1 }): this {
    return this.connect({ method: 'oneToOne', ...this.values(options) });
  }

  /** Each (pre, post) pair independently with `probability`. */
  connectFixedProbability(options: SelfConnectOptions & { probability: number }): this {
    const p = options?.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new SpikeworldError(`${this.entry.label}: connectFixedProbability needs 0 <= probability <= 1, got ${String(p)}`);
    }
    return this.connect({
      method: 'fixedProbability',
      probability: p,
      ...this.values(options),
      allowSelfConnections: options.allowSelfConnections ?? false,
    });
  }

  /** Each post neuron receives from exactly `number` distinct pre neurons. */
  connectFixedNumberPre(options: SelfConnectOptions & { number: number }): this {
    this.checkCount(options?.number, this.pre.size, 'connectFixedNumberPre', 'pre');
    return this.connect({
      method: 'fixedNumberPre',
      number: options.number,
      ...this.values(options),
      allowSelfConnections: options.allowSelfConnections ?? false,
    });
  }

  /** Each pre neuron sends to exactly `number` distinct post neurons. */
  connectFixedNumberPost(options: SelfConnectOptions & { number: number }): this {
    this.checkCount(options?.number, this.post.size, 'connectFixedNumberPost', 'post');
    return this.connect({
      method: 'fixedNumberPost',
      number: options.number,
      ...this.values(options),
      allowSelfConnections: options.allowSelfConnections ?? false,
    });
  }

  /** Weights as a dense matrix `[post][pre]`; `null` or `NaN` means no synapse. */
  connectFromMatrix(weights: ArrayLike<ArrayLike<number | null>>, options: { delays?: SynapseValue } = {}): this {
    const delays = checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label);
    if (!weights || typeof weights.length !== 'number') {
      throw new SpikeworldError(`${this.entry.label}: connectFromMatrix needs a [post][pre] array of weights`);
    }
    const copy = Array.from(weights, (row) => Array.from(row ?? []));
    return this.connect({ method: 'fromMatrix', weights: copy, delays });
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
   * or a distribution. Delivery reads them from shared memory, so the next step uses them.
   */
  set w(value: Assignable) {
    const s = this.synapses('w');
    const world = this.owner.world;
    s.w.set(resolveValues(value, s.w.length, world.initRng, () => `${this.entry.label}: weights`, 'synapse in CSR order'));
  }

  /** Delays in ms per synapse (CSR order), a copy. */
  get delay(): Float64Array {
    const s = this.synapses('delay');
    const dt = this.owner.world.dt;
    if (s.delaySteps) return Float64Array.from(s.delaySteps, (d) => d * dt);
    return new Float64Array(s.post.length).fill((s.uniformDelaySteps ?? 1) * dt);
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
    if (!this.entry.synapses || !this.owner.world.compiled) {
      throw new SpikeworldError(`${this.entry.label}: ${what} is known after compile(); call compile() first`);
    }
    return this.entry.synapses;
  }

  private connect(recipe: ConnectorRecipe): this {
    if (this.owner.world.compiled) {
      throw new SpikeworldError(`${this.entry.label}: cannot connect after compile(); connect before compiling`);
    }
    this.entry.recipe = recipe;
    return this;
  }

  private values(options: ConnectOptions): { weights: SynapseValue; delays: SynapseValue } {
    if (!options || typeof options !== 'object') {
      throw new SpikeworldError(`${this.entry.label}: connect methods take an options object such as { weights: 1 }`);
    }
    return {
      weights: checkSynapseValue(options.weights, 'weights', this.entry.label),
      delays: checkSynapseValue(options.delays ?? 0, 'delays', this.entry.label),
    };
  }

  private checkCount(k: unknown, max: number, method: string, side: string): void {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > max) {
      throw new SpikeworldError(
        `${this.entry.label}: ${method} needs an integer number between 0 and ${max} (the ${side} population's size), got ${String(k)}`,
      );
    }
  }
}
