/** Another module over the same declarations (sweep.ts), with the same export names: its own method. */
export { loadedInMain, m, pop1, pop2, runGiven } from './sweep.js';

export function sweep(idx: number): string {
  return `B:${idx}`;
}
