/**
 * Connection methods: recipes that draw a projection's synapses into a CSR (by pre rank) with a
 * network's connectivity stream. A recipe is data; a network runs it at compile, so each network
 * draws its own random connectivity and deterministic patterns come out equal.
 */
import { SpikeworldError } from '../errors.js';
import { isDistribution, unboundedAbove, type RandomDistribution } from '../random/distributions.js';
import { nextUniform } from '../random/stream.js';
import { rankRange } from './ranks.js';

/** A number (ms for delays), or a distribution sampled once per synapse. */
export type SynapseValue = number | RandomDistribution;

export type ConnectorRecipe =
  | { method: 'allToAll'; weights: SynapseValue; delays: SynapseValue; allowSelfConnections: boolean }
  | { method: 'oneToOne'; weights: SynapseValue; delays: SynapseValue }
  | {
      method: 'fixedProbability';
      probability: number;
      weights: SynapseValue;
      delays: SynapseValue;
      allowSelfConnections: boolean;
    }
  | { method: 'fixedNumberPre'; number: number; weights: SynapseValue; delays: SynapseValue; allowSelfConnections: boolean }
  | { method: 'fixedNumberPost'; number: number; weights: SynapseValue; delays: SynapseValue; allowSelfConnections: boolean }
  /**
   * Dense [post][pre] weights; null or NaN = no synapse. Delays: one value for all, or (as
   * ANNarchy's connect_from_matrix) a [post][pre] matrix read where a weight is present.
   */
  | { method: 'fromMatrix'; weights: ArrayLike<ArrayLike<number | null>>; delays: SynapseValue | DelayMatrix }
  /** ANNarchy's connect_gaussian: w = amp·exp(−d²/(2σ²)) over normalized coordinates, kept where w > limit·amp. */
  | {
      method: 'gaussian';
      amp: number;
      sigma: number;
      limit: number;
      preGeometry: readonly number[];
      postGeometry: readonly number[];
      delays: SynapseValue;
      allowSelfConnections: boolean;
    }
  /** ANNarchy's connect_dog: the difference of two gaussians, kept where |w| > limit·|ampPos − ampNeg|. */
  | {
      method: 'dog';
      ampPos: number;
      sigmaPos: number;
      ampNeg: number;
      sigmaNeg: number;
      limit: number;
      preGeometry: readonly number[];
      postGeometry: readonly number[];
      delays: SynapseValue;
      allowSelfConnections: boolean;
    }
  /**
   * Synapses given one by one (connectWithFunc's LILConnectivity, connectFromSparse's matrix),
   * checked and sorted at connect: rows by pre index, posts ascending in each (indices within
   * the pre and post views, as the other connectors draw them).
   */
  | ({ method: 'withFunc' } & ExplicitSynapses)
  | ({ method: 'fromSparse' } & ExplicitSynapses);

/** Synapses listed at connect time: a CSR by pre index, with their weights and delays (ms). */
export interface ExplicitSynapses {
  preSize: number;
  postSize: number;
  rowStart: Uint32Array;
  post: Uint32Array;
  w: Float32Array;
  /** ms: one for all, or one per synapse (CSR order). */
  delays: number | Float64Array;
}

/** [post][pre] delays in ms for connectFromMatrix; entries without a weight are not read. */
export type DelayMatrix = ArrayLike<ArrayLike<number | null>>;

/** A [post][pre] matrix (connectFromMatrix's weights, or its delays) rather than one number or a distribution. */
export function isMatrix(x: unknown): x is DelayMatrix {
  return typeof x === 'object' && x !== null && !isDistribution(x) && typeof (x as { length?: unknown }).length === 'number';
}

/** The drawn synapses, before they move into the network's arena. */
export interface DrawnSynapses {
  rowStart: Uint32Array;
  post: Uint32Array;
  w: Float32Array;
  /** Uniform delay in steps, or null when `delaySteps` holds one per synapse. */
  uniformDelaySteps: number | null;
  delaySteps: Uint16Array | null;
}

export interface ConnectContext {
  preSize: number;
  postSize: number;
  /**
   * When pre and post are (views of) the same population: for each pre index, the post index of
   * the same neuron or -1, and the reverse. Self-connections are then excluded unless allowed.
   */
  self: { postOfPre: Int32Array; preOfPost: Int32Array } | null;
  dt: number;
  /** The connectivity stream (4 × uint32 state), advanced in place. */
  rng: Uint32Array;
  /** For error messages: 'Projection pop0 -> pop1 (exc)'. */
  label: string;
}

/** The longest delay a ring can hold, in steps (delays are stored as uint16). */
export const MAX_DELAY_STEPS = 65535;

export function drawSynapses(recipe: ConnectorRecipe, ctx: ConnectContext): DrawnSynapses {
  if (recipe.method === 'withFunc' || recipe.method === 'fromSparse') return explicitSynapses(recipe, ctx);
  const rows = drawRows(recipe, ctx);
  const nnz = rows.rowStart[ctx.preSize] as number;
  const delays = recipe.delays;
  return {
    rowStart: rows.rowStart,
    post: rows.post,
    // Weights made with the pattern (a matrix's, a gaussian's), or drawn now (after the pattern,
    // before the delays: the order the connectivity stream has always been used in).
    w: rows.weights ?? sampleWeights((recipe as { weights: SynapseValue }).weights, nnz, ctx),
    ...(isMatrix(delays) ? matrixDelays(delays, rows, ctx) : sampleDelays(delays, nnz, ctx)),
  };
}

interface Rows {
  rowStart: Uint32Array;
  post: Uint32Array;
  /** Weights that come with the pattern (connectFromMatrix, gaussian, DoG); drawn otherwise. */
  weights?: Float32Array;
}

/** The recipes whose synapses are drawn (or computed) at compile, not listed at connect. */
type PatternRecipe = Exclude<ConnectorRecipe, { method: 'withFunc' | 'fromSparse' }>;

function drawRows(recipe: PatternRecipe, ctx: ConnectContext): Rows {
  const { preSize, postSize } = ctx;
  const allowSelf = 'allowSelfConnections' in recipe && recipe.allowSelfConnections;
  const noSelf = ctx.self !== null && !allowSelf;
  // The post index of pre p's own neuron (or of post q's, for byPost draws), -1 when none is excluded.
  const selfPost = (p: number) => (noSelf ? (ctx.self!.postOfPre[p] as number) : -1);
  const selfPre = (q: number) => (noSelf ? (ctx.self!.preOfPost[q] as number) : -1);
  switch (recipe.method) {
    case 'allToAll':
      return buildRows(preSize, (p, out) => {
        const own = selfPost(p);
        for (let q = 0; q < postSize; q++) if (q !== own) out.push(q);
      });
    case 'oneToOne':
      return buildRows(preSize, (p, out) => {
        if (p < postSize) out.push(p);
      });
    case 'fixedProbability':
      return fixedProbability(recipe.probability, selfPost, ctx);
    case 'fixedNumberPost': {
      // One post fewer to choose from only where a pre neuron's own neuron is among the posts.
      const available = postSize - (noSelf && ctx.self!.postOfPre.some((q) => q >= 0) ? 1 : 0);
      checkNumber(recipe.number, available, 'number', 'post', ctx);
      const picks = new Picks(postSize, recipe.number);
      return buildRows(preSize, (p, out) => sampleDistinct(recipe.number, postSize, selfPost(p), picks, ctx.rng, out));
    }
    case 'fixedNumberPre': {
      const available = preSize - (noSelf && ctx.self!.preOfPost.some((p) => p >= 0) ? 1 : 0);
      checkNumber(recipe.number, available, 'number', 'pre', ctx);
      // Draw per post neuron (as the method is defined), then transpose into pre-major rows.
      const picks = new Picks(preSize, recipe.number);
      const byPost = buildRows(postSize, (q, out) => sampleDistinct(recipe.number, preSize, selfPre(q), picks, ctx.rng, out));
      return transpose(byPost, postSize, preSize);
    }
    case 'fromMatrix':
      return fromMatrix(recipe.weights, ctx);
    case 'gaussian':
    case 'dog':
      return gaussianRows(recipe, selfPost, ctx);
  }
}

/** Growable uint32 list, reused across rows. */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

/** Growable float32 list (a gaussian's weights, as its rows grow). */
class F32List {
  data = new Float32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

function buildRows(rowCount: number, fill: (row: number, out: U32List) => void): Rows {
  const rowStart = new Uint32Array(rowCount + 1);
  const out = new U32List();
  for (let r = 0; r < rowCount; r++) {
    fill(r, out);
    rowStart[r + 1] = out.length;
  }
  return { rowStart, post: out.data.slice(0, out.length) };
}

/**
 * Bernoulli(p) over each pre's row by geometric skipping: one uniform draw per synapse instead
 * of one per pair, so 2 % connectivity costs 2 % of a dense sweep.
 */
function fixedProbability(p: number, selfPost: (row: number) => number, ctx: ConnectContext): Rows {
  if (!(p >= 0 && p <= 1)) {
    throw new SpikeworldError(`${ctx.label}: connectFixedProbability needs 0 <= probability <= 1, got ${p}`);
  }
  const { postSize, rng } = ctx;
  const logQ = Math.log1p(-p);
  return buildRows(ctx.preSize, (row, out) => {
    if (p === 0) return;
    const own = selfPost(row);
    let q = -1;
    for (;;) {
      q += p === 1 ? 1 : 1 + Math.floor(Math.log(1 - nextUniform(rng)) / logQ);
      if (q >= postSize) break;
      if (q !== own) out.push(q);
    }
  });
}

/** Scratch for sampleDistinct: a mark per candidate, and the picks of one draw. */
class Picks {
  readonly marks: Uint8Array;
  readonly list: Uint32Array;
  constructor(n: number, k: number) {
    this.marks = new Uint8Array(n);
    this.list = new Uint32Array(Math.max(0, k));
  }
}

/** k distinct values of 0..n-1 except `exclude`, ascending (Floyd's algorithm over n' = n or n-1). */
function sampleDistinct(k: number, n: number, exclude: number, scratch: Picks, rng: Uint32Array, out: U32List): void {
  const m = exclude >= 0 ? n - 1 : n;
  const { marks, list } = scratch;
  let picked = 0;
  for (let j = m - k; j < m; j++) {
    const r = Math.floor(nextUniform(rng) * (j + 1));
    const pick = marks[r] ? j : r;
    marks[pick] = 1;
    list[picked++] = pick;
  }
  // Ascending, mapped around the excluded value, marks cleared. A scan of every candidate costs
  // m per row (pre × post for the projection: 18 s at 100k × 100k); few picks are sorted instead.
  if (k * 16 < m) {
    const sorted = list.subarray(0, picked).sort();
    for (let i = 0; i < sorted.length; i++) {
      const x = sorted[i] as number;
      marks[x] = 0;
      out.push(exclude >= 0 && x >= exclude ? x + 1 : x);
    }
    return;
  }
  for (let x = 0; x < m; x++) {
    if (marks[x]) {
      marks[x] = 0;
      out.push(exclude >= 0 && x >= exclude ? x + 1 : x);
    }
  }
}

function transpose(rows: Rows, rowCount: number, colCount: number): Rows {
  const nnz = rows.rowStart[rowCount] as number;
  const counts = new Uint32Array(colCount + 1);
  for (let k = 0; k < nnz; k++) counts[(rows.post[k] as number) + 1]!++;
  for (let c = 0; c < colCount; c++) counts[c + 1]! += counts[c] as number;
  const rowStart = counts.slice();
  const post = new Uint32Array(nnz);
  const cursor = counts;
  // Rows are visited in ascending order, so each new row's entries come out ascending too.
  for (let r = 0; r < rowCount; r++) {
    for (let k = rows.rowStart[r] as number; k < (rows.rowStart[r + 1] as number); k++) {
      const c = rows.post[k] as number;
      post[cursor[c]!++] = r;
    }
  }
  return { rowStart, post };
}

function fromMatrix(matrix: ArrayLike<ArrayLike<number | null>>, ctx: ConnectContext): Rows {
  const { preSize, postSize } = ctx;
  if (matrix.length !== postSize) {
    throw new SpikeworldError(
      `${ctx.label}: connectFromMatrix expects ${postSize} rows (one per post neuron), got ${matrix.length}`,
    );
  }
  for (let q = 0; q < postSize; q++) {
    const row = matrix[q] as ArrayLike<number | null>;
    if (!row || row.length !== preSize) {
      throw new SpikeworldError(
        `${ctx.label}: connectFromMatrix row ${q} must have ${preSize} entries (one per pre neuron), got ${row?.length}`,
      );
    }
  }
  // Two row-major passes over the [post][pre] matrix (count per pre, then fill): walking it by
  // column, once for the pattern and once for the weights, was ~5x slower on a 10M-entry matrix.
  // Posts are visited in ascending order, so each pre's row comes out ascending.
  const present = (x: number | null | undefined) => x !== null && x !== undefined && !Number.isNaN(x);
  const rowStart = new Uint32Array(preSize + 1);
  for (let q = 0; q < postSize; q++) {
    const row = matrix[q] as ArrayLike<number | null>;
    for (let p = 0; p < preSize; p++) if (present(row[p])) rowStart[p + 1]!++;
  }
  for (let p = 0; p < preSize; p++) rowStart[p + 1]! += rowStart[p] as number;
  const post = new Uint32Array(rowStart[preSize] as number);
  const w = new Float32Array(post.length);
  const cursor = rowStart.slice(0, preSize);
  for (let q = 0; q < postSize; q++) {
    const row = matrix[q] as ArrayLike<number | null>;
    for (let p = 0; p < preSize; p++) {
      const x = row[p];
      if (!present(x)) continue;
      const k = cursor[p]!++;
      post[k] = q;
      w[k] = x as number;
    }
  }
  return { rowStart, post, weights: w };
}

/**
 * Normalized coordinates of a geometry's neurons, one Float64Array per dimension, computed as
 * ANNarchy's connect_gaussian does: 1-D `rank / (size - 1)` in double; 2-D and 3-D
 * `index / (dim - 1)` per dimension rounded to float32 (Coordinates.pyx's `cdef float`); more
 * dimensions in double. Ranks are row-major (the last dimension varies fastest). A dimension
 * of size 1 sits at 0 (Coordinates.pyx's 2-D/3-D rule; ANNarchy divides by zero there in 1-D
 * and beyond 3-D).
 */
export function normalizedCoordinates(geometry: readonly number[]): Float64Array[] {
  const size = geometry.reduce((a, b) => a * b, 1);
  const float32 = geometry.length === 2 || geometry.length === 3;
  const out = geometry.map(() => new Float64Array(size));
  let stride = size;
  for (let d = 0; d < geometry.length; d++) {
    const n = geometry[d] as number;
    stride /= n;
    const coords = out[d] as Float64Array;
    for (let rank = 0; rank < size; rank++) {
      const i = Math.floor(rank / stride) % n;
      const x = n > 1 ? i / (n - 1) : 0;
      coords[rank] = float32 ? Math.fround(x) : x;
    }
  }
  return out;
}

/**
 * connect_gaussian / connect_dog over the pre and post populations (whole populations with
 * geometries of the same number of dimensions: the projection checked both). As ANNarchy's
 * Cython (Connector.pyx): parameters are float32 (`float amp, float sigma`), the squared
 * distance is a float32 sum (Coordinates.pyx's comp_dist*), the value is computed in double and
 * stored as float32, and compared as there: `value > limit * amp` (gaussian),
 * `|value| > limit * |ampPos − ampNeg|` with the difference in float32 (DoG). Rows are made by
 * pre rank (each a row of the CSR), the same synapses as ANNarchy's loop by post rank.
 */
function gaussianRows(
  recipe: Extract<ConnectorRecipe, { method: 'gaussian' | 'dog' }>,
  selfPost: (row: number) => number,
  ctx: ConnectContext,
): Rows {
  const f = Math.fround;
  const preCoords = normalizedCoordinates(recipe.preGeometry);
  const postCoords = normalizedCoordinates(recipe.postGeometry);
  const dims = preCoords.length;
  const { preSize, postSize } = ctx;
  const dog = recipe.method === 'dog';
  const ampPos = f(dog ? recipe.ampPos : recipe.amp);
  const ampNeg = dog ? f(recipe.ampNeg) : 0;
  // Cython's `2.0*sigma**2` with a float sigma: the square in float32, doubled in double.
  const sigmaPos = f(dog ? recipe.sigmaPos : recipe.sigma);
  const twoSigmaPos2 = 2 * f(sigmaPos * sigmaPos);
  const sigmaNeg = dog ? f(recipe.sigmaNeg) : 1;
  const twoSigmaNeg2 = 2 * f(sigmaNeg * sigmaNeg);
  const threshold = dog ? recipe.limit * Math.abs(f(ampPos - ampNeg)) : recipe.limit * ampPos;
  const rowStart = new Uint32Array(preSize + 1);
  const post = new U32List();
  const weights = new F32List();
  const at = new Float64Array(dims);
  for (let p = 0; p < preSize; p++) {
    const own = selfPost(p);
    for (let d = 0; d < dims; d++) at[d] = (preCoords[d] as Float64Array)[p] as number;
    for (let q = 0; q < postSize; q++) {
      if (q === own) continue;
      let dist = 0;
      for (let d = 0; d < dims; d++) {
        const diff = (at[d] as number) - ((postCoords[d] as Float64Array)[q] as number);
        dist = f(dist + diff * diff);
      }
      if (dog) {
        const value = f(ampPos * Math.exp(-dist / twoSigmaPos2) - ampNeg * Math.exp(-dist / twoSigmaNeg2));
        if (!(Math.abs(value) > threshold)) continue;
        if (!Number.isFinite(value)) {
          throw new SpikeworldError(
            `${ctx.label}: connectDog made a weight of ${value} (beyond float32's ±3.4e38) between pre ${p} and post ${q}; choose smaller amplitudes`,
          );
        }
        post.push(q);
        weights.push(value);
      } else {
        const value = f(ampPos * Math.exp(-dist / twoSigmaPos2));
        if (!(value > threshold)) continue;
        post.push(q);
        weights.push(value);
      }
    }
    rowStart[p + 1] = post.length;
  }
  return { rowStart, post: post.data.slice(0, post.length), weights: weights.data.slice(0, weights.length) };
}

/** connectWithFunc's and connectFromSparse's synapses, as listed (copies: networks never share arrays). */
function explicitSynapses(recipe: ExplicitSynapses, ctx: ConnectContext): DrawnSynapses {
  // Listed for this projection's pre and post sizes (a copy's are its original's).
  const nnz = recipe.post.length;
  const delays = recipe.delays;
  return {
    rowStart: recipe.rowStart.slice(),
    post: recipe.post.slice(),
    w: recipe.w.slice(),
    ...(typeof delays === 'number' ? sampleDelays(delays, nnz, ctx) : listedDelays(delays, ctx)),
  };
}

/**
 * One delay per synapse (ms) into steps (at least one), or one for the projection when they all
 * round to the same step count.
 */
function listedDelays(ms: Float64Array, ctx: ConnectContext): Pick<DrawnSynapses, 'uniformDelaySteps' | 'delaySteps'> {
  const steps = new Uint16Array(ms.length);
  let uniform = true;
  for (let k = 0; k < ms.length; k++) {
    const s = Math.max(1, Math.round((ms[k] as number) / ctx.dt));
    if (s > MAX_DELAY_STEPS) throw delayError(ms[k] as number, ctx, 'shorten it');
    steps[k] = s;
    if (s !== steps[0]) uniform = false;
  }
  return uniform ? { uniformDelaySteps: ms.length > 0 ? (steps[0] as number) : 1, delaySteps: null } : { uniformDelaySteps: null, delaySteps: steps };
}

/**
 * Synapses given as (pre, post, weight, delay) lists, in any order, into a CSR by pre index with
 * posts ascending in each row: two counting sorts (by post, then stably by pre), so a million
 * synapses cost two passes, not a sort. `duplicate` is the first synapse given twice (its pre
 * and post indices), or null.
 */
export function sortedRows(
  preSize: number,
  postSize: number,
  pre: Uint32Array,
  post: Uint32Array,
  w: Float32Array,
  delays: Float64Array | null,
): { rowStart: Uint32Array; post: Uint32Array; w: Float32Array; delays: Float64Array | null; duplicate: { pre: number; post: number } | null } {
  const nnz = post.length;
  const byPost = new Uint32Array(postSize + 1);
  for (let k = 0; k < nnz; k++) byPost[(post[k] as number) + 1]!++;
  for (let q = 0; q < postSize; q++) byPost[q + 1]! += byPost[q] as number;
  const order = new Uint32Array(nnz);
  for (let k = 0; k < nnz; k++) order[byPost[post[k]!]!++] = k;
  const rowStart = new Uint32Array(preSize + 1);
  for (let k = 0; k < nnz; k++) rowStart[(pre[k] as number) + 1]!++;
  for (let p = 0; p < preSize; p++) rowStart[p + 1]! += rowStart[p] as number;
  const cursor = rowStart.slice(0, preSize);
  const outPost = new Uint32Array(nnz);
  const outW = new Float32Array(nnz);
  const outDelays = delays ? new Float64Array(nnz) : null;
  for (let i = 0; i < nnz; i++) {
    const k = order[i] as number;
    const at = cursor[pre[k]!]!++;
    outPost[at] = post[k] as number;
    outW[at] = w[k] as number;
    if (outDelays) outDelays[at] = delays![k] as number;
  }
  let duplicate: { pre: number; post: number } | null = null;
  for (let p = 0; p < preSize && !duplicate; p++) {
    for (let k = (rowStart[p] as number) + 1; k < (rowStart[p + 1] as number); k++) {
      if (outPost[k] === outPost[k - 1]) {
        duplicate = { pre: p, post: outPost[k] as number };
        break;
      }
    }
  }
  return { rowStart, post: outPost, w: outW, delays: outDelays, duplicate };
}

function checkNumber(k: number, available: number, what: string, side: string, ctx: ConnectContext): void {
  if (!Number.isInteger(k) || k < 0 || k > available) {
    const noSelf = available < (side === 'pre' ? ctx.preSize : ctx.postSize);
    throw new SpikeworldError(
      `${ctx.label}: ${what} must be an integer between 0 and ${available} (the ${side} population's size` +
        `${noSelf ? ' without self-connections' : ''}), got ${k}` +
        // Name the way out: the count fits once a neuron may connect to itself.
        `${noSelf && k === available + 1 ? '; pass allowSelfConnections: true to let each neuron connect to itself' : ''}`,
    );
  }
}

function sampleWeights(weights: SynapseValue, nnz: number, ctx: ConnectContext): Float32Array {
  const w = new Float32Array(nnz);
  if (typeof weights === 'number') {
    w.fill(weights);
    return w;
  }
  const values = new Float64Array(nnz);
  weights.sample(ctx.rng, values, nnz);
  // A draw beyond float32's range would be stored as ±Infinity (Uniform(0, 1e39)): refuse it,
  // as a number weight or proj.w = 1e40 is refused.
  for (let k = 0; k < nnz; k++) {
    if (!isFloat32Weight(values[k] as number)) {
      throw new SpikeworldError(
        `${ctx.label}: weights ${weights} drew ${values[k]}, which is not a finite float32 weight ` +
          `(weights are stored as float32, up to ±3.4e38); choose a distribution within that range (Normal and others take { min, max })`,
      );
    }
  }
  w.set(values);
  return w;
}

function sampleDelays(delays: SynapseValue, nnz: number, ctx: ConnectContext): Pick<DrawnSynapses, 'uniformDelaySteps' | 'delaySteps'> {
  const toSteps = (ms: number) => Math.max(1, Math.round(ms / ctx.dt));
  if (typeof delays === 'number') {
    const steps = toSteps(delays);
    if (steps > MAX_DELAY_STEPS) throw delayError(delays, ctx, 'shorten it');
    return { uniformDelaySteps: steps, delaySteps: null };
  }
  const values = new Float64Array(nnz);
  delays.sample(ctx.rng, values, nnz);
  const steps = new Uint16Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const s = toSteps(values[k] as number);
    if (s > MAX_DELAY_STEPS) throw delayError(values[k] as number, ctx);
    steps[k] = s;
  }
  return { uniformDelaySteps: null, delaySteps: steps };
}

/**
 * connectFromMatrix's delays matrix, read at each synapse's [post][pre] (Projection.connectFromMatrix
 * checked its shape and a delay >= 0 ms at every synapse): one delay per synapse, or one for the
 * projection when they all round to the same step count.
 */
function matrixDelays(matrix: DelayMatrix, rows: Rows, ctx: ConnectContext): Pick<DrawnSynapses, 'uniformDelaySteps' | 'delaySteps'> {
  const nnz = rows.post.length;
  const steps = new Uint16Array(nnz);
  let uniform = true;
  for (let p = 0; p < ctx.preSize; p++) {
    for (let k = rows.rowStart[p] as number; k < (rows.rowStart[p + 1] as number); k++) {
      const ms = (matrix[rows.post[k] as number] as ArrayLike<number>)[p] as number;
      const s = Math.max(1, Math.round(ms / ctx.dt));
      if (s > MAX_DELAY_STEPS) throw delayError(ms, ctx, 'shorten it');
      steps[k] = s;
      if (s !== steps[0]) uniform = false;
    }
  }
  return uniform ? { uniformDelaySteps: nnz > 0 ? (steps[0] as number) : 1, delaySteps: null } : { uniformDelaySteps: null, delaySteps: steps };
}

function delayError(ms: number, ctx: ConnectContext, fix = 'bound the distribution with { max }'): SpikeworldError {
  return new SpikeworldError(
    `${ctx.label}: a delay of ${ms} ms is longer than ${MAX_DELAY_STEPS} steps of ${ctx.dt} ms; ${fix}`,
  );
}

/** Throws unless `x` is a finite number or a distribution: used when a recipe is declared. */
export function checkSynapseValue(x: unknown, name: 'weights' | 'delays', label: string): SynapseValue {
  if (isDistribution(x)) {
    // As ANNarchy: the longest delay sizes the rings, so a delay distribution needs a bound.
    if (name === 'delays' && unboundedAbove(x)) {
      throw new SpikeworldError(
        `${label}: delays drawn from ${String(x)} have no upper bound; give the distribution a max ` +
          `(e.g. Normal(5, 1, { max: 10 }) clamps draws above 10 ms), as ANNarchy requires for delay distributions`,
      );
    }
    return x;
  }
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new SpikeworldError(`${label}: ${name} must be a finite number or a distribution such as Uniform(0, 1), got ${String(x)}`);
  }
  if (name === 'delays' && x < 0) throw new SpikeworldError(`${label}: delays must be >= 0 ms (a delay under one step is one step), got ${x}`);
  if (name === 'weights' && !isFloat32Weight(x)) throw notAWeight(x, `${label}: weights`);
  return x;
}

/** Weights are float32: a finite number beyond its range would be stored as ±Infinity (fround is finite exactly for these). */
export function isFloat32Weight(w: number): boolean {
  return Number.isFinite(Math.fround(w));
}

/** The error for a weight that float32 storage cannot hold; `what` names where it was given. */
export function notAWeight(w: number, what: string): SpikeworldError {
  return new SpikeworldError(`${what}: ${w} is not a finite float32 weight (weights are stored as float32, up to ±3.4e38)`);
}

/** Index maps for self-connections between two rank lists of the same population. */
export function selfMaps(preRanks: ArrayLike<number>, postRanks: ArrayLike<number>, populationSize: number): ConnectContext['self'] {
  const postIndex = new Int32Array(populationSize).fill(-1);
  for (let q = 0; q < postRanks.length; q++) postIndex[postRanks[q] as number] = q;
  const preIndex = new Int32Array(populationSize).fill(-1);
  for (let p = 0; p < preRanks.length; p++) preIndex[preRanks[p] as number] = p;
  return {
    postOfPre: Int32Array.from({ length: preRanks.length }, (_, p) => postIndex[preRanks[p] as number] as number),
    preOfPost: Int32Array.from({ length: postRanks.length }, (_, q) => preIndex[postRanks[q] as number] as number),
  };
}

/**
 * Synapses drawn between views (local indices 0..view size) moved to their populations' ranks:
 * rows by the pre population's rank, post indices as the post population's ranks.
 */
export function toPopulationRanks(
  drawn: DrawnSynapses,
  preRanks: ArrayLike<number> | null,
  postRanks: ArrayLike<number> | null,
  prePopulationSize: number,
): DrawnSynapses {
  const localPre = preRanks ?? rankRange(0, drawn.rowStart.length - 1);
  const localOf = new Int32Array(prePopulationSize).fill(-1);
  for (let p = 0; p < localPre.length; p++) localOf[localPre[p] as number] = p;
  const nnz = drawn.post.length;
  const rowStart = new Uint32Array(prePopulationSize + 1);
  const post = new Uint32Array(nnz);
  const w = new Float32Array(nnz);
  const delaySteps = drawn.delaySteps ? new Uint16Array(nnz) : null;
  let k = 0;
  for (let r = 0; r < prePopulationSize; r++) {
    rowStart[r] = k;
    const p = localOf[r] as number;
    if (p < 0) continue;
    for (let s = drawn.rowStart[p] as number; s < (drawn.rowStart[p + 1] as number); s++, k++) {
      const q = drawn.post[s] as number;
      post[k] = postRanks ? (postRanks[q] as number) : q;
      w[k] = drawn.w[s] as number;
      if (delaySteps) delaySteps[k] = drawn.delaySteps![s] as number;
    }
  }
  rowStart[prePopulationSize] = k;
  return { rowStart, post, w, uniformDelaySteps: drawn.uniformDelaySteps, delaySteps };
}
