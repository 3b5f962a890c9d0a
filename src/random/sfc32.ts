/**
 * One step of the sfc32 generator (Chris Doty-Humphrey's "small fast counting" generator) on a
 * 4-word state held in a `Uint32Array`, for code that needs a word at a time. The batch
 * generators in stream.ts inline the same step in their loops.
 */

/** Advances `state` and returns the next word as an int32 (`>>> 0` for the uint32). */
export function nextWord(state: Uint32Array): number {
  const a = state[0]! | 0;
  const b = state[1]! | 0;
  const c = state[2]! | 0;
  const d = state[3]! | 0;
  const t = (((a + b) | 0) + d) | 0;
  state[0] = b ^ (b >>> 9);
  state[1] = (c + (c << 3)) | 0;
  state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  state[3] = (d + 1) | 0;
  return t;
}

/** 2^-32: maps a uint32 word to [0, 1) with 32-bit resolution. */
export const TWO_POW_M32 = 2 ** -32;

/**
 * One uniform draw in [0, 1) (32-bit resolution). For setup-time code: it loads and stores the
 * state on every call, so in loops prefer `fillUniform` (stream.ts).
 */
export function nextUniform(state: Uint32Array): number {
  return (nextWord(state) >>> 0) * TWO_POW_M32;
}
