/**
 * Stream derivation: a master seed plus a path (e.g. `net/3`) → the 4-word sfc32 state of that
 * stream. seedrandom (ARC4, ~10 µs per derivation) only hashes the key into a state; the numbers
 * themselves come from the fast generators in `stream.ts`. Hashing the full key, instead of
 * seeding a simple generator with `seed + i`, is what keeps adjacent paths uncorrelated.
 */
import seedrandom from 'seedrandom/seedrandom.js';

import { SpikeworldError } from '../errors.js';
import { nextUniform, STREAM_STATE_WORDS } from './stream.js';

/** Draws discarded after derivation, so the first outputs do not echo the hashed words. */
const WARM_UP_DRAWS = 12;

/**
 * Writes the sfc32 state of stream `path` under `master` to `out[0..4)`. Deterministic: the same
 * `(master, path)` always gives the same state. An all-zero state is rejected by re-deriving from
 * `${master}/${path}#k`. `more`, if given, gets the hash's next words (raw: seeds for streams of
 * the caller's, e.g. the Poisson lanes, at no second hashing: each costs ~10 µs per network).
 */
export function deriveStreamState(master: number | string, path: string, out: Uint32Array, more?: Uint32Array): void {
  if (typeof master === 'number' ? !Number.isFinite(master) : typeof master !== 'string') {
    throw new SpikeworldError(`deriveStreamState: master seed must be a finite number or a string, got ${String(master)}`);
  }
  if (out.length < STREAM_STATE_WORDS) {
    throw new SpikeworldError(
      `deriveStreamState: the state array needs ${STREAM_STATE_WORDS} uint32 words, got ${out.length}`,
    );
  }
  const key = `${master}/${path}`;
  for (let attempt = 0; ; attempt++) {
    const prng = seedrandom(attempt === 0 ? key : `${key}#${attempt}`);
    out[0] = prng.int32();
    out[1] = prng.int32();
    out[2] = prng.int32();
    out[3] = prng.int32();
    if ((out[0]! | out[1]! | out[2]! | out[3]!) !== 0) {
      if (more) for (let i = 0; i < more.length; i++) more[i] = prng.int32();
      break;
    }
  }
  for (let i = 0; i < WARM_UP_DRAWS; i++) nextUniform(out);
}

/** Distinguishes calls made within the same clock tick. */
let masterSeedCalls = 0;

/**
 * A fresh uint32 master seed for when the user gave none, hashed from the wall clock and the
 * high-resolution timer rather than the built-in unseeded generator, so every random number of
 * a run still traces back to one printable seed.
 */
export function randomMasterSeed(): number {
  masterSeedCalls++;
  return seedrandom(`${Date.now()}/${performance.now()}/${masterSeedCalls}`).int32() >>> 0;
}
