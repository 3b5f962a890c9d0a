/**
 * Batch generators over an sfc32 stream whose whole state is 4 uint32 words in a caller-owned
 * `Uint32Array` (in practice a view into a world's shared WebAssembly memory). Because nothing
 * lives outside those 4 words, a clone or a worker that shares the memory continues the stream
 * exactly where it stopped.
 *
 * Hot-code rules followed by every `fill*` function: the sfc32 step is written out inline in the
 * loop (a call per number costs ~8 ns, the inlined step ~2 ns), the state is loaded into int32
 * locals once and stored back once (fillNormal also around its rare slow path), and nothing is
 * allocated. The word-level step is the same everywhere, so every function consumes the same word
 * sequence:
 *
 *     t = a + b + d;  d += 1;  a = b ^ (b >>> 9);  b = c + (c << 3);  c = rotl(c, 21) + t;  → t
 *
 * Preconditions are not checked here (that is the job of `distributions.ts`, once per batch):
 * `state.length >= 4`, `0 <= n <= out.length`, finite parameters.
 */
import { nextUniform, TWO_POW_M32 } from './sfc32.js';
import { ZIGGURAT_K, ZIGGURAT_W, zigguratSlowPath } from './ziggurat.js';

/** 2^-31: maps a uint32 word to [0, 2); minus 1 gives [-1, 1) for the polar method (fillGamma's normals). */
const TWO_POW_M31 = 2 ** -31;

export { nextUniform };

/** Number of uint32 words of one stream's state. */
export const STREAM_STATE_WORDS = 4;

/**
 * Writes `n` uniform values in [lo, hi) to `out[0..n)`. Requires finite `lo < hi` with a finite
 * `hi - lo`. 32-bit resolution: the values lie on a grid of (hi - lo) / 2^32.
 */
export function fillUniform(state: Uint32Array, out: Float64Array | Float32Array, n: number, lo: number, hi: number): void {
  const span = hi - lo;
  const checked = uniformMayReachHi(lo, hi);
  const below = checked ? nextDown(hi) : hi;
  let a = state[0]! | 0;
  let b = state[1]! | 0;
  let c = state[2]! | 0;
  let d = state[3]! | 0;
  if (!checked) {
    for (let i = 0; i < n; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[i] = lo + span * ((t >>> 0) * TWO_POW_M32);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      const x = lo + span * ((t >>> 0) * TWO_POW_M32);
      out[i] = x < hi ? x : below;
    }
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  if (out instanceof Float32Array) keepBelow(out, n, hi);
}

/**
 * Whether `lo + (hi - lo) * u` rounds up to `hi` for some draw u < 1. It is monotone in u, so if
 * the largest u cannot, no u can; only then (huge |lo| next to a tiny span) does fillUniform pay
 * for a per-value check (a draw that reaches `hi` becomes the largest double below it).
 */
export function uniformMayReachHi(lo: number, hi: number): boolean {
  return !(lo + (hi - lo) * (1 - TWO_POW_M32) < hi);
}

/**
 * Float32 storage rounds a draw within half a float32 step of `hi` up to `hi` (about 1 in 2^25 for
 * Uniform(0, 1)), which `1 - u` or `log(hi - u)` would not survive: such draws become the largest
 * float32 below `hi`.
 */
function keepBelow(out: Float32Array, n: number, hi: number): void {
  const top = largestFloat32Below(hi);
  for (let i = 0; i < n; i++) if (out[i]! >= hi) out[i] = top;
}

const f32Scratch = new Float32Array(1);
const i32Scratch = new Int32Array(f32Scratch.buffer);

/** The largest float32 value strictly below `x`. */
export function largestFloat32Below(x: number): number {
  const f = Math.fround(x);
  if (f < x) return f;
  if (f === 0) return -(2 ** -149);
  f32Scratch[0] = f;
  i32Scratch[0] = i32Scratch[0]! + (f > 0 ? -1 : 1);
  return f32Scratch[0]!;
}

/**
 * Writes `n` normal values N(mu, sigma²) to `out[0..n)` with the ziggurat method (ziggurat.ts): one
 * word per draw, 5–7 ns (Marsaglia's polar method takes 10–12); 1.5 % of the words take
 * the slow path (wedge test, tail), which draws further words. Nothing is kept outside `state`, so
 * draws split over several calls equal one call's.
 */
export function fillNormal(state: Uint32Array, out: Float64Array | Float32Array, n: number, mu: number, sigma: number): void {
  let a = state[0]! | 0;
  let b = state[1]! | 0;
  let c = state[2]! | 0;
  let d = state[3]! | 0;
  for (let i = 0; i < n; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const layer = t & 255;
    const magnitude = (t >>> 8) & 0x7fffff;
    let x: number;
    // (t >> 31) | 1 is the sign bit as ±1: a multiply, not a branch the CPU would mispredict half the time.
    if (magnitude < ZIGGURAT_K[layer]!) x = ((t >> 31) | 1) * (magnitude + 0.5) * ZIGGURAT_W[layer]!;
    else {
      state[0] = a;
      state[1] = b;
      state[2] = c;
      state[3] = d;
      x = zigguratSlowPath(state, t);
      a = state[0]! | 0;
      b = state[1]! | 0;
      c = state[2]! | 0;
      d = state[3]! | 0;
    }
    out[i] = mu + sigma * x;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

/**
 * Writes `n` integers uniform on [min, max] (inclusive) to `out[0..n)`. Exact and unbiased. Requires
 * safe integers with `1 <= max - min + 1 <= 2^32`.
 */
export function fillDiscreteUniform(state: Uint32Array, out: Float64Array, n: number, min: number, max: number): void {
  const size = max - min + 1;
  let a = state[0]! | 0;
  let b = state[1]! | 0;
  let c = state[2]! | 0;
  let d = state[3]! | 0;
  if (size <= 2 ** 21) {
    // Lemire's multiply-and-reject: word · size < 2^53 is exact in a double, its high 32 bits are
    // the value, and rejecting low parts below 2^32 mod size removes the bias.
    const threshold = 4294967296 % size;
    for (let i = 0; i < n; i++) {
      let m: number;
      let low: number;
      do {
        const t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (((c << 21) | (c >>> 11)) + t) | 0;
        m = (t >>> 0) * size;
        low = Math.imul(t, size) >>> 0; // m mod 2^32, without a slow floating-point `%`
      } while (low < threshold);
      out[i] = min + (m - low) * TWO_POW_M32;
    }
  } else {
    // Words at or above the largest multiple of `size` below 2^32 would bias `% size`.
    const limit = 4294967296 - (4294967296 % size);
    for (let i = 0; i < n; i++) {
      let w: number;
      do {
        const t = (((a + b) | 0) + d) | 0;
        d = (d + 1) | 0;
        a = b ^ (b >>> 9);
        b = (c + (c << 3)) | 0;
        c = (((c << 21) | (c >>> 11)) + t) | 0;
        w = t >>> 0;
      } while (w >= limit);
      out[i] = min + (w % size);
    }
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

/**
 * Writes `n` Gamma(shape `alpha`, scale `beta`) values to `out[0..n)` (mean alpha·beta) with
 * Marsaglia–Tsang; for `alpha < 1` it samples Gamma(alpha + 1) and multiplies by U^(1/alpha).
 * Requires finite `alpha > 0`, `beta > 0`. The normal spare of the polar method is kept in a local
 * only for the duration of the call.
 */
export function fillGamma(state: Uint32Array, out: Float64Array, n: number, alpha: number, beta: number): void {
  const boost = alpha < 1;
  const dd = (boost ? alpha + 1 : alpha) - 1 / 3;
  const cc = 1 / Math.sqrt(9 * dd);
  const invAlpha = 1 / alpha;
  let a = state[0]! | 0;
  let b = state[1]! | 0;
  let c = state[2]! | 0;
  let d = state[3]! | 0;
  let spare = 0;
  let haveSpare = false;
  for (let i = 0; i < n; i++) {
    let v: number;
    for (;;) {
      let x: number;
      if (haveSpare) {
        x = spare;
        haveSpare = false;
      } else {
        let p: number;
        let q: number;
        let s: number;
        do {
          let t = (((a + b) | 0) + d) | 0;
          d = (d + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (((c << 21) | (c >>> 11)) + t) | 0;
          p = (t >>> 0) * TWO_POW_M31 - 1;
          t = (((a + b) | 0) + d) | 0;
          d = (d + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (((c << 21) | (c >>> 11)) + t) | 0;
          q = (t >>> 0) * TWO_POW_M31 - 1;
          s = p * p + q * q;
        } while (s >= 1 || s === 0);
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        x = p * f;
        spare = q * f;
        haveSpare = true;
      }
      v = 1 + cc * x;
      if (v <= 0) continue;
      v = v * v * v;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      const u = (t >>> 0) * TWO_POW_M32;
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) break; // cheap squeeze accepts ~98 %
      if (Math.log(u) < 0.5 * x2 + dd * (1 - v + Math.log(v))) break;
    }
    let g = dd * v;
    if (boost) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      // Open interval (0, 1): a zero here would give an exact 0, outside Gamma's support.
      g *= Math.pow(((t >>> 0) + 0.5) * TWO_POW_M32, invAlpha);
    }
    out[i] = g * beta;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

/** Below this mean count (n·min(p, 1−p)) Binomial draws use inversion, whose cost grows with it. */
const BINOMIAL_INVERSION_MAX_MEAN = 16;
const gammaScratch = new Float64Array(1);

/**
 * Writes `n` Binomial(`trials`, `p`) counts to `out[0..n)`. Exact for any `trials` (safe integer):
 * Knuth's order-statistic split (a Beta draw halves `trials`) until the expected count is small,
 * then inversion. Setup-time speed (tens to hundreds of ns per value), not a hot-loop generator.
 */
export function fillBinomial(state: Uint32Array, out: Float64Array, n: number, trials: number, p: number): void {
  for (let i = 0; i < n; i++) {
    let count = 0;
    let m = trials;
    let pp = p;
    // Knuth, TAOCP vol. 2, 3.4.1 F: the a-th smallest of m uniforms is X ~ Beta(a, m + 1 − a);
    // the uniforms below it (or above it) are again uniform on a sub-interval.
    while (m * Math.min(pp, 1 - pp) > BINOMIAL_INVERSION_MAX_MEAN) {
      const ka = 1 + Math.floor(m / 2);
      const kb = m + 1 - ka;
      fillGamma(state, gammaScratch, 1, ka, 1);
      const ga = gammaScratch[0]!;
      fillGamma(state, gammaScratch, 1, kb, 1);
      const x = ga / (ga + gammaScratch[0]!);
      if (x >= pp) {
        m = ka - 1;
        pp = Math.min(1, pp / x);
      } else {
        count += ka;
        m = kb - 1;
        pp = Math.max(0, Math.min(1, (pp - x) / (1 - x)));
      }
    }
    // Inversion on the smaller tail probability keeps (1 − q)^m far from underflow.
    const flip = pp > 0.5;
    const q = flip ? 1 - pp : pp;
    let k = 0;
    if (q > 0) {
      const r = q / (1 - q);
      let pmf = Math.exp(m * Math.log1p(-q));
      let u = nextUniform(state);
      while (u >= pmf && k < m) {
        u -= pmf;
        pmf *= (r * (m - k)) / (k + 1);
        k++;
      }
    }
    out[i] = count + (flip ? m - k : k);
  }
}

const f64Scratch = new Float64Array(1);
const i64Scratch = new BigInt64Array(f64Scratch.buffer);

/** The largest double strictly below finite `x`. */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  f64Scratch[0] = x;
  i64Scratch[0] = i64Scratch[0]! + (x > 0 ? -1n : 1n);
  return f64Scratch[0];
}
