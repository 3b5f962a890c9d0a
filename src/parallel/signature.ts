import { Monitor } from '../api/monitor.js';
import type { NetworkObject } from '../api/network.js';
import { PopulationBase } from '../api/population.js';
import { Projection } from '../api/projection.js';
import type { PopulationView } from '../api/view.js';
import { RandomDistribution } from '../random/distributions.js';
import { isMatrix, type ConnectorRecipe } from '../world/connect.js';
import { scheduleHash } from '../world/spikeSchedule.js';
import { timedRatesHash } from '../world/timedRates.js';

/**
 * One line per declared object: what must match between the main thread and a worker. A
 * projection's line ends with its connector and a hash of its whole recipe (weights, delays,
 * probabilities, a matrix's values), so that a connection made or changed on the main thread
 * only, or drawn from Math.random at import, is refused instead of silently differing. Without
 * `connections` (networks mode: workers adopt the synapses handed to them) it is left out.
 */
export function declarationSignature(objects: readonly NetworkObject[], connections = true): string[] {
  return objects.map((o) => {
    // A spike source array's times, a timed Poisson population's rates and schedule (number mode:
    // workers run the ones their module declares).
    if (o instanceof PopulationBase) {
      const spikes = connections && o.data.schedule ? `:spikes#${scheduleHash(o.data.schedule)}` : '';
      const timed = connections && o.data.timed ? `:timed#${timedRatesHash(o.data.timed)}` : '';
      return `population:${o.id}:${o.name}:${o.size}${spikes}${timed}`;
    }
    const side = (x: PopulationBase | PopulationView) => (x instanceof PopulationBase ? `${x.id}` : `${x.population.id}[${x.ranks.join(',')}]`);
    if (o instanceof Monitor) {
      const { period, start } = o.copyState();
      const target = o.target instanceof Projection ? `projection ${o.target.id}` : side(o.target);
      return `monitor:${o.id}:${target}:${o.variables.join('+')}:period=${period}:start=${start}`;
    }
    // A plastic projection's synapse type and parameters: a worker must run the same rule.
    const { stdp, stp, recipe } = (o as Projection).copyState();
    const named = (type: string, parameters: object) => `:${type}(${Object.entries(parameters).map(([k, v]) => `${k}=${v}`).join(',')})`;
    const synapse = stdp ? named('STDP', stdp) : stp ? named('STP', stp) : '';
    const line = `projection:${o.id}:${side(o.pre)}->${side(o.post)}:${o.target}${synapse}`;
    if (!connections) return line;
    return `${line}:${recipe ? `${recipe.method}#${recipeHash(recipe)}` : 'unconnected'}`;
  });
}

/** The first line where two signatures differ, for an error message (null when they agree). */
export function firstDifference(worker: readonly string[], main: readonly string[]): { worker: string; main: string } | null {
  for (let i = 0; i < Math.max(worker.length, main.length); i++) {
    if (worker[i] !== main[i]) return { worker: worker[i] ?? '(nothing)', main: main[i] ?? '(nothing)' };
  }
  return null;
}

/** Recipes never change once made (a connect call makes a new one): each is hashed once per thread. */
const recipeHashes = new WeakMap<ConnectorRecipe, string>();

/**
 * FNV-1a (32 bits, 8 hex digits) of a recipe: its fields as JSON (distributions by their text), a
 * matrix (connectFromMatrix's weights, and its delays when they are a matrix) number by number (as
 * JSON, a 2000 × 2000 matrix took ~0.5 s per call), and typed arrays (the synapses that
 * connectWithFunc and connectFromSparse list: ranks, weights, delays) by their bits.
 */
function recipeHash(recipe: ConnectorRecipe): string {
  let h = recipeHashes.get(recipe);
  if (h !== undefined) return h;
  const text: Record<string, unknown> = {};
  const numbers: [string, ArrayBufferView | ArrayLike<ArrayLike<number | null>>][] = [];
  for (const [key, value] of Object.entries(recipe)) {
    if (ArrayBuffer.isView(value) || ((key === 'weights' || key === 'delays') && isMatrix(value))) numbers.push([key, value]);
    else text[key] = value;
  }
  let state = fnvText(FNV_OFFSET, JSON.stringify(text, distributionsAsText));
  for (const [key, value] of numbers) {
    state = fnvText(state, key);
    state = ArrayBuffer.isView(value) ? fnvBits(state, value) : fnvMatrix(state, value);
  }
  h = (state >>> 0).toString(16).padStart(8, '0');
  recipeHashes.set(recipe, h);
  return h;
}

/** A typed array into the hash: its type, length and every 32-bit word of its bytes. */
function fnvBits(h: number, array: ArrayBufferView): number {
  h = fnvText(h, array.constructor.name);
  h = fnvNumber(h, array.byteLength);
  // Whole words where the view is aligned to them (every array a recipe holds is), bytes otherwise.
  const whole = array.byteOffset % 4 === 0 ? array.byteLength >>> 2 : 0;
  const words = new Uint32Array(array.buffer, array.byteOffset, whole);
  for (let i = 0; i < whole; i++) h = Math.imul(h ^ (words[i] as number), FNV_PRIME);
  const bytes = new Uint8Array(array.buffer, array.byteOffset + whole * 4, array.byteLength - whole * 4);
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
  return h;
}

/** A [post][pre] matrix into the hash, its shape included (null entries as NaN). */
function fnvMatrix(h: number, rows: ArrayLike<ArrayLike<number | null>>): number {
  h = fnvNumber(h, rows.length);
  for (let q = 0; q < rows.length; q++) {
    const row = rows[q] as ArrayLike<number | null>;
    h = fnvNumber(h, row.length);
    for (let p = 0; p < row.length; p++) h = fnvNumber(h, row[p] ?? Number.NaN);
  }
  return h;
}

function distributionsAsText(_key: string, value: unknown): unknown {
  return value instanceof RandomDistribution ? value.toString() : value;
}

const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;
const bits = new Float64Array(1), bitWords = new Uint32Array(bits.buffer);

function fnvText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Mixes in a number's float64 bits (null and NaN alike: no synapse). */
function fnvNumber(h: number, x: number): number {
  bits[0] = x;
  return Math.imul(Math.imul(h ^ (bitWords[0] as number), FNV_PRIME) ^ (bitWords[1] as number), FNV_PRIME);
}
