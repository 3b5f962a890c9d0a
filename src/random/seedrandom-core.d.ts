/**
 * seedrandom's ARC4 generator on its own (the package's index also loads six other generators
 * we do not use: 3–5 ms more per cold start and per parallelRun worker). Same function as the
 * index's default export.
 */
declare module 'seedrandom/seedrandom.js' {
  import seedrandom from 'seedrandom';
  export default seedrandom;
}
